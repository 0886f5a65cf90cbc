"""The i18n checks `python3 dev.py lint` runs (devsupport/i18n_check.py) catch what they say.

A catalogue with an untranslated, a fuzzy or a broken entry fails in "enforce" mode and is
only reported in "report" mode; an unmarked string planted in Python or a template is found,
and the same string marked is not; the paths the TOML enforces pass as the tree is now.
"""

import subprocess
import sys
from pathlib import Path

import pytest

from devsupport import i18n_check
from devsupport.i18n_check import (
    ROOT,
    check_catalogues,
    load_config,
    run_catalogues,
    scan_python,
    scan_template,
)

PO_HEADER = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

#, python-format
msgid "Enter the city."
msgstr "Geben Sie den Ort ein."
"""
UNTRANSLATED = """
msgid "Enter the postal code."
msgstr ""
"""
FUZZY = """
#, fuzzy
msgid "Enter the street address."
msgstr "Geben Sie die Strasse ein."
"""
BROKEN = """
#, python-format
msgid "Shorten the name to %(limit)s characters."
msgstr "Kürzen Sie den Namen auf %(grenze)s Zeichen."
"""


def _catalogue(tmp_path, body: str, language="de") -> Path:
    folder = tmp_path / language / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "django.po").write_text(PO_HEADER + body, encoding="utf-8")
    return tmp_path


def test_a_complete_catalogue_passes(tmp_path, capsys):
    assert check_catalogues(["de"], _catalogue(tmp_path, "")) == []
    assert "de django.po: 1 translated, 0 untranslated, 0 fuzzy" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("planted", "problem"),
    [
        (UNTRANSLATED, "de/django.po: 1 untranslated"),
        (FUZZY, "de/django.po: 1 fuzzy"),
        (BROKEN, "de/django.po does not compile"),
    ],
)
def test_a_planted_untranslated_fuzzy_or_broken_entry_fails_when_enforced(
    tmp_path, monkeypatch, planted, problem
):
    locale = _catalogue(tmp_path, planted)

    assert any(found.startswith(problem) for found in check_catalogues(["de"], locale))
    config = {"catalogues": {"mode": "report", "languages": ["de"]}}
    monkeypatch.setenv("I18N_CATALOGUES", "enforce")
    assert run_catalogues(config, locale) == 1
    monkeypatch.setenv("I18N_CATALOGUES", "report")
    assert run_catalogues(config, locale) == 0


def test_a_missing_language_fails_when_enforced(tmp_path, monkeypatch):
    locale = _catalogue(tmp_path, "")
    monkeypatch.delenv("I18N_CATALOGUES", raising=False)

    assert run_catalogues({"catalogues": {"mode": "enforce", "languages": ["de", "nl"]}}, locale)


PLANTED_PYTHON = """
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from rules import RuleViolation

class Colour(models.TextChoices):
    RED = "red", "Red"

class Thing(models.Model):
    name = models.CharField(max_length=9, verbose_name="name", help_text="What it is called.")
    kind = models.CharField(max_length=9, choices=[("a", "Kind A")])

    class Meta:
        verbose_name = "thing"

class ThingForm(forms.Form):
    name = forms.CharField(label="Name", error_messages={"required": "Give a name."})

def view(request, thing):
    messages.success(request, "Saved.")
    messages.error(request, f"{thing} could not be saved.")
    raise ValidationError("Broken: " + thing)

def rule(value):
    raise RuleViolation(_(f"{value} is wrong."), field="value")
"""
MARKED_PYTHON = """
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from rules import RuleViolation

class Colour(models.TextChoices):
    RED = "red", _("Red")
    BLUE = "blue"

class Thing(models.Model):
    name = models.CharField(max_length=9, verbose_name=_("name"), help_text=_("What it is."))
    kind = models.CharField(max_length=9, choices=[("a", _("Kind A"))])

    class Meta:
        verbose_name = _("thing")

class ThingForm(forms.Form):
    name = forms.CharField(label=_("Name"), error_messages={"required": _("Give a name.")})

def view(request, thing):
    messages.success(request, _("Saved."))
    messages.error(request, _("%(thing)s could not be saved.") % {"thing": thing})
    raise ValidationError(_("Broken: %(thing)s"), params={"thing": thing}, code="broken")

