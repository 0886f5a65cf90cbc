from tests.orders.simulated import simulator, upstream_customer, upstream_reseller  # noqa: F401
