"""MarketplaceClient: the upstream Marketplace API as typed, keyword-only methods.

One client holds one httpx.Client (one connection pool) for one account. It
is thread-safe for the calls below; close it, or use it as a context manager.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from datetime import datetime

import httpx

from .auth import TokenCache
from .checks import ChecksMixin
from .constants import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_ORDER_TIMEOUT,
    DEFAULT_TIMEOUT,
    MAX_PAGE_LIMIT,
    RECONCILE_MAX_ORDERS,
)
from .exceptions import (
    APIConnectionError,
    APITimeoutError,
    GatewayError,
    OrderOutcomeUnknown,
    SearchIncomplete,
)
from .pagination import clamp_limit, iterate_pages
from .ratelimit import RateGate
from .reports import ReportsMixin
from .retry import RetryPolicy
from .search import ReferenceSearch, search_by_reference
from .session import ApiSession
from .types import (
    Customer,
    CustomerInput,
    Order,
    OrderInput,
    OrderLineInput,
    OrderSummary,
    Page,
    Plan,
    Product,
    Subscription,
    ValidationResult,
)
from .types.boundary import VALIDATION_RESULTS, page_parser


class MarketplaceClient(ChecksMixin, ReportsMixin):
    def __init__(
        self,
        *,
        base_url: str,
        marketplace: str,
        username: str,
        password: str,
        subscription_key: str,
        timeout: float = DEFAULT_TIMEOUT,
        order_timeout: float = DEFAULT_ORDER_TIMEOUT,
        transport: httpx.BaseTransport | None = None,
        token_cache: TokenCache | None = None,
        retry_policy: RetryPolicy | None = None,
        rate_gate: RateGate | None = None,
    ):
        self.order_timeout = order_timeout
        self._session = ApiSession(
            base_url=base_url,
            marketplace=marketplace,
            username=username,
            password=password,
            subscription_key=subscription_key,
            timeout=timeout,
            transport=transport,
            token_cache=token_cache,
            retry_policy=retry_policy or RetryPolicy(max_retries=DEFAULT_MAX_RETRIES),
            rate_gate=rate_gate,
        )

    @property
    def base_url(self) -> str:
        return self._session.base_url

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> MarketplaceClient:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<MarketplaceClient {self.base_url} marketplace={self._session.marketplace}>"

    # --- Products -------------------------------------------------------------------------

    def list_products(
        self,
        *,
        mpn: str | None = None,
        vendor: str | None = None,
        name: str | None = None,
        service_name: str | None = None,
        page_size: int = MAX_PAGE_LIMIT,
    ) -> Iterator[Product]:
        """Yield every product of the catalogue (or those matching the filters), page by page."""
        params = {"mpn": mpn, "vendor": vendor, "name": name, "serviceName": service_name}
        return self._iterate("products", params, Product.from_api, page_size)

    # --- Customers ------------------------------------------------------------------------

    def list_customers(
        self,
        *,
        name: str | None = None,
        email: str | None = None,
        external_id: str | None = None,
        reseller_id: str | None = None,
        page_size: int = MAX_PAGE_LIMIT,
    ) -> Iterator[Customer]:
        params = {
            "name": name,
            "email": email,
            "externalId": external_id,
            "resellerId": reseller_id,
        }
        return self._iterate("customers", params, Customer.from_api, page_size)

    def get_customer(self, *, customer_id: str) -> Customer:
        return self._get(f"customers/{_id(customer_id)}", parse=Customer)

    def create_customer(self, *, customer: CustomerInput) -> Customer:
        """Create the customer upstream. Not repeated after it may have arrived."""
        return self._session.request(
            "POST", "customers", json=customer.to_api(), idempotent=False, parse=Customer
        )

    # --- Validation -----------------------------------------------------------------------

    def validate_parameters(
        self,
        *,
        customer_id: str,
        products: Sequence[OrderLineInput],
        type: str = "sales",
    ) -> list[ValidationResult]:
        """Ask the upstream for a verdict on each product's activation parameters."""
        return self._session.request(
            "POST",
            "validation/parameters",
            json={
                "customerId": customer_id,
                "type": type,
                "products": [line.to_api() for line in products],
            },
            idempotent=True,
            parse=VALIDATION_RESULTS,
        )

    # --- Orders ---------------------------------------------------------------------------

    def estimate_order(self, *, order: OrderInput) -> Order:
        """Return the order as it would be priced; nothing is created."""
        return self._session.request(
            "POST",
            "orders/estimate",
            json=order.to_api(),
            timeout=self.order_timeout,
            idempotent=True,
            parse=Order,
        )

    def create_order(self, *, order: OrderInput) -> Order:
        """Place the order upstream: sent once, never repeated after it may have arrived.

        Raises ``OrderOutcomeUnknown`` when the request went out and no usable
        answer came back (timeout, dropped connection, 502/503/504 or a gateway
        page): reconcile with ``find_order_by_reference(reference=order.reference)``
        before anything is sent again. A 400/403/500 carrying the upstream's
        error body is a refusal and raises the matching ``APIStatusError``.
        """
        try:
            return self._session.request(
                "POST",
                "orders",
                json=order.to_api(),
                timeout=self.order_timeout,
                idempotent=False,
                parse=Order,
            )
        except (APITimeoutError, GatewayError) as exc:
            raise _outcome_unknown(order, exc) from exc
        except APIConnectionError as exc:
            if not exc.request_sent:
                raise
            raise _outcome_unknown(order, exc) from exc

    def cancel_order(self, *, order_id: str) -> Order:
        """Cancel an order upstream (PATCH ``statusCode: CL``): one not yet provisioned, or a
        change scheduled for a renewal that has not come. Not retried: a second PATCH is
        refused as "already cancelled", so after an unclear answer read the order instead."""
        return self._session.request(
            "PATCH",
            f"orders/{_id(order_id)}",
            json={"statusCode": "CL"},
            idempotent=False,
            parse=Order,
        )

    def get_order(self, *, order_id: str) -> Order:
        return self._get(f"orders/{_id(order_id)}", parse=Order)

    def list_orders(
        self,
        *,
        customer_id: str | None = None,
        status: str | None = None,
        status_code: str | None = None,
        subscription_id: str | None = None,
        order_number: str | None = None,
        page_size: int = MAX_PAGE_LIMIT,
    ) -> Iterator[OrderSummary]:
        """Yield order rows, newest first. Rows carry no poNumber: open one with get_order."""
        for value in (status, status_code):
            if value is not None and "," in value:
                raise ValueError("The upstream filters on one status at a time.")
        params = {
            "customerId": customer_id,
            "status": status,
            "statusCode": status_code,
            "subscriptionId": subscription_id,
            "orderNumber": order_number,
        }
        return self._iterate("orders", params, OrderSummary.from_api, page_size)

    def search_order_by_reference(
        self,
        *,
        customer_id: str,
        reference: str,
        created_from: datetime | None,
        created_to: datetime | None = None,
        skip_ids: Collection[str] = (),
        max_orders: int = RECONCILE_MAX_ORDERS,
        page_size: int = MAX_PAGE_LIMIT,
    ) -> ReferenceSearch:
        """Look for the order whose poNumber carries ``reference``; say what the search covered.

        Lists every order of the customer created between ``created_from`` (pass a
        moment safely before the first send) and ``created_to`` (now), page by page,
        and opens those not in ``skip_ids``. ``result.not_found`` is True only when
        the search provably covered all of them (``marketplace.search``); an
        incomplete search says why in ``result.reason`` and proves nothing.
        """
        return search_by_reference(
            get=self._get,
            open_order=lambda order_id: self.get_order(order_id=order_id),
            customer_id=customer_id,
            reference=reference,
            created_from=created_from,
            created_to=created_to,
            skip_ids=skip_ids,
            max_orders=max_orders,
            page_size=page_size,
        )

    def find_order_by_reference(
        self,
        *,
        customer_id: str,
        reference: str,
        created_after: datetime | None = None,
    ) -> Order | None:
        """Return the upstream order whose poNumber carries ``reference``, or None.

        None means a complete search found nothing; an incomplete one raises
        ``SearchIncomplete`` (never read it as "not created").
        """
        search = self.search_order_by_reference(
            customer_id=customer_id, reference=reference, created_from=created_after
        )
        if not search.complete:
            raise SearchIncomplete(search.summary(), search=search) from search.error
        return search.found

    # --- Subscriptions --------------------------------------------------------------------

    def list_subscriptions(
        self,
        *,
        customer_id: str | None = None,
        status: str | None = None,
        page_size: int = MAX_PAGE_LIMIT,
    ) -> Iterator[Subscription]:
        """Yield subscription rows, newest first (seats and parameters come with the detail)."""
        if status is not None and "," in status:
            raise ValueError("The upstream filters on one status at a time.")
        params = {"customerId": customer_id, "status": status}
        return self._iterate("subscriptions", params, Subscription.from_api, page_size)

    def subscriptions_page(
        self, *, offset: int, limit: int = MAX_PAGE_LIMIT, status: str | None = None
    ) -> Page[Subscription]:
        """Return one page of subscription rows, newest first: a resumable import's unit."""
        return self._page("subscriptions", {"status": status}, Subscription.from_api, offset, limit)

    def customers_page(self, *, offset: int, limit: int = MAX_PAGE_LIMIT) -> Page[Customer]:
        """Return one page of the reseller's customers, newest first."""
        return self._page("customers", {}, Customer.from_api, offset, limit)

    def get_subscription(self, *, subscription_id: str) -> Subscription:
        return self._get(f"subscriptions/{_id(subscription_id)}", parse=Subscription)

    def set_auto_renew(self, *, subscription_id: str, enabled: bool) -> Subscription:
        """Turn the subscription's auto-renewal on or off (PATCH ``renewalStatus``).

        Setting the same value twice is harmless, so the call may be repeated.
        """
        return self._session.request(
            "PATCH",
            f"subscriptions/{_id(subscription_id)}",
            json={"renewalStatus": bool(enabled)},
            idempotent=True,
            parse=Subscription,
        )

    # --- Plans ----------------------------------------------------------------------------

    def get_plan(self, *, plan_id: str) -> Plan:
        """Return a service plan with the switches (upgrades, period changes) it allows."""
        return self._get(f"plans/{_id(plan_id)}", parse=Plan)

    # --- Plumbing -------------------------------------------------------------------------

    def _get(self, path: str, params: dict | None = None, *, parse):
        return self._session.request("GET", path, params=params, parse=parse)

    def _page(self, path, params, parse, offset: int, limit: int) -> Page:
        limit = clamp_limit(limit)
        page = page_parser(parse, offset=offset, limit=limit)
        return self._get(path, {**params, "offset": offset, "limit": limit}, parse=page)

    def _iterate(self, path, params, parse, page_size) -> Iterator:
        def fetch(offset: int, limit: int) -> Page:
            page = page_parser(parse, offset=offset, limit=limit)
            return self._get(path, {**params, "offset": offset, "limit": limit}, parse=page)

        return iterate_pages(fetch, limit=clamp_limit(page_size))


def _id(value) -> str:
    """Return an upstream id fit for a URL path (ids are digit strings)."""
    text = str(value).strip()
    if not text or "/" in text or "?" in text or "#" in text:
        raise ValueError(f"Not an upstream id: {value!r}")
    return text


def _outcome_unknown(order: OrderInput, cause) -> OrderOutcomeUnknown:
    return OrderOutcomeUnknown(
        f"Order {order.reference}: the marketplace may or may not have created it "
        f"({cause.message}). Reconcile before sending it again.",
        reference=order.reference,
        cause=cause,
        status_code=cause.status_code,
        correlation_id=cause.correlation_id,
    )
