"""Compile the translation catalogues (locale/*/LC_MESSAGES/*.po) into the .mo files Django reads.

    python -m config.catalogues

The .mo files are build output, not kept in the repository: dev.py compiles them before
the tests and the development server, the Dockerfile when it builds the image. Babel
compiles them in pure Python, so no system gettext is needed; fuzzy entries are left out,
as msgfmt does. Only catalogues whose .po is newer than their .mo are compiled.
"""

import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


def stale_catalogues(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """Return the .po files whose .mo is missing or older than they are."""
    stale = []
    for po in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            stale.append(po)
    return stale


def compile_catalogue(po: Path) -> None:
    """Write ``po``'s .mo beside it (through a temporary file, so a reader never sees half)."""
    with po.open("rb") as source:
        catalog = read_po(source, locale=po.parent.parent.name)
    mo = po.with_suffix(".mo")
    partial = mo.with_suffix(".mo.partial")
    with partial.open("wb") as target:
        write_mo(target, catalog, use_fuzzy=False)
    partial.replace(mo)


def main() -> int:
    stale = stale_catalogues()
    for po in stale:
        compile_catalogue(po)
    if stale:
        print(f"Compiled {len(stale)} translation catalogue(s).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
