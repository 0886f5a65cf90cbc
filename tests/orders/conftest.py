from .simulated import (  # noqa: F401
    list_polled,
    simulator,
    upstream_customer,
    upstream_reseller,
)
