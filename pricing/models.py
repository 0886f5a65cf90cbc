"""A reseller's price book: what it charges its customers, as rules on the marketplace's cost."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from catalog.models import Segment
from catalog.money import format_money, format_rate


class Method(models.TextChoices):
    MARKUP = "markup", _("Markup on cost")
    MARGIN = "margin", _("Margin of the selling price")
    FIXED = "fixed", _("Fixed selling price")
    LIST = "list", _("The marketplace's list price")


class Rounding(models.TextChoices):
    CENT = "cent", _("To the cent")
    UP_CENT = "up_cent", _("Up to the next cent")
    UP_WHOLE = "up_whole", _("Up to a whole unit")
    CHARM = "charm", _("Up to .99 (e.g. 12.99)")
    UP_FIVE_CENTS = "up_0.05", _("Up to the next 0.05")


class Level(models.TextChoices):
    """Where a rule applies, most specific last: a more specific rule wins."""

    SEGMENT = "segment", _("Segment")
    FAMILY = "family", _("Product family (one MPN, every term and billing)")
    PRODUCT = "product", _("Product (one MPN, term and billing)")
    CUSTOMER = "customer", _("Customer (every product)")
    CUSTOMER_PRODUCT = "customer_product", _("Customer and product")


#: A rule's rank: the highest rank that applies wins (the default, with no rule, is 0).
LEVEL_RANK = {
    Level.SEGMENT: 1,
    Level.FAMILY: 2,
    Level.PRODUCT: 3,
    Level.CUSTOMER: 4,
    Level.CUSTOMER_PRODUCT: 5,
}

RATE_VALIDATORS = [MinValueValidator(Decimal("-99.99")), MaxValueValidator(Decimal("1000"))]


def rate_problems(method: str, rate, field: str) -> None:
    """Raise a ``ValidationError`` at ``field`` when ``rate`` makes no price for ``method``."""
    if method not in (Method.MARKUP, Method.MARGIN):
        return
    if rate is None:
        raise ValidationError({field: _("Enter a rate in percent, e.g. 20.")})
    if method == Method.MARGIN and not Decimal(0) <= rate < Decimal(100):
        raise ValidationError(
            {field: _("A margin is at least 0% and less than 100% of the price.")}
        )
    if method == Method.MARKUP and rate < Decimal("-99.99"):
        raise ValidationError({field: _("A markup cannot take the price to zero or below.")})


class PriceBook(models.Model):
    """One per reseller: the default way from cost to selling price, and its rounding."""

    reseller = models.OneToOneField(
        "customers.Reseller", on_delete=models.CASCADE, related_name="price_book"
    )
    method = models.CharField(
        _("default method"), max_length=8, choices=Method.choices, default=Method.LIST
    )
    rate = models.DecimalField(
        _("default rate (%)"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("0"),
        validators=RATE_VALIDATORS,
        help_text=_("Markup: 20 sells a 10.00 cost at 12.00. Margin: 20 sells it at 12.50."),
    )
    rounding = models.CharField(
        _("rounding"), max_length=8, choices=Rounding.choices, default=Rounding.CENT
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("price book")

    def __str__(self):
        return f"{_('Price book')} — {self.reseller}"

    def clean(self):
        rate_problems(self.method, self.rate, "rate")


class PriceRule(models.Model):
    """An override of the book's default for a segment, family, product or customer."""

    book = models.ForeignKey(PriceBook, on_delete=models.CASCADE, related_name="rules")
    level = models.CharField(_("applies to"), max_length=16, choices=Level.choices)
    segment = models.CharField(_("segment"), max_length=12, choices=Segment.choices, blank=True)
    mpn = models.CharField(
        _("MPN (product family)"), max_length=64, blank=True, help_text=_("For a family rule.")
    )
    product = models.ForeignKey(
        "catalog.Product", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    customer = models.ForeignKey(
        "customers.Customer", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    method = models.CharField(_("method"), max_length=8, choices=Method.choices)
    rate = models.DecimalField(
        _("rate (%)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=RATE_VALIDATORS,
    )
    fixed_price = models.DecimalField(
        _("fixed price"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    fixed_currency = models.CharField(_("currency"), max_length=3, blank=True)
    rounding = models.CharField(
        _("rounding"),
        max_length=8,
        choices=Rounding.choices,
        blank=True,
        help_text=_("Empty: the book's rounding."),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(
        _("valid until"), null=True, blank=True, help_text=_("The last day it applies.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("price rule")
        ordering = ["book", "level", "pk"]
        indexes = [models.Index(fields=["book", "level"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
                name="price_rule_valid_dates_in_order",
            ),
        ]

    def __str__(self):
        return f"{self.get_level_display()}: {self.target_words()} — {self.how_words()}"

    def clean(self):
        needed = {
            Level.SEGMENT: ["segment"],
            Level.FAMILY: ["mpn"],
            Level.PRODUCT: ["product"],
            Level.CUSTOMER: ["customer"],
            Level.CUSTOMER_PRODUCT: ["customer", "product"],
        }.get(self.level, [])
        errors = {
            name: _("Choose what this rule applies to.")
            for name in needed
            if not getattr(self, name if name in ("segment", "mpn") else f"{name}_id")
        }
        if self.method == Method.FIXED:
            if self.level not in (Level.PRODUCT, Level.CUSTOMER_PRODUCT):
                errors["method"] = _("A fixed price needs one product: choose a product rule.")
            if self.fixed_price is None or self.fixed_price < 0:
                errors["fixed_price"] = _("Enter the selling price of one seat.")
            if self.product_id and self.fixed_currency != self.product.currency:
                errors["fixed_currency"] = _(
                    "The product is priced in %(currency)s: enter the price in it."
                ) % {"currency": self.product.currency}
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            errors["valid_until"] = _("The last day cannot be before the first.")
        if errors:
            raise ValidationError(errors)
        rate_problems(self.method, self.rate, "rate")

    @property
    def rank(self) -> int:
        return LEVEL_RANK[self.level]

    def target_words(self) -> str:
        if self.level == Level.SEGMENT:
            return self.get_segment_display()
        if self.level == Level.FAMILY:
            return self.mpn
        if self.level == Level.PRODUCT:
            return str(self.product)
        if self.level == Level.CUSTOMER:
            return str(self.customer)
        return f"{self.customer} — {self.product}"

    def how_words(self) -> str:
        if self.method == Method.FIXED:
            return format_money(self.fixed_price, self.fixed_currency)
        if self.method == Method.LIST:
            return str(Method.LIST.label)
        return _("%(method)s %(rate)s") % {
            "method": self.get_method_display(),
            "rate": format_rate(self.rate),
        }

    def applies_on(self, day) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day <= self.valid_until
        )
