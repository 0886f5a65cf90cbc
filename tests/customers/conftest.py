import pytest

from tests.marketplace.simulated import BASE_URL, CREDENTIALS, Simulator

from . import simulated


@pytest.fixture
def simulator(settings, db):
    """A fresh simulator, served in-process (no socket), as the default marketplace."""
    simulated.current = Simulator()
    settings.MARKETPLACE_TRANSPORT = "tests.customers.simulated.transport"
    settings.MARKETPLACE = {
        **settings.MARKETPLACE,
        "BASE_URL": BASE_URL,
        "MARKETPLACE_CODE": CREDENTIALS["marketplace"],
        "USERNAME": CREDENTIALS["username"],
        "PASSWORD": CREDENTIALS["password"],
        "SUBSCRIPTION_KEY": CREDENTIALS["subscription_key"],
    }
    yield simulated.current
    simulated.current.close()
    simulated.current = None
