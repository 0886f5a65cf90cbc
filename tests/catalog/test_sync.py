"""catalog_sync mirrors the marketplace's products into catalog.Product."""

from decimal import Decimal

import httpx
import pytest

from catalog.models import Product, Segment
from catalog.sync import catalog_sync, segment_of
from marketplace.client import MarketplaceClient
from marketplace.types import Product as UpstreamProduct
from simulator.catalogue import AMBIGUOUS_MPN, OFFER_ATTESTATION_MPNS
from tests.simulated import Simulator

pytestmark = pytest.mark.django_db


@pytest.fixture
def simulator():
    simulator = Simulator()
    yield simulator
    simulator.close()


def test_first_sync_creates_every_sellable_row(simulator):
    with simulator.client() as client:
        upstream = list(client.list_products())
        result = catalog_sync(client=client)
    assert result.created == len(upstream) >= 40 and result.skipped == []
    assert Product.objects.active().count() == len(upstream)
    basic = Product.objects.get(
        mpn="CFQ7TTC0LH18:0001", vendor="Microsoft", term="P1Y", billing_period="P1M"
    )
    assert basic.name == "Microsoft 365 Business Basic (NCE COM ANN)"
    assert basic.segment == Segment.COMMERCIAL
    assert basic.price == Decimal("6.00") and basic.cost == Decimal("5.10")
    assert (basic.minimum_quantity, basic.maximum_quantity) == (1, 300)
    assert basic.synced_at is not None
    assert set(Product.objects.values_list("segment", flat=True)) == set(Segment.values)
    assert Product.objects.filter(mpn=AMBIGUOUS_MPN).values("vendor").distinct().count() == 2


def test_each_products_coterming_rule_comes_with_it(simulator):
    with simulator.client() as client:
        catalog_sync(client=client)
    rules = {
        mpn: (required, kind)
        for mpn, required, kind in Product.objects.values_list(
            "mpn", "coterming_required", "coterming_type"
        )
    }
    assert rules["CFQ7TTC0MM8R:0001"] == ("MANDATORY", "SUBSCRIPTION")  # Copilot, an add-on
    assert rules["CFQ7TTC0J1FX:0001"] == ("RESTRICTED", "SUBSCRIPTION")
    assert rules["CFQ7TTC0LHSV:0001"] == ("ALLOWED", "END_OF_MONTH")
    assert rules["CFQ7TTC0LH18:0001"] == ("ALLOWED", "SUBSCRIPTION")


def test_offer_attestation_comes_with_its_text(simulator):
    with simulator.client() as client:
        catalog_sync(client=client)
    needing = Product.objects.filter(offer_attestation_required=True)
    assert set(needing.values_list("mpn", flat=True)) == OFFER_ATTESTATION_MPNS
    assert all("Hybrid Benefit" in p.offer_attestation_text for p in needing)
    assert (
        not Product.objects.filter(offer_attestation_required=False)
        .exclude(offer_attestation_text="")
        .exists()
    )


def test_second_sync_changes_nothing(simulator):
    with simulator.client() as client:
        first = catalog_sync(client=client)
        second = catalog_sync(client=client)
    assert (second.created, second.updated, second.deactivated) == (0, 0, 0)
    assert second.unchanged == first.created


def rows(*products):
    def handler(request):
        if request.url.path.endswith("/token"):
            return httpx.Response(200, json={"token": "t", "expiresInSeconds": 1500})
        offset = int(request.url.params.get("offset", 0))
        page = list(products)[offset : offset + int(request.url.params["limit"])]
        return httpx.Response(
            200,
            json={
                "data": page,
                "pagination": {"offset": offset, "limit": len(page), "total": len(products)},
            },
        )

    return MarketplaceClient(
        base_url="http://upstream.test/marketplace/eu",
        marketplace="us",
        username="u",
        password="p",
        subscription_key="k",
        transport=httpx.MockTransport(handler),
    )


def product(mpn, *, price="10.00", term=("year", 1), billing=("month", 1), name=None, **extra):
    return {
        "id": f"PRD-{mpn}",
        "mpn": mpn,
        "vendor": "Microsoft",
        "name": name or f"Plan {mpn} (NCE COM ANN)",
        "minimumQuantity": "1",
        "maximumQuantity": "300",
        "prices": [{"type": "recurring", "amount": price, "currency": "USD"}],
        "costs": [{"type": "recurring", "amount": "8.00", "currency": "USD"}],
        "subscriptionPeriod": {"type": term[0], "duration": term[1]},
        "billingPeriod": {"type": billing[0], "duration": billing[1]},
        **extra,
    }


def test_changed_rows_are_updated_and_vanished_rows_deactivated_then_revived():
    catalog_sync(client=rows(product("A:0001"), product("B:0001"), product("C:0001")))
    result = catalog_sync(client=rows(product("A:0001", price="11.50"), product("B:0001")))
    assert (result.updated, result.unchanged, result.deactivated) == (1, 1, 1)
    assert Product.objects.get(mpn="A:0001").price == Decimal("11.50")
    assert not Product.objects.get(mpn="C:0001").active
    revived = catalog_sync(
        client=rows(product("A:0001", price="11.50"), product("B:0001"), product("C:0001"))
    )
    assert revived.updated == 1 and Product.objects.get(mpn="C:0001").active


def test_rows_that_cannot_be_sold_are_skipped_with_a_reason():
    result = catalog_sync(
        client=rows(
            product("A:0001"),
            product("D:0001", term=("day", 30)),
            {**product("E:0001"), "prices": []},
        )
    )
    assert result.created == 1
    assert len(result.skipped) == 2
    assert any("term P30D" in reason for reason in result.skipped)
    assert any("no price" in reason for reason in result.skipped)


def test_many_rows_are_written_in_bulk(django_assert_max_num_queries):
    many = [product(f"M{i:05d}:0001") for i in range(2500)]
    client = rows(*many)
    # Not one query per product: on PostgreSQL a 1000-row chunk is one INSERT; SQLite caps a
    # statement at 999 variables, so there it is ~60 rows per INSERT (about 45 in all).
    with django_assert_max_num_queries(100):
        result = catalog_sync(client=client)
    assert result.created == 2500


@pytest.mark.parametrize(
    ("name", "attributes", "segment"),
    [
        ("Microsoft 365 A3 for faculty (NCE EDU ANN)", {}, Segment.EDUCATION),
        ("Microsoft 365 Business Premium (NCE NPO MTH)", {}, Segment.NONPROFIT),
        ("Office 365 G3 GCC (NCE GOV ANN)", {}, Segment.GOVERNMENT),
        ("Microsoft 365 E3", {}, Segment.COMMERCIAL),
        ("Microsoft 365 E3", {"segment": "education"}, Segment.EDUCATION),
    ],
)
def test_segment_from_attributes_or_name(name, attributes, segment):
    assert (
        segment_of(
            UpstreamProduct(id="1", mpn="X", vendor="Microsoft", name=name, attributes=attributes)
        )
        == segment
    )
