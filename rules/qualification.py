"""Special qualifications and the education segment (§2.8)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .exceptions import RuleViolation
from .text import folded

#: Partner Center's SpecialQualification names.
NONE = "None"
STATE_OWNED_ENTITY = "StateOwnedEntity"
EDUCATION = "Education"
NONPROFIT = "Nonprofit"
GOVERNMENT_COMMUNITY_CLOUD = "GovernmentCommunityCloud"
QUALIFICATIONS = (NONE, STATE_OWNED_ENTITY, EDUCATION, NONPROFIT, GOVERNMENT_COMMUNITY_CLOUD)
#: What an order may ask Microsoft to set. Nonprofit status only Microsoft grants;
#: GCC needs a validation code this product does not collect.
ORDERABLE_QUALIFICATIONS = (NONE, STATE_OWNED_ENTITY, EDUCATION)

#: How a reseller reads each qualification in a sentence.
QUALIFICATION_LABELS = {
    NONE: _("no qualification"),
    STATE_OWNED_ENTITY: _("a state-owned entity"),
    EDUCATION: _("an education institution"),
    NONPROFIT: _("a nonprofit"),
    GOVERNMENT_COMMUNITY_CLOUD: _("a government community cloud customer"),
}

K12 = "K12"
HIGHER_EDUCATION = "HigherEducation"
EDUCATION_SEGMENTS = (K12, HIGHER_EDUCATION)

#: Each qualification and segment as a page names it, never by its code.
QUALIFICATION_NAMES = {
    NONE: pgettext_lazy("qualification", "None"),
    STATE_OWNED_ENTITY: _("State-owned entity"),
    EDUCATION: _("Education"),
    NONPROFIT: _("Nonprofit"),
    GOVERNMENT_COMMUNITY_CLOUD: _("Government community cloud"),
}
SEGMENT_NAMES = {K12: _("K-12, primary and secondary"), HIGHER_EDUCATION: _("higher education")}


def qualification_name(qualification: str, segment: str = "") -> str:
    """Return e.g. "State-owned entity" or "Education (higher education)" for a page."""
    name = QUALIFICATION_NAMES.get(qualification, qualification or QUALIFICATION_NAMES[NONE])
    if segment:
        return _("%(qualification)s (%(segment)s)") % {
            "qualification": name,
            "segment": SEGMENT_NAMES.get(segment, segment),
        }
    return str(name)


# Spellings seen in the wild and in our own models (customers.Customer.Qualification),
# folded: the marketplace's guide says "soe"; the model stores "state_owned_entity".
_QUALIFICATION_ALIASES = {
    **{folded(q): q for q in QUALIFICATIONS},
    "": NONE,
    "soe": STATE_OWNED_ENTITY,
    "gcc": GOVERNMENT_COMMUNITY_CLOUD,
    "government": GOVERNMENT_COMMUNITY_CLOUD,
}
_SEGMENT_ALIASES = {folded(s): s for s in EDUCATION_SEGMENTS} | {"highered": HIGHER_EDUCATION}

NONPROFIT_MESSAGE = _(
    "A partner can't set the nonprofit qualification: the organisation registers with "
    "Microsoft at https://signup.nonprofit.microsoft.com, and Microsoft grants it. "
    "Choose None here."
)


def normalise_qualification(value, *, field="special_qualification") -> str:
    """Return Partner Center's name for a qualification in any known spelling, or raise."""
    key = folded(str(value or ""))
    if key not in _QUALIFICATION_ALIASES:
        raise RuleViolation(
            _("Choose a qualification: None, State-owned entity or Education."), field=field
        )
    return _QUALIFICATION_ALIASES[key]


def check_special_qualification(value, *, segment=None, field="special_qualification") -> str:
    """Return the qualification an order may carry for products of ``segment``, or raise.

    Education offers need the Education qualification; nonprofit offers are for
    customers Microsoft already recognises, so they carry None; commercial and
    government offers may carry None or StateOwnedEntity.
    """
    qualification = normalise_qualification(value, field=field)
    if qualification == NONPROFIT:
        raise RuleViolation(NONPROFIT_MESSAGE, field=field)
    if qualification not in ORDERABLE_QUALIFICATIONS:
        raise RuleViolation(
            _(
                "The government community cloud qualification can't be requested here: "
                "choose None or State-owned entity."
            ),
            field=field,
        )
    segment = str(segment) if segment is not None else None
    if segment == "education" and qualification != EDUCATION:
        raise RuleViolation(
            _(
                "Education offers are only for qualified schools: choose Education and the "
                "school's segment (K-12 or higher education)."
            ),
            field=field,
        )
    if segment in ("commercial", "government", "nonprofit") and qualification == EDUCATION:
        raise RuleViolation(
            _(
                "The education qualification comes with education offers, not %(segment)s ones: "
                "choose None or State-owned entity."
            ),
            field=field,
            params={"segment": segment},
        )
    if segment == "nonprofit" and qualification != NONE:
        raise RuleViolation(
            _("Nonprofit offers carry no extra qualification: choose None."), field=field
        )
    return qualification


def check_education_segment(value, *, qualification, field="education_segment") -> str:
    """Return "K12" or "HigherEducation" for an education customer, "" otherwise, or raise."""
    qualification = normalise_qualification(qualification)
    key = folded(str(value or ""))
    if qualification != EDUCATION:
        if key:
            raise RuleViolation(
                _(
                    "Only education customers have an education segment: leave it empty, "
                    "or choose the Education qualification."
                ),
                field=field,
            )
        return ""
    if key not in _SEGMENT_ALIASES:
        raise RuleViolation(
            _("Choose the school's segment: K-12 (primary and secondary) or higher education."),
            field=field,
        )
    return _SEGMENT_ALIASES[key]


def check_qualification_change(current, new, *, field="special_qualification") -> str:
    """Return the qualification to hold after a change, or raise RuleViolation.

    Once Microsoft has set a qualification it is irreversible: a customer without
    one may gain one (never Nonprofit, which Microsoft grants itself); a customer
    with one keeps it.
    """
    current = normalise_qualification(current, field=field)
    new = normalise_qualification(new, field=field)
    if new == current:
        return new
    if current != NONE:
        raise RuleViolation(
            _(
                "This customer is already qualified as %(qualification)s, and "
                "Microsoft never changes a qualification once it is set: keep it as it is."
            ),
            field=field,
            params={"qualification": QUALIFICATION_LABELS[current]},
        )
    if new == NONPROFIT:
        raise RuleViolation(NONPROFIT_MESSAGE, field=field)
    return new
