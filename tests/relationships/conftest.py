from tests.orders.simulated import simulator, upstream_reseller  # noqa: F401
