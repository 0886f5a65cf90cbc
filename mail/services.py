"""Send one e-mail to each recipient in their language, with the reseller's wording if any.

The default is ``templates/templated_email/<language>/<key>.email`` (django-templated-email:
a ``subject`` and a ``plain`` block), falling back to English. A reseller's override is
rendered in the sandbox; if it fails, the default goes out, the override keeps the error
for the editor to show, and the log says so. Every e-mail is logged, secrets redacted.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone, translation
from templated_email import get_templated_mail

from marketplace.redaction import redacted

from .models import EmailLog, EmailOverride
from .registry import kind_of
from .sandbox import sandbox_render

logger = logging.getLogger(__name__)

FALLBACK_LANGUAGE = "en"


@dataclass(frozen=True)
class Recipient:
    address: str
    language: str = ""


def language_of(code) -> str:
    """Return the site language for ``code`` ("de_DE", "de-ch", "fr"), else English."""
    base = str(code or "").replace("_", "-").split("-")[0].lower()
    return base if base in dict(settings.LANGUAGES) else FALLBACK_LANGUAGE


def user_recipient(user) -> Recipient:
    return Recipient(user.email, language_of(getattr(user, "language", "")))


def email_send(*, key: str, reseller, recipients, context) -> list[EmailLog]:
    """Send e-mail ``key`` to ``recipients`` (grouped by language); return the log rows.

    ``context`` is a dict of plain values, or a function returning one: it is then called
    in each recipient language, so the dates, money and words it formats are theirs.
    """
    by_language = defaultdict(list)
    for recipient in recipients:
        if recipient.address:
            by_language[language_of(recipient.language)].append(recipient.address)
    return [
        _send_one(key, reseller, language, sorted(set(addresses)), context)
        for language, addresses in sorted(by_language.items())
    ]


def email_render(*, key: str, reseller, language: str, context) -> tuple[str, str, str]:
    """Return ``(subject, body, why the default was used)`` as ``language`` would get it."""
    kind = kind_of(key)
    override = None
    if reseller is not None:
        override = EmailOverride.objects.filter(
            reseller=reseller, template=key, language=language
        ).first()
    with translation.override(language):
        if callable(context):
            context = context()
        if override is not None:
            try:
                subject = sandbox_render(override.subject, context, variables=kind.variables)
                body = sandbox_render(override.body, context, variables=kind.variables)
                return " ".join(subject.split()), body, ""
            except Exception as error:  # a reseller's template may fail in any way
                reason = f"{type(error).__name__}: {error}"
                EmailOverride.objects.filter(pk=override.pk).update(
                    last_error=reason, last_error_at=timezone.now()
                )
                logger.warning("E-mail %s (%s): override refused: %s", key, language, reason)
                subject, body = _default(key, language, context)
                return subject, body, reason
        subject, body = _default(key, language, context)
        return subject, body, ""


def _default(key, language, context):
    message = get_templated_mail(
        template_name=[f"{language}/{key}", f"{FALLBACK_LANGUAGE}/{key}"], context=context
    )
    return " ".join(message.subject.split()), message.body


def _send_one(key, reseller, language, addresses, context) -> EmailLog:
    log = EmailLog(
        reseller=reseller, template=key, language=language, recipients="\n".join(addresses)
    )
    try:
        subject, body, reason = email_render(
            key=key, reseller=reseller, language=language, context=context
        )
        log.subject, log.fallback_reason = subject[:300], reason
        log.overridden = not reason and _has_override(reseller, key, language)
        EmailMessage(subject, body, None, addresses).send()
    except Exception as error:
        # Mail is a courtesy: the pages always show the same news. The log keeps why.
        log.result = EmailLog.Result.FAILED
        log.error = str(redacted(f"{type(error).__name__}: {error}").get("text", ""))[:2000]
        logger.exception("E-mail %s to %s not sent", key, len(addresses))
    else:
        log.result = EmailLog.Result.SENT
    log.save()
    return log


def _has_override(reseller, key, language) -> bool:
    return reseller is not None and (
        EmailOverride.objects.filter(reseller=reseller, template=key, language=language).exists()
    )
