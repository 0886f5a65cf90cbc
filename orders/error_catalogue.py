"""Every upstream error the sources name, in plain words: what happened, what to do, who can.

Each entry cites where the code or text is documented (the seeds, the
upstream notes in ``shared/upstream/README.md`` and the specs). ``orders.guidance``
finds the entry for a message; the error catalogue page lists them all.
"""

import re
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class CatalogueEntry:
    key: str
    #: The codes the upstream uses for it (Partner Center codes, HTTP statuses, order status codes).
    codes: tuple[str, ...]
    pattern: re.Pattern
    title: str
    what_happened: str
    advice: str
    who: str
    #: True when the same order can be sent again once the advice is followed.
    resubmittable: bool
    source: str


def _entry(key, codes, pattern, title, what_happened, advice, who, resubmittable, source):
    return CatalogueEntry(
        key=key,
        codes=tuple(codes),
        pattern=re.compile(pattern, re.I),
        title=title,
        what_happened=what_happened,
        advice=advice,
        who=who,
        resubmittable=resubmittable,
        source=source,
    )


RESELLER = _("You (the reseller)")
CUSTOMER_ADMIN = _("The customer's Global Admin")
PARTNER_CENTER_ADMIN = _("Your Partner Center global admin")
DISTRIBUTOR = _("The distributor's support desk")
NOBODY = _("Nobody: the product retries by itself")

