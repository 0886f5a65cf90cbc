"""The i18n checks that `python3 dev.py lint` runs (and so CI).

    python -m devsupport.i18n_check                 both checks, as devsupport/i18n_check.toml says
    python -m devsupport.i18n_check catalogues      each language's catalogue: compiles, counts
    python -m devsupport.i18n_check unmarked [PATH...]
                                                    strings people read, not marked for translation;
                                                    with paths, only those, and any finding fails

1. Catalogues: every ``locale/<lang>/LC_MESSAGES/*.po`` must pass ``msgfmt --check`` and hold
   no untranslated and no fuzzy entry. The counts per language are always printed; the mode
   ("report" or "enforce") comes from the TOML file or the I18N_CATALOGUES variable.
2. Unmarked strings: Python literals handed to the places a person reads (messages.*,
   ValidationError, RuleViolation, form labels and help texts, error_messages, choices,
   verbose_name, TextChoices labels, the API's problem details) without ``_()``, f-strings
   inside ``_()``, and template text outside ``{% translate %}``/``{% blocktranslate %}``.
"""

import argparse
import ast
import fnmatch
import html.parser
import os
import re
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = Path(__file__).with_suffix(".toml")

TRANSLATE_FUNCS = frozenset(
    {
        "_",
        "gettext",
        "gettext_lazy",
        "gettext_noop",
        "ngettext",
        "ngettext_lazy",
        "pgettext",
        "pgettext_lazy",
        "npgettext",
        "npgettext_lazy",
    }
)
#: Callables whose argument at this position (or keyword) is read by a person.
READ_ARGUMENTS = {
    "ValidationError": (0, "message"),
    "RuleViolation": (0, "message"),
    "ApiError": (1, "detail"),
    "problem_response": (1, "detail"),
    "field_error": (1, "detail"),
    "add_error": (1, "error"),
    "PermissionDenied": (0, None),
    "message_user": (1, "message"),
    "Http404": (0, None),
}
MESSAGE_LEVELS = frozenset({"debug", "info", "success", "warning", "error"})
#: Keyword arguments a person reads, whatever the call.
READ_KEYWORDS = frozenset(
    {"label", "help_text", "verbose_name", "verbose_name_plural", "empty_label", "fix"}
)
RELATION_FIELDS = frozenset({"ForeignKey", "OneToOneField", "ManyToManyField"})
#: ``@admin.display(description=...)`` and ``@admin.action(description=...)``.
ADMIN_DECORATORS = frozenset({"display", "action"})
READ_CLASS_ATTRIBUTES = frozenset(
    # ``title`` is a list filter's heading in the admin.
    {"verbose_name", "verbose_name_plural", "empty_value_display", "title"}
)
CHOICES_BASES = frozenset({"TextChoices", "IntegerChoices", "Choices"})
TEMPLATE_SUFFIXES = (".html", ".txt")
#: Attributes whose value a person reads (or hears, through a screen reader).
READ_ATTRIBUTES = frozenset({"title", "alt", "placeholder", "aria-label", "aria-description"})
#: Elements whose text is code, not words: never translated.
UNREAD_ELEMENTS = frozenset({"script", "style", "code", "kbd", "samp"})
SKIPPED_DIRS = frozenset({".venv", "node_modules", "migrations", "__pycache__", ".git", "static"})
_LETTER = re.compile(r"[^\W\d_]")
_HOLE = "\x00"


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    text: str
    why: str = "not marked for translation"

    def __str__(self):
        return f"{self.path}:{self.line}: {self.why}: {self.text!r}"


def load_config(path=CONFIG) -> dict:
    with open(path, "rb") as handle:
        return tomllib.load(handle)


