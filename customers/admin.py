"""Admin for connections, resellers, customers, contacts and users.

Secrets (the marketplace password and subscription key) are write-only here:
the form never renders them, an empty field keeps the stored value, and the
pages show at most their last four characters. A customer's kept passwords
(``Credential``) are never shown at all, and each time someone viewed one
(``CredentialView``) is a read-only record.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Count
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from config.admin_labels import NamedInputsMixin

from .admin_forms import (
    ContactAdminForm,
    CustomerAdminForm,
    ResellerAdminForm,
    UserAdminChangeForm,
    UserAdminCreationForm,
)
from .admin_two_factor import reset_two_factor
from .models import (
    Contact,
    Credential,
    CredentialView,
    Customer,
    MarketplaceConnection,
    Reseller,
    User,
)
from .notices import SELF_SERVICE_MICROSOFT_NOTICE

SECRET_FIELDS = ("password", "subscription_key")


def mask_secret(value):
    """Return ``value`` hidden but for its last four characters."""
    if not value:
        return "not set"
    tail = value[-4:] if len(value) > 8 else ""
    return f"••••{tail}"


class MarketplaceConnectionForm(forms.ModelForm):
    """Secrets are typed, never shown back; leave a secret empty to keep it."""

    password = forms.CharField(
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    subscription_key = forms.CharField(
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )
    # The Marketplace API is served over HTTPS; a typed "api.cloud.im/..." means that.
    base_url = forms.URLField(
        assume_scheme="https",
        help_text=MarketplaceConnection._meta.get_field("base_url").help_text,
    )

    class Meta:
        model = MarketplaceConnection
        fields = [
            "name",
            "base_url",
            "marketplace_code",
            "username",
            "password",
            "subscription_key",
            "is_shared",
            "reference_dropped_at",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in SECRET_FIELDS:
            current = getattr(self.instance, name, "") if self.instance.pk else ""
            field = self.fields[name]
            if current:
                field.help_text = _(
                    "Stored: %(masked)s. Leave empty to keep it; type a new value to replace it."
                ) % {"masked": mask_secret(current)}
            else:
                field.required = True

    def _clean_secret(self, name):
        value = self.cleaned_data.get(name, "")
        if not value and self.instance.pk:
            return getattr(self.instance, name)
        return value

    def clean_password(self):
        return self._clean_secret("password")

    def clean_subscription_key(self):
        return self._clean_secret("subscription_key")


@admin.register(MarketplaceConnection)
class MarketplaceConnectionAdmin(NamedInputsMixin, admin.ModelAdmin):
    form = MarketplaceConnectionForm
    list_display = [
        "name",
        "base_url",
        "marketplace_code",
        "username",
        "masked_subscription_key",
        "is_shared",
        "reseller_count",
        "updated_at",
    ]
    list_filter = ["is_shared", "marketplace_code"]
    search_fields = ["name", "base_url", "username"]
    readonly_fields = ["reference_dropped_order", "created_at", "updated_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(reseller_total=Count("resellers"))

    @admin.display(description=_("Subscription key"))
    def masked_subscription_key(self, obj):
        return mask_secret(obj.subscription_key)

    @admin.display(description=_("Resellers"), ordering="reseller_total")
    def reseller_count(self, obj):
        return obj.reseller_total


@admin.register(Reseller)
class ResellerAdmin(NamedInputsMixin, admin.ModelAdmin):
    form = ResellerAdminForm
    list_display = [
        "name",
        "mpn_id",
        "indirect_reseller_domain",
        "tier_status",
        "tier_checked_at",
        "self_service_enabled",
        "connection",
    ]
    list_filter = ["tier_status", "self_service_enabled", "connection"]
    search_fields = [
        "name",
        "mpn_id",
        "indirect_reseller_domain",
        "upstream_reseller_id",
        "staff_email_domain",
    ]
    list_select_related = ["connection"]
    readonly_fields = ["tier_status", "tier_checked_at", "tier_reason", "created_at"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "staff_email_domain",
                    "self_service_enabled",
                    "self_service_cancel_allowed",
                    "two_factor_required",
                ],
                "description": format_lazy(
                    "{} {}",
                    _("Self-service lets this reseller's customers order licences themselves."),
                    SELF_SERVICE_MICROSOFT_NOTICE,
                ),
            },
        ),
        (
            _("Marketplace"),
            {"fields": ["connection", "upstream_reseller_id", "payment_method"]},
        ),
        (
            _("Partner profile (tier configuration)"),
            {
                "fields": [
                    "mpn_id",
                    "indirect_reseller_domain",
                    "tier_status",
                    "tier_checked_at",
                    "tier_reason",
                ],
                "description": _(
                    "The marketplace checks these before every order; the status shows the "
                    "last check."
                ),
            },
        ),
        (_("Record"), {"fields": ["created_at"]}),
    ]


class ContactInline(NamedInputsMixin, admin.StackedInline):
    model = Contact
    form = ContactAdminForm
    extra = 0
    min_num = 0
    fields = [("kind", "login"), ("first_name", "last_name"), ("email", "phone")]


class RecordAdminMixin:
    """Records, not data: nothing is added, changed or deleted here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CredentialInline(RecordAdminMixin, admin.TabularInline):
    """Which sign-ins are kept for the customer; the password itself is never shown here."""

    model = Credential
    extra = 0
    max_num = 0
    can_delete = False
    fields = readonly_fields = ["kind", "login", "tenant_domain", "order_reference", "updated_at"]