ENTRIES: tuple[CatalogueEntry, ...] = (
    _entry(
        "relationship",
        ["20002"],
        r"\b20002\b|no commerce relationship",
        _("No reseller relationship with the customer's tenant"),
        _(
            "Microsoft refuses orders for a tenant that has not accepted the reseller relationship "
            "with your distributor."
        ),
        _(
            "Send the customer's Global Admin the acceptance link on the order page. We check the "
            "tenant by ourselves and resubmit the order as soon as the relationship is accepted, "
            "and e-mail you when we do; resubmit it yourself only if we stop waiting."
        ),
        CUSTOMER_ADMIN,
        True,
        "upstream README §2.4",
    ),
    _entry(
        "mca",
        ["13605"],
        r"\b13605\b|accept(ance of)? the Microsoft Customer Agreement",
        _("Microsoft Customer Agreement not confirmed"),
        _(
            "Microsoft has no record that the customer accepted the "
            "Microsoft Customer Agreement, and "
            "the order did not carry your confirmation of it."
        ),
        _(
            "Record who at the customer accepted the Microsoft Customer Agreement and when (the "
            "Agreement step), or ask the customer to accept it in the Microsoft 365 admin center; "
            "then resubmit."
        ),
        _("You (the reseller) or the customer"),
        True,
        "upstream README §2.5; seed 004 (mca_acceptance)",
    ),
    _entry(
        "mca_duplicate",
        ["600061"],
        r"\b600061\b",
        _("Agreement already recorded"),
        _(
            "Microsoft already holds an acceptance of the Microsoft Customer Agreement for this "
            "customer, so a second one was refused."
        ),
        _("Nothing to fix on the agreement: resubmit the order without a new acceptance."),
        RESELLER,
        True,
        "upstream README §2.5",
    ),
    _entry(
        "mpn_not_numeric",
        ["2000"],
        r"\b2000\b|MPN Id must be numeric",
        _("MPN ID is not a number"),
        _("The MPN ID (PLA location ID) on your partner profile contains more than digits."),
        _(
            "Copy the location ID from Partner Center (Account settings, Identifiers) into your "
            "partner profile; the product checks it again at once."
        ),
        RESELLER,
        True,
        "upstream README §2.3",
    ),
    _entry(
        "mpn_not_found",
        ["800015", "3000"],
        r"\b(800015|3000)\b|MPN Id is not found|could not be found",
        _("MPN ID unknown to Microsoft"),
        _("Microsoft found no partner organisation with the MPN ID on your partner profile."),
        _(
            "Check the PLA location ID in Partner Center and correct it on your partner profile, "
            "then resubmit."
        ),
        RESELLER,
        True,
        "upstream README §2.3",
    ),
    _entry(
        "mpn_not_reseller",
        ["800016"],
        r"\b800016\b|not a valid Indirect Reseller",
        _("MPN ID is not an indirect reseller"),
        _(
            "The MPN ID is known to Microsoft but not enrolled as an indirect reseller in the CSP "
            "programme."
        ),
        _(
            "Use the location ID of your indirect-reseller account (Partner Center, Account "
            "settings), or enrol that location as an indirect reseller; then resubmit."
        ),
        RESELLER,
        True,
        "upstream README §2.3; seed 002 (MPN location ID)",
    ),
    _entry(
        "provider_not_partner_of_record",
        ["2072"],
        r"\b2072\b|not valid as Partner On Record",
        _("Distributor cannot be Partner of Record"),
        _("Microsoft did not accept the distributor's MPN ID as Partner of Record for this order."),
        _(
            "This is on the distributor's side: contact its support desk with the order number and "
            "the correlation id."
        ),
        DISTRIBUTOR,
        True,
        "upstream README §2.3",
    ),
    _entry(
        "mpa",
        ["900123"],
        r"\b900123\b|Partner Agreement has not been accepted",
        _("Microsoft Partner Agreement not accepted"),
        _(
            "Your company has not accepted the Microsoft Partner Agreement, which every CSP "
            "reseller must sign."
        ),
        _(
            "A global admin of your Partner Center account accepts the agreement (Partner Center, "
            "Legal info); then resubmit."
        ),
        PARTNER_CENTER_ADMIN,
        True,
        "upstream README §2.3",
    ),
    _entry(
        "reseller_inactive",
        ["800039"],
        r"\b800039\b|program status is not active",
        _("Reseller programme status inactive"),
        _("Microsoft reports your CSP reseller programme status as not active."),
        _(
            "Check your enrolment in Partner Center (Programs) and resolve what it lists; then "
            "resubmit. The distributor's support desk can help if the status looks right."
        ),
        PARTNER_CENTER_ADMIN,
        True,
        "upstream README §2.3",
    ),
    _entry(
        "registration_number",
        ["600049", "600050", "600051"],
        r"\b6000(49|50|51)\b|organi[sz]ation ?registration ?number",
        _("Registration number or phone required"),
        _(
            "For customers in Armenia, Azerbaijan, Belarus, Hungary, Kazakhstan, Kyrgyzstan, "
            "Moldova, Russia, Tajikistan, Uzbekistan and Ukraine Microsoft requires the company's "
            "registration number and a phone number."
        ),
        _("Add the registration number and phone number to the customer's details, then resubmit."),
        RESELLER,
        True,
        "upstream README §2.7",
    ),
    _entry(
        "domain_taken",
        [],
        r"already (exists|taken|in use)|not available to purchase|domain.*(taken|unavailable)",
        _("Tenant name taken"),
        _(
            "Someone already uses this .onmicrosoft.com name; a tenant's name can never be shared "
            "or changed."
        ),
        _(
            "Choose another tenant name with “Correct the tenant "
            "name and resubmit” on the "
            "order's page, and the same order is sent again; or place a new order for the "
            "customer's existing tenant."
        ),
        RESELLER,
        False,
        "seed 004 (microsoft_domain: fails if the domain is taken); upstream README §2.2",
    ),
    _entry(
        "qualification_value",
        [],
        r"special_qualifications must be",
        _("Special qualification not accepted"),
        _(
            "The marketplace accepts only “None” or “soe” (state-owned entity) "
            "as a special qualification."
        ),
        _(
            "Choose the qualification again on the Qualification step and resubmit; if it keeps "
            "happening, contact support with the correlation id."
        ),
        RESELLER,
        True,
        "seed 004 (special_qualifications)",
    ),
    _entry(
        "quantity",
        ["2002"],
        r"\b2002\b|minimum and maximum allowed quantity",
        _("Quantity outside the plan's limits"),
        _("The number of seats is below the plan's minimum or above its maximum."),
        _("Place a new order with a quantity within the limits the catalogue shows for the plan."),
        RESELLER,
        False,
        "upstream README §2.9",
    ),
    _entry(
        "window",
        ["900117", "800090"],
        r"\b(900117|800090)\b|cancellation window|cannot be decreased",
        _("Cancellation window closed"),
        _(
            "New-commerce licences can be cancelled, and seats removed, only within 7 days (168 "
            "hours) of purchase; that time has passed."
        ),
        _(
            "Seats can be reduced at renewal: turn auto-renew down to the number you want before "
            "the renewal date."
        ),
        _("Nobody until the renewal"),
        False,
        "seeds 000 and 002 (7-day window); upstream README §2.9",
    ),
    _entry(
        "conflicting_change",
        ["LO"],
        r"already an? .*Order .*in status|conflicting order|same order type",
        _("Another change is still in progress"),
        _(
            "The marketplace allows one open change per subscription, and an earlier one is still "
            "being provisioned."
        ),
        _("Wait until the earlier change completes (its order page shows it), then resubmit."),
        RESELLER,
        True,
        "upstream README §1.6 and §1.8",
    ),
    _entry(
        "ambiguous_product",
        [],
        r"ambiguous|more than one product|specify (the )?vendor",
        _("Plan not identified"),
        _("More than one plan in the marketplace matches the order's MPN, term and billing."),
        _("Contact support with the order number: the catalogue needs to be synchronised."),
        DISTRIBUTOR,
        False,
        "upstream README §1.5",
    ),
    _entry(
        "payment",
        ["NP", "WP"],
        r"\b(NP|WP)\)|no payment method|waiting for payment",
        _("Payment needed"),
        _(
            "The marketplace holds the order until a payment method is "
            "on file or a payment arrives."
        ),
        _(
            "Check the payment method and balance on your distributor account; the order goes on "
            "by itself once they are in order."
        ),
        RESELLER,
        False,
        "upstream README §1.8 (CBBILL status codes)",
    ),
    _entry(
        "hold",
        ["HL"],
        r"\bHL\)|\bon hold\b|creditHold|adminHold",
        _("Order on hold"),
        _("The distributor put the order, or your account, on hold."),
        _("Contact the distributor's support desk with the upstream order number."),
        DISTRIBUTOR,
        False,
        "upstream README §1.8; simpleapi spec (customer status)",
    ),
    _entry(
        "provisioning_failed",
        ["PF", "error"],
        r"\bPF\)|could not provision|provisioning failed|order processing failed",
        _("Provisioning failed"),
        _("The marketplace could not provision the order and, as its API does, gave no reason."),
        _(
            "The reason is in the distributor's reseller control panel. Contact its support desk "
            "with the upstream order number and the correlation id."
        ),
        DISTRIBUTOR,
        False,
        "upstream README §1.6 and §1.8",
    ),
    _entry(
        "upstream_cancelled",
        ["cancelled"],
        r"marketplace cancelled the order",
        _("Cancelled by the marketplace"),
        _("The marketplace cancelled the order before it was provisioned."),
        _(
            "Contact the distributor's support desk with the upstream order number to learn why "
            "before ordering again."
        ),
        DISTRIBUTOR,
        False,
        "upstream README §1.8",
    ),
    _entry(
        "rate_limited",
        ["HTTP 429"],
        r"\b429\b|rate limit",
        _("Too many requests"),
        _("The marketplace asked us to slow down (HTTP 429, with Retry-After)."),
        _("Nothing: the product waits as long as asked and sends again, without sending twice."),
        NOBODY,
        True,
        "upstream README §1.6, §1.7, §2.10",
    ),
    _entry(
        "credentials",
        ["HTTP 401", "HTTP 403"],
        r"\b(401|403)\b.*(token|credential|unauthori[sz]ed|forbidden|subscription key)"
        r"|invalid (credentials|subscription key)",
        _("Marketplace credentials refused"),
        _("The marketplace refused the API user, password or subscription key of your connection."),
        _(
            "An administrator checks the marketplace connection in Django admin (API username, "
            "password and subscription key from the reseller control panel); then resubmit."
        ),
        _("An administrator of this product"),
        True,
        "seed 004 (Requirements, Step 1); upstream README §1.2",
    ),
    _entry(
        "outage",
        ["HTTP 500", "HTTP 502", "HTTP 503", "HTTP 504"],
        r"\b50[0234]\b|gateway time-?out|service unavailable|bad gateway",
        _("Marketplace unavailable"),
        _("The marketplace did not answer properly (a server error or a gateway time-out)."),
        _(
            "Nothing at first: the product retries and, if it cannot tell whether the order "
            "arrived, looks for it before sending it again. If it lasts, contact support."
        ),
        NOBODY,
        True,
        "upstream README §1.6",
    ),
)

