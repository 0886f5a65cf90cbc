"""A list whose upstream ignores ``offset`` stops, flagged incomplete, instead of paging forever.

The simulator pages correctly and is not loosened to misbehave; none of its
failure rules makes it ignore ``offset``. So a transport in front of it drops
the ``offset`` of every list request (and, where the test says so, the
``total`` of the answer): each request is still served by the simulator.
"""

import json
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from marketplace.exceptions import ListIncomplete
from marketplace.pagination import iterate_pages
from marketplace.types import Page
from tests.marketplace.test_failures import CUSTOMER, sales
from tests.simulated import Simulator

LISTS = ("/customers", "/orders", "/subscriptions")
#: A test without the bound would page forever; this many list calls ends it as a failure.
RUNAWAY_CALLS = 50


class Runaway(BaseException):
    """Raised past RUNAWAY_CALLS; a BaseException so no ``except Exception`` swallows it."""


class OffsetIgnoringTransport(httpx.BaseTransport):
    def __init__(self, inner: httpx.BaseTransport, *, report_total: bool):
        self.inner = inner
        self.report_total = report_total
        self.list_calls = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method != "GET" or not request.url.path.endswith(LISTS):
            return self.inner.handle_request(request)
        self.list_calls += 1
        if self.list_calls > RUNAWAY_CALLS:
            raise Runaway(f"{self.list_calls} list calls: the pages never stop")
        request.url = request.url.copy_remove_param("offset")
        response = self.inner.handle_request(request)
        if self.report_total:
            return response
        response.read()
        body = json.loads(response.content)
        body.get("pagination", {}).pop("total", None)
        headers = [(k, v) for k, v in response.headers.items() if k.lower() != "content-length"]
        return httpx.Response(response.status_code, headers=headers, json=body)

    def close(self):
        self.inner.close()


@pytest.fixture
def simulator():
    simulator = Simulator()
    yield simulator
    simulator.close()


@pytest.mark.parametrize("report_total", [True, False])
def test_a_list_whose_offset_is_ignored_is_incomplete_not_repeated(simulator, report_total):
    transport = OffsetIgnoringTransport(simulator.transport, report_total=report_total)
    seen = []
    with simulator.client(transport=transport) as client:
        with pytest.raises(ListIncomplete) as caught:
            for customer in client.list_customers(page_size=1):
                seen.append(customer.id)

    assert len(seen) == 1  # the first page, never its copies
    assert caught.value.offset == 1 and caught.value.pages == 2
    assert "ignored the offset" in caught.value.message
    assert transport.list_calls == 2


def test_a_reference_search_whose_offset_is_ignored_is_incomplete(simulator):
    created_from = datetime.now(UTC) - timedelta(minutes=5)
    with simulator.client() as client:
        for number in range(3):
            client.create_order(
                order=sales(f"NCE-00009{number:02d}", domain=f"woodgrove9{number}.onmicrosoft.com")
            )
    transport = OffsetIgnoringTransport(simulator.transport, report_total=False)

    with simulator.client(transport=transport) as client:
        search = client.search_order_by_reference(
            customer_id=CUSTOMER,
            reference="NCE-0000999",
            created_from=created_from,
            page_size=1,
        )

    assert not search.complete and not search.not_found
    assert "offset was ignored" in search.reason
    assert search.pages == 2 and search.listed == 1


def test_pages_of_new_rows_forever_stop_past_the_bound():
    calls = []

    def endless(offset, limit):
        calls.append(offset)
        if len(calls) > 10_000:
            raise Runaway("the pages never stop")
        rows = tuple(range(len(calls) * limit, (len(calls) + 1) * limit))
        return Page(items=rows, offset=offset, limit=limit, total=None)

    with pytest.raises(ListIncomplete) as caught:
        list(iterate_pages(endless, limit=500))

    # With no total: 100,000 rows take 200 pages of 500; 2 more are allowed.
    assert len(calls) == 202 and caught.value.pages == 202
