"""What each wizard step depends on, handed to its form through get_form_kwargs.

Forms never read the request: the reseller, the cart, the picked customer and
the callables that ask the marketplace come from here. Those callables are
given only while the reseller submits their own step (``is_live``), so
revalidating stored steps never calls the marketplace.
"""

from datetime import timedelta
from functools import cached_property, partial

from django.conf import settings
from django.utils import timezone

from catalog import selectors as catalog_selectors
from catalog.models import Segment
from customers.models import Customer, Reseller
from orders.coterming import coterm_options
from pricing.selectors import cart_lines_price
from rules.qualification import STATE_OWNED_ENTITY

from . import conditions, services
from .forms.customer import MODE_EXISTING
from .forms.review import price_signature_of


class StepDependenciesMixin:
    @cached_property
    def reseller(self) -> Reseller:
        # With its marketplace connection (readiness and checks need it), and kept on the
        # user, where the navigation reads it. Where the request reads the picked customer
        # anyway, the reseller comes with it (the reseller's own: visible_to) in one query.
        user = self.request.user
        customer = self.selected_customer() if self._reads_customer() else None
        if customer is not None and customer.reseller_id == user.reseller_id:
            reseller = customer.reseller
        else:
            reseller = Reseller.objects.select_related("connection").get(pk=user.reseller_id)
        user.reseller = reseller
        return reseller

    @cached_property
    def cart_lines(self):
        return catalog_selectors.cart_lines(user=self.request.user)

    def priced_cart_lines(self):
        """The cart's lines at the selling price of the picked customer (issue 24), priced once."""
        if not getattr(self, "_cart_priced", False):
            customer = self.selected_customer()
            reseller_id = customer.reseller_id if customer else self.request.user.reseller_id
            cart_lines_price(lines=self.cart_lines, reseller=reseller_id, customer=customer)
            self._cart_priced = True
        return self.cart_lines

    @cached_property
    def cart_segments(self) -> frozenset[str]:
        return frozenset(line.product.segment for line in self.cart_lines)

    def stored_value(self, step, field):
        """Return the raw value last stored for ``field`` of ``step``, or None."""
        data = self.storage.get_step_data(step)
        return data.get(f"{step}-{field}") if data else None

    def _reads_customer(self) -> bool:
        """Whether this request reads the picked customer in any case: every page shows it,
        and the tenant step, Buy and the placement use it."""
        return self.request.method == "GET" or self.steps.current in ("tenant", "review")

    def selected_customer(self) -> Customer | None:
        if not hasattr(self, "_selected_customer"):
            customer_id = self.stored_value("customer", "customer")
            customer = None
            if (
                self.stored_value("customer", "mode") == MODE_EXISTING
                and str(customer_id or "").isdigit()
            ):
                # Contacts are read when needed (the agreement step), not on every step.
                customer = (
                    Customer.objects.visible_to(self.request.user)
                    .select_related("reseller__connection")
                    .filter(pk=customer_id)
                    .first()
                )
            self._selected_customer = customer
        return self._selected_customer

    def is_live(self, step) -> bool:
        """Calls to the marketplace run only while the reseller submits that very step."""
        return self.request.method == "POST" and step == self.steps.current

    def get_form_kwargs(self, step=None):
        # The reseller is read only for the steps whose form needs it.
        live = self.is_live(step)
        if step == "cart":
            return {"cart_lines": self.cart_lines}
        if step == "customer":
            reseller = self.reseller
            return {
                "customers": Customer.objects.visible_to(self.request.user),
                "reseller_email_domain": reseller.staff_email_domain,
                "login_taken": services.login_taken,
                "create_customer": (
                    partial(_create_customer, reseller=reseller, wizard_key=self.idempotency_key())
                    if live
                    else None
                ),
                # The stored customer, read once per request for the steps after this one.
                "picked": None if live else self.selected_customer(),
            }
        if step == "partner":
            return {
                "reseller": self.reseller,
                "check_partner": partial(_check_partner, reseller=self.reseller) if live else None,
            }
        if step == "tenant":
            customer = self.selected_customer()
            reseller = self.reseller
            return {
                "segments": self.cart_segments,
                "customer": customer,
                "check_domain": (
                    partial(_check_domain, reseller=reseller, customer=customer) if live else None
                ),
                "check_tenant": (
                    partial(_check_tenant, reseller=reseller, customer=customer) if live else None
                ),
            }
        if step == "attestation":
            return {
                "offer_products": [
                    line.product
                    for line in self.cart_lines
                    if line.product.offer_attestation_required
                ]
            }
        if step == "agreement":
            return {
                "today": timezone.localdate(),
                "reseller_email_domain": self.reseller.staff_email_domain,
            }
        if step == "qualification":
            return {"education": Segment.EDUCATION in self.cart_segments}
        if step == "review":
            return {
                "problems": self.readiness_problems(),
                "price_signature": price_signature_of(self.priced_cart_lines()),
                "coterm_choices": [option.value for option in self.coterm_options()],
            }
        return {}

    def coterm_options(self) -> list:
        """The ways this order's new subscriptions may end (orders.coterming), priced."""
        if not hasattr(self, "_coterm_options"):
            request = self.order_request()
            customer = self.selected_customer()
            if request is None or customer is None:
                self._coterm_options = []
            else:
                products = {line.product.pk: line.product for line in self.cart_lines}
                active = list(
                    customer.subscriptions.filter(status="active").select_related("product")
                )
                self._coterm_options = coterm_options(
                    request=request, products=products, active=active, today=timezone.localdate()
                )
        return self._coterm_options

    def coterm_choice(self) -> str:
        """The alignment asked for: posted with Buy, else stored with the review, else the first."""
        if self.request.method == "POST" and self.steps.current == "review":
            value = self.request.POST.get("review-coterm")
        else:
            value = self.stored_value("review", "coterm")
        if isinstance(value, list):
            value = value[0] if value else None
        values = [option.value for option in self.coterm_options()]
        if value in values:
            return value
        return values[0] if values else ""

    def get_form(self, step=None, data=None, files=None):
        # A form built with data (a posted step, or a stored one validated again) shows and
        # cleans that data; its initial values are only read for a blank form.
        outer, self._form_is_bound = getattr(self, "_form_is_bound", False), data is not None
        try:
            return super().get_form(step=step, data=data, files=files)
        finally:
            self._form_is_bound = outer

    def get_form_initial(self, step):
        if step == "partner":
            return {
                "mpn_id": self.reseller.mpn_id,
                "indirect_reseller_domain": self.reseller.indirect_reseller_domain,
            }
        if step == "tenant":
            return self._tenant_initial()
        if step == "agreement":
            return self._agreement_initial()
        if step == "qualification":
            return self._qualification_initial()
        return {}

    def _qualification_initial(self):
        """What the customer's record already says: its education segment, a state-owned entity."""
        if getattr(self, "_form_is_bound", False):
            return {}  # only a blank step shows initial values: a posted one reads no customer
        customer = self.selected_customer()
        if customer is None:
            return {}
        initial = {}
        if customer.education_segment:
            initial["education_segment"] = customer.education_segment
        if customer.qualification == Customer.Qualification.STATE_OWNED_ENTITY:
            initial["special_qualification"] = STATE_OWNED_ENTITY
        return initial

    def _tenant_initial(self):
        customer = self.selected_customer()
        if customer is not None and customer.has_tenant:
            return {
                "tenant_preference": conditions.TENANT_EXISTING,
                "existing_tenant": customer.tenant_domain or str(customer.tenant_id),
            }
        if self.cart_segments & {Segment.EDUCATION, Segment.NONPROFIT}:
            return {"tenant_preference": conditions.TENANT_EXISTING}
        return {"tenant_preference": conditions.TENANT_NEW}

    def _agreement_initial(self):
        initial = {"accepted_on": timezone.localdate()}
        if getattr(self, "_form_is_bound", False):
            # The admin's name and e-mail prefill a blank step; validating the stored or
            # posted step (review, Buy, the placement) reads no contacts.
            return initial
        customer = self.selected_customer()
        admin = (
            next((c for c in customer.contacts.all() if c.kind == c.Kind.ADMIN), None)
            if customer
            else None
        )
        if admin is not None:
            initial.update(
                first_name=admin.first_name, last_name=admin.last_name, email=admin.email
            )
        return initial


def _create_customer(data, *, reseller, wizard_key):
    external_id = services.new_customer_key(wizard_key=wizard_key, login=data["login"])
    return services.customer_create(reseller=reseller, data=data, external_id=external_id)


def _check_partner(mpn_id, domain, *, reseller):
    fresh_for = timedelta(seconds=settings.WIZARD_PARTNER_READY_FRESH_SECONDS)
    return services.partner_check(
        reseller=reseller, mpn_id=mpn_id, domain=domain, fresh_for=fresh_for
    )


def _check_domain(domain, *, reseller, customer):
    return services.domain_check(reseller=reseller, domain=domain, customer=customer)


def _check_tenant(tenant, *, reseller, customer):
    return services.tenant_check(reseller=reseller, customer=customer, tenant=tenant)