def is_prose(text: str, allow=frozenset()) -> bool:
    """Return True if ``text`` holds a word a person reads that is not on the allowlist."""
    text = " ".join(text.replace(_HOLE, " ").split())
    if text in allow:
        return False
    # Longest first, so "Microsoft 365" goes whole before "Microsoft" could split it.
    for name in sorted(allow, key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", " ", text)
    return bool(_LETTER.search(text))


# --- Python -------------------------------------------------------------------------------------


def _callee_name(func) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


class _PythonScanner(ast.NodeVisitor):
    def __init__(self, path, allow, arguments=None):
        self.path = path
        self.allow = allow
        self.arguments = {**READ_ARGUMENTS, **(arguments or {})}
        self.findings = []

    def report(self, node, text, why="not marked for translation"):
        self.findings.append(Finding(self.path, node.lineno, text, why))

    def check(self, node):
        """Report ``node`` if it is a literal a person would read untranslated."""
        if node is None:
            return
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if is_prose(node.value, self.allow):
                self.report(node, node.value)
        elif isinstance(node, ast.JoinedStr):
            text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
            if is_prose(text, self.allow):
                self.report(node, text, "f-string where a person reads it")
        elif isinstance(node, ast.BinOp):
            self.check(node.left)
            if isinstance(node.op, ast.Add):
                self.check(node.right)
        elif isinstance(node, ast.IfExp):
            self.check(node.body)
            self.check(node.orelse)
        elif isinstance(node, ast.Dict):
            for value in node.values:
                self.check(value)
        elif isinstance(node, ast.Call) and _callee_name(node.func) == "format":
            self.check(node.func.value if isinstance(node.func, ast.Attribute) else None)

    def check_choices(self, node):
        if isinstance(node, (ast.List, ast.Tuple)):
            for item in node.elts:
                if isinstance(item, ast.Tuple) and len(item.elts) == 2:
                    if isinstance(item.elts[1], (ast.List, ast.Tuple)):  # an option group
                        self.check(item.elts[0])
                        self.check_choices(item.elts[1])
                    else:
                        self.check(item.elts[1])

    def visit_Call(self, node):
        name = _callee_name(node.func)
        if name in TRANSLATE_FUNCS:
            for arg in node.args:
                if isinstance(arg, ast.JoinedStr) or (
                    isinstance(arg, ast.BinOp) and isinstance(arg.op, ast.Mod)
                ):
                    self.report(node, ast.unparse(arg), "formatted before translation")
            self.generic_visit(node)
            return
        if name in MESSAGE_LEVELS and _is_messages(node.func):
            self.check(_argument(node, 1, "message"))
        elif name == "add_message" and _is_messages(node.func):
            self.check(_argument(node, 2, "message"))
        elif name == "setdefault" and len(node.args) == 2 and _is_read_attribute(node.args[0]):
            self.check(node.args[1])  # widget.attrs.setdefault("aria-label", ...)
        elif name.endswith("Field") and name not in RELATION_FIELDS and node.args:
            self.check(node.args[0])  # a model field's first argument is its verbose_name
        elif name in self.arguments:
            for position in _positions(self.arguments[name]):
                self.check(_argument(node, *position))
        for keyword in node.keywords:
            if keyword.arg == "description" and name in ADMIN_DECORATORS:
                self.check(keyword.value)
            elif keyword.arg in READ_KEYWORDS:
                self.check(keyword.value)
            elif keyword.arg == "error_messages" and isinstance(keyword.value, ast.Dict):
                self.check(keyword.value)
            elif keyword.arg == "choices":
                self.check_choices(keyword.value)
        self.generic_visit(node)

    def visit_Dict(self, node):
        # A widget's attrs: {"placeholder": ..., "aria-label": ..., "title": ...}.
        for key, value in zip(node.keys, node.values, strict=True):
            if key is not None and _is_read_attribute(key):
                self.check(value)
        self.generic_visit(node)

    def visit_ClassDef(self, node):
        bases = {_callee_name(base) for base in node.bases}
        is_choices = bool(bases & CHOICES_BASES)
        for statement in node.body:
            if not isinstance(statement, ast.Assign) or len(statement.targets) != 1:
                continue
            target = statement.targets[0]
            if not isinstance(target, ast.Name):
                continue
            if target.id in READ_CLASS_ATTRIBUTES:
                self.check(statement.value)
            elif target.id == "choices":
                self.check_choices(statement.value)
            elif is_choices and isinstance(statement.value, ast.Tuple) and statement.value.elts:
                self.check(statement.value.elts[-1])
        self.generic_visit(node)


def _positions(spec):
    """Return ``(position, keyword)`` pairs from ``(0, "message")`` or ``[3, 4]`` (the TOML's)."""
    if isinstance(spec, tuple):
        return [spec]
    return [(position, None) for position in spec]


def _is_read_attribute(node) -> bool:
    return isinstance(node, ast.Constant) and node.value in READ_ATTRIBUTES


def _is_messages(func) -> bool:
    return isinstance(func, ast.Attribute) and _callee_name(func.value) == "messages"


def _argument(call, position, keyword):
    if position is not None and len(call.args) > position:
        return call.args[position]
    for item in call.keywords:
        if item.arg == keyword:
            return item.value
    return None


def scan_python(source: str, path: str, allow=frozenset(), arguments=None) -> list[Finding]:
    scanner = _PythonScanner(path, allow, arguments)
    scanner.visit(ast.parse(source, filename=path))
    return scanner.findings


# --- templates ----------------------------------------------------------------------------------


def _flatten_template(source: str) -> str:
    """Return ``source`` with every tag, variable, comment and translated block made a hole.

    Newlines are kept, so the lines of what remains are the template's lines.
    """
    from django.template.base import Lexer, TokenType

    out = []
    skip_until = None
    for token in Lexer(source).tokenize():
        raw = token.contents
        lines = "\n" * raw.count("\n")
        if token.token_type == TokenType.BLOCK:
            word = raw.split(" ", 1)[0]
            if skip_until:
                if word == skip_until:
                    skip_until = None
            elif word in ("blocktranslate", "blocktrans"):
                skip_until = "end" + word
            elif word in ("comment", "verbatim"):
                skip_until = "end" + word
            out.append(_HOLE + lines)
        elif token.token_type == TokenType.TEXT and not skip_until:
            out.append(raw)
        else:
            out.append(_HOLE + lines)
    return "".join(out)


class _TemplateText(html.parser.HTMLParser):
    def __init__(self, path, allow):
        super().__init__(convert_charrefs=True)
        self.path = path
        self.allow = allow
        self.findings = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in UNREAD_ELEMENTS:
            self.hidden += 1
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value and is_prose(value, self.allow):
                self.findings.append(Finding(self.path, self.getpos()[0], value.strip()))

    def handle_endtag(self, tag):
        if tag in UNREAD_ELEMENTS and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if self.hidden or not is_prose(data, self.allow):
            return
        line = self.getpos()[0] + data[: len(data) - len(data.lstrip())].count("\n")
        text = " ".join(data.replace(_HOLE, " ").split())
        self.findings.append(Finding(self.path, line, text))


def scan_template(source: str, path: str, allow=frozenset()) -> list[Finding]:
    flat = _flatten_template(source)
    if path.endswith(".txt"):
        # A plain-text template (an e-mail's body) is one text node: report it line by line.
        return [
            Finding(path, number, " ".join(line.replace(_HOLE, " ").split()))
            for number, line in enumerate(flat.split("\n"), start=1)
            if is_prose(line, allow)
        ]
    parser = _TemplateText(path, allow)
    parser.feed(flat)
    parser.close()
    return parser.findings


# --- walking paths ------------------------------------------------------------------------------


def _files(pattern: str):
    """Yield the files a configured entry names: a file, a directory, or a glob pattern."""
    if any(ch in pattern for ch in "*?["):
        for found in sorted(ROOT.glob(pattern)):
            if found.is_dir():
                yield from _files(str(found))
            elif not SKIPPED_DIRS & set(found.parts):
                yield found
        return
    path = ROOT / pattern
    if path.is_file():
        yield path
        return
    for directory, dirs, names in os.walk(path):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS)
        for name in sorted(names):
            yield Path(directory) / name


