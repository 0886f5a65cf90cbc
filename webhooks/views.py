"""The reseller's webhook endpoints and their delivery log; every query scoped to its reseller.

A signing secret is shown once: on the page that follows the endpoint's
creation or a rotation, to the person who did it. Every page here is
``Cache-Control: no-store``. The endpoints' pages, where secrets are made and shown, ask
for a code from the user's authenticator first (``step_up_required``).
"""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from customers.models import User
from customers.permissions import role_required
from customers.step_up import step_up_required

from .forms import EndpointForm
from .models import Endpoint, Message
from .services import endpoint_secret_rotate, message_replay

staff_only = role_required(User.Role.RESELLER_STAFF)
#: The endpoint whose secret the next page of this session shows, once.
REVEAL_SESSION_KEY = "webhooks_reveal_secret_of"


def _endpoint(request, pk):
    return get_object_or_404(Endpoint, pk=pk, reseller=request.user.reseller)


def _reveal_next(request, endpoint):
    request.session[REVEAL_SESSION_KEY] = endpoint.pk


@never_cache
@staff_only
@step_up_required
def endpoint_list(request):
    endpoints = Endpoint.objects.filter(reseller=request.user.reseller)
    form = EndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        endpoint = form.save(commit=False)
        endpoint.reseller = request.user.reseller
        endpoint.secret_issued_at = timezone.now()
        endpoint.secret_issued_by = request.user
        endpoint.save()
        _reveal_next(request, endpoint)
        messages.success(request, _("Endpoint added. Copy its signing secret now."))
        return redirect("webhooks:detail", endpoint_pk=endpoint.pk)
    return render(request, "webhooks/endpoint_list.html", {"endpoints": endpoints, "form": form})


@never_cache
@staff_only
@step_up_required
def endpoint_detail(request, endpoint_pk):
    endpoint = _endpoint(request, endpoint_pk)
    form = EndpointForm(request.POST or None, instance=endpoint)
    if request.method == "POST" and form.is_valid():
        endpoint = form.save(commit=False)
        if endpoint.enabled and endpoint.disabled_at:
            endpoint.disabled_at, endpoint.disabled_reason = None, ""
            endpoint.consecutive_failures, endpoint.failing_since = 0, None
        endpoint.save()
        messages.success(request, _("Endpoint saved."))
        return redirect("webhooks:detail", endpoint_pk=endpoint.pk)
    revealed = request.method == "GET" and request.session.get(REVEAL_SESSION_KEY) == endpoint.pk
    if revealed:
        del request.session[REVEAL_SESSION_KEY]
    context = {
        "endpoint": endpoint,
        "form": form,
        "revealed_secret": endpoint.secret if revealed else None,
        "now": timezone.now(),
        "grace_hours": settings.WEBHOOKS_SECRET_GRACE_HOURS,
        "messages_log": endpoint.messages.prefetch_related("attempts")[:50],
    }
    return render(request, "webhooks/endpoint_detail.html", context)


@never_cache
@staff_only
@step_up_required
def endpoint_rotate(request, endpoint_pk):
    endpoint = _endpoint(request, endpoint_pk)
    if request.method == "POST":
        endpoint_secret_rotate(endpoint=endpoint, user=request.user)
        _reveal_next(request, endpoint)
        messages.success(
            request,
            _(
                "New signing secret made. Copy it now: the old one keeps signing until "
                "%(until)s UTC."
            )
            % {"until": f"{endpoint.previous_secret_expires_at:%Y-%m-%d %H:%M}"},
        )
    return redirect("webhooks:detail", endpoint_pk=endpoint.pk)


@never_cache
@staff_only
def message_replay_view(request, message_pk):
    message = get_object_or_404(Message, pk=message_pk, endpoint__reseller=request.user.reseller)
    if request.method != "POST":
        return redirect("webhooks:detail", endpoint_pk=message.endpoint_id)
    attempt = message_replay(message=message)
    if attempt and attempt.succeeded:
        messages.success(
            request,
            _("Replayed %(message)s: %(status)s.")
            % {"message": message.message_id, "status": attempt.response_status},
        )
    else:
        messages.error(
            request,
            _("Replay of %(message)s failed: %(error)s")
            % {"message": message.message_id, "error": attempt.error},
        )
    return redirect("webhooks:detail", endpoint_pk=message.endpoint_id)
