"""CountingPaginator: Django's pages and errors, with the count read beside the page's rows."""

import pytest
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from orders.models import Order
from orders.paging import CountingPaginator
from tests.factories import OrderFactory

pytestmark = pytest.mark.django_db


def pages_of(paginator_class, queryset, number):
    paginator = paginator_class(queryset, 2)
    with CaptureQueriesContext(connection) as queries:
        page = paginator.page(number)
        rows = [order.reference for order in page.object_list]
    facts = (rows, paginator.count, paginator.num_pages, page.has_next(), page.has_previous())
    return facts, len(queries)


@pytest.mark.parametrize("number", [1, 2, 3, "2"])
def test_a_page_with_rows_is_djangos_page_in_one_query(customer, number):
    for _ in range(5):
        OrderFactory(customer=customer)
    orders = Order.objects.order_by("reference")

    counted, queries = pages_of(CountingPaginator, orders, number)
    expected, django_queries = pages_of(Paginator, orders, number)

    assert counted == expected
    assert (queries, django_queries) == (1, 2)


def test_an_empty_list_has_its_empty_first_page_in_one_query(db):
    counted, queries = pages_of(CountingPaginator, Order.objects.order_by("pk"), 1)

    assert counted == ([], 0, 1, False, False)
    assert queries == 1


@pytest.mark.parametrize(
    ("number", "error"),
    [(4, EmptyPage), (0, EmptyPage), ("x", PageNotAnInteger), (1.5, PageNotAnInteger)],
)
def test_a_page_that_is_not_there_fails_as_in_django(customer, number, error):
    for _ in range(5):
        OrderFactory(customer=customer)

    with pytest.raises(error):
        CountingPaginator(Order.objects.order_by("pk"), 2).page(number)
    with pytest.raises(error):
        Paginator(Order.objects.order_by("pk"), 2).page(number)
