"""Small text helpers the rules share."""

import unicodedata

from django.utils import formats
from django.utils.functional import lazy
from django.utils.translation import pgettext


def _long_date(value) -> str:
    # Month in words, never a number-only date that reads differently on each side of the ocean.
    return formats.date_format(value, pgettext("date in a message (Django date format)", "j F Y"))


#: A date as the active language writes it, decided when the message is read, not raised.
long_date = lazy(_long_date, str)


def clean_text(value) -> str:
    """Return ``value`` as a string with outer whitespace removed and inner runs made one space."""
    if value is None:
        return ""
    return " ".join(str(value).split())


def folded(value: str) -> str:
    """Return ``value`` lower-cased with everything but letters and digits removed."""
    return "".join(ch for ch in value.casefold() if ch.isalnum())


def is_cjk(ch: str) -> bool:
    """Return True for a Chinese, Japanese or Korean ideograph or syllable."""
    name = unicodedata.name(ch, "")
    return name.startswith(("CJK ", "HANGUL SYLLABLE", "HIRAGANA", "KATAKANA"))
