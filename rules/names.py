"""Company and contact names, as Microsoft validates them (upstream README §2.6)."""

import re

from django.utils.translation import gettext_lazy as _

from .exceptions import RuleViolation
from .text import clean_text, folded, is_cjk

COMPANY_NAME_MAX_LENGTH = 255
CONTACT_NAME_MAX_LENGTH = 40

#: Legal-form abbreviations that are not a company name on their own, folded
#: (lower case, no dots or spaces), so "Inc.", "c.p.a" and "C P A" all match.
RESTRICTED_ABBREVIATIONS = frozenset(
    {
        "ab",
        "ag",
        "as",
        "bv",
        "co",
        "company",
        "corp",
        "corporation",
        "cpa",
        "gmbh",
        "inc",
        "incorporated",
        "kg",
        "limited",
        "llc",
        "llp",
        "lp",
        "ltd",
        "nv",
        "oy",
        "plc",
        "pllc",
        "pc",
        "pty",
        "sa",
        "sarl",
        "sas",
        "spa",
        "srl",
        "ug",
    }
)

#: Words people type when they do not know the real name, folded, with any
#: trailing digits ignored ("Test1"). Real surnames such as Root, Foo or Na are
#: left out on purpose.
PLACEHOLDER_NAMES = frozenset(
    {
        "admin",
        "administrator",
        "asdf",
        "asdfgh",
        "customer",
        "demo",
        "dummy",
        "example",
        "firstname",
        "foobar",
        "lastname",
        "none",
        "null",
        "qwerty",
        "sysadmin",
        "test",
        "testing",
        "unknown",
        "user",
        "xxx",
    }
)
#: "Not applicable", which only counts as a placeholder when written with its dots or slash.
NOT_APPLICABLE = frozenset({"n/a", "n.a", "n.a.", "n/a."})


def _abbreviation_key(text: str) -> str:
    # Only dots, commas and spaces are dropped: "c.p.a" is CPA, but "A&B" is not "AB".
    return re.sub(r"[\s.,]", "", text).casefold()


def is_restricted_abbreviation(text: str) -> bool:
    """Return True if ``text`` is only a legal form such as "LLC", "Inc." or "c.p.a"."""
    return _abbreviation_key(text) in RESTRICTED_ABBREVIATIONS


def _is_placeholder(word: str) -> bool:
    if word.casefold() in NOT_APPLICABLE:
        return True
    return folded(word).rstrip("0123456789") in PLACEHOLDER_NAMES


def check_company_name(value, *, field="company_name") -> str:
    """Return the company name with its spaces tidied, or raise RuleViolation."""
    name = clean_text(value)
    if not name:
        raise RuleViolation(_("Enter the company's registered name."), field=field)
    if len(name) > COMPANY_NAME_MAX_LENGTH:
        raise RuleViolation(
            _("Shorten the company name to %(limit)s characters or fewer (it has %(length)s)."),
            field=field,
            params={"limit": COMPANY_NAME_MAX_LENGTH, "length": len(name)},
        )
    if len(name) == 1:
        raise RuleViolation(
            _("A company name needs more than one character: enter the full registered name."),
            field=field,
        )
    if not any(ch.isalnum() for ch in name):
        raise RuleViolation(
            _("A company name can't be made only of symbols: enter the full registered name."),
            field=field,
        )
    words = name.split(" ")
    if len(words) > 1 and all(len(word) == 1 for word in words):
        raise RuleViolation(
            _(
                '"%(name)s" looks like single characters separated by spaces: '
                "enter the company's full registered name."
            ),
            field=field,
            params={"name": name},
        )
    if len(set(name.casefold().replace(" ", ""))) == 1:
        raise RuleViolation(
            _('"%(name)s" repeats one character: enter the company\'s full registered name.'),
            field=field,
            params={"name": name},
        )
    if is_restricted_abbreviation(name) or all(
        is_restricted_abbreviation(word) for word in words if _abbreviation_key(word)
    ):
        raise RuleViolation(
            _(
                '"%(name)s" is only a legal form: enter the full name, '
                'for example "Contoso %(name)s".'
            ),
            field=field,
            params={"name": name},
        )
    return name


def check_contact_name(value, *, field="first_name") -> str:
    """Return a contact's first or last name, tidied, or raise RuleViolation."""
    name = clean_text(value)
    if not name:
        raise RuleViolation(_("Enter the contact's name."), field=field)
    if len(name) > CONTACT_NAME_MAX_LENGTH:
        raise RuleViolation(
            _("Shorten the name to %(limit)s characters or fewer (it has %(length)s)."),
            field=field,
            params={"limit": CONTACT_NAME_MAX_LENGTH, "length": len(name)},
        )
    if not any(ch.isalpha() for ch in name):
        raise RuleViolation(
            _("A name needs letters: it can't be only digits or symbols."), field=field
        )
    letters = [ch for ch in name if ch.isalpha()]
    if len(letters) == 1 and not is_cjk(letters[0]):
        raise RuleViolation(
            _("Enter the full name, not an initial: Microsoft refuses one-letter names."),
            field=field,
        )
    if len(name) > 2 and len(set(name.casefold().replace(" ", ""))) == 1:
        raise RuleViolation(
            _('"%(name)s" repeats one character: enter the person\'s real name.'),
            field=field,
            params={"name": name},
        )
    if all(_is_placeholder(word) for word in name.split(" ") if folded(word)):
        raise RuleViolation(
            _(
                '"%(name)s" looks like a placeholder: enter the real name of the person '
                "who manages the licences."
            ),
            field=field,
            params={"name": name},
        )
    return name
