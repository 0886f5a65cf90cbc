"""Which language a request is answered in, and the header's switcher that changes it.

A signed-in user's saved choice (``User.language``) comes first; without one, Django's
LocaleMiddleware decides: the language cookie the switcher sets, else the browser's
Accept-Language, else English. The JSON API answers by Accept-Language only.
"""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.middleware.locale import LocaleMiddleware
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import trans_real
from django.views.decorators.http import require_POST

#: Paths whose clients say their language in Accept-Language, not through an account.
HEADER_ONLY_PREFIXES = ("/api/",)


def supported_language(code) -> str:
    """Return ``code`` if it is one of settings.LANGUAGES, else ""."""
    return code if code in dict(settings.LANGUAGES) else ""


def language_from_header(request) -> str:
    """Return the language of settings.LANGUAGES that Accept-Language asks for, else the default."""
    header = request.headers.get("Accept-Language", "")
    for code, _quality in trans_real.parse_accept_lang_header(header):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


class UserLocaleMiddleware(LocaleMiddleware):
    """Activate the signed-in user's saved language, else what LocaleMiddleware finds."""

    def process_request(self, request):
        user = getattr(request, "user", None)
        if request.path_info.startswith(HEADER_ONLY_PREFIXES):
            # Neither the account nor a cookie: an integrator's request says it in the header.
            language = language_from_header(request)
            translation.activate(language)
            request.LANGUAGE_CODE = language
            return
        saved = supported_language(getattr(user, "language", "")) if user else ""
        if saved:
            translation.activate(saved)
            request.LANGUAGE_CODE = saved
            return
        super().process_request(request)


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.headers.get("referer") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("home")


@require_POST
def set_language_view(request):
    """Switch the language: saved on the signed-in user and in the cookie; "" = the browser's.

    Unlike Django's ``set_language`` this remembers the choice on the account, so it follows
    the user to another browser, and it accepts "" to go back to the browser's language.
    """
    language = supported_language(request.POST.get("language", ""))
    user = request.user
    if user.is_authenticated and user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    response = HttpResponseRedirect(_next_url(request))
    if language:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    else:
        response.delete_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
        )
    return response
