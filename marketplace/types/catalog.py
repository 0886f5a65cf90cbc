"""The catalogue: products as GET /products returns them."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..mapping import int_or_none, period_from_api
from .common import Price, _items, _prices, _str


@dataclass(frozen=True)
class Product:
    """One sellable row: an MPN with one term (``subscription_period``) and one billing period."""

    id: str
    mpn: str
    vendor: str
    name: str
    service_name: str = ""
    subscription_period: str | None = None
    billing_period: str | None = None
    billing_model: str = ""
    minimum_quantity: int | None = None
    maximum_quantity: int | None = None
    prices: tuple[Price, ...] = ()
    costs: tuple[Price, ...] = ()
    depends_on: tuple[str, ...] = ()
    #: Free-form attributes; the simulator (and some catalogues) put the NCE
    #: segment and offer-attestation needs here.
    attributes: dict = field(default_factory=dict)
    #: Aligning a new subscription's end date: MANDATORY, ALLOWED or RESTRICTED (forbidden),
    #: to another SUBSCRIPTION's end or the END_OF_MONTH ("" when the product does not say).
    coterming_required: str = ""
    coterming_type: str = ""

    @classmethod
    def from_api(cls, data: dict) -> Product:
        return cls(
            id=_str(data.get("id")),
            mpn=_str(data.get("mpn")),
            vendor=_str(data.get("vendor")),
            name=_str(data.get("name")),
            service_name=_str(data.get("serviceName")),
            subscription_period=period_from_api(data.get("subscriptionPeriod")),
            billing_period=period_from_api(data.get("billingPeriod")),
            billing_model=_str(data.get("billingModel")),
            minimum_quantity=int_or_none(data.get("minimumQuantity")),
            maximum_quantity=int_or_none(data.get("maximumQuantity")),
            prices=_prices(data.get("prices")),
            costs=_prices(data.get("costs")),
            depends_on=tuple(_str(d.get("mpn")) for d in _items(data.get("dependsOn"))),
            attributes=dict(data.get("attributes") or {}),
            coterming_required=_str((data.get("coterming") or {}).get("required")),
            coterming_type=_str((data.get("coterming") or {}).get("type")),
        )

    @property
    def price(self) -> Price | None:
        """The recurring price per seat and billing period."""
        return _recurring(self.prices)

    @property
    def cost(self) -> Price | None:
        return _recurring(self.costs)

    @property
    def offer_attestation_required(self) -> bool:
        return str(self.attributes.get("offerAttestationRequired", "")).lower() == "true"

    @property
    def offer_attestation_text(self) -> str:
        return _str(self.attributes.get("offerAttestationText"))


def _recurring(prices: tuple[Price, ...]) -> Price | None:
    return next((p for p in prices if p.type == "recurring"), prices[0] if prices else None)
