"""The reseller's webhook endpoints and their delivery log; every query scoped to its reseller."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from customers.models import User
from customers.permissions import role_required

from .forms import EndpointForm
from .models import Endpoint, Message
from .services import message_replay

staff_only = role_required(User.Role.RESELLER_STAFF)


def _endpoint(request, pk):
    return get_object_or_404(Endpoint, pk=pk, reseller=request.user.reseller)


@staff_only
def endpoint_list(request):
    endpoints = Endpoint.objects.filter(reseller=request.user.reseller)
    form = EndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        endpoint = form.save(commit=False)
        endpoint.reseller = request.user.reseller
        endpoint.save()
        messages.success(request, "Endpoint added. Copy its signing secret now.")
        return redirect("webhooks:detail", endpoint_pk=endpoint.pk)
    return render(request, "webhooks/endpoint_list.html", {"endpoints": endpoints, "form": form})


@staff_only
def endpoint_detail(request, endpoint_pk):
    endpoint = _endpoint(request, endpoint_pk)
    form = EndpointForm(request.POST or None, instance=endpoint)
    if request.method == "POST" and form.is_valid():
        endpoint = form.save(commit=False)
        if endpoint.enabled and endpoint.disabled_at:
            endpoint.disabled_at, endpoint.disabled_reason = None, ""
            endpoint.consecutive_failures, endpoint.failing_since = 0, None
        endpoint.save()
        messages.success(request, "Endpoint saved.")
        return redirect("webhooks:detail", endpoint_pk=endpoint.pk)
    context = {
        "endpoint": endpoint,
        "form": form,
        "show_secret": request.GET.get("secret") == "1",
        "messages_log": endpoint.messages.prefetch_related("attempts")[:50],
        "now": timezone.now(),
    }
    return render(request, "webhooks/endpoint_detail.html", context)


@staff_only
def message_replay_view(request, message_pk):
    message = get_object_or_404(Message, pk=message_pk, endpoint__reseller=request.user.reseller)
    if request.method != "POST":
        return redirect("webhooks:detail", endpoint_pk=message.endpoint_id)
    attempt = message_replay(message=message)
    if attempt and attempt.succeeded:
        messages.success(request, f"Replayed {message.message_id}: {attempt.response_status}.")
    else:
        messages.error(request, f"Replay of {message.message_id} failed: {attempt.error}")
    return redirect("webhooks:detail", endpoint_pk=message.endpoint_id)
