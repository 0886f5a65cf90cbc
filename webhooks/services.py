"""Build webhook payloads, sign messages (Standard Webhooks) and deliver them.

Which order events become messages is ``webhooks/listeners.py``'s.
"""

import json
import logging
import time
from datetime import timedelta

import httpx
from django.conf import settings
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from mail.services import email_send, user_recipient

from . import mail_kinds
from .addresses import AddressRefused, receiver_resolve
from .models import Attempt, Endpoint, Message, secret_generate
from .transport import pinned_client

logger = logging.getLogger(__name__)

RETRY_WINDOW = timedelta(hours=24)


def _setting(name, default):
    return getattr(settings, name, default)


def payload_build(*, order, event_type: str, occurred_at) -> dict:
    """Return the JSON body of an order event."""
    # A receiver fetches it from outside: an absolute address, the site's own unless set apart.
    base = (_setting("WEBHOOKS_API_BASE_URL", "") or _setting("SITE_URL", "")).rstrip("/")
    return {
        "type": event_type,
        "timestamp": occurred_at.isoformat(),
        "data": {
            "reference": order.reference,
            "status": order.status,
            "kind": order.kind,
            "customer": {"id": order.customer_id, "name": str(order.customer)},
            "placed_at": order.placed_at.isoformat(),
            "submitted_at": order.submitted_at.isoformat() if order.submitted_at else None,
            "completed_at": order.completed_at.isoformat() if order.completed_at else None,
            # Completed before its detail was read: the subscriptions follow in the API.
            "details_pending": order.details_pending,
            "updated_at": order.updated_at.isoformat(),
            "url": f"{base}/api/v1/orders/{order.reference}",
        },
    }


def backoff_seconds(attempt_number: int) -> float:
    """Return the wait before the next attempt: 5 s doubling, at most one hour."""
    return min(5 * 2 ** (attempt_number - 1), 3600)


def message_deliver(*, message: Message, replay: bool = False) -> Attempt | None:
    """Make one attempt at ``message``; schedule the next one or record the outcome."""
    endpoint = message.endpoint
    now = timezone.now()
    if not replay and (
        message.delivered_at
        or message.given_up_at
        or not endpoint.enabled
        or (message.next_attempt_at and message.next_attempt_at > now)
    ):
        return None
    number = message.attempts.count() + 1
    body = json.dumps(message.payload, separators=(",", ":"))
    signature = " ".join(
        Webhook(secret).sign(message.message_id, now, body)
        for secret in signing_secrets(endpoint=endpoint, now=now)
    )
    headers = {
        "webhook-id": message.message_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": signature,
        "content-type": "application/json",
        "user-agent": "marketplace-webhooks/1",
    }
    attempt = Attempt(
        message=message,
        number=number,
        replay=replay,
        url=endpoint.url,
        request_body=body,
        request_headers={k: v for k, v in headers.items() if k != "webhook-signature"},
    )
    started = time.monotonic()
    try:
        receiver = receiver_resolve(endpoint.url)
        timeout = _setting("WEBHOOKS_TIMEOUT_SECONDS", 10)
        with pinned_client(receiver, timeout=timeout) as client:
            request = client.build_request(
                "POST", endpoint.url, content=body.encode(), headers=headers
            )
            # Only the status is kept: the receiver's body is never read, stored or shown.
            response = client.send(request, stream=True)
            response.close()
        attempt.response_status = response.status_code
        attempt.succeeded = 200 <= response.status_code < 300
        if not attempt.succeeded:
            attempt.error = f"The receiver answered {response.status_code}."
    except AddressRefused as exc:
        attempt.error = str(exc)[:300]
    except httpx.TimeoutException:
        attempt.error = "The receiver did not answer in time."
    except httpx.HTTPError as exc:
        attempt.error = f"Connection failed: {type(exc).__name__}."
    attempt.duration_ms = int((time.monotonic() - started) * 1000)
    attempt.save()
    _outcome_record(message=message, attempt=attempt, now=now, replay=replay)
    return attempt


def _outcome_record(*, message, attempt, now, replay) -> None:
    endpoint = message.endpoint
    if attempt.succeeded:
        message.delivered_at = now
        message.next_attempt_at = None
        message.save(update_fields=["delivered_at", "next_attempt_at"])
        Endpoint.objects.filter(pk=endpoint.pk).update(consecutive_failures=0, failing_since=None)
        return
    if replay:
        return
    if now - message.created_at >= RETRY_WINDOW:
        message.given_up_at = now
        message.next_attempt_at = None
    else:
        message.next_attempt_at = now + timedelta(seconds=backoff_seconds(attempt.number))
    message.save(update_fields=["given_up_at", "next_attempt_at"])
    endpoint.consecutive_failures += 1
    endpoint.failing_since = endpoint.failing_since or now
    endpoint.save(update_fields=["consecutive_failures", "failing_since"])
    endpoint_disable_if_failing(endpoint=endpoint, now=now)


def endpoint_disable_if_failing(*, endpoint: Endpoint, now) -> bool:
    """Disable ``endpoint`` and tell the reseller when it has failed too long or too often."""
    limit = _setting("WEBHOOKS_DISABLE_AFTER_FAILURES", 50)
    window = timedelta(hours=_setting("WEBHOOKS_DISABLE_AFTER_HOURS", 24))
    too_long = endpoint.failing_since and now - endpoint.failing_since >= window
    if not endpoint.enabled or not (endpoint.consecutive_failures >= limit or too_long):
        return False
    endpoint.enabled = False
    endpoint.disabled_at = now
    endpoint.disabled_reason = (
        f"Disabled after {endpoint.consecutive_failures} failed deliveries in a row."
    )
    endpoint.save(update_fields=["enabled", "disabled_at", "disabled_reason"])
    email_send(
        key=mail_kinds.ENDPOINT_DISABLED,
        reseller=endpoint.reseller,
        recipients=[user_recipient(user) for user in endpoint.reseller.staff.exclude(email="")],
        context=lambda: mail_kinds.endpoint_context(endpoint),
    )
    logger.warning("Webhook endpoint %s disabled: %s", endpoint.pk, endpoint.disabled_reason)
    return True


def signing_secrets(*, endpoint: Endpoint, now) -> list[str]:
    """Return the secrets that sign a message now: the current one, and the previous one
    while its grace period lasts (Standard Webhooks allows several signatures)."""
    secrets = [endpoint.secret]
    expires = endpoint.previous_secret_expires_at
    if endpoint.previous_secret and expires and now < expires:
        secrets.append(endpoint.previous_secret)
    return secrets


def endpoint_secret_rotate(*, endpoint: Endpoint, user, now=None) -> str:
    """Give ``endpoint`` a new secret, keep the old one signing for the grace period, and
    record who did it; return the new secret (the only time it is shown)."""
    now = now or timezone.now()
    grace = timedelta(hours=_setting("WEBHOOKS_SECRET_GRACE_HOURS", 24))
    endpoint.previous_secret = endpoint.secret
    endpoint.previous_secret_expires_at = now + grace
    endpoint.secret = secret_generate()
    endpoint.secret_issued_at = now
    endpoint.secret_issued_by = user
    endpoint.save(
        update_fields=[
            "previous_secret",
            "previous_secret_expires_at",
            "secret",
            "secret_issued_at",
            "secret_issued_by",
        ]
    )
    logger.info("Webhook endpoint %s: signing secret rotated by user %s", endpoint.pk, user.pk)
    return endpoint.secret


def message_replay(*, message: Message) -> Attempt | None:
    """Send ``message`` again now, with the same ``webhook-id``."""
    return message_deliver(message=message, replay=True)
