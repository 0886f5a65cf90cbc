from tests.orders.conftest import enqueued  # noqa: F401
from tests.orders.simulated import simulator, upstream_customer, upstream_reseller  # noqa: F401
