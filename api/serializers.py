"""Rows to JSON-ready dicts: plain functions, one per resource."""

from orders.services.changes import cancellation_quotes


def _iso(value):
    return value.isoformat() if value else None


def product_data(product) -> dict:
    return {
        "id": product.pk,
        "mpn": product.mpn,
        "vendor": product.vendor,
        "name": product.name,
        "segment": product.segment,
        "term": product.term,
        "billing": product.billing_period,
        "unit_price": str(product.price),
        "currency": product.currency,
        "minimum_quantity": product.minimum_quantity,
        "maximum_quantity": product.maximum_quantity,
        "offer_attestation_required": product.offer_attestation_required,
        "offer_attestation_text": product.offer_attestation_text or None,
    }


def customer_data(customer) -> dict:
    return {
        "id": customer.pk,
        "company_name": customer.company_name,
        "country": str(customer.country),
        "city": customer.city,
        "upstream_customer_id": customer.upstream_customer_id or None,
        "tenant": {
            "domain": customer.tenant_domain or None,
            "tenant_id": str(customer.tenant_id) if customer.tenant_id else None,
            "relationship": customer.relationship,
        },
        "agreement_accepted_on": (
            customer.mca_accepted_on.strftime("%m-%d-%Y") if customer.mca_accepted_on else None
        ),
        "special_qualification": customer.qualification,
        "education_segment": customer.education_segment or None,
    }


def order_summary_data(order) -> dict:
    return {
        "reference": order.reference,
        "kind": order.kind,
        "status": order.status,
        "status_label": order.get_status_display(),
        "customer_id": order.customer_id,
        "po_number": order.po_number,
        "total": str(order.total),
        "currency": order.currency,
        "channel": order.channel,
        "upstream_order_number": order.upstream_order_number or None,
        "placed_at": _iso(order.placed_at),
        "completed_at": _iso(order.completed_at),
    }


def order_data(order) -> dict:
    """Return everything an integrator needs to track ``order``."""
    lines = list(order.lines.all())
    return {
        **order_summary_data(order),
        "parent_reference": order.parent.reference if order.parent_id else None,
        "upstream_order_id": order.upstream_order_id or None,
        "failure": (
            {"message": order.failure_message, "guidance": order.failure_guidance}
            if order.failure_message
            else None
        ),
        "lines": [
            {
                "product_id": line.product_id,
                "mpn": line.mpn,
                "name": line.name,
                "term": line.term,
                "billing": line.billing_period,
                "quantity": line.quantity,
                "unit_price": str(line.unit_price),
                "currency": line.currency,
            }
            for line in lines
        ],
        "parameters": [
            {
                "name": parameter.name,
                "value": (
                    parameter.structured_value
                    if parameter.structured_value is not None
                    else parameter.value
                ),
                "line": lines.index(parameter.line) if parameter.line_id else None,
            }
            for parameter in order.parameters.select_related("line")
        ],
        "subscriptions": [
            {
                "id": subscription.upstream_id,
                "product_id": subscription.product_id,
                "status": subscription.status,
                "seats": subscription.seats,
                "tenant_domain": subscription.tenant_domain or None,
                "created_at": _iso(subscription.created_at),
                "cancellation_window_ends_at": _iso(subscription.cancellation_window_ends_at),
            }
            for subscription in order.subscriptions.all()
        ],
        "cancellation": [
            {
                "subscription_id": quote.subscription.upstream_id,
                "refund_estimate": str(quote.refund_estimate),
                "currency": quote.currency,
                "window_ends_at": _iso(quote.subscription.cancellation_window_ends_at),
            }
            for quote in (cancellation_quotes(order) if order.status == "completed" else [])
        ],
        "events": [
            {
                "at": _iso(event.created_at),
                "from_status": event.from_status or None,
                "to_status": event.to_status or None,
                "action": event.action,
                "cause": event.cause,
                "actor": event.actor,
            }
            for event in order.events.all()
        ],
    }
