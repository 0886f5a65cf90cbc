"""Step "customer": pick one of the reseller's customers, or add a new one.

A new customer is created upstream while this step is submitted (the seed's
"Create Customer" button); the wizard then stores the new customer's id, so
going Back shows it picked and nothing is ever created twice.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

import rules
from customers.models import Customer

from .base import StepForm

MODE_EXISTING = "existing"
MODE_NEW = "new"

LOGIN_ADVICE = (
    "Name the login after the customer's company, not after the contact: one person at your "
    "company may look after many customers, but every customer needs its own login. "
    "Leave it blank to use the company name."
)


#: Short names people type that are not the start of exactly one ISO name.
COUNTRY_ALIASES = {
    "usa": "US",
    "united states": "US",
    "america": "US",
    "uk": "GB",
    "great britain": "GB",
    "britain": "GB",
    "england": "GB",
    "holland": "NL",
    "russia": "RU",
}


def country_code_from(value) -> str:
    """Return the alpha-2 code for a typed code or name ("de", "Germany", "United States").

    A name may be the start of exactly one country's name; anything else is
    returned as typed, for the country rule to refuse with its message.
    """
    text = " ".join(str(value or "").split())
    if len(text) == 2:
        return text.upper()
    wanted = text.casefold()
    if not wanted:
        return ""
    if wanted in COUNTRY_ALIASES:
        return COUNTRY_ALIASES[wanted]
    starts = [code for code, name in countries if name.casefold().startswith(wanted)]
    exact = [code for code, name in countries if name.casefold() == wanted]
    matches = exact or starts
    return matches[0] if len(matches) == 1 else text


class PickedCustomerField(forms.ModelChoiceField):
    """A customer choice that takes the already-read ``picked`` row when its id is chosen."""

    picked = None

    def to_python(self, value):
        picked = self.picked
        if picked is not None and value not in self.empty_values and str(value) == str(picked.pk):
            return picked
        return super().to_python(value)


class CustomerStepForm(StepForm):
    mode = forms.ChoiceField(
        label=_("Who is this order for?"),
        choices=[(MODE_EXISTING, _("An existing customer")), (MODE_NEW, _("A new customer"))],
        widget=forms.RadioSelect,
        initial=MODE_EXISTING,
    )
    customer = PickedCustomerField(
        label=_("Existing customer"),
        queryset=Customer.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("That customer is not one of yours: search again.")},
    )

    first_name = forms.CharField(label=_("First name"), max_length=50, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=50, required=False)
    email = forms.CharField(
        label=_("E-mail"),
        max_length=254,
        required=False,
        help_text=_("Receives the e-mail with the licences once they are provisioned."),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=32,
        required=False,
        help_text=_("With the country code, for example +1 716 633 3600."),
    )
    company_name = forms.CharField(label=_("Company name"), max_length=255, required=False)
    street_address = forms.CharField(label=_("Street address"), max_length=200, required=False)
    address_extension = forms.CharField(
        label=_("Address line 2"),
        max_length=200,
        required=False,
        help_text=_("Optional. Microsoft does not need the floor or suite."),
    )
    city = forms.CharField(label=_("City"), max_length=50, required=False)
    state = forms.CharField(
        label=_("State, province or region"),
        max_length=50,
        required=False,
        help_text=_("Two-letter code in the US and Canada (NY, ON); required there."),
    )
    postal_code = forms.CharField(label=_("Postal code"), max_length=20, required=False)
    country = forms.CharField(
        label=_("Country"),
        max_length=60,
        required=False,
        help_text=_("Type to search: a country name or its two-letter code."),
    )
    registration_number = forms.CharField(
        label=_("Organisation registration number"),
        max_length=64,
        required=False,
        help_text=_(
            "Required by Microsoft for customers in AM, AZ, BY, HU, KG, KZ, MD, RU, TJ, UA and UZ."
        ),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=Customer.Language.choices,
        initial=Customer.Language.EN_US,
        required=False,
    )
    login = forms.CharField(
        label=_("Login for the customer's administrator"),
        max_length=256,
        required=False,
        help_text=LOGIN_ADVICE,
    )

    NEW_CUSTOMER_FIELDS = (
        "first_name",
        "last_name",
        "email",
        "phone",
        "company_name",
        "street_address",
        "address_extension",
        "city",
        "state",
        "postal_code",
        "country",
        "registration_number",
        "language",
        "login",
    )

    def __init__(
        self,
        *args,
        customers,
        reseller_email_domain="",
        login_taken=None,
        create_customer=None,
        picked=None,
        **kwargs,
    ):
        """``create_customer`` is given only while the step is submitted: it creates upstream.

        ``picked`` is the stored customer as ``customers`` gave it earlier in this request.
        """
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = customers
        self.fields["customer"].picked = picked
        self.reseller_email_domain = reseller_email_domain
        self.login_taken = login_taken or (lambda login: False)
        self.create_customer = create_customer
        self.created_customer = None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("mode") == MODE_EXISTING:
            if not cleaned.get("customer") and "customer" not in self.errors:
                self.add_error("customer", _("Choose a customer, or add a new one."))
            return cleaned
        if cleaned.get("mode") != MODE_NEW:
            return cleaned
        if self.create_customer is None:
            # Stored data only ever holds a picked customer: a new one is created on submit.
            raise forms.ValidationError(_("Add the new customer again: it was not created yet."))
        self._clean_new_customer(cleaned)
        if not self.errors:
            self._create(cleaned)
        return cleaned

    def _clean_new_customer(self, cleaned):
        rule = self.apply_rule
        cleaned["first_name"] = rule(
            "first_name", rules.check_contact_name, cleaned.get("first_name")
        )
        cleaned["last_name"] = rule(
            "last_name", rules.check_contact_name, cleaned.get("last_name"), field="last_name"
        )
        cleaned["email"] = rule(
            "email",
            rules.check_email,
            cleaned.get("email"),
            reseller_domain=self.reseller_email_domain or None,
        )
        cleaned["company_name"] = rule(
            "company_name", rules.check_company_name, cleaned.get("company_name")
        )
        cleaned["street_address"] = rule(
            "street_address", rules.check_address_line, cleaned.get("street_address")
        )
        cleaned["address_extension"] = rule(
            "address_extension",
            rules.check_address_line,
            cleaned.get("address_extension"),
            required=False,
            field="address_extension",
        )
        cleaned["city"] = rule("city", rules.check_city, cleaned.get("city"))
        country = rule("country", rules.check_country, country_code_from(cleaned.get("country")))
        cleaned["country"] = country
        if country:
            cleaned["state"] = rule(
                "state", rules.check_state, cleaned.get("state"), country=country
            )
            cleaned["postal_code"] = rule(
                "postal_code", rules.check_postal_code, cleaned.get("postal_code"), country=country
            )
            cleaned["registration_number"] = rule(
                "registration_number",
                rules.check_registration_number,
                cleaned.get("registration_number"),
                country=country,
            )
        cleaned["phone"] = rule(
            "phone", rules.check_phone, cleaned.get("phone"), country=country, required=True
        )
        if cleaned.get("language") not in Customer.Language.values:
            cleaned["language"] = Customer.Language.EN_US
        self._clean_login(cleaned)

    def _clean_login(self, cleaned):
        login = (cleaned.get("login") or "").strip()
        found_free = None
        if not login and cleaned.get("company_name"):
            login = rules.suggest_login(cleaned["company_name"])
            while self.login_taken(login):
                login = rules.suggest_login(
                    cleaned["company_name"], taken=self._taken_so_far(login)
                )
            found_free = login
        login = self.apply_rule("login", rules.check_login, login)
        if login and login != found_free and self.login_taken(login):
            self.add_error(
                "login",
                _(
                    'The login "%(login)s" is already used by another customer: every customer '
                    "needs its own. Try the company name with a number or the city added."
                )
                % {"login": login},
            )
        cleaned["login"] = login

    def _taken_so_far(self, login):
        taken = getattr(self, "_taken", set())
        taken.add(login)
        self._taken = taken
        return taken

    def _create(self, cleaned):
        data = {name: cleaned.get(name) or "" for name in self.NEW_CUSTOMER_FIELDS}
        try:
            self.created_customer = self.create_customer(data)
        except forms.ValidationError as error:
            field = getattr(error, "field", None)
            self.add_error(field if field in self.fields else None, error)
            return
        cleaned["customer"] = self.created_customer
