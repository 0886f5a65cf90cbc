"""The main menu takes each role to the pages it may use."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def menu_links(client):
    page = client.get(reverse("home")).content.decode()
    nav = page[page.index('<ul class="nav__list">') :]
    return nav[: nav.index("</ul>")]


def test_reseller_staff_reach_their_subscriptions_from_the_menu(client, reseller_user):
    client.force_login(reseller_user)

    links = menu_links(client)

    assert f'href="{reverse("subscriptions:list")}"' in links
    assert client.get(reverse("subscriptions:list")).status_code == 200
