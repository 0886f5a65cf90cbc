"""Find the English left on a page in another language, by comparing it to the English render.

A page's words are its text nodes and the attributes people read (``READ_ATTRIBUTES``,
and a submit button's value), without scripts, styles, code and anything marked
with a ``lang`` of its own (the language switcher's "Deutsch", "Français") or set in the
site's code face (class "mono": ids, parameters, logins). A segment the
other language renders exactly as English does is English left over when it holds a word of
the product's English: a word of the catalogue's msgids that no translation in that
language uses (so "Status" or "Partner", the same in German, are not counted), or a common
English word. The data on the page (companies, people, products, the marketplace's own
words) is taken out first: names, product names and codes stay as they are in every language.
"""

import functools
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from babel.messages.pofile import read_po
from django.conf import settings

# The attributes a person reads: the same list the unmarked-string check reads templates for.
from devsupport.i18n_check import READ_ATTRIBUTES

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
SKIPPED_ELEMENTS = {"script", "style", "pre", "code", "template"}
VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                 "source", "track", "wbr"}  # fmt: skip
#: Words that are English in any sentence, whether or not the catalogue holds them yet
#: (strings still unmarked in Python reach the page in English too).
COMMON_ENGLISH = set(
    "the and of to your you is are for with not no yet this that was were has have will "
    "can from by on at an be or it its all any only when what which who there here more "
    "been before after into out than then them they their our we us".split()
)
WORD = re.compile(r"[^\W\d_]{2,}")


class _Segments(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.segments: list[str] = []
        self.skipping: list[str] = []  # open elements whose text is not read

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        skip = (
            tag in SKIPPED_ELEMENTS
            or ("lang" in values and tag != "html")
            or "mono" in (values.get("class") or "").split()  # codes: ids, parameters, logins
        )
        if tag not in VOID_ELEMENTS and (skip or self.skipping):
            self.skipping.append(tag)
        if skip or self.skipping:
            return
        for name in READ_ATTRIBUTES:
            if values.get(name):
                self.segments.append(values[name])
        if tag == "input" and values.get("type") == "submit" and values.get("value"):
            self.segments.append(values["value"])

    def handle_endtag(self, tag):
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()

    def handle_data(self, data):
        if not self.skipping and data.strip():
            self.segments.append(data)


def segments(html: str) -> list[str]:
    """Return the pieces of text a person reads on ``html``, whitespace collapsed."""
    parser = _Segments()
    parser.feed(html)
    return [" ".join(piece.split()) for piece in parser.segments if piece.strip()]


def english_vocabulary(language: str) -> set[str]:
    """Return the product's English words that ``language``'s translations do not also use."""
    path = LOCALE_DIR / language / "LC_MESSAGES" / "django.po"
    with path.open("rb") as source:
        catalog = read_po(source)
    english, translated = set(), set()
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in ids:
            english |= words_of(_plain(text))
        for text in strings:
            translated |= words_of(_plain(text or ""))
    return (english - translated) | (COMMON_ENGLISH - translated)


def _plain(text: str) -> str:
    """Return a catalogue string without its placeholders, markup and the product's own name."""
    return re.sub(r"%\(\w+\)[sd]|<[^>]+>|NCE Orders", " ", text)


def words_of(text: str) -> set[str]:
    return {word.lower() for word in WORD.findall(text)}


@dataclass
class Finding:
    language: str
    role: str
    path: str
    texts: list[str] = field(default_factory=list)


@functools.cache
def data_pattern(data: tuple[str, ...]) -> re.Pattern:
    """Return a pattern matching any of ``data`` as whole words, longest first."""
    values = sorted(data, key=len, reverse=True)
    return re.compile("|".join(rf"(?<!\w){re.escape(value)}(?!\w)" for value in values))


def untranslated(english_html: str, other_html: str, *, vocabulary: set[str], data: list[str]):
    """Return the segments of ``other_html`` left in English (see the module's docstring)."""
    english = set(segments(english_html))
    left = []
    for segment in segments(other_html):
        if segment not in english:
            continue
        rest = data_pattern(tuple(data)).sub(" ", segment) if data else segment
        if words_of(rest) & vocabulary:
            left.append(segment)
    return list(dict.fromkeys(left))
