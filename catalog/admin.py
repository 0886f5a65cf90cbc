"""Admin for the catalogue and users' carts."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from config.admin_labels import NamedInputsMixin

from .models import Cart, CartLine, Product


@admin.register(Product)
class ProductAdmin(NamedInputsMixin, admin.ModelAdmin):
    list_display = [
        "name",
        "mpn",
        "segment",
        "term",
        "billing_period",
        "price",
        "cost",
        "currency",
        "offer_attestation_required",
        "active",
        "synced_at",
    ]
    list_filter = [
        "segment",
        "term",
        "billing_period",
        "active",
        "offer_attestation_required",
        "vendor",
    ]
    search_fields = ["name", "mpn", "upstream_id", "service_name"]
    readonly_fields = ["synced_at"]
    list_per_page = 50
    fieldsets = [
        (None, {"fields": ["name", "service_name", "vendor", "mpn", "upstream_id", "segment"]}),
        ("Term and billing", {"fields": ["term", "billing_period"]}),
        ("Price", {"fields": ["price", "cost", "currency"]}),
        ("Quantity", {"fields": ["minimum_quantity", "maximum_quantity"]}),
        ("Offer attestation", {"fields": ["offer_attestation_required", "offer_attestation_text"]}),
        ("Availability", {"fields": ["active", "synced_at"]}),
    ]


class CartLineInline(NamedInputsMixin, admin.TabularInline):
    model = CartLine
    extra = 0
    autocomplete_fields = ["product"]
    readonly_fields = ["added_at"]


@admin.register(Cart)
class CartAdmin(NamedInputsMixin, admin.ModelAdmin):
    list_display = ["user", "line_count", "updated_at"]
    search_fields = ["user__username", "user__email", "user__reseller__name"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
    inlines = [CartLineInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(line_total=Count("lines"))

    @admin.display(description=_("Lines"), ordering="line_total")
    def line_count(self, obj):
        return obj.line_total


@admin.register(CartLine)
class CartLineAdmin(NamedInputsMixin, admin.ModelAdmin):
    list_display = ["product", "quantity", "cart", "added_at"]
    search_fields = ["product__name", "product__mpn", "cart__user__username"]
    list_select_related = ["product", "cart__user"]
    autocomplete_fields = ["cart", "product"]
