from tests.orders.simulated import (  # noqa: F401
    simulator,
    upstream_customer,
    upstream_reseller,
)
