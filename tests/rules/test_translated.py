"""Every RuleViolation message exists in every language, read from the rules' own code.

The messages are gathered from rules/*.py as marked there (``_()``, ``ngettext_lazy``,
``pgettext_lazy``), never from a copied list, and looked up in each language's catalogue
(locale/<lang>/LC_MESSAGES/django.po): present, translated and not fuzzy. Until the
translators finish this fails and lists, per language, what is missing.
"""

import ast
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise

from devsupport.i18n_check import TRANSLATE_FUNCS, load_config, scan_paths
from rules import RuleViolation, check_company_name, check_quantity

ROOT = Path(__file__).resolve().parent.parent.parent
RULES = ROOT / "rules"
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]


def rule_messages() -> list[tuple[str | None, str]]:
    """Return (context, msgid) of every text marked for translation in rules/."""
    found = []
    for path in sorted(RULES.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", "") in TRANSLATE_FUNCS):
                continue
            strings = [a.value for a in node.args if isinstance(a, ast.Constant)]
            if node.func.id.startswith(("pgettext", "npgettext")):
                found.append((strings[0], strings[1]))
            elif strings:
                found.append((None, strings[0]))
    return found


def test_the_rules_messages_are_found_in_the_code():
    messages = {msgid for _context, msgid in rule_messages()}

    # A sample the rules are known to raise, so an empty or broken gathering cannot pass.
    assert "Enter the company's registered name." in messages
    assert (
        "This plan needs at least %(minimum)s licence: raise the quantity to %(minimum)s or more."
        in messages
    )
    assert len(messages) > 60


def test_every_rule_violation_in_rules_is_marked():
    skip = set(load_config()["unmarked"].get("skip", ()))

    assert [str(f) for f in scan_paths(["rules"], skip=skip)] == []


def test_every_rule_message_exists_in_every_language():
    messages = rule_messages()
    missing = {}
    for language in LANGUAGES:
        po = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"
        if not po.exists():
            missing[language] = [f"no catalogue at {po.relative_to(ROOT)}"]
            continue
        with po.open("rb") as source:
            catalogue = read_po(source, locale=language)
        gaps = []
        for context, msgid in messages:
            entry = catalogue.get(msgid, context=context)
            strings = entry.string if entry else ""
            strings = strings if isinstance(strings, (list, tuple)) else [strings]
            if entry is None or entry.fuzzy or not all(strings):
                gaps.append(msgid)
        if gaps:
            missing[language] = gaps
    report = "\n".join(
        f"{language}: {len(gaps)} missing, e.g. {gaps[:3]}" for language, gaps in missing.items()
    )
    assert not missing, "RuleViolation messages without a translation:\n" + report


@pytest.mark.parametrize("language", ["en", *LANGUAGES])
def test_a_violation_reads_in_the_language_active_when_it_is_read(language):
    # Raised in English, read in another language: the message follows the reader.
    with translation.override("en"):
        with pytest.raises(RuleViolation) as caught:
            check_company_name("x" * 300)
    with translation.override(language):
        text = str(caught.value)
        expected = translation.gettext(
            "Shorten the company name to %(limit)s characters or fewer (it has %(length)s)."
        ) % {"limit": 255, "length": 300}

    assert isinstance(caught.value.message, Promise), "rendered when raised, not when read"
    assert text == expected
    assert "255" in text and "300" in text
    assert caught.value.field == "company_name" and caught.value.code == "invalid"


def test_a_plural_message_takes_the_form_of_its_number():
    with pytest.raises(RuleViolation) as one:
        check_quantity(0, minimum=1, maximum=300)
    with pytest.raises(RuleViolation) as five:
        check_quantity(1, minimum=5, maximum=300)

    assert "at least 1 licence:" in str(one.value)
    assert "at least 5 licences:" in str(five.value)
