from django.contrib import admin

from config.admin_labels import NamedInputsMixin

from .models import PriceBook, PriceRule


class PriceRuleInline(NamedInputsMixin, admin.TabularInline):
    model = PriceRule
    extra = 0
    raw_id_fields = ["product", "customer"]


@admin.register(PriceBook)
class PriceBookAdmin(NamedInputsMixin, admin.ModelAdmin):
    list_display = ["reseller", "method", "rate", "rounding", "updated_at"]
    list_select_related = ["reseller"]
    inlines = [PriceRuleInline]


@admin.register(PriceRule)
class PriceRuleAdmin(NamedInputsMixin, admin.ModelAdmin):
    list_display = ["book", "level", "method", "rate", "fixed_price", "valid_from", "valid_until"]
    list_filter = ["level", "method"]
    raw_id_fields = ["product", "customer"]
    list_select_related = ["book__reseller"]
