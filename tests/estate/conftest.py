import pytest

from estate.models import ImportRun
from estate.services import import_run_start, import_run_step
from tests.simulated import simulated_marketplace, synced_reseller


@pytest.fixture
def marketplace(db):
    with simulated_marketplace() as simulator:
        yield simulator


@pytest.fixture
def estate_reseller(marketplace):
    return synced_reseller()


def run_to_end(reseller, *, kind=ImportRun.Kind.IMPORT, user=None) -> ImportRun:
    """Start a run and step it here until it is over (what the worker's task does)."""
    run = import_run_start(reseller=reseller, user=user, kind=kind)
    for _ in range(50):
        if import_run_step(run_id=run.pk) is None:
            break
    run.refresh_from_db()
    return run