def rule(value):
    raise RuleViolation(_("%(value)s is wrong."), field="value", params={"value": value})
"""


def test_unmarked_python_strings_are_found_where_a_person_reads_them():
    found = scan_python(PLANTED_PYTHON, "planted.py")

    assert sorted(f.text for f in found) == sorted(
        [
            "Red",
            "name",
            "What it is called.",
            "Kind A",
            "thing",
            "Name",
            "Give a name.",
            "Saved.",
            " could not be saved.",
            "Broken: ",
            "f'{value} is wrong.'",
        ]
    )
    assert {f.why for f in found if f.text == "f'{value} is wrong.'"} == {
        "formatted before translation"
    }


def test_the_same_strings_marked_pass():
    assert scan_python(MARKED_PYTHON, "marked.py") == []


def test_unmarked_template_text_is_found_and_translated_text_is_not():
    template = """{% load i18n %}
<h1>Orders</h1>
<p>{% translate "Your orders" %} {{ count }}</p>
<p>{% blocktranslate trimmed %}Hello {{ name }},
  welcome.{% endblocktranslate %}</p>
<input name="q" placeholder="Search orders" aria-label="{% translate 'Search' %}">
<img src="x.png" alt="">
<script>const label = "not for reading";</script>
<p>Send <code>Authorization: Bearer</code></p>
{% comment %}A note for developers.{% endcomment %}
<td>{{ order.total }} &middot; 42</td>
"""
    found = scan_template(template, "planted.html")

    assert [(f.line, f.text) for f in found] == [(2, "Orders"), (6, "Search orders"), (9, "Send")]


def test_the_allowlist_lets_a_proper_name_through_but_not_the_words_around_it():
    allow = frozenset({"NCE Orders", "ms"})

    assert scan_template("<p>NCE Orders</p><p>12 ms</p>", "x.html", allow) == []
    assert scan_template("<title>Cart · NCE Orders</title>", "x.html", allow) != []
    assert scan_template("<p>items</p>", "x.html", allow) != []
    assert scan_template("<p>NCE Orders</p>", "x.html") != []


def test_a_plain_text_template_is_checked_line_by_line():
    found = scan_template("{% load i18n %}{{ name }}\n{% translate 'Hello' %}\nThanks.\n", "a.txt")

    assert [(f.line, f.text) for f in found] == [(3, "Thanks.")]


def test_the_command_fails_on_a_planted_file_and_names_it(tmp_path):
    planted = tmp_path / "views.py"
    planted.write_text(PLANTED_PYTHON)

    result = subprocess.run(
        [sys.executable, "-m", "devsupport.i18n_check", "unmarked", str(planted)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 1
    assert f"{planted}:22: not marked for translation: 'Saved.'" in result.stdout


def test_the_enforced_paths_pass_as_the_tree_is_now(capsys):
    config = load_config()

    assert config["unmarked"]["enforce"]
    assert i18n_check.run_unmarked(config) == 0, capsys.readouterr().out


def test_a_widgets_words_are_checked_too():
    source = """
widget = forms.TextInput(attrs={"placeholder": "Search", "autocomplete": "off"})
widget.attrs.setdefault("aria-label", f"{label}: date")
marked = forms.TextInput(attrs={"placeholder": _("Search"), "inputmode": "numeric"})
"""
    found = scan_python(source, "widgets.py")

    assert [(f.line, f.text) for f in found] == [(2, "Search"), (3, ": date")]


@pytest.mark.parametrize(
    ("planted", "problem"),
    [(UNTRANSLATED, "untranslated"), (FUZZY, "fuzzy"), (BROKEN, "errors")],
)
def test_without_msgfmt_babel_finds_the_same(tmp_path, monkeypatch, planted, problem):
    # Only where GNU gettext is not installed; here it is, so hide it for this test.
    monkeypatch.setattr(i18n_check.shutil, "which", lambda name: None)
    po = _catalogue(tmp_path, planted) / "de" / "LC_MESSAGES" / "django.po"

    counts = i18n_check.catalogue_counts(po)

    assert counts["translated"] == 1 + (problem == "errors")
    assert counts[problem]
