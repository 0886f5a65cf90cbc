"""Orders: lines, parameters, attestations, history, subscriptions and seat batches."""

import functools

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, FSMFieldMixin, transition

from catalog.choice_labels import ChoiceLabels
from catalog.models import Period
from customers.scoping import ScopedQuerySet
from rules.subscription import BILLING_WORDS


class Status(models.TextChoices):
    AWAITING_APPROVAL = "awaiting_approval", _("Waiting for the reseller's approval")
    DECLINED = "declined", _("Declined by the reseller")
    PLACED = "placed", _("Placed")
    SUBMITTING = "submitting", _("Sending to the marketplace")
    SUBMITTED = "submitted", _("Submitted")
    PROCESSING = "processing", _("Processing")
    COMPLETED = "completed", _("Completed")
    FAILED = "failed", _("Failed")
    UNKNOWN = "unknown", _("Checking with the marketplace")
    CANCEL_REQUESTED = "cancel_requested", _("Cancellation requested")
    CANCELLED = "cancelled", _("Cancelled")


class OrderQuerySet(ScopedQuerySet):
    reseller_lookup = "reseller_id"
    customer_lookup = "customer_id"


class Order(ConcurrentTransitionMixin, ChoiceLabels):
    """One order as the reseller placed it, and where it stands upstream.

    ``status`` only moves through the transition methods below; each move is
    saved with a conditional UPDATE (``ConcurrentTransitionMixin``), so two
    workers can never both make the same move, and is recorded as an
    ``OrderEvent`` by ``orders.lifecycle``.
    """

    Status = Status

    class Kind(models.TextChoices):
        SALES = "sales", _("New purchase")
        CHANGE = "change", _("Seat change")
        CANCELLATION = "cancellation", _("Cancellation")

    class Channel(models.TextChoices):
        WIZARD = "wizard", _("Reseller wizard")
        SELF_SERVICE = "self_service", _("Customer self-service")
        API = "api", _("JSON API")
        ADMIN = "admin", _("Admin")

    reference = models.CharField(
        max_length=20,
        unique=True,
        editable=False,
        help_text=_("Our order number; also sent upstream so a lost response can be found again."),
    )
    # Unique per reseller (constraint below): keys are scoped to their owner, so another
    # reseller's key is simply a new key and says nothing about that reseller's orders.
    idempotency_key = models.UUIDField(editable=False)
    reseller = models.ForeignKey(
        "customers.Reseller", on_delete=models.PROTECT, related_name="orders"
    )
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="orders"
    )
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.CharField(max_length=12, choices=Channel.choices, default=Channel.WIZARD)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.SALES)
    status = FSMField(default=Status.PLACED, choices=Status.choices, protected=False, db_index=True)
    po_number = models.CharField(_("PO number"), max_length=64, blank=True)
    currency = models.CharField(max_length=3, default="USD")
    total = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    subscription = models.ForeignKey(
        "orders.Subscription",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="change_orders",
        help_text=_("The subscription a change or cancellation acts on."),
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="follow_ups",
        help_text=_("The order whose subscription a change or cancellation acts on."),
    )

    plan_switch = models.JSONField(
        null=True,
        blank=True,
        help_text=_(
            "On an upgrade or a term/billing change (kind change): the marketplace's switch it "
            "places: plan_id, type (UPGRADE or CHANGE_PLAN_PERIOD), billing_policy, "
            "when_effective, the source product and whether all seats move."
        ),
    )

    at_renewal = models.BooleanField(
        default=False,
        help_text=_(
            "A change scheduled for the subscription's next renewal (scheduledOn: renewal)."
        ),
    )
    applied_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When a change scheduled for the renewal took effect.")
    )
    coterm_with = models.ForeignKey(
        "orders.Subscription",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_(
            "A sales order co-termed with this subscription: its new subscriptions end then."
        ),
    )
    coterm_end_of_month = models.BooleanField(
        default=False,
        help_text=_("A sales order whose new subscriptions end at the end of a calendar month."),
    )

    upstream_order_id = models.CharField(max_length=32, blank=True, db_index=True)
    upstream_order_number = models.CharField(max_length=32, blank=True, db_index=True)
    upstream_status = models.CharField(max_length=20, blank=True)
    upstream_status_code = models.CharField(max_length=8, blank=True)
    marketplace_refund = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_(
            "The refund the marketplace itself stated for a cancellation or seat reduction."
        ),
    )
    marketplace_refund_currency = models.CharField(max_length=3, blank=True)
    marketplace_refund_basis = models.CharField(
        max_length=10,
        blank=True,
        choices=[
            ("estimated", _("Estimated by the marketplace")),
            ("confirmed", _("Confirmed by the marketplace")),
        ],
        help_text=_(
            "Estimated: stated while the order was open; confirmed: on the completed order."
        ),
    )
    failure_message = models.TextField(blank=True, help_text=_("What the marketplace said."))
    failure_guidance = models.TextField(
        blank=True, help_text=_("What the reseller should do next.")
    )

    submit_attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    next_poll_at = models.DateTimeField(null=True, blank=True, db_index=True)
    poll_count = models.PositiveIntegerField(default=0)

    claimed_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When a worker last took the order to send it.")
    )
    unknown_since = models.DateTimeField(
        null=True, blank=True, help_text=_("When the outcome of the last send became uncertain.")
    )

    placed_at = models.DateTimeField(auto_now_add=True, db_index=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    details_pending = models.BooleanField(
        default=False,
        help_text=(
            _(
                "Ticked only once a list of the customer's orders showed the order completed "
                "upstream and its detail (the subscriptions it created, a refund) is still to be "
                "read. Unticked says nothing about completion: see the status."
            )
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrderQuerySet.as_manager()

    class Meta:
        ordering = ["-placed_at", "-pk"]
        indexes = [
            models.Index(fields=["reseller", "-placed_at"]),
            models.Index(fields=["status", "next_poll_at"]),
            models.Index(
                fields=["next_poll_at"], condition=Q(details_pending=True), name="order_details_due"
            ),
        ]
        constraints = [
            # The marketplace refuses a second open change on one subscription;
            # refuse it here first, also against two simultaneous requests.
            models.UniqueConstraint(
                fields=["subscription"],
                condition=Q(kind__in=["change", "cancellation"])
                & Q(status__in=["placed", "submitting", "submitted", "processing", "unknown"]),
                name="one_open_change_per_subscription",
            ),
            models.UniqueConstraint(
                fields=["reseller", "idempotency_key"], name="one_order_per_reseller_key"
            ),
        ]

    def __str__(self):
        return self.reference

    @property
    def state_fields(self):
        """The FSM fields (django-fsm's ConcurrentTransitionMixin records them on every order
        made): found once, not by testing the order's forty fields each time (a page of 50
        orders tested 2,000)."""
        return _state_fields(type(self))

    # Transitions. Bodies stay empty: side effects belong to orders.services.

    @transition(field=status, source=Status.AWAITING_APPROVAL, target=Status.PLACED)
    def approve(self):
        """The reseller approved an end customer's order: it may now be sent."""

    @transition(field=status, source=Status.AWAITING_APPROVAL, target=Status.DECLINED)
    def decline(self):
        """The reseller declined an end customer's order: it is never sent."""

    @transition(field=status, source=Status.PLACED, target=Status.SUBMITTING)
    def claim_for_submission(self):
        """Take the order to send it upstream; only one worker can win this."""

    @transition(field=status, source=[Status.SUBMITTING, Status.UNKNOWN], target=Status.PLACED)
    def release(self):
        """Nothing reached the marketplace: the order can be sent again."""

    @transition(field=status, source=[Status.SUBMITTING, Status.UNKNOWN], target=Status.SUBMITTED)
    def accept(self):
        """The marketplace accepted the order."""

    @transition(field=status, source=Status.SUBMITTING, target=Status.UNKNOWN)
    def lose_track(self):
        """The request may or may not have arrived; reconcile before anything is sent again."""

    @transition(field=status, source=Status.PLACED, target=Status.UNKNOWN)
    def doubt_after_restore(self):
        """Restored from a backup: it may have been sent after the backup; look before sending."""

    @transition(field=status, source=Status.SUBMITTED, target=Status.PROCESSING)
    def start_processing(self):
        """The marketplace is provisioning the order."""

    @transition(field=status, source=[Status.SUBMITTED, Status.PROCESSING], target=Status.COMPLETED)
    def complete(self):
        """The marketplace finished provisioning."""

    @transition(
        field=status,
        source=[Status.SUBMITTING, Status.SUBMITTED, Status.PROCESSING, Status.UNKNOWN],
        target=Status.FAILED,
    )
    def fail(self):
        """The marketplace refused or could not provision the order."""

    @transition(field=status, source=Status.FAILED, target=Status.PLACED)
    def resubmit(self):
        """Try a failed order again once its cause is fixed (a new attempt, same order)."""

    @transition(field=status, source=Status.COMPLETED, target=Status.CANCEL_REQUESTED)
    def request_cancellation(self):
        """A cancellation order for this order's subscriptions was placed."""

    @transition(field=status, source=Status.CANCEL_REQUESTED, target=Status.CANCELLED)
    def confirm_cancellation(self):
        """The cancellation order completed; the seats are terminated."""

    @transition(field=status, source=Status.CANCEL_REQUESTED, target=Status.COMPLETED)
    def refuse_cancellation(self):
        """The cancellation order failed; the subscriptions stay active."""

    @property
    def is_open(self):
        return self.status not in (
            Status.COMPLETED,
            Status.FAILED,
            Status.CANCELLED,
            Status.DECLINED,
        )


@functools.cache
def _state_fields(model) -> tuple:
    return tuple(field for field in model._meta.fields if isinstance(field, FSMFieldMixin))


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+")
    mpn = models.CharField(_("MPN"), max_length=64)
    vendor = models.CharField(max_length=64, default="Microsoft")
    name = models.CharField(max_length=255)
    term = models.CharField(max_length=3)
    billing_period = models.CharField(max_length=3)
    quantity = models.IntegerField(help_text=_("Seats bought; on a change order, the new total."))
    unit_price = models.DecimalField(
        max_digits=12, decimal_places=2, help_text=_("The selling price of one seat, at placement.")
    )
    currency = models.CharField(max_length=3, default="USD")
    # Issue 24: what the seat cost the reseller and where its selling price came from.
    unit_cost = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("The marketplace's cost of one seat to the reseller, at placement."),
    )
    price_source = models.CharField(
        max_length=255, blank=True, help_text=_("The price book rule that gave the selling price.")
    )
    subscription = models.ForeignKey(
        "orders.Subscription", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return f"{self.quantity} × {self.name}"

    @classmethod
    def for_product(cls, order, product, quantity: int, *, resolved=None, **fields) -> "OrderLine":
        """Return an unsaved line of ``order`` for ``quantity`` of ``product`` at today's price.

        The product's MPN, name, periods and price are copied: the line keeps what was
        ordered even when the catalogue changes later. ``resolved`` (a
        ``pricing.selectors.ResolvedPrice``) is the reseller's selling price; without it
        the line is at the marketplace's list price.
        """
        if resolved is not None:
            fields.setdefault("unit_price", resolved.price)
            fields.setdefault("unit_cost", resolved.cost)
            fields.setdefault("price_source", resolved.source[:255])
        fields.setdefault("unit_price", product.price)
        fields.setdefault("unit_cost", product.cost or None)
        return cls(
            order=order,
            product=product,
            mpn=product.mpn,
            vendor=product.vendor,
            name=product.name,
            term=product.term,
            billing_period=product.billing_period,
            quantity=quantity,
            currency=product.currency,
            **fields,
        )

    @property
    def line_price(self):
        return self.unit_price * self.quantity

    @property
    def unit_margin(self):
        """The reseller's margin on one seat, or None without a recorded cost."""
        return None if self.unit_cost is None else self.unit_price - self.unit_cost

    @property
    def period_label(self):
        """The term and billing in words, e.g. "3 years, billed annually"."""
        term = Period(self.term).label if self.term in Period.values else self.term
        return f"{term}, billed {BILLING_WORDS.get(self.billing_period, self.billing_period)}"


class OrderParameter(models.Model):
    """A parameter sent upstream: on the order, or on one of its lines."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="parameters")
    line = models.ForeignKey(
        OrderLine, null=True, blank=True, on_delete=models.CASCADE, related_name="parameters"
    )
    name = models.CharField(max_length=64)
    value = models.CharField(max_length=255, blank=True)
    structured_value = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["order", "line", "pk"]

    def __str__(self):
        shown = self.structured_value if self.structured_value is not None else self.value
        return f"{self.name}={shown}"


class Attestation(models.Model):
    """A statement someone accepted, word for word, with who, when and from where."""

    class Kind(models.TextChoices):
        PARTNER_OF_RECORD = "partner_of_record", _("Partner of Record")
        OFFER = "offer", _("Offer attestation")
        CUSTOMER_AGREEMENT = "customer_agreement", _("Microsoft Customer Agreement")
        TERMS = "terms", _("Terms of sale")

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="attestations")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    product = models.ForeignKey(
        "catalog.Product", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(help_text=_("Exactly what was shown."))
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    accepted_at = models.DateTimeField()
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.order}"


class ImmutableRowError(ValidationError):
    pass


class AppendOnly(ChoiceLabels):
    """A history row: written once, never edited, never deleted."""

    #: How the rows are named in the refusal ("Order events are never edited.").
    rows_name = "History rows"

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableRowError(f"{self.rows_name} are never edited.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRowError(f"{self.rows_name} are never deleted.")


class OrderEvent(AppendOnly):
    """One change of an order's state, or one action on it. Never edited, never deleted."""

    rows_name = "Order events"

    class Actor(models.TextChoices):
        RESELLER = "reseller", _("Reseller")
        CUSTOMER = "customer", _("End customer")
        ADMIN = "admin", _("Admin")
        SUPPORT = "support", _("Support")
        WORKER = "worker", _("Background worker")
        UPSTREAM = "upstream", _("Marketplace")
        SYSTEM = "system", _("System")

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="events")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    action = models.CharField(max_length=40, help_text=_("The transition or action, e.g. accept."))
    cause = models.TextField()
    actor = models.CharField(max_length=10, choices=Actor.choices)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    correlation_id = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.order}: {self.from_status or '-'} → {self.to_status or '-'} ({self.action})"


class EventReceipt(models.Model):
    """That one listener was told of one order event (``orders.events``); never told twice."""

    #: The receipt that marks where receipts began: events up to it were told without them.
    OUTBOX_START = "(outbox start)"

    event = models.ForeignKey(OrderEvent, on_delete=models.PROTECT, related_name="receipts")
    listener = models.CharField(max_length=80)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "listener"], name="one_receipt_per_listener")
        ]

    def __str__(self):
        return f"{self.listener} told of event {self.event_id}"


