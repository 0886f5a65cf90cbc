"""Sign-in, sign-out and each role's start page."""

import pytest
from django.urls import reverse

from customers.templatetags.navigation import url_or_none
from tests.factories import CustomerFactory, OrderFactory, ResellerFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_login_page_renders_a_labelled_form_and_the_layout(client):
    response = client.get(reverse("login"))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="#main"' in html  # skip link
    assert '<main id="main"' in html
    assert '<label for="id_username"' in html
    assert '<label for="id_password"' in html
    assert "/static/htmx/htmx.min.js" in html
    assert "/static/css/app.css" in html


def test_login_with_the_right_password_lands_on_home(client, reseller_user):
    response = client.post(
        reverse("login"), {"username": reseller_user.username, "password": "correct horse battery"}
    )

    assert response.status_code == 302
    assert response.url == reverse("home")


def test_login_with_a_wrong_password_says_so_and_keeps_the_username(client, reseller_user):
    response = client.post(
        reverse("login"), {"username": reseller_user.username, "password": "wrong"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Please enter a correct username and password" in html
    assert f'value="{reseller_user.username}"' in html


def test_logout_is_a_post_and_ends_the_session(client, reseller_user):
    client.force_login(reseller_user)

    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response.url == reverse("login")
    assert client.get(reverse("home")).status_code == 302


def test_home_requires_sign_in(client):
    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_reseller_home_counts_its_own_orders_by_status(client, reseller_user):
    customer = CustomerFactory(reseller=reseller_user.reseller)
    OrderFactory(customer=customer, status="failed")
    OrderFactory(customer=customer, status="placed")
    OrderFactory(customer=customer, status="placed")
    OrderFactory(status="failed")  # another reseller's
    client.force_login(reseller_user)

    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert response.context["failed_order_count"] == 1
    assert response.context["open_order_count"] == 2
    assert response.context["order_total"] == 3
    assert response.context["customer_count"] == 1


def test_reseller_home_shows_partner_readiness_and_its_reason(client):
    reseller = ResellerFactory(tier_status="inquiring", tier_reason="The MPN ID was not found.")
    client.force_login(UserFactory(reseller=reseller))

    html = client.get(reverse("home")).content.decode()

    assert "INQUIRING" in html
    assert "The MPN ID was not found." in html
    assert f'href="{reverse("customers:partner")}"' in html


def test_reseller_nav_lists_customers_and_the_logout_form(client, reseller_user):
    client.force_login(reseller_user)

    html = client.get(reverse("home")).content.decode()

    assert f'href="{reverse("customers:list")}"' in html
    assert f'action="{reverse("logout")}"' in html
    assert reseller_user.username in html


@pytest.mark.parametrize("self_service", [True, False])
def test_end_customer_nav_offers_the_catalogue_only_with_self_service(client, self_service):
    user = UserFactory(end_customer=True)
    user.customer.reseller.self_service_enabled = self_service
    user.customer.reseller.save()
    client.force_login(user)

    html = client.get(reverse("home")).content.decode()

    assert f'href="{reverse("orders:list")}"' in html
    assert (f'href="{reverse("catalog:list")}"' in html) is self_service
    assert (f'href="{reverse("catalog:cart")}"' in html) is self_service


def test_customer_home_lists_only_its_own_orders(client):
    user = UserFactory(end_customer=True)
    own = OrderFactory(customer=user.customer)
    sibling = OrderFactory(customer=CustomerFactory(reseller=user.customer.reseller))
    client.force_login(user)

    response = client.get(reverse("home"))

    html = response.content.decode()
    assert response.status_code == 200
    assert own.reference in html
    assert sibling.reference not in html


def test_support_home_is_the_support_search_or_the_latest_orders_of_every_reseller(
    client, support_user
):
    first, second = OrderFactory(), OrderFactory()
    client.force_login(support_user)

    response = client.get(reverse("home"))

    search_url = url_or_none("support:search")
    if search_url:
        assert response.status_code == 302
        assert response.url == search_url
    else:
        html = response.content.decode()
        assert response.status_code == 200
        assert first.reference in html
        assert second.reference in html


def test_admin_home_is_the_django_admin(client, admin_user):
    client.force_login(admin_user)

    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response.url == reverse("admin:index")


def test_user_without_a_role_is_told_to_ask_an_administrator(client, db):
    user = UserFactory(role="", reseller=None)
    client.force_login(user)

    response = client.get(reverse("home"))

    assert response.status_code == 403
    assert "no access yet" in response.content.decode()


def test_another_resellers_customer_is_a_friendly_404(client, reseller_user):
    foreign = CustomerFactory()
    client.force_login(reseller_user)

    response = client.get(reverse("customers:detail", kwargs={"pk": foreign.pk}))

    html = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in html
    assert foreign.company_name not in html
    assert f'href="{reverse("home")}"' in html


def test_a_support_write_gets_a_403_page_that_explains_why(client, support_user):
    client.force_login(support_user)

    response = client.post(reverse("customers:partner"))

    assert response.status_code == 403
    assert "Support accounts can read everything but change nothing" in response.content.decode()


def test_customer_list_searches_by_name_and_domain_and_pages(client, reseller_user):
    reseller = reseller_user.reseller
    CustomerFactory(
        reseller=reseller, company_name="Fabrikam Ltd", tenant_domain="fab.onmicrosoft.com"
    )
    for n in range(30):
        CustomerFactory(reseller=reseller, company_name=f"Adatum {n:02d}")
    client.force_login(reseller_user)

    by_domain = client.get(reverse("customers:list"), {"q": "fab.onmicrosoft"})
    first_page = client.get(reverse("customers:list"))
    second_page = client.get(reverse("customers:list"), {"page": 2})

    assert [c.company_name for c in by_domain.context["customers"]] == ["Fabrikam Ltd"]
    assert len(first_page.context["customers"]) == 25
    assert len(second_page.context["customers"]) == 6
    assert 'rel="next"' in first_page.content.decode()
