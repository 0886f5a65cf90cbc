"""Who gets which language: the saved choice, else the cookie, else the browser's."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

SWITCH = "/accounts/language/"


def language_of(response) -> str:
    return response.headers["Content-Language"]


def test_an_anonymous_visitor_gets_the_browsers_language(client):
    response = client.get(reverse("login"), headers={"accept-language": "de-DE,de;q=0.9"})

    assert language_of(response) == "de"
    assert '<html lang="de">' in response.text


def test_an_unsupported_browser_language_falls_back_to_english(client):
    response = client.get(reverse("login"), headers={"accept-language": "ja"})

    assert language_of(response) == "en"


def test_the_switcher_works_before_signing_in(client):
    response = client.post(SWITCH, {"language": "fr", "next": reverse("login")})

    assert response.status_code == 302
    assert response.url == reverse("login")
    later = client.get(reverse("login"), headers={"accept-language": "de"})
    assert language_of(later) == "fr"


def test_a_choice_is_saved_on_the_user_and_beats_the_browser(client, reseller_user):
    client.force_login(reseller_user)

    client.post(SWITCH, {"language": "nl", "next": "/"})

    reseller_user.refresh_from_db()
    assert reseller_user.language == "nl"
    client.cookies.clear()  # another browser: the account remembers
    client.force_login(reseller_user)
    response = client.get(reverse("home"), headers={"accept-language": "de"})
    assert language_of(response) == "nl"


def test_auto_goes_back_to_the_browsers_language(client, reseller_user):
    reseller_user.language = "es"
    reseller_user.save()
    client.force_login(reseller_user)

    response = client.post(SWITCH, {"language": "", "next": "/"})

    reseller_user.refresh_from_db()
    assert reseller_user.language == ""
    assert response.cookies["django_language"].value == ""  # deleted
    later = client.get(reverse("home"), headers={"accept-language": "de"})
    assert language_of(later) == "de"


def test_an_unknown_language_is_ignored(client, reseller_user):
    client.force_login(reseller_user)

    client.post(SWITCH, {"language": "xx", "next": "/"})

    reseller_user.refresh_from_db()
    assert reseller_user.language == ""


def test_support_staff_may_switch_although_they_change_nothing_else(client, support_user):
    client.force_login(support_user)

    response = client.post(SWITCH, {"language": "de", "next": "/"})

    assert response.status_code == 302
    support_user.refresh_from_db()
    assert support_user.language == "de"


def test_the_switch_never_redirects_off_the_site(client):
    response = client.post(SWITCH, {"language": "de", "next": "https://evil.example/"})

    assert response.url == reverse("home")


def test_the_switch_only_takes_a_post(client):
    assert client.get(SWITCH).status_code == 405


def test_the_header_names_each_language_in_its_own_words(client, reseller_user):
    reseller_user.language = "de"
    reseller_user.save()
    client.force_login(reseller_user)

    page = client.get(reverse("home")).text

    assert 'action="/accounts/language/"' in page
    assert '<span lang="de">DE</span>' in page  # the menu shows the language in use
    for code, name in [("en", "English"), ("de", "Deutsch"), ("fr", "Français"), ("es", "Español")]:
        assert f'value="{code}" lang="{code}"' in page and f">{name}</button>" in page
    assert 'value="" class="language-menu__choice"' in page  # back to the browser's


def test_the_api_answers_in_the_language_asked_for_not_the_saved_one(rf, reseller_user):
    from customers.language import UserLocaleMiddleware

    reseller_user.language = "de"
    request = rf.get("/api/v1/products", headers={"accept-language": "fr"})
    request.user = reseller_user
    request.session = {}

    UserLocaleMiddleware(lambda request: None).process_request(request)

    assert request.LANGUAGE_CODE == "fr"