def scan_paths(paths, allow=frozenset(), skip=frozenset(), arguments=None) -> list[Finding]:
    """Return every unmarked string in the Python files and templates under ``paths``."""
    findings = []
    for base in paths:
        for file in _files(str(base)):
            shown = str(file.relative_to(ROOT)) if file.is_relative_to(ROOT) else str(file)
            if any(fnmatch.fnmatch(shown, pattern) for pattern in skip):
                continue
            if file.suffix == ".py":
                source = file.read_text(encoding="utf-8")
                findings += scan_python(source, shown, allow, arguments)
            elif file.suffix in TEMPLATE_SUFFIXES and "templates" in file.parts:
                findings += scan_template(file.read_text(encoding="utf-8"), shown, allow)
    return findings


# --- catalogues ---------------------------------------------------------------------------------

_STATISTICS = {
    "translated": re.compile(r"(\d+) translated message"),
    "fuzzy": re.compile(r"(\d+) fuzzy translation"),
    "untranslated": re.compile(r"(\d+) untranslated message"),
}


def catalogue_counts(po_file: Path) -> dict:
    """Return ``{"translated", "fuzzy", "untranslated", "errors"}`` for one .po file.

    GNU msgfmt decides (``--check``: headers, and each python-format entry keeps the msgid's
    placeholders); where it is not installed, Babel reads the file and checks the same.
    """
    if shutil.which("msgfmt") is None:
        return _babel_counts(po_file)
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", os.devnull, str(po_file)],
        capture_output=True,
        text=True,
        env={**os.environ, "LC_ALL": "C"},
    )
    output = result.stderr
    counts = {key: int(m[1]) if (m := rx.search(output)) else 0 for key, rx in _STATISTICS.items()}
    counts["errors"] = []
    if result.returncode != 0:
        statistics = _STATISTICS["translated"]
        lines = [line for line in output.splitlines() if not statistics.search(line)]
        counts["errors"] = lines or [f"msgfmt exited with {result.returncode}"]
    return counts


