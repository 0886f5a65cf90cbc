"""Lists page lazily; find_order_by_reference opens orders newest first, within its bound."""

from datetime import UTC, datetime, timedelta

import httpx
import pytest


def paged(rows):
    """Serve `rows` as the API does: offset/limit, {data, pagination}."""

    def handler(request):
        offset = int(request.url.params.get("offset", 0))
        limit = int(request.url.params.get("limit", 10))
        return httpx.Response(
            200,
            json={
                "data": rows[offset : offset + limit],
                "pagination": {"offset": offset, "limit": limit, "total": len(rows)},
            },
        )

    return handler


def test_list_products_walks_every_page_lazily(make_client):
    rows = [{"id": f"PRD{i}", "mpn": f"M{i}", "vendor": "Microsoft"} for i in range(1203)]
    client = make_client(paged(rows))
    products = client.list_products()
    assert client.upstream.calls() == []  # nothing fetched until iterated
    first = next(products)
    assert first.id == "PRD0" and len(client.upstream.calls()) == 1
    assert len(list(products)) == 1202
    assert [c.url.params["limit"] for c in client.upstream.calls()] == ["500", "500", "500"]


def test_page_size_is_capped_at_500(make_client):
    client = make_client(paged([]))
    list(client.list_customers(page_size=5000))
    assert client.upstream.calls()[0].url.params["limit"] == "500"


def test_filters_are_sent_and_empty_ones_left_out(make_client):
    client = make_client(paged([]))
    list(client.list_orders(customer_id="1000101", status="processing"))
    params = client.upstream.calls()[0].url.params
    assert params["customerId"] == "1000101" and params["status"] == "processing"
    assert "statusCode" not in params and "orderNumber" not in params


def test_status_filter_takes_one_value(make_client):
    client = make_client(paged([]))
    with pytest.raises(ValueError):
        list(client.list_orders(status="processing,completed"))


def orders_upstream(count, *, po_of, created=None):
    """Orders 1..count, newest first in lists; details carry poNumber from `po_of(i)`."""
    base = datetime(2026, 1, 1, tzinfo=UTC)
    rows = [
        {
            "id": str(1005000 + i),
            "orderNumber": f"SO{i:06d}",
            "type": "sales",
            "customerId": "1000101",
            "status": "completed",
            "creationDate": (created or (lambda i: base + timedelta(minutes=i)))(i).isoformat(),
        }
        for i in range(count, 0, -1)
    ]
    by_id = {row["id"]: (i, row) for i, row in zip(range(count, 0, -1), rows, strict=True)}
    list_handler = paged(rows)

    def handler(request):
        order_id = request.url.path.rsplit("/", 1)[-1]
        if order_id in by_id:
            i, row = by_id[order_id]
            return httpx.Response(200, json={**row, "poNumber": po_of(i)})
        return list_handler(request)

    return handler


def test_find_order_by_reference_opens_newest_orders_until_it_matches(make_client):
    client = make_client(orders_upstream(10, po_of=lambda i: f"NCE-{i:07d} / PO {i}"))
    order = client.find_order_by_reference(customer_id="1000101", reference="NCE-0000008")
    assert order.id == "1005008" and order.po_number == "NCE-0000008 / PO 8"
    opened = [
        c.url.path.rsplit("/", 1)[-1] for c in client.upstream.calls() if "/orders/" in c.url.path
    ]
    assert opened == ["1005010", "1005009", "1005008"]