class SubscriptionQuerySet(ScopedQuerySet):
    reseller_lookup = "customer__reseller_id"
    customer_lookup = "customer_id"


class Subscription(ChoiceLabels):
    """A subscription the marketplace created for an order, or one adopted from the estate."""

    class Origin(models.TextChoices):
        ORDERED = "ordered", _("Ordered here")
        ADOPTED = "adopted", _("Adopted from the marketplace")

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="subscriptions"
    )
    order = models.ForeignKey(
        Order,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subscriptions",
        help_text=_("The order that bought it; empty for a subscription bought elsewhere."),
    )
    origin = models.CharField(
        max_length=8, choices=Origin.choices, default=Origin.ORDERED, db_index=True
    )
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+")
    upstream_id = models.CharField(max_length=32, db_index=True)
    status = models.CharField(max_length=20, default="pending")
    seats = models.PositiveIntegerField()
    tenant_domain = models.CharField(max_length=255, blank=True)
    tenant_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(help_text=_("When the marketplace created it."))
    cancellation_window_ends_at = models.DateTimeField()
    auto_renew = models.BooleanField(
        null=True, blank=True, help_text=_("Whether it renews by itself; None until first synced.")
    )
    renewal_date = models.DateField(null=True, blank=True, db_index=True)
    term_started_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("When the current term began (purchase or last renewal)."),
    )
    synced_at = models.DateTimeField(null=True, blank=True)
    # Issue 24: the prices the subscription was sold and bought at (per seat, per billing
    # period), ours from the order line, the marketplace's as its detail states them.
    unit_price = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Our selling price of one seat per billing period (the end customer's price)."),
    )
    unit_cost = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("The reseller's cost of one seat per billing period, at placement."),
    )
    currency = models.CharField(max_length=3, blank=True)
    marketplace_unit_price = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("The unit price the marketplace records for the subscription."),
    )
    marketplace_unit_cost = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("The unit cost the marketplace records for the subscription."),
    )

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "upstream_id"], name="one_row_per_upstream_subscription"
            )
        ]

    def __str__(self):
        return f"{self.product.name} × {self.seats} ({self.upstream_id})"

    @property
    def is_adopted(self) -> bool:
        return self.origin == self.Origin.ADOPTED

    @property
    def reseller(self):
        return self.customer.reseller

    @property
    def unit_margin(self):
        """Our margin on one seat (our price − our cost), or None if either is unknown."""
        if self.unit_price is None or self.unit_cost is None:
            return None
        return self.unit_price - self.unit_cost

    @property
    def marketplace_margin(self):
        """The marketplace's margin on one seat (its unitPrice − unitCost), or None."""
        if self.marketplace_unit_price is None or self.marketplace_unit_cost is None:
            return None
        return self.marketplace_unit_price - self.marketplace_unit_cost

    @property
    def prices_differ(self) -> bool:
        """Whether the marketplace records another price or cost than we did (issue 24)."""
        ours = (self.unit_price, self.unit_cost)
        theirs = (self.marketplace_unit_price, self.marketplace_unit_cost)
        return None not in ours and None not in theirs and ours != theirs


