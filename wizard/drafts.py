"""A formtools storage that keeps the wizard's draft in the database, keyed to the user.

The session ends after a spell without activity (config/session_limits.py); a
reseller who signs in again finds the wizard at the step where it stopped,
with what was typed, and with the same order key (``extra_data``), so an order
placed from the resumed draft is still placed once.

A draft whose order key already belongs to an order is finished: it is
dropped on load instead of being resumed as a new order. Placing the order
empties the draft's steps and keeps only its order key, in the order's
transaction; the loaded draft then tells which order it placed
(``placed_reference``), which is how a refreshed done page finds it.
"""

import dataclasses
import hashlib
import json
import uuid
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from formtools.wizard.storage.base import BaseStorage

from orders.models import Order
from orders.requests import AgreementAcceptance, LineRequest, OrderRequest

from .models import WizardDraft

#: The extra_data key of the order's idempotency key (wizard/views.py).
ORDER_KEY = "idempotency_key"


class DraftStorage(BaseStorage):
    """Like formtools' SessionStorage, but the data lives in ``WizardDraft`` rows."""

    def __init__(self, prefix, request=None, file_storage=None):
        super().__init__(prefix, request, file_storage)
        self.user = request.user
        #: Whether a draft row was read (so saving it is one UPDATE).
        self._row_found = False
        #: The order key this request looked up on load and found no order for (else None).
        self.key_found_unused: uuid.UUID | None = None
        #: The reference of the order the loaded draft placed (a finished draft), else None.
        self.placed_reference: str | None = None
        self.data = self._load()
        self._stored = snapshot(self.data)

    def _load(self) -> dict:
        if not self.user.is_authenticated:  # the views refuse them; never store theirs
            self.init_data()
            return self.data
        draft = WizardDraft.objects.filter(user=self.user, wizard=self.prefix).first()
        self._row_found = draft is not None
        data = draft.data if draft is not None else None
        if not _usable(data):
            self.init_data()
            return self.data
        key = _order_key(data)
        if key is not None:
            # Keys are unique per reseller (issue 21): look only among the user's own orders.
            placed = (
                Order.objects.visible_to(self.user)
                .filter(idempotency_key=key)
                .order_by()
                .values_list("reference")
            )
            self.placed_reference = next((reference for (reference,) in placed[:1]), None)
            if self.placed_reference is not None:
                self.init_data()  # finished: not resumed
                return self.data
        self.key_found_unused = key
        return data

    def update_response(self, response):
        super().update_response(response)
        self.save()

    def save(self) -> None:
        """Write the draft if it changed; an empty one (just reset) is deleted."""
        current = snapshot(self.data)
        if current == self._stored or not self.user.is_authenticated:
            return
        drafts = WizardDraft.objects.filter(user=self.user, wizard=self.prefix)
        # No savepoint of its own inside the wizard's transaction (the placement's).
        with transaction.atomic(savepoint=False):
            if _is_empty(self.data):
                drafts.delete()
                self._row_found = False
            else:
                data = _storable(self.data)
                # The row read at the start of the request: one UPDATE, unless it went meanwhile.
                if not (self._row_found and drafts.update(data=data, updated_at=timezone.now())):
                    WizardDraft.objects.update_or_create(
                        user=self.user, wizard=self.prefix, defaults={"data": data}
                    )
                    self._row_found = True
        self._stored = current


def draft_discard(*, user, wizard_prefix: str) -> None:
    """Forget a user's draft of one wizard."""
    WizardDraft.objects.filter(user=user, wizard=wizard_prefix).delete()


#: The salt of the seal on an order request kept with the draft (``seal``).
SEAL_SALT = "wizard.drafts.sealed-order"


def draft_digest(*, step_data: dict, context: dict) -> str:
    """Return a digest of the draft's stored steps and whatever else their validation reads.

    ``context`` holds what lives outside the draft (the cart's lines and prices,
    the steps shown, the wizard's fixed steps); a change to any of it changes the digest.
    """
    text = json.dumps([step_data, context], sort_keys=True, default=_plain)
    return hashlib.sha256(text.encode()).hexdigest()


def seal(*, digest: str, record: dict) -> str:
    """Return an HMAC (the project's secret key) binding ``record`` to the draft ``digest``."""
    text = json.dumps([digest, record], sort_keys=True)
    return salted_hmac(SEAL_SALT, text, algorithm="sha256").hexdigest()


def seal_matches(*, digest: str, record: dict, signature) -> bool:
    return isinstance(signature, str) and constant_time_compare(
        signature, seal(digest=digest, record=record)
    )


def request_to_data(request: OrderRequest) -> dict:
    """Return ``request`` as JSON-ready data (``request_from_data`` reverses it)."""
    data = dataclasses.asdict(request)
    if request.agreement is not None:
        data["agreement"]["accepted_on"] = request.agreement.accepted_on.isoformat()
    data["lines"] = [dict(line) for line in data["lines"]]
    return data


def request_from_data(data: dict) -> OrderRequest:
    """Return the OrderRequest ``request_to_data`` gave; KeyError/TypeError/ValueError if not."""
    agreement = data["agreement"]
    return OrderRequest(
        **{
            **data,
            "lines": tuple(LineRequest(**line) for line in data["lines"]),
            "agreement": (
                AgreementAcceptance(
                    **{**agreement, "accepted_on": date.fromisoformat(agreement["accepted_on"])}
                )
                if agreement is not None
                else None
            ),
        }
    )


def _plain(value):
    """JSON for a model instance is its primary key; anything else its text."""
    pk = getattr(value, "pk", None)
    return [type(value).__name__, pk] if pk is not None else str(value)


def _storable(value):
    """Return ``value`` without NUL characters, which no PostgreSQL JSON value may hold.

    A NUL is never a meaningful answer (every text field refuses it), but a step
    left with Back keeps what was typed, valid or not.
    """
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {_storable(key): _storable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_storable(item) for item in value]
    return value


def snapshot(data) -> str:
    """The draft as it would be stored, to tell whether it changed (cheaper than a deep copy)."""
    return json.dumps(data, sort_keys=True, default=str)


def _usable(data) -> bool:
    keys = (
        BaseStorage.step_key,
        BaseStorage.step_data_key,
        BaseStorage.step_files_key,
        BaseStorage.extra_data_key,
    )
    return isinstance(data, dict) and all(key in data for key in keys)


def _is_empty(data) -> bool:
    return not any(
        data[key]
        for key in (
            BaseStorage.step_data_key,
            BaseStorage.step_files_key,
            BaseStorage.extra_data_key,
        )
    )


def _order_key(data) -> uuid.UUID | None:
    key = (data.get(BaseStorage.extra_data_key) or {}).get(ORDER_KEY)
    try:
        return uuid.UUID(str(key))
    except ValueError:
        return None
