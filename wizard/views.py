"""The reseller's order wizard: one django-formtools wizard, one URL per named step."""

import hashlib
import uuid
from functools import cached_property

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from formtools.wizard.views import NamedUrlSessionWizardView

from catalog.services import cart_clear
from customers.models import Reseller
from customers.permissions import ResellerRequiredMixin
from customers.relationship_links import partner_invitation_url, reseller_relationship_url
from orders.checks import RequestRows
from orders.models import Order
from orders.readiness import order_readiness
from orders.services import OrderRejected, order_place
from orders.status_words import marketplace_number_pending
from rules.qualification import qualification_name

from . import conditions, drafts, services
from .customer_search import customer_search_results
from .dependencies import StepDependenciesMixin
from .forms import STEP_FORMS
from .forms.cart import cart_signature
from .forms.customer import MODE_EXISTING
from .forms.partner import ENROL_URL, PARTNER_CENTER_URL
from .request_builder import build_order_request

#: extra_data key of the order key; a placed wizard's draft keeps only this (drafts.py).
IDEMPOTENCY_KEY = "idempotency_key"
#: extra_data key: the order request the marketplace found ready on Buy, and when.
READY_ON_BUY = "ready_on_buy"
#: How long that verdict stands for the placement Buy redirects to.
READY_ON_BUY_SECONDS = 60
#: extra_data key: the order request the marketplace found ready when the review was shown, and
#: when; Buy pressed on that very order within READY_ON_BUY_SECONDS does not ask again.
READY_AT_REVIEW = "ready_at_review"
#: Keys of that verdict: the order request Buy built, and its seal to the draft.
SEALED_ORDER = "order"
SEAL = "seal"
#: The review page posts the key it was rendered with, so a Buy from a stale page finds its order.
ORDER_KEY_FIELD = "order_key"

STEP_TITLES = {
    "cart": _("Cart"),
    "customer": _("Customer"),
    "partner": _("Partner"),
    "tenant": _("Tenant"),
    "attestation": _("Attestations"),
    "agreement": _("Customer agreement"),
    "qualification": _("Qualification"),
    "review": _("Review and buy"),
}


