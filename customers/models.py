"""Resellers, their marketplace connections, their end customers, and users."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.db.models.fields.related_descriptors import ForwardManyToOneDescriptor
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from encrypted_fields.fields import EncryptedCharField
from phonenumber_field.modelfields import PhoneNumberField

from catalog.choice_labels import ChoiceLabels

# The two-factor devices live in their own module; imported here so that Django registers them.
from .devices import Authenticator, RecoveryCode, RecoveryCodes  # noqa: F401
from .scoping import ScopedQuerySet
from .time_zones import validate_time_zone


class MarketplaceConnection(models.Model):
    """Credentials for one account on the distributor's Marketplace API."""

    name = models.CharField(max_length=100, unique=True)
    base_url = models.URLField(
        help_text=_("For example https://api.cloud.im/marketplace/eu (no trailing slash).")
    )
    marketplace_code = models.CharField(
        max_length=8, help_text=_("The code in your control-panel address, e.g. us, uk, de.")
    )
    username = models.CharField(max_length=150)
    password = EncryptedCharField(max_length=255)
    subscription_key = EncryptedCharField(max_length=255)
    is_shared = models.BooleanField(
        default=False,
        help_text=_("Shared by several resellers, each identified by its upstream reseller id."),
    )
    reference_dropped_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=(
            _(
                "When an order came back from this marketplace without our reference in its "
                "poNumber. While set, an order whose answer was lost is put "
                "before a person instead "
                "of being sent again; clear it once the marketplace keeps the reference."
            )
        ),
    )
    reference_dropped_order = models.CharField(
        max_length=40, blank=True, help_text=_("The order whose poNumber lost our reference.")
    )
    # A 429's Retry-After, kept here as well as in the cache: a restarted Redis must not
    # forget that the key is paused (customers.connection_pause).
    paused_until = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Reseller(models.Model):
    class TierStatus(models.TextChoices):
        UNCHECKED = "unchecked", _("Not checked yet")
        READY = "ready", _("READY")
        INQUIRING = "inquiring", _("INQUIRING")

    class PaymentMethod(models.TextChoices):
        # Seed 002: the marketplace charges a credit card until Terms are set up on request.
        CREDIT_CARD = "credit_card", _("Credit card")
        TERMS = "terms", _("Marketplace Terms")

    name = models.CharField(max_length=200)
    connection = models.ForeignKey(
        MarketplaceConnection, on_delete=models.PROTECT, related_name="resellers"
    )
    upstream_reseller_id = models.CharField(
        max_length=32,
        blank=True,
        help_text=_("The reseller's id upstream (needed on a shared connection)."),
    )
    mpn_id = models.CharField(
        _("MPN ID (PLA location ID)"),
        max_length=20,
        blank=True,
        help_text=_("Your Partner Location Account ID from Partner Center; digits only."),
    )
    indirect_reseller_domain = models.CharField(
        _("Indirect-reseller tenant"),
        max_length=255,
        blank=True,
        help_text=_("Your own tenant: name.onmicrosoft.com or its tenant ID."),
    )
    tier_status = models.CharField(
        max_length=12, choices=TierStatus.choices, default=TierStatus.UNCHECKED
    )
    tier_checked_at = models.DateTimeField(null=True, blank=True)
    tier_reason = models.TextField(blank=True, help_text=_("Why the last check was not READY."))
    staff_email_domain = models.CharField(
        max_length=255,
        blank=True,
        help_text=_("Your staff's e-mail domain; customers' contacts may not use it."),
    )
    self_service_enabled = models.BooleanField(
        default=False, help_text=_("Let this reseller's end customers place orders themselves.")
    )
    self_service_approval_required = models.BooleanField(
        _("Approve self-service orders"),
        default=False,
        help_text=_("Hold each order an end customer places until a staff member approves it."),
    )
    self_service_cancel_allowed = models.BooleanField(
        _("Let end customers cancel"),
        default=False,
        help_text=(
            _(
                "Let self-service customers cancel their own orders within the 7-day window "
                "(Microsoft's prorated refund). Microsoft sees the cancellation as yours: it does "
                "not support customer self-service. You are e-mailed of each cancellation."
            )
        ),
    )
    payment_method = models.CharField(
        _("How the marketplace charges your orders"),
        max_length=12,
        choices=PaymentMethod.choices,
        default=PaymentMethod.CREDIT_CARD,
        help_text=(
            _(
                "Credit card unless the distributor's credit team has set up Marketplace Terms, "
                "which it does on request (separate from any other terms with the distributor)."
            )
        ),
    )
    two_factor_required = models.BooleanField(
        _("Require two-factor sign-in"),
        default=False,
        help_text=_(
            "Ask every staff member for a code from an authenticator app after the password. "
            "Viewing a stored password, webhook secrets and API tokens always ask for one."
        ),
    )
    time_zone = models.CharField(
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text=_("Times in reminders and e-mails are given in this zone, e.g. Europe/Berlin."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["connection", "upstream_reseller_id"],
                condition=~Q(upstream_reseller_id=""),
                name="unique_upstream_reseller_per_connection",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def payment_words(self) -> str:
        """How the marketplace charges this reseller's orders, in one sentence."""
        if self.payment_method == self.PaymentMethod.TERMS:
            return "On your Marketplace Terms with the distributor."
        return (
            "By credit card, the marketplace's default. Marketplace Terms are set up on request "
            "by your distributor's credit team."
        )

    @property
    def is_partner_ready(self):
        return self.tier_status == self.TierStatus.READY

    def is_partner_ready_with(self, mpn_id: str, domain: str, *, since=None) -> bool:
        """True when these very details are the ones confirmed READY (at or after ``since``)."""
        return (
            self.is_partner_ready
            and (
                since is None
                or (self.tier_checked_at is not None and self.tier_checked_at >= since)
            )
            and self.mpn_id == mpn_id.strip()
            and self.indirect_reseller_domain.lower() == domain.strip().lower()
        )

    def staff_emails(self) -> list[str]:
        """The addresses of the reseller's active staff, for news every one of them needs."""
        return list(
            self.staff.filter(is_active=True).exclude(email="").values_list("email", flat=True)
        )


class CustomerQuerySet(ScopedQuerySet):
    reseller_lookup = "reseller_id"
    customer_lookup = "pk"


class Customer(models.Model):
    """An end customer of one reseller: a company that uses the licences."""

    class Language(models.TextChoices):
        EN_US = "en_US", _("English (US)")
        DE_DE = "de_DE", _("German")
        ES_ES = "es_ES", _("Spanish")
        FR_FR = "fr_FR", _("French")
        IT_IT = "it_IT", _("Italian")
        JA_JP = "ja_JP", _("Japanese")
        AR_AE = "ar_AE", _("Arabic")
        NL_NL = "nl_NL", _("Dutch")
        PT_BR = "pt_BR", _("Portuguese (Brazil)")

    class Relationship(models.TextChoices):
        UNKNOWN = "unknown", _("Unknown")
        REQUESTED = "requested", _("Requested, waiting for the customer")
        ACCEPTED = "accepted", _("Accepted")

    class Qualification(models.TextChoices):
        NONE = "none", _("None")
        STATE_OWNED_ENTITY = "state_owned_entity", _("State-owned entity")
        EDUCATION = "education", _("Education")
        NONPROFIT = "nonprofit", _("Nonprofit")
        GOVERNMENT = "government", _("Government")

    class EducationSegment(models.TextChoices):
        K12 = "K12", _("K-12 (primary and secondary)")
        HIGHER_EDUCATION = "HigherEducation", _("Higher education")

    reseller = models.ForeignKey(Reseller, on_delete=models.PROTECT, related_name="customers")
    company_name = models.CharField(max_length=255)
    street_address = models.CharField(max_length=200)
    address_extension = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=50)
    state = models.CharField(max_length=50, blank=True)
    postal_code = models.CharField(max_length=20)
    country = CountryField()
    registration_number = models.CharField(
        _("Organisation registration number"),
        max_length=64,
        blank=True,
        help_text=_("Required by Microsoft in some countries (for example HU, UA, KZ)."),
    )
    language = models.CharField(max_length=5, choices=Language.choices, default=Language.EN_US)
    upstream_customer_id = models.CharField(max_length=32, blank=True, db_index=True)
    tenant_domain = models.CharField(
        _("Microsoft tenant domain"), max_length=255, blank=True, db_index=True
    )
    tenant_id = models.UUIDField(_("Microsoft tenant ID"), null=True, blank=True)
    relationship = models.CharField(
        _("Relationship with the distributor"),
        max_length=12,
        choices=Relationship.choices,
        default=Relationship.UNKNOWN,
    )
    mca_accepted_first_name = models.CharField(max_length=50, blank=True)
    mca_accepted_last_name = models.CharField(max_length=50, blank=True)
    mca_accepted_email = models.EmailField(blank=True)
    mca_accepted_on = models.DateField(_("MCA accepted on"), null=True, blank=True)
    qualification = models.CharField(
        max_length=20, choices=Qualification.choices, default=Qualification.NONE
    )
    education_segment = models.CharField(
        max_length=16, choices=EducationSegment.choices, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CustomerQuerySet.as_manager()

    class Meta:
        ordering = ["company_name"]
        indexes = [models.Index(fields=["reseller", "company_name"])]
        constraints = [
            models.UniqueConstraint(
                fields=["reseller", "upstream_customer_id"],
                condition=~Q(upstream_customer_id=""),
                name="unique_upstream_customer_per_reseller",
            )
        ]

    def __str__(self):
        return self.company_name

    @property
    def has_valid_mca(self):
        return self.mca_accepted_on is not None

    @property
    def has_tenant(self):
        return bool(self.tenant_domain or self.tenant_id)


class Contact(models.Model):
    class Kind(models.TextChoices):
        ADMIN = "admin", _("Administrative contact")
        BILLING = "billing", _("Billing contact")
        TECHNICAL = "technical", _("Technical contact")

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    first_name = models.CharField(max_length=50)
    last_name = models.CharField(max_length=50)
    email = models.EmailField()
    phone = PhoneNumberField(blank=True)
    login = models.CharField(
        max_length=255,
        blank=True,
        help_text=_("The administrator's login (administrative contact only)."),
    )

    class Meta:
        ordering = ["customer", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["customer", "kind"], name="one_contact_per_kind"),
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name} <{self.email}>"


class CustomerWithReseller(ForwardManyToOneDescriptor):
    """``user.customer`` read with its reseller in one query: every page of an end customer
    asks for both (the navigation reads whether the reseller allows self-service)."""

    def get_queryset(self, **hints):
        return super().get_queryset(**hints).select_related("reseller")


class UserCustomerField(models.ForeignKey):
    forward_related_accessor_class = CustomerWithReseller

    def deconstruct(self):
        # A plain foreign key to migrations: only how ``user.customer`` is read differs.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.ForeignKey", args, kwargs


class AppUserManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", User.Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(ChoiceLabels, AbstractUser):
    """A person who signs in: reseller staff, an end customer's user, support, or an admin."""

    class Role(models.TextChoices):
        RESELLER_STAFF = "reseller", _("Reseller staff")
        CUSTOMER_USER = "customer", _("End customer")
        SUPPORT = "support", _("Support (read-only)")
        ADMIN = "admin", _("Administrator")

    # No default: a user whose role is not set sees nothing.
    role = models.CharField(max_length=10, choices=Role.choices)
    reseller = models.ForeignKey(
        Reseller, null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    customer = UserCustomerField(
        Customer, null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    # The language chosen in the header's switcher; empty = the browser's (customers.language).
    language = models.CharField(
        _("language"), max_length=10, blank=True, default="", choices=settings.LANGUAGES
    )

    objects = AppUserManager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="reseller") | Q(reseller__isnull=False, customer__isnull=True),
                name="reseller_staff_belongs_to_a_reseller",
            ),
            models.CheckConstraint(
                condition=~Q(role="customer") | Q(customer__isnull=False, reseller__isnull=True),
                name="customer_user_belongs_to_a_customer",
            ),
        ]

    @property
    def sees_everything(self):
        """Support staff and admins read across every reseller."""
        return self.is_superuser or self.role in (self.Role.SUPPORT, self.Role.ADMIN)

    @property
    def is_read_only(self):
        return self.role == self.Role.SUPPORT and not self.is_superuser


