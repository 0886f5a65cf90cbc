"""manage.py load_demo against the simulator, served in-process (no socket; otherwise real)."""

import datetime
import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import Client, RequestFactory

from catalog.models import Product
from customers.demo import CUSTOMERS, USERS
from customers.models import Customer, Reseller, User
from customers.upstream import client_for, default_connection

pytestmark = pytest.mark.django_db


def load_demo(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("load_demo", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_load_demo_syncs_the_catalogue_and_creates_the_reseller_ready(simulator):
    out, err = load_demo()

    assert err == ""
    assert Product.objects.active().count() >= 40
    reseller = Reseller.objects.get(name="Northwind IT")
    assert reseller.tier_status == Reseller.TierStatus.READY
    assert reseller.self_service_enabled
    assert reseller.staff_email_domain == "northwind-it.example"
    assert reseller.connection == default_connection()


def test_every_demo_customer_exists_upstream(simulator):
    load_demo()

    client = client_for(default_connection())
    customers = Customer.objects.filter(reseller__name="Northwind IT")
    assert sorted(c.company_name for c in customers) == sorted(s.company_name for s in CUSTOMERS)
    for customer in customers:
        upstream = client.get_customer(customer_id=customer.upstream_customer_id)
        assert upstream.name == customer.company_name
    assert len({str(c.country) for c in customers}) >= 3
    assert customers.get(company_name="Woodgrove Bank").has_valid_mca
    assert customers.get(company_name="Fourth Coffee Academy").education_segment == "K12"
    assert customers.filter(mca_accepted_on__isnull=True).exists()


def test_demo_logins_work_with_their_roles(simulator):
    out, _ = load_demo()

    for spec in USERS:
        # The sign-in lockout (django-axes) judges every attempt by its request.
        request = RequestFactory().post("/accounts/login/")
        user = authenticate(request, username=spec.username, password=spec.password)
        assert user is not None, spec.username
        assert user.role == spec.role
        assert f"{spec.username:<9} {spec.password:<20} {spec.totp_secret}" in out
        # Signing in through the pages: the password, then the code demo_code prints.
        client = Client()
        client.post("/accounts/login/", {"username": spec.username, "password": spec.password})
        code = io.StringIO()
        call_command("demo_code", spec.username, stdout=code)
        answer = client.post(
            "/accounts/two-factor/verify/", {"code": code.getvalue().strip(), "next": "/"}
        )
        assert answer.status_code == 302 and answer["Location"] == "/", spec.username
        assert "_auth_user_id" in client.session
    assert User.objects.get(username="reseller").reseller.name == "Northwind IT"
    assert User.objects.get(username="customer").customer.company_name == "Woodgrove Bank"
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    support = User.objects.get(username="support")
    assert not support.is_staff and support.is_read_only
    assert "http://127.0.0.1:8000/" in out


def test_running_it_twice_creates_nothing_twice(simulator):
    load_demo()
    counts = (Product.objects.count(), Customer.objects.count(), User.objects.count())
    created_upstream = simulator.stats()["requests"].get("POST /customers", 0)
    assert created_upstream == 4  # the simulator seeds Woodgrove Bank and Tailspin Toys

    out, _ = load_demo()

    assert (Product.objects.count(), Customer.objects.count(), User.objects.count()) == counts
    assert simulator.stats()["requests"].get("POST /customers", 0) == created_upstream
    assert "Created" not in out


def test_running_it_again_keeps_what_completed_orders_recorded_on_a_customer(simulator):
    # dev.py up runs load_demo on every start: a restart used to reset the demo customers'
    # tenant, qualification and MCA history, undoing what the orders placed since recorded.
    load_demo()
    tailspin = Customer.objects.get(company_name="Tailspin Toys")
    assert tailspin.mca_accepted_on is None
    tailspin.qualification = Customer.Qualification.EDUCATION
    tailspin.education_segment = Customer.EducationSegment.HIGHER_EDUCATION
    tailspin.mca_accepted_on = datetime.date(2026, 12, 4)
    tailspin.mca_accepted_first_name, tailspin.mca_accepted_last_name = "Ken", "Tan"
    tailspin.save()

    load_demo()

    tailspin.refresh_from_db()
    assert (tailspin.qualification, tailspin.education_segment) == ("education", "HigherEducation")
    assert tailspin.mca_accepted_on == datetime.date(2026, 12, 4)
    assert tailspin.mca_accepted_first_name == "Ken"
    assert tailspin.tenant_domain == "tailspintoys.onmicrosoft.com"


def test_offline_loads_the_people_without_calling_the_marketplace(simulator):
    out, err = load_demo("--offline")

    assert err == ""
    assert Product.objects.count() == 0
    assert Customer.objects.filter(upstream_customer_id="").count() == 4
    assert simulator.stats()["requests"] == {}
    assert "Demo data is ready." in out


def test_an_unreachable_marketplace_is_a_warning_not_a_failure(settings, backoff_waits):
    # Nothing listens on port 9 of the loopback: the connection is refused.
    settings.MARKETPLACE_TRANSPORT = None
    settings.MARKETPLACE = {**settings.MARKETPLACE, "BASE_URL": "http://127.0.0.1:9/marketplace/eu"}

    out, err = load_demo()

    assert "not reachable" in err
    assert "start the simulator" in err
    assert backoff_waits  # retried as any refused connection is, without the real sleeps
    assert Reseller.objects.get(name="Northwind IT").tier_status == Reseller.TierStatus.UNCHECKED
    assert User.objects.filter(username__in=[u.username for u in USERS]).count() == len(USERS)


def test_the_run_commands_banner_lists_the_logins_the_demo_creates():
    import dev

    banner = {
        (username, password, dev.DEMO_TOTP_KEYS[username])
        for _, username, password in dev.DEMO_LOGINS
    }
    assert banner == {(user.username, user.password, user.totp_secret) for user in USERS}
