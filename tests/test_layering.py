"""The one-way layering of pyproject.toml `[tool.importlinter]` (issue 8 A3), run as `make lint` runs it.

Each check runs `lint-imports` on a copy of the source tree, so a wrong arrow can be added
without touching the real one: the copy as it is keeps the contract, and each single
import against it breaks the contract with a message naming it.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mediation.cases import hooks as case_hooks
from mediation.clocks import hooks as clock_hooks
from mediation.lib.hooks import Hook
from mediation.supervision import hooks as supervision_hooks

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    copy = tmp_path_factory.mktemp("layers")
    for package in ("mediation", "parties", "workflows", "search"):
        shutil.copytree(
            ROOT / package,
            copy / package,
            ignore=shutil.ignore_patterns("__pycache__", "migrations", "*.json", "*.txt"),
        )
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    return copy


def lint(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tree,
        env={"PYTHONPATH": str(tree)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_tree_keeps_the_contract(tree):
    result = lint(tree)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    "module,line,message",
    [
        (
            "mediation/clocks/services.py",
            "from mediation.cases.models import Case",
            "mediation.clocks is not allowed to import mediation.cases",
        ),
        (
            "mediation/supervision/views.py",
            "from workflows.engine import user_may_act",
            "mediation.supervision is not allowed to import workflows",
        ),
        (
            "mediation/cases/views.py",
            "from workflows import services as flows",
            "mediation.cases is not allowed to import workflows",
        ),
        (
            "mediation/cases/selectors.py",
            "from mediation.supervision.models import SupervisionMatter",
            "mediation.cases is not allowed to import mediation.supervision",
        ),
        (
            "parties/models.py",
            "import mediation.notifications.models",
            "parties is not allowed to import mediation.notifications",
        ),
        (
            "workflows/engine.py",
            "import search.models",
            "workflows is not allowed to import search",
        ),
    ],
)
def test_an_import_against_the_layers_breaks_the_contract(tree, module, line, message):
    path = tree / module
    original = path.read_text(encoding="utf-8")
    try:
        path.write_text(f"{original}\n{line}  # noqa\n", encoding="utf-8")
        result = lint(tree)
    finally:
        path.write_text(original, encoding="utf-8")
    assert result.returncode == 1
    assert "0 kept, 1 broken" in result.stdout
    assert message in result.stdout


def test_every_hook_is_filled_at_start_up():
    hooks = [
        h
        for module in (case_hooks, clock_hooks, supervision_hooks)
        for h in vars(module).values()
        if isinstance(h, Hook)
    ]
    assert len(hooks) >= 10  # every slot a lower area declares, the 办理 flag included
    assert [h.name for h in hooks if not h.registered] == []


def test_an_unfilled_hook_says_which_app_is_missing():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="workflows must be installed"):
        Hook("cases.example", "workflows")()
