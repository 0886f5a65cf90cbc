"""What the e-mail pages read: the default's text, overrides, the log; scoped by reseller."""

import re

from django.template.loader import get_template
from django.utils import translation

from .models import EmailLog, EmailOverride
from .registry import kind_of

_BLOCK = re.compile(r"{%\s*block\s+(\w+)\s*%}(.*?){%\s*endblock\s*%}", re.S)
_AUTOESCAPE = re.compile(r"{%\s*(end)?autoescape( off)?\s*%}")


def default_source(key: str, language: str) -> tuple[str, str]:
    """Return the default's subject and text as a reseller may start editing them."""
    for lang in (language, "en"):
        try:
            source = get_template(f"templated_email/{lang}/{key}.email").template.source
        except Exception:  # noqa: BLE001  (no default in this language: English)
            continue
        blocks = {name: _AUTOESCAPE.sub("", body) for name, body in _BLOCK.findall(source)}
        return blocks.get("subject", "").strip(), blocks.get("plain", "").strip("\n")
    return "", ""


def override_of(*, reseller, key: str, language: str):
    return EmailOverride.objects.filter(reseller=reseller, template=key, language=language).first()


def preview_context(*, reseller, key: str, language: str):
    """The real context the reseller's latest fitting record gives, in ``language``, or None."""
    with translation.override(language):
        return kind_of(key).preview(reseller)


def email_log_for(user):
    """The log ``user`` may read: support and admins all of it, a reseller its own."""
    rows = EmailLog.objects.select_related("reseller")
    if user.is_superuser or getattr(user, "role", "") in {"support", "admin"}:
        return rows
    return rows.filter(reseller_id=getattr(user, "reseller_id", None) or -1)
