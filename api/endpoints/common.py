"""What the endpoints share: the problem responses they document, paging, and the token's
customer by id."""

from django.utils.translation import gettext_lazy as _

from customers.models import Customer

from .. import selectors
from ..inputs import Paging, make_cursor
from ..outputs import Problem
from ..problems import ApiError


def problems(*statuses) -> dict:
    """Return the problem responses an endpoint documents: ``statuses`` and those of every one."""
    return {status: Problem for status in sorted({*statuses, 401, 429, 500})}


def paged(queryset, paging: Paging, serialize, *, descending=False) -> dict:
    """Return one page of ``queryset`` as ``{"results": [...], "next_cursor": ...}``."""
    rows, more = selectors.page(
        queryset, after=paging.after(), limit=paging.limit, descending=descending
    )
    return {
        "results": [serialize(row) for row in rows],
        "next_cursor": make_cursor(rows[-1].pk) if more else None,
    }


def own_customer_or_404(request, customer_id: int) -> Customer:
    """Return the token's reseller's customer ``customer_id``; another's is a 404."""
    customer = selectors.scoped(Customer.objects.all(), request.auth).filter(pk=customer_id).first()
    if customer is None:
        raise ApiError(404, _("No customer with this id is yours."))
    return customer