class OrderWizardView(ResellerRequiredMixin, StepDependenciesMixin, NamedUrlSessionWizardView):
    form_list = STEP_FORMS
    condition_dict = conditions.CONDITIONS
    #: The draft is kept per user in the database, so it outlives the session (drafts.py).
    storage_name = "wizard.drafts.DraftStorage"
    #: The channel recorded on the orders this wizard places.
    channel = Order.Channel.WIZARD

    def get_template_names(self):
        return [f"wizard/{self.steps.current}.html"]

    # --- Building the order --------------------------------------------------------------

    def cleaned_steps(self, *, until="review"):
        """Return the cleaned data of each valid shown step before ``until``, keyed by step.

        A page asks several times (readiness, co-terming, the order's totals) and formtools
        validates every stored step anew each time: the answer is kept for this request until
        the draft changes.
        """
        key = (until, drafts.snapshot(self.storage.data))
        kept = getattr(self, "_cleaned_steps", None)
        if kept is not None and kept[0] == key:
            return dict(kept[1])
        steps = {}
        for step in self.get_form_list():
            if step == until:
                break
            cleaned = self.get_cleaned_data_for_step(step)
            if cleaned is not None:
                steps[step] = cleaned
        self._cleaned_steps = (key, steps)
        return dict(steps)

    def order_request(self, extra_steps=None):
        """Return the order as it stands, or None while the cart, customer or tenant is missing.

        A missing later step (an unaccepted attestation, say) still gives a
        request, so the readiness check can say what is missing and where.
        """
        return self._request_from({**self.cleaned_steps(), **self.fixed_steps()}, extra_steps)

    def _request_from(self, steps, extra_steps=None):
        if not {"cart", "customer", "tenant"} <= steps.keys():
            return None
        return self.build_request(steps={**steps, **(extra_steps or {})})

    def fixed_steps(self) -> dict:
        """Return the cleaned data of steps this wizard decides itself instead of asking."""
        return {}

    def build_request(self, *, steps):
        """Return the OrderRequest for the cleaned ``steps`` plus the fixed ones."""
        prices = {line.product_id: line.unit_price for line in self.priced_cart_lines()}
        return build_order_request(steps={**steps, **self.fixed_steps()}, unit_prices=prices)

    def readiness_problems(self):
        if not hasattr(self, "_problems"):
            # The review form asks for the terms itself; readiness is about everything else.
            steps = {**self.cleaned_steps(), **self.fixed_steps()}
            review = {"terms": True, "coterm": self.coterm_choice()}
            request = self._request_from(steps, {"review": review})
            if request is None:
                self._problems = []
            else:
                fingerprint = hashlib.sha256(repr(request).encode()).hexdigest()
                known = self._known_ready(fingerprint)
                self._problems = order_readiness(
                    request=request,
                    reseller=self.reseller,
                    rows=self.request_rows,
                    ask_marketplace=known is None,
                )
                if not self._problems:
                    self._remember_ready(steps, fingerprint, known)
        return self._problems

    def _known_ready(self, fingerprint) -> float | None:
        """When the marketplace found this very order ready, if that still stands, else None.

        The review asks, Buy a moment later would ask the very same question, and the
        placement it redirects to a moment after that: one answer serves all three for
        READY_ON_BUY_SECONDS. Our own rules still run each time.
        """
        if self.kwargs.get("step") == self.done_step_name:
            key = READY_ON_BUY
        elif self._is_buy():
            key = READY_AT_REVIEW
        else:
            return None
        verdict = self.storage.extra_data.get(key) or {}
        try:
            at = float(verdict.get("at"))
        except (TypeError, ValueError):
            return None
        age = timezone.now().timestamp() - at
        fresh = verdict.get("request") == fingerprint and 0 <= age <= READY_ON_BUY_SECONDS
        return at if fresh else None

    def _remember_ready(self, steps, fingerprint, known) -> None:
        """Keep the marketplace's "ready" for the next step of the same order (see above)."""
        at = known if known is not None else timezone.now().timestamp()
        verdict = {"request": fingerprint, "at": at}
        if self._is_buy():
            self._ready_steps = steps  # sealed with the draft once Buy stored it
            self.storage.extra_data = {**self.storage.extra_data, READY_ON_BUY: verdict}
        elif self.request.method == "GET" and self.kwargs.get("step") == "review":
            self.storage.extra_data = {**self.storage.extra_data, READY_AT_REVIEW: verdict}

    def _is_buy(self) -> bool:
        return self.request.method == "POST" and self.steps.current == "review"

    @cached_property
    def request_rows(self) -> RequestRows:
        """The order's customer and products, read once for readiness and placing."""
        rows = RequestRows(self.reseller)
        # The same rows the steps and the page already read in this request.
        lines = self.priced_cart_lines()
        rows.know(
            customer=self.selected_customer(),
            products=[line.product for line in lines],
            prices={line.product_id: line.selling for line in lines},
        )
        return rows

    # --- Requests ------------------------------------------------------------------------

    def idempotency_key(self) -> uuid.UUID:
        """Return this wizard's order key, made the first time the wizard is used."""
        extra = self.storage.extra_data
        if IDEMPOTENCY_KEY not in extra:
            extra[IDEMPOTENCY_KEY] = str(uuid.uuid4())
            self.storage.extra_data = extra
        return uuid.UUID(extra[IDEMPOTENCY_KEY])

    def _placed_order(self, key):
        try:
            key = uuid.UUID(str(key))
        except ValueError:
            return None
        return Order.objects.visible_to(self.request.user).filter(idempotency_key=key).first()

    def _keep_current_step_shown(self):
        """A step its condition now skips cannot stay current (a stale URL or tab)."""
        current = self.storage.current_step
        if current is not None and current not in self.get_form_list():
            self.storage.current_step = self.steps.first

    def get(self, request, *args, **kwargs):
        placed = self.storage.placed_reference
        if kwargs.get("step") == self.done_step_name and placed:
            # The draft's order is placed (the done page refreshed, a second Buy's redirect):
            # show that order. The finished draft is left as it is, for the next refresh.
            return redirect("wizard:confirmation", reference=placed)
        self.idempotency_key()
        self._keep_current_step_shown()
        if kwargs.get("step") == self.done_step_name and self._sealed_request() is not None:
            # formtools would build (and so validate) the review form, and every step with it.
            return self.render_done(None, **kwargs)
        return super().get(request, *args, **kwargs)

    def post(self, *args, **kwargs):
        placed = self._placed_order(self.request.POST.get(ORDER_KEY_FIELD, ""))
        if placed is not None:
            # Buy pressed again from a page of an order already placed (Back, another tab).
            return redirect("wizard:confirmation", reference=placed.reference)
        self.idempotency_key()
        self._keep_current_step_shown()
        posted_step = self.request.POST.get(f"{self.prefix}-current_step")
        if posted_step is not None and posted_step not in self.get_form_list():
            return redirect(self.get_step_url(self.steps.current))
        if self.request.POST.get("wizard_goto_step"):
            self._keep_typed_data()
        return super().post(*args, **kwargs)

    def _keep_typed_data(self):
        """Going back keeps what was typed on this step, valid or not, for when they return."""
        step = self.steps.current
        if step in self.get_form_list():
            self.storage.set_step_data(step, self._own_fields(step, self.request.POST))

    @staticmethod
    def _own_fields(step, data):
        prefix = f"{step}-"
        return {key: data.getlist(key) for key in data if key.startswith(prefix)}

    def process_step(self, form):
        step = self.steps.current
        if step == "customer" and form.created_customer is not None:
            # Stored as picked: revalidation and Back never create the customer again.
            return {
                "customer-mode": [MODE_EXISTING],
                "customer-customer": [str(form.created_customer.pk)],
            }
        if step == "tenant":
            return _with_mca_answer(self._own_fields(step, form.data), form)
        return self._own_fields(step, form.data)

    def render_done(self, form, **kwargs):
        """Revalidate every step, then place the order; keep the steps if it is refused.

        Buy validated every step a moment ago and sealed the order request it
        built with a digest of the draft; the placement it redirects to takes
        that request instead of revalidating a draft that has not changed.
        """
        if kwargs.get("step") != self.done_step_name:
            self._seal_buy(form)
            return redirect(self.get_step_url(self.done_step_name))
        request = self._sealed_request()
        if request is not None:
            return self.place(request)
        steps = {}
        for step in self.get_form_list():
            # A step the review's readiness check already validated in this request
            # (formtools' memo) is not validated, nor its rows read, a second time.
            cleaned = getattr(self, f"_cleaned_data_cache_{step}", None)
            if cleaned is None:
                form_obj = self.get_form(step=step, data=self.storage.get_step_data(step))
                if not form_obj.is_valid():
                    return self.render_revalidation_failure(step, form_obj, **kwargs)
                cleaned = form_obj.cleaned_data
            steps[step] = cleaned
        return self.done(steps)

    def _draft_digest(self) -> str:
        """The draft's steps and everything else their validation reads, as one digest."""
        return drafts.draft_digest(
            step_data=self.storage.data[self.storage.step_data_key],
            context={
                "user": self.request.user.pk,
                "steps": list(self.get_form_list()),
                "cart": cart_signature(self.cart_lines),
                "fixed": self.fixed_steps(),
            },
        )

    def _seal_buy(self, review_form):
        """After a Buy the marketplace found ready: keep its order request, sealed to the draft.

        Only when every step shown validated in this request (a step that did not
        is left to the placement's revalidation, which refuses it).
        """
        steps = getattr(self, "_ready_steps", None)
        verdict = self.storage.extra_data.get(READY_ON_BUY)
        if steps is None or not verdict:
            return
        if not set(self.get_form_list()) - {"review"} <= steps.keys():
            return
        request = self.build_request(steps={**steps, "review": review_form.cleaned_data})
        record = {**verdict, SEALED_ORDER: drafts.request_to_data(request)}
        record[SEAL] = drafts.seal(digest=self._draft_digest(), record=record)
        self.storage.extra_data = {**self.storage.extra_data, READY_ON_BUY: record}

    def _sealed_request(self):
        """Return the request Buy sealed, if the draft is still the one it validated, else None.

        A changed draft, cart or step list, a verdict older than READY_ON_BUY_SECONDS
        or a seal that does not match (a draft row edited outside the wizard) gives
        None: every step is validated again.
        """
        if not hasattr(self, "_sealed"):
            self._sealed = self._unsealed_request()
        return self._sealed

    def _unsealed_request(self):
        verdict = dict(self.storage.extra_data.get(READY_ON_BUY) or {})
        signature = verdict.pop(SEAL, None)
        if signature is None or SEALED_ORDER not in verdict:
            return None
        try:
            age = timezone.now().timestamp() - float(verdict.get("at"))
        except (TypeError, ValueError):
            return None
        if not 0 <= age <= READY_ON_BUY_SECONDS:
            return None
        if not drafts.seal_matches(
            digest=self._draft_digest(), record=verdict, signature=signature
        ):
            return None
        try:
            return drafts.request_from_data(verdict[SEALED_ORDER])
        except (KeyError, TypeError, ValueError):
            return None

    def done(self, steps):
        """Place the order from the revalidated ``steps`` (cleaned data keyed by step)."""
        return self.place(self.build_request(steps=steps))

    def place(self, request):
        """Place ``request``: our own rules run again in order_place; refused, back to review."""
        key = self.idempotency_key()
        try:
            # The order, the emptied cart and the finished draft are written together.
            with transaction.atomic():
                order = order_place(
                    request=request,
                    reseller=self.reseller,
                    placed_by=self.request.user,
                    idempotency_key=key,
                    ip_address=self.request.META.get("REMOTE_ADDR"),
                    channel=self.channel,
                    rows=self.request_rows,
                    # Loading the draft looked the key up a moment ago and found no order.
                    key_found_unused=key == self.storage.key_found_unused,
                )
                cart_clear(user=self.request.user)
                # The draft is finished: its steps go, its order key stays, so a refreshed
                # done page finds the order (drafts.DraftStorage.placed_reference).
                self.storage.reset()
                self.storage.extra_data = {IDEMPOTENCY_KEY: str(key)}
                self.storage.save()
        except OrderRejected as rejected:
            self.storage.extra_data = {**self.storage.extra_data, "rejection": rejected.problems}
            return redirect(self.get_step_url("review"))
        return redirect("wizard:confirmation", reference=order.reference)

    # --- Rendering -----------------------------------------------------------------------

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form=form, **kwargs)
        step = self.steps.current
        steps = list(self.get_form_list())
        current = steps.index(step) if step in steps else 0
        context.update(
            step_title=STEP_TITLES[step],
            progress=[
                {
                    "name": name,
                    "title": STEP_TITLES[name],
                    "done": index < current,
                    "current": index == current,
                }
                for index, name in enumerate(steps)
            ],
            cart_lines=self.priced_cart_lines(),
            customer=self.selected_customer(),
            reseller=self.reseller,
            order_key=self.idempotency_key(),
            order_key_field=ORDER_KEY_FIELD,
            step_url_name=self.url_name,
            step_names=steps,
        )
        extra_context = getattr(self, f"_context_{step}", None)
        if extra_context:
            context.update(extra_context(form))
        return context

    def _context_customer(self, form):
        query = self.request.GET.get("q", "")
        context = customer_search_results(
            user=self.request.user, query=query, picked=self.selected_customer()
        )
        context.update(login_placeholder="Defaults to the company name")
        return context

    def _context_partner(self, form):
        reseller = self.reseller
        if (
            not form.is_bound
            and reseller.tier_status == Reseller.TierStatus.UNCHECKED
            and reseller.mpn_id
            and reseller.indirect_reseller_domain
        ):
            try:
                services.partner_check(
                    reseller=reseller,
                    mpn_id=reseller.mpn_id,
                    domain=reseller.indirect_reseller_domain,
                )
            except ValidationError:
                pass  # Shown as "not checked yet"; pressing Next checks again.
        return {
            "enrol_url": ENROL_URL,
            "relationship_url": reseller_relationship_url(),
            "partner_center_url": PARTNER_CENTER_URL,
            "show_summary": reseller.is_partner_ready and not form.errors,
        }

    def _context_tenant(self, form):
        return {"relationship_url": partner_invitation_url()}

    def _context_review(self, form):
        rejection = self.storage.extra_data.get("rejection")
        request = self.order_request()
        return {
            "problems": self.readiness_problems(),
            "rejection": rejection,
            "order_request": request,
            "review": _review_rows(self, request) if request else None,
            "coterm_options": self.coterm_options(),
            "coterm_choice": self.coterm_choice(),
        }