@admin.register(Customer)
class CustomerAdmin(NamedInputsMixin, admin.ModelAdmin):
    form = CustomerAdminForm
    inlines = [ContactInline, CredentialInline]
    list_display = [
        "company_name",
        "reseller",
        "country",
        "tenant_domain",
        "relationship",
        "has_valid_mca",
        "qualification",
        "upstream_customer_id",
    ]
    list_filter = ["relationship", "qualification", "education_segment", "country", "reseller"]
    search_fields = [
        "company_name",
        "tenant_domain",
        "upstream_customer_id",
        "contacts__email",
        "contacts__last_name",
        "reseller__name",
    ]
    list_select_related = ["reseller"]
    autocomplete_fields = ["reseller"]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["reseller", "company_name", "language", "upstream_customer_id"]}),
        (
            _("Address"),
            {
                "fields": [
                    "street_address",
                    "address_extension",
                    ("postal_code", "city"),
                    ("state", "country"),
                    "registration_number",
                ]
            },
        ),
        (_("Microsoft tenant"), {"fields": ["tenant_domain", "tenant_id", "relationship"]}),
        (
            _("Microsoft Customer Agreement"),
            {
                "fields": [
                    ("mca_accepted_first_name", "mca_accepted_last_name"),
                    "mca_accepted_email",
                    "mca_accepted_on",
                ]
            },
        ),
        (_("Qualification"), {"fields": ["qualification", "education_segment"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"]}),
    ]

    @admin.display(boolean=True, description=_("MCA accepted"), ordering="mca_accepted_on")
    def has_valid_mca(self, obj):
        return obj.has_valid_mca


@admin.register(Contact)
class ContactAdmin(NamedInputsMixin, admin.ModelAdmin):
    form = ContactAdminForm
    list_display = ["__str__", "kind", "customer", "phone", "login"]
    list_filter = ["kind"]
    search_fields = ["first_name", "last_name", "email", "login", "customer__company_name"]
    list_select_related = ["customer"]
    autocomplete_fields = ["customer"]


@admin.register(User)
class UserAdmin(NamedInputsMixin, DjangoUserAdmin):
    form = UserAdminChangeForm
    add_form = UserAdminCreationForm
    list_display = [
        "username",
        "email",
        "first_name",
        "last_name",
        "role",
        "reseller",
        "customer",
        "is_active",
        "last_login",
    ]
    list_filter = ["role", "is_active", "is_staff", "is_superuser", "reseller"]
    search_fields = [
        "username",
        "email",
        "first_name",
        "last_name",
        "reseller__name",
        "customer__company_name",
    ]
    list_select_related = ["reseller", "customer"]
    autocomplete_fields = ["reseller", "customer"]
    actions = [reset_two_factor]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name", "email"]}),
        (
            _("Role"),
            {
                "fields": ["role", "reseller", "customer"],
                "description": _(
                    "Reseller staff belong to one reseller; end-customer users to one customer. "
                    "Support staff read everything and change nothing. Administrators also need "
                    "“Staff status” to open this admin."
                ),
            },
        ),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "username",
                    "email",
                    "role",
                    "reseller",
                    "customer",
                    "usable_password",
                    "password1",
                    "password2",
                ],
            },
        ),
    ]

    def save_model(self, request, obj, form, change):
        if not change and obj.role == User.Role.ADMIN:
            obj.is_staff = True  # an administrator's whole job is here
        super().save_model(request, obj, form, change)


@admin.register(CredentialView)
class CredentialViewAdmin(RecordAdminMixin, admin.ModelAdmin):
    """Every time someone viewed a customer's password: who, when, which (read-only)."""

    list_display = ["viewed_at", "viewer", "viewer_role", "customer", "kind", "ip_address"]
    list_filter = ["viewer_role", "credential__kind"]
    search_fields = ["viewer__username", "credential__customer__company_name"]
    list_select_related = ["viewer", "credential__customer"]
    fields = readonly_fields = [
        "viewed_at",
        "viewer",
        "viewer_role",
        "customer",
        "kind",
        "login",
        "ip_address",
    ]
    date_hierarchy = "viewed_at"

    @admin.display(description=_("Customer"), ordering="credential__customer__company_name")
    def customer(self, obj):
        return obj.credential.customer

    @admin.display(description=_("Which"), ordering="credential__kind")
    def kind(self, obj):
        return obj.credential.get_kind_display()

    @admin.display(description=_("User ID"))
    def login(self, obj):
        return obj.credential.login
