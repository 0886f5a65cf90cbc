"""A malformed answer to the auto-renew PATCH is a message on the page, never a 500.

ManglingTransport (tests/marketplace/mangling.py) swaps the body of the PATCH
answer; the request itself is still served by the in-process simulator.
"""

from datetime import timedelta

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse

from tests import simulated
from tests.marketplace.mangling import ManglingTransport

from .test_renewals import on, subscription  # noqa: F401

pytestmark = pytest.mark.django_db

_mangler: ManglingTransport | None = None


def mangled_transport():
    return _mangler


@pytest.mark.parametrize("body", [["a list"], {"id": "1", "renewalStatus": "yes"}, None])
def test_a_malformed_patch_answer_is_a_message_and_changes_nothing(
    subscription,  # noqa: F811
    client,
    body,
):
    global _mangler
    _mangler = ManglingTransport(simulated.transport())
    _mangler.replace("PATCH", f"/subscriptions/{subscription.upstream_id}", body)
    with (
        override_settings(MARKETPLACE_TRANSPORT=f"{__name__}.mangled_transport"),
        time_machine.travel(on(subscription.renewal_date - timedelta(days=10), 9)),
    ):
        client.force_login(subscription.order.placed_by)
        response = client.post(reverse("renewals:auto_renew", args=[subscription.pk]), follow=True)
    _mangler = None
    assert response.status_code == 200
    assert "Try again in a few minutes" in response.content.decode()
    subscription.refresh_from_db()
    assert subscription.auto_renew is True
    assert not subscription.order.events.filter(action="auto_renew_off").exists()