def _with_mca_answer(data: dict, form) -> dict:
    """Keep the marketplace's answer on the tenant's MCA with the step, never a posted one."""
    key = f"tenant-{conditions.MCA_IN_PLACE}"
    data.pop(key, None)
    check = getattr(form, "tenant_check", None)
    if check is not None and check.mca_accepted:
        data[key] = ["yes"]
    return data


def _review_rows(wizard, request):
    steps = wizard.cleaned_steps()
    tenant = steps.get("tenant", {})
    return {
        "tenant": tenant.get("microsoft_domain") or tenant.get("microsoft_tenant_id"),
        "tenant_is_new": tenant.get("tenant_preference") == conditions.TENANT_NEW,
        "agreement": steps.get("agreement"),
        "qualification": qualification_name(
            request.special_qualification, request.education_segment
        ),
        "offer_products": [
            line.product for line in wizard.cart_lines if line.product.offer_attestation_required
        ],
    }


@login_required
def order_confirmation(request, reference):
    """Show the order number and the way to track it."""
    order = get_object_or_404(Order.objects.visible_to(request.user), reference=reference)
    return render(
        request,
        "wizard/confirmation.html",
        {
            "order": order,
            "numbers_pending": marketplace_number_pending(order),
            "track_url": reverse("orders:detail", kwargs={"reference": order.reference}),
        },
    )
