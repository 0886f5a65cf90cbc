"""Small text helpers the rules share."""

import unicodedata


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
