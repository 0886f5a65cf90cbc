"""A formtools storage that keeps the wizard's draft in the database, keyed to the user.

The session ends after a spell without activity (config/session_limits.py); a
reseller who signs in again finds the wizard at the step where it stopped,
with what was typed, and with the same order key (``extra_data``), so an order
placed from the resumed draft is still placed once.

A draft whose order key already belongs to an order is finished: it is
dropped on load instead of being resumed as a new order (the wizard resets a
draft when it places the order; this covers a worker that stopped in between).
"""

import copy
import uuid

from django.db import transaction
from formtools.wizard.storage.base import BaseStorage

from orders.models import Order

from .models import WizardDraft

#: The extra_data key of the order's idempotency key (wizard/views.py).
ORDER_KEY = "idempotency_key"


class DraftStorage(BaseStorage):
    """Like formtools' SessionStorage, but the data lives in ``WizardDraft`` rows."""

    def __init__(self, prefix, request=None, file_storage=None):
        super().__init__(prefix, request, file_storage)
        self.user = request.user
        self.data = self._load()
        self._stored = copy.deepcopy(self.data)

    def _load(self) -> dict:
        if not self.user.is_authenticated:  # the views refuse them; never store theirs
            self.init_data()
            return self.data
        draft = WizardDraft.objects.filter(user=self.user, wizard=self.prefix).first()
        data = draft.data if draft is not None else None
        if not _usable(data) or _already_placed(data):
            self.init_data()
            return self.data
        return data

    def update_response(self, response):
        super().update_response(response)
        self.save()

    def save(self) -> None:
        """Write the draft if it changed; an empty one (just reset) is deleted."""
        if self.data == self._stored or not self.user.is_authenticated:
            return
        with transaction.atomic():
            if _is_empty(self.data):
                WizardDraft.objects.filter(user=self.user, wizard=self.prefix).delete()
            else:
                WizardDraft.objects.update_or_create(
                    user=self.user, wizard=self.prefix, defaults={"data": _storable(self.data)}
                )
        self._stored = copy.deepcopy(self.data)


def draft_discard(*, user, wizard_prefix: str) -> None:
    """Forget a user's draft of one wizard."""
    WizardDraft.objects.filter(user=user, wizard=wizard_prefix).delete()


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


def _already_placed(data) -> bool:
    key = (data.get(BaseStorage.extra_data_key) or {}).get(ORDER_KEY)
    try:
        key = uuid.UUID(str(key))
    except ValueError:
        return False
    return Order.objects.filter(idempotency_key=key).exists()