#: Seed 004 names the company parameters and when they are needed; how the marketplace words
#: the refusal is not documented (docs/upstream.md), so it is recognised by the parameters.
ENTRIES += (
    _entry(
        "company_validation",
        [],
        r"company information did not pass|effective_address|customer_company_name",
        _("Company details not validated by Microsoft"),
        _(
            "Microsoft could not validate the customer's company information on record, and the "
            "order did not carry the company details in full."
        ),
        _(
            "Give the customer's company name, address, phone and e-mail as the customer uses them "
            "(Correct the Company details and resubmit) and the same order is sent again with them."
        ),
        RESELLER,
        False,
        "seed 004 (effective_*, customer_company_name, customer_email)",
    ),
    _entry(
        "closed_by_support",
        [],
        r"^Closed by our support",
        _("Closed by support"),
        _(
            "The marketplace kept the order provisioning far longer than "
            "usual; after checking with "
            "the distributor, our support closed it as not completed."
        ),
        _(
            "Resubmit it, or order again, when you are ready; the reason "
            "above is the distributor's."
        ),
        RESELLER,
        True,
        "upstream README §1.8 (LO: waiting on an external system)",
    ),
)

GENERIC = _entry(
    "generic",
    [],
    r"(?!)",
    _("Refused by the marketplace"),
    _("The marketplace refused the order with a message this product does not know yet."),
    _(
        "Read the marketplace's message above. If it is not clear, contact support with the order "
        "number and the correlation id."
    ),
    _("You (the reseller), or support"),
    True,
    "",
)


def stored_words(text) -> str:
    """Return ``text`` in English, as an order keeps it: pages translate it when they show it.

    A guidance kept in the language of whoever happened to cause the failure could not be
    read back in another, nor compared with the catalogue's.
    """
    with translation.override("en"):
        return str(text)


def catalogue_entry_for(message: str | None) -> CatalogueEntry:
    """Return the entry whose code or wording ``message`` carries, else ``GENERIC``."""
    if not message:
        return catalogue_entry("provisioning_failed")
    for entry in ENTRIES:
        if entry.pattern.search(message):
            return entry
    return GENERIC


def catalogue_entry(key: str) -> CatalogueEntry:
    """Return the entry named ``key``."""
    return next(e for e in ENTRIES if e.key == key)
