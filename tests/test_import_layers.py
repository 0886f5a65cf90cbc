"""The import-layer check (``lint-imports``, run by ``python3 dev.py lint`` in CI) keeps the rooms.

It passes on the tree as it is, and fails on a copy of the tree with an upward import or a
circle planted in it: the contracts in pyproject.toml are the ones checked, not a copy of them.
"""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _root_packages() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return config["tool"]["importlinter"]["root_packages"]


def _lint_imports(where: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=where,
        env={"PATH": str(LINT_IMPORTS.parent), "PYTHONPATH": str(where)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _only_python(directory, names):
    return [
        name
        for name in names
        if name == "__pycache__"
        or (not name.endswith(".py") and not (Path(directory) / name).is_dir())
    ]


@pytest.fixture
def tree_copy(tmp_path) -> Path:
    """The product's packages (their Python files) and pyproject.toml, copied."""
    for package in _root_packages():
        shutil.copytree(ROOT / package, tmp_path / package, ignore=_only_python)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_tree_keeps_its_rooms():
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_planted_upward_import_breaks_the_check(tree_copy):
    assert _lint_imports(tree_copy).returncode == 0
    # customers sits below orders: the dashboard's old way of reading orders.
    (tree_copy / "customers" / "planted.py").write_text("from orders.models import Order\n")

    result = _lint_imports(tree_copy)

    assert result.returncode == 1
    assert "customers is not allowed to import orders" in result.stdout
    assert "customers.planted -> orders.models" in result.stdout


def test_a_planted_circle_breaks_the_check(tree_copy):
    services = tree_copy / "webhooks" / "services.py"
    # The circle the tasks once made: services enqueueing through tasks, tasks calling services.
    services.write_text(services.read_text() + "\nfrom . import tasks  # noqa: E402\n")

    result = _lint_imports(tree_copy)

    assert result.returncode == 1
    assert "No cycles are allowed in webhooks" in result.stdout