def _babel_counts(po_file: Path) -> dict:
    from babel.messages.pofile import read_po

    counts = {"translated": 0, "fuzzy": 0, "untranslated": 0, "errors": []}
    try:
        with po_file.open("rb") as source:
            catalog = read_po(source, abort_invalid=True)
    except Exception as error:  # noqa: BLE001 - any unreadable file is one error to report
        counts["errors"] = [str(error)]
        return counts
    for message in catalog:
        if not message.id:
            continue  # the header
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            counts["fuzzy"] += 1
        elif all(strings):
            counts["translated"] += 1
        else:
            counts["untranslated"] += 1
    counts["errors"] = [
        f"{po_file}:{message.lineno}: {error}"
        for message, errors in catalog.check()
        if not message.fuzzy
        for error in errors
    ]
    return counts


def check_catalogues(languages, locale_dir: Path) -> list[str]:
    """Print each language's counts; return the problems found (empty when all is complete)."""
    problems = []
    for language in languages:
        files = sorted((locale_dir / language / "LC_MESSAGES").glob("*.po"))
        if not files:
            problems.append(f"{language}: no catalogue in {locale_dir / language / 'LC_MESSAGES'}")
            print(f"  {language}: no catalogue")
            continue
        for po_file in files:
            counts = catalogue_counts(po_file)
            print(
                f"  {language} {po_file.name}: {counts['translated']} translated, "
                f"{counts['untranslated']} untranslated, {counts['fuzzy']} fuzzy"
            )
            name = f"{language}/{po_file.name}"
            if counts["errors"]:
                problems.append(f"{name} does not compile: " + "; ".join(counts["errors"]))
            if counts["untranslated"]:
                problems.append(f"{name}: {counts['untranslated']} untranslated")
            if counts["fuzzy"]:
                problems.append(f"{name}: {counts['fuzzy']} fuzzy")
    return problems


# --- command line -------------------------------------------------------------------------------


def run_catalogues(config, locale_dir=ROOT / "locale") -> int:
    section = config["catalogues"]
    mode = os.environ.get("I18N_CATALOGUES") or section.get("mode", "enforce")
    print(f"i18n catalogues ({mode}):")
    problems = check_catalogues(section["languages"], locale_dir)
    for problem in problems:
        print(f"  {'!!' if mode == 'enforce' else '..'} {problem}")
    return 1 if problems and mode == "enforce" else 0


def run_unmarked(config, paths=None) -> int:
    section = config["unmarked"]
    allow = frozenset(section.get("allow", ()))
    skip = frozenset(section.get("skip", ()))
    reported = frozenset(section.get("report", ()))
    arguments = section.get("arguments", {})
    groups = (
        [("enforce", paths)]
        if paths
        else [
            ("enforce", section.get("enforce", [])),
            ("report", section.get("report", [])),
        ]
    )
    failed = 0
    for mode, group in groups:
        # A file both enforced and reported (e-mails inside templates/) is only reported.
        findings = scan_paths(
            group, allow, skip | reported if mode == "enforce" else skip, arguments
        )
        print(f"i18n unmarked strings ({mode}: {', '.join(group) or 'none'}): {len(findings)}")
        for finding in findings if mode == "enforce" else findings[:20]:
            print(f"  {finding}")
        if mode == "report" and len(findings) > 20:
            print(f"  ... and {len(findings) - 20} more")
        failed |= mode == "enforce" and bool(findings)
    return 1 if failed else 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("check", nargs="?", choices=("catalogues", "unmarked"))
    parser.add_argument("paths", nargs="*", help="paths to scan for unmarked strings")
    args = parser.parse_args(argv)
    config = load_config()
    status = 0
    if args.check in (None, "catalogues"):
        status |= run_catalogues(config)
    if args.check in (None, "unmarked"):
        status |= run_unmarked(config, args.paths)
    return status


if __name__ == "__main__":
    sys.exit(main())
