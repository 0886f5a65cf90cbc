"""GET /customers, /customers/{id}: the reseller's own customers."""

from typing import Annotated

from ninja import Path, Query, Router

from .. import outputs, selectors
from ..inputs import MAX_ID, CustomerFilters
from .common import own_customer_or_404, paged, problems

router = Router(tags=["customers"])

CustomerId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get("/customers", response={200: outputs.CustomerPage, **problems(400)})
def customer_list(request, filters: Query[CustomerFilters]):
    """List your customers, optionally searched."""
    customers = selectors.api_customers(request.auth, query=filters.q)
    return paged(customers, filters, outputs.customer_data)


@router.get("/customers/{customer_id}", response={200: outputs.CustomerOut, **problems(400, 404)})
def customer_detail(request, customer_id: CustomerId):
    """Return one of your customers."""
    return outputs.customer_data(own_customer_or_404(request, customer_id))