class CredentialQuerySet(ScopedQuerySet):
    reseller_lookup = "customer__reseller_id"
    customer_lookup = "customer_id"


class Credential(models.Model):
    """A sign-in the customer needs later and can read nowhere else, kept encrypted.

    Seed 002: the customer account's password is generated when the customer is
    created ("you will be able to access the password later"), and a new tenant's
    first admin gets a temporary password. Both are revealed only on request, and
    each reveal is a CredentialView.
    """

    class Kind(models.TextChoices):
        ACCOUNT = "account", _("Customer portal account")
        TENANT_ADMIN = "tenant_admin", _("Microsoft 365 administrator (temporary password)")

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="credentials")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    login = models.CharField(max_length=255)
    secret = EncryptedCharField(max_length=255)
    tenant_domain = models.CharField(max_length=255, blank=True)
    order_reference = models.CharField(
        max_length=32, blank=True, help_text=_("The order whose completion returned it.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CredentialQuerySet.as_manager()

    class Meta:
        ordering = ["customer", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["customer", "kind"], name="one_credential_per_kind"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} of {self.customer}"


class CredentialViewQuerySet(ScopedQuerySet):
    reseller_lookup = "credential__customer__reseller_id"
    customer_lookup = "credential__customer_id"


class CredentialView(models.Model):
    """One reveal of a credential: who asked, when, which one. Never edited."""

    credential = models.ForeignKey(Credential, on_delete=models.PROTECT, related_name="views")
    viewer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="credential_views")
    viewer_role = models.CharField(max_length=10, choices=User.Role.choices)
    viewed_at = models.DateTimeField(auto_now_add=True, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    objects = CredentialViewQuerySet.as_manager()

    class Meta:
        ordering = ["-viewed_at", "-pk"]

    def __str__(self):
        return f"{self.viewer} viewed {self.credential} at {self.viewed_at:%Y-%m-%d %H:%M}"


class TwoFactorReset(models.Model):
    """An administrator removed a user's two-factor devices (a lost phone). Never edited."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="two_factor_resets")
    reset_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    devices_removed = models.PositiveSmallIntegerField()
    reset_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-reset_at", "-pk"]

    def __str__(self):
        return f"{self.reset_by} reset two-factor of {self.user} at {self.reset_at:%Y-%m-%d %H:%M}"
