"""The reseller rewords an e-mail in a real browser: previews it on its latest order, saves it.

The order is a row of the reseller's own (the preview reads the latest one); nothing is sent.
"""

import pytest
from playwright.sync_api import expect

from mail.models import EmailOverride
from orders.models import Order
from tests.factories import CustomerFactory, OrderFactory, UserFactory

from .test_after_the_order import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def nora(transactional_db):
    user = UserFactory(username="nora", first_name="Nora")
    customer = CustomerFactory(reseller=user.reseller, company_name="Fabrikam Ltd")
    OrderFactory(customer=customer, status=Order.Status.COMPLETED, reference="NCE-PREVIEW1")
    return user


def test_the_reseller_edits_previews_and_saves_an_email(page, live_server, nora):
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/settings/emails/")
    row = page.get_by_role("row").filter(has_text="Order complete (to your staff)")
    row.get_by_role("link", name="DE", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Deutsch")

    preview = page.locator("#preview")
    expect(preview).not_to_contain_text("Nothing to preview")
    subject = page.get_by_label("Subject")
    subject.fill("Fertig: {{ reference }} für {{ customer_name }}")
    page.get_by_role("button", name="Preview").click()
    expect(preview).to_contain_text("Fertig: NCE-PREVIEW1 für Fabrikam Ltd")
    assert not EmailOverride.objects.exists()  # a preview saves nothing

    page.get_by_label("Text").fill("{% include 'base.html' %}")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("cannot be used in an e-mail")).to_be_visible()

    page.get_by_label("Text").fill("{{ customer_name }}: alles erledigt.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("this e-mail now goes out in your wording")).to_be_visible()
    expect(preview).to_contain_text("Fabrikam Ltd: alles erledigt.")
    saved = EmailOverride.objects.get()
    assert saved.language == "de" and saved.subject.startswith("Fertig:")
