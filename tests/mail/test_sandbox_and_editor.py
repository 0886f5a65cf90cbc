"""A reseller's wording reads only its e-mail's variables; the editor previews it on real data."""

import pytest
from django.urls import reverse

from mail.models import EmailOverride
from mail.sandbox import SandboxRefused, sandbox_check, sandbox_render
from orders.models import Order
from tests.factories import CustomerFactory, OrderFactory, UserFactory

pytestmark = pytest.mark.django_db

VARIABLES = {"reference": "", "customer_name": "", "lines": ""}


@pytest.mark.parametrize(
    ("source", "words"),
    [
        ("{% load static %}{% static 'x' %}", "“load”"),
        ('{% include "base.html" %}', "“include”"),
        ('{% extends "base.html" %}', "“extends”"),
        ("{% debug %}", "“debug”"),
        ("{% url 'mail:list' %}", "“url”"),
        ("{{ settings.SECRET_KEY }}", "“settings”"),
        ("{{ order.reseller.marketplace_connection }}", "“order”"),
        ("{% if user.is_superuser %}x{% endif %}", "“user”"),
        ("{% for x in request.META %}{{ x }}{% endfor %}", "“request”"),
        ("{% with secret=connection.password %}{{ secret }}{% endwith %}", "“connection”"),
    ],
)
def test_the_sandbox_refuses_anything_outside_the_variables(source, words):
    with pytest.raises(SandboxRefused) as refused:
        sandbox_check(source, variables=VARIABLES)
    assert words in str(refused.value)


def test_the_sandbox_renders_the_listed_variables_loops_and_conditions():
    source = (
        "{{ reference }} for {{ customer_name|upper }}:"
        "{% for line in lines %} {{ line.quantity }}×{{ line.name }}{% endfor %}"
        "{% if not missing_flag %}.{% endif %}"
    )
    context = {
        "reference": "NCE-1",
        "customer_name": "Woodgrove",
        "lines": [{"quantity": 2, "name": "Teams"}],
        "not_listed": "never shown",
    }
    variables = {**VARIABLES, "missing_flag": ""}

    assert sandbox_render(source, context, variables=variables) == "NCE-1 for WOODGROVE: 2×Teams."


def test_a_name_the_context_does_not_hold_is_refused_when_rendered():
    with pytest.raises(SandboxRefused):
        sandbox_render("{{ customer_name.address }}", {"customer_name": "W"}, variables=VARIABLES)


@pytest.fixture
def staff_with_an_order():
    customer = CustomerFactory(company_name="Fabrikam Ltd")
    OrderFactory(customer=customer, status=Order.Status.COMPLETED, reference="NCE-OLDER01")
    latest = OrderFactory(customer=customer, status=Order.Status.COMPLETED, reference="NCE-LATEST1")
    return UserFactory(reseller=customer.reseller), latest


def test_the_editor_lists_the_variables_and_previews_the_default_on_the_latest_order(
    client, staff_with_an_order
):
    staff, latest = staff_with_an_order
    client.force_login(staff)

    page = client.get(reverse("mail:edit", args=["order_completed", "de"])).content.decode()

    assert "Bestellung NCE-LATEST1 ist abgeschlossen" in page  # the German default, real order
    assert "<code>customer_name</code>" in page and "<code>subscriptions</code>" in page
    assert "Die Bestellung NCE-LATEST1 für Fabrikam Ltd ist abgeschlossen." in page


def test_previewing_renders_the_unsaved_wording_and_saving_keeps_it(client, staff_with_an_order):
    staff, latest = staff_with_an_order
    client.force_login(staff)
    url = reverse("mail:edit", args=["order_completed", "en"])
    wording = {"subject": "Done: {{ reference }}", "body": "{{ customer_name }} is all set."}

    preview = client.post(url, {**wording, "action": "preview"}).content.decode()
    assert "Done: NCE-LATEST1" in preview and "Fabrikam Ltd is all set." in preview
    assert not EmailOverride.objects.exists()

    client.post(url, {**wording, "action": "save"})
    saved = EmailOverride.objects.get()
    assert (saved.template, saved.language, saved.updated_by) == ("order_completed", "en", staff)

    client.post(url, {"action": "reset"})
    assert not EmailOverride.objects.exists()


def test_wording_the_sandbox_refuses_is_refused_at_its_field(client, staff_with_an_order):
    staff, _ = staff_with_an_order
    client.force_login(staff)

    answer = client.post(
        reverse("mail:edit", args=["order_completed", "en"]),
        {"subject": "Hi", "body": "{% include 'base.html' %}", "action": "save"},
    )

    assert answer.status_code == 200
    assert "cannot be used in an e-mail" in answer.context["form"].errors["body"][0]
    assert not EmailOverride.objects.exists()


def test_one_resellers_staff_cannot_reach_anothers_wording(client, staff_with_an_order):
    staff, _ = staff_with_an_order
    other = UserFactory()
    EmailOverride.objects.create(
        reseller=staff.reseller,
        template="order_completed",
        language="en",
        subject="Ours",
        body="Our secret wording",
    )
    client.force_login(other)

    page = client.get(reverse("mail:edit", args=["order_completed", "en"])).content.decode()

    assert "Our secret wording" not in page and "NCE-LATEST1" not in page


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("de", "Variablen, die Sie verwenden können"),
        ("fr", "Variables utilisables"),
        ("es", "Variables que puede usar"),
        ("nl", "Variabelen die u kunt gebruiken"),
    ],
)
def test_the_editor_speaks_the_resellers_language(client, staff_with_an_order, language, words):
    staff, _ = staff_with_an_order
    staff.language = language
    staff.save()
    client.force_login(staff)

    page = client.get(reverse("mail:edit", args=["order_failed", language])).content.decode()

    assert words in page


def test_the_admin_refuses_an_override_the_sandbox_refuses(client, admin_user):
    client.force_login(admin_user)
    reseller = UserFactory().reseller

    answer = client.post(
        reverse("admin:mail_emailoverride_add"),
        {
            "reseller": reseller.pk,
            "template": "order_completed",
            "language": "en",
            "subject": "Hi",
            "body": "{% load static %}",
            "last_error": "",
        },
    )

    assert answer.status_code == 200
    assert "cannot be used in an e-mail" in str(answer.context["adminform"].form.errors["body"])
    assert not EmailOverride.objects.exists()
