"""The Microsoft NCE catalogue as the marketplace sells it, and each user's cart."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choice_labels import ChoiceLabels


class Segment(models.TextChoices):
    COMMERCIAL = "commercial", _("Commercial")
    EDUCATION = "education", _("Education")
    NONPROFIT = "nonprofit", _("Nonprofit")
    GOVERNMENT = "government", _("Government")


class Period(models.TextChoices):
    """ISO 8601 durations, used for both the term and the billing frequency."""

    P1M = "P1M", _("1 month")
    P1Y = "P1Y", _("1 year")
    P3Y = "P3Y", _("3 years")


BILLING_LABELS = {Period.P1M: _("Monthly"), Period.P1Y: _("Annual"), Period.P3Y: _("Triennial")}


class ProductQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class Product(ChoiceLabels):
    """One orderable row: an MPN with one term and one billing frequency."""

    mpn = models.CharField(_("MPN"), max_length=64)
    vendor = models.CharField(max_length=64, default="Microsoft")
    upstream_id = models.CharField(max_length=32, blank=True)
    name = models.CharField(max_length=255)
    service_name = models.CharField(max_length=255, blank=True)
    segment = models.CharField(max_length=12, choices=Segment.choices)
    term = models.CharField(max_length=3, choices=Period.choices)
    billing_period = models.CharField(max_length=3, choices=Period.choices)
    price = models.DecimalField(
        max_digits=12, decimal_places=2, help_text=_("Per seat, per billing period.")
    )
    cost = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0"))
    currency = models.CharField(max_length=3, default="USD")
    minimum_quantity = models.PositiveIntegerField(default=1)
    maximum_quantity = models.PositiveIntegerField(default=10000)
    offer_attestation_required = models.BooleanField(default=False)
    offer_attestation_text = models.TextField(blank=True)
    coterming_required = models.CharField(
        max_length=10,
        blank=True,
        help_text=_("The marketplace's coterming rule: MANDATORY, ALLOWED or RESTRICTED."),
    )
    coterming_type = models.CharField(
        max_length=12, blank=True, help_text=_("What it aligns to: SUBSCRIPTION or END_OF_MONTH.")
    )
    active = models.BooleanField(default=True)
    synced_at = models.DateTimeField(null=True, blank=True)

    objects = ProductQuerySet.as_manager()

    class Meta:
        ordering = ["name", "term", "billing_period"]
        constraints = [
            models.UniqueConstraint(
                fields=["mpn", "vendor", "term", "billing_period"], name="one_row_per_mpn_period"
            )
        ]
        indexes = [
            models.Index(fields=["segment", "active", "name"]),
            models.Index(fields=["mpn"]),
        ]

    def __str__(self):
        return f"{self.name} ({self.mpn}, {self.get_term_display()}, {self.billing_label})"

    @property
    def billing_label(self):
        return BILLING_LABELS.get(self.billing_period, self.billing_period)


class Cart(models.Model):
    """Each user has one cart; it lives in the database so it survives logout."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cart"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Cart of {self.user}"


class CartLine(models.Model):
    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField(default=1)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cart", "product"], name="one_line_per_product")
        ]

    def __str__(self):
        return f"{self.quantity} × {self.product.name}"

    #: The buyer's selling price (a ``pricing.selectors.ResolvedPrice``), set by whoever knows
    #: the reseller and customer (``pricing.selectors.cart_lines_price``); unset, the list price.
    selling = None

    @property
    def unit_price(self):
        return self.selling.price if self.selling is not None else self.product.price

    @property
    def line_price(self):
        return self.unit_price * self.quantity
