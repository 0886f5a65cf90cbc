"""The reseller's e-mails: the list, the editor with its preview, and the log."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from customers.models import User
from customers.permissions import role_required

from .forms import OverrideForm
from .models import EmailOverride
from .registry import kind_of, kinds
from .sandbox import sandbox_render
from .selectors import default_source, email_log_for, override_of, preview_context
from .services import email_render

staff_only = role_required(User.Role.RESELLER_STAFF)
log_readers = role_required(User.Role.RESELLER_STAFF, User.Role.SUPPORT, User.Role.ADMIN)
LANGUAGES = dict(settings.LANGUAGES)


@never_cache
@staff_only
def email_list(request):
    reseller = request.user.reseller
    overrides = {
        (override.template, override.language): override
        for override in EmailOverride.objects.filter(reseller=reseller)
    }
    rows = [
        {
            "kind": kind,
            "languages": [
                {"code": code, "name": name, "override": overrides.get((kind.key, code))}
                for code, name in settings.LANGUAGES
            ],
        }
        for kind in kinds()
    ]
    broken = [override for override in overrides.values() if override.last_error]
    return render(request, "mail/email_list.html", {"rows": rows, "broken": broken})


@never_cache
@staff_only
def email_edit(request, key, language):
    try:
        kind = kind_of(key)
    except KeyError:
        raise Http404(_("No such e-mail.")) from None
    if language not in LANGUAGES:
        raise Http404(_("No such language."))
    reseller = request.user.reseller
    override = override_of(reseller=reseller, key=key, language=language)
    subject, body = default_source(key, language)
    action = request.POST.get("action", "")
    if action == "reset" and override is not None:
        override.delete()
        messages.success(request, _("The default wording is used again."))
        return redirect("mail:edit", key=key, language=language)
    initial = {"subject": subject, "body": body} if override is None else None
    form = OverrideForm(
        request.POST or None,
        instance=override or EmailOverride(reseller=reseller, template=key, language=language),
        initial=initial,
        variables=kind.variables,
    )
    preview = None
    if request.method == "POST" and form.is_valid():
        if action == "save":
            saved = form.save(commit=False)
            saved.updated_by, saved.last_error, saved.last_error_at = request.user, "", None
            saved.save()
            messages.success(request, _("Saved: this e-mail now goes out in your wording."))
            return redirect("mail:edit", key=key, language=language)
        preview = _preview(reseller, kind, language, form.cleaned_data)
    elif request.method == "GET":
        preview = _preview(
            reseller,
            kind,
            language,
            {"subject": override.subject, "body": override.body} if override else None,
        )
    return render(
        request,
        "mail/email_edit.html",
        {
            "kind": kind,
            "language": language,
            "language_name": LANGUAGES[language],
            "form": form,
            "override": override,
            "preview": preview,
            "variables": sorted(kind.variables.items()),
        },
    )


def _preview(reseller, kind, language, wording):
    """Render ``wording`` (or the default's when None) on the reseller's own latest data."""
    context = preview_context(reseller=reseller, key=kind.key, language=language)
    if context is None:
        return {"missing": True}
    if wording is None:
        with translation.override(language):
            subject, body, _reason = email_render(
                key=kind.key, reseller=None, language=language, context=context
            )
        return {"subject": subject, "body": body}
    try:
        with translation.override(language):
            return {
                "subject": sandbox_render(wording["subject"], context, variables=kind.variables),
                "body": sandbox_render(wording["body"], context, variables=kind.variables),
            }
    except Exception as error:  # noqa: BLE001  (the reseller sees why, and the default goes out)
        return {"error": f"{type(error).__name__}: {error}"}


@never_cache
@log_readers
def email_log(request):
    rows = email_log_for(request.user)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "mail/email_log.html", {"page": page})
