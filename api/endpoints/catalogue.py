"""GET /products: what is on sale."""

from ninja import Query, Router

from pricing.selectors import PriceList

from .. import outputs, selectors
from ..inputs import ProductFilters
from .common import own_customer_or_404, paged, problems

router = Router(tags=["catalogue"])


@router.get("/products", response={200: outputs.ProductPage, **problems(400, 404)})
def product_list(request, filters: Query[ProductFilters]):
    """List the products on sale, filtered by segment, term, billing and a search; priced
    for one of your customers, or for any."""
    customer = None
    if filters.customer_id is not None:
        customer = own_customer_or_404(request, filters.customer_id)
    products = selectors.api_products(
        segment=filters.segment,
        term=filters.term or "",
        billing=filters.billing or "",
        query=filters.q,
    )
    prices = PriceList(reseller=request.auth.reseller_id, customer=customer)
    return paged(products, filters, lambda product: outputs.product_data(product, prices(product)))