class SeatBatch(models.Model):
    """Seats added to a subscription by one order, with their own cancellation window."""

    subscription = models.ForeignKey(Subscription, on_delete=models.PROTECT, related_name="batches")
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="seat_batches")
    seats = models.PositiveIntegerField()
    seats_removed = models.PositiveIntegerField(default=0)
    added_at = models.DateTimeField()
    window_ends_at = models.DateTimeField()

    class Meta:
        ordering = ["subscription", "added_at", "pk"]

    def __str__(self):
        return f"{self.seats} seats on {self.subscription.upstream_id} ({self.added_at:%Y-%m-%d})"

    @property
    def seats_left(self):
        return self.seats - self.seats_removed


class UpstreamExchange(models.Model):
    """One request this product sent to the marketplace for an order, and what came back."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="exchanges")
    operation = models.CharField(max_length=40, help_text=_("e.g. create_order, get_order."))
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=255)
    request_body = models.JSONField(null=True, blank=True)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True)
    error = models.TextField(
        blank=True, help_text=_("The exception, when there was no usable answer.")
    )
    correlation_id = models.CharField(max_length=80, blank=True)
    started_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["started_at", "pk"]

    def __str__(self):
        return f"{self.order}: {self.method} {self.path} → {self.status_code or self.error[:40]}"


class UnrecognisedUpstreamError(models.Model):
    """An upstream error message the error catalogue has no entry for, and how often it came."""

    digest = models.CharField(max_length=64, unique=True, help_text=_("SHA-256 of the message."))
    message = models.TextField()
    count = models.PositiveIntegerField(default=1)
    first_seen = models.DateTimeField()
    last_seen = models.DateTimeField(db_index=True)
    last_order = models.ForeignKey(
        Order, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-count", "-last_seen"]

    def __str__(self):
        return self.message[:80]


class SubscriptionEvent(AppendOnly):
    """One thing that happened to a subscription. Never edited, never deleted.

    ``details`` holds what the kind needs, JSON-safe: for a change seen outside this product,
    ``{"before": {...}, "after": {...}}`` of the fields that moved.
    """

    rows_name = "Subscription events"

    Actor = OrderEvent.Actor

    subscription = models.ForeignKey(Subscription, on_delete=models.PROTECT, related_name="history")
    kind = models.CharField(max_length=40, db_index=True)
    cause = models.TextField(help_text=_("What happened, in words."))
    actor = models.CharField(max_length=10, choices=Actor.choices)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.subscription_id}: {self.kind}"


class SubscriptionEventReceipt(models.Model):
    """That one listener was told of one subscription event; never told twice."""

    event = models.ForeignKey(SubscriptionEvent, on_delete=models.PROTECT, related_name="receipts")
    listener = models.CharField(max_length=80)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["event", "listener"], name="one_subscription_receipt_per_listener"
            )
        ]

    def __str__(self):
        return f"{self.listener} told of subscription event {self.event_id}"
