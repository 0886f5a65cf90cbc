"""Step "tenant": a new .onmicrosoft.com tenant, or the customer's existing one."""

from django import forms
from django.utils.translation import gettext_lazy as _

import rules
from catalog.models import Segment

from .base import StepForm

TENANT_NEW = "new"
TENANT_EXISTING = "existing"

GOVERNMENT_EXISTING_MESSAGE = _(
    "Microsoft does not provision commercial products to existing government tenants: "
    "create a new tenant for this customer instead."
)


class TenantStepForm(StepForm):
    tenant_preference = forms.ChoiceField(
        label=_("Where should the licences go?"),
        choices=[
            (TENANT_NEW, _("Create a new Microsoft tenant")),
            (TENANT_EXISTING, _("Use the customer's existing tenant")),
        ],
        widget=forms.RadioSelect,
    )
    tenant_prefix = forms.CharField(
        label=_("New tenant name"),
        max_length=80,
        required=False,
        help_text=_(
            "Latin letters and digits only; it becomes name.onmicrosoft.com and can never "
            "be changed."
        ),
    )
    existing_tenant = forms.CharField(
        label=_("Existing tenant"),
        max_length=255,
        required=False,
        help_text=_("Its .onmicrosoft.com domain or its tenant ID (a GUID)."),
    )

    def __init__(
        self, *args, segments, customer=None, check_domain=None, check_tenant=None, **kwargs
    ):
        """``check_domain`` and ``check_tenant`` are given only while the step is submitted."""
        super().__init__(*args, **kwargs)
        self.segments = frozenset(segments)
        self.customer = customer
        self.check_domain = check_domain
        self.check_tenant = check_tenant
        self.domain_check = None
        self.tenant_check = None
        self.new_tenant_refusal = self._new_tenant_refusal()
        preference = self.fields["tenant_preference"]
        if self.new_tenant_refusal:
            preference.choices = [(TENANT_EXISTING, _("Use the customer's existing tenant"))]
            # The choice not offered, posted anyway (an old page), gets the seed's reason.
            preference.error_messages["invalid_choice"] = self.new_tenant_refusal
        elif Segment.GOVERNMENT in self.segments:
            preference.choices = [(TENANT_NEW, "Create a new Microsoft tenant")]
            preference.error_messages["invalid_choice"] = GOVERNMENT_EXISTING_MESSAGE

    def _new_tenant_refusal(self):
        for segment in sorted(self.segments):
            try:
                rules.check_new_tenant_allowed(segment)
            except rules.RuleViolation as refusal:
                return refusal.message
        return ""

    @property
    def government(self):
        return Segment.GOVERNMENT in self.segments

    def clean(self):
        cleaned = super().clean()
        preference = cleaned.get("tenant_preference")
        cleaned["microsoft_domain"] = ""
        cleaned["microsoft_tenant_id"] = ""
        if preference == TENANT_NEW:
            self._clean_new(cleaned)
        elif preference == TENANT_EXISTING:
            self._clean_existing(cleaned)
        return cleaned

    def _clean_new(self, cleaned):
        prefix = self.apply_rule(
            "tenant_prefix", rules.check_tenant_prefix, cleaned.get("tenant_prefix")
        )
        if not prefix:
            return
        domain = prefix + rules.ONMICROSOFT_SUFFIX
        cleaned["tenant_prefix"] = prefix
        cleaned["microsoft_domain"] = domain
        if self.check_domain is None:
            return
        self.domain_check = self.check_domain(domain)
        if not self.domain_check.available:
            self.add_error("tenant_prefix", self.domain_check.refusal)

    def _clean_existing(self, cleaned):
        if self.government:
            self.add_error("tenant_preference", GOVERNMENT_EXISTING_MESSAGE)
            return
        tenant = self.apply_rule(
            "existing_tenant",
            rules.check_existing_tenant,
            cleaned.get("existing_tenant"),
            field="existing_tenant",
        )
        if not tenant:
            return
        cleaned["existing_tenant"] = tenant
        if rules.is_tenant_id(tenant):
            cleaned["microsoft_tenant_id"] = tenant
        else:
            cleaned["microsoft_domain"] = tenant
        if self.check_tenant is None:
            return
        self.tenant_check = self.check_tenant(tenant)
        if not self.tenant_check.found:
            self.add_error(
                "existing_tenant",
                self.tenant_check.message
                or f"No Microsoft tenant {tenant} was found: check the spelling with the customer.",
            )
        elif self.tenant_check.relationship is False:
            self.add_error(
                "existing_tenant",
                forms.ValidationError(
                    _(
                        "This tenant has not accepted your distributor as its "
                        "indirect provider yet. "
                        "Send the acceptance link below to the customer's global admin; once they "
                        "have accepted it, press Next again."
                    ),
                    code="no_relationship",
                ),
            )

    @property
    def needs_relationship(self):
        return any(
            e.code == "no_relationship" for e in self.errors.as_data().get("existing_tenant", [])
        )
