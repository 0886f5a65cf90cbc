import pytest

from tests.simulated import BASE_URL, CREDENTIALS, simulated_marketplace


@pytest.fixture
def simulator(settings, db):
    """A fresh simulator, served in-process (no socket), as the default marketplace."""
    settings.MARKETPLACE = {
        **settings.MARKETPLACE,
        "BASE_URL": BASE_URL,
        "MARKETPLACE_CODE": CREDENTIALS["marketplace"],
        "USERNAME": CREDENTIALS["username"],
        "PASSWORD": CREDENTIALS["password"],
        "SUBSCRIPTION_KEY": CREDENTIALS["subscription_key"],
    }
    with simulated_marketplace() as simulator:
        yield simulator
