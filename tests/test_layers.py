"""The records layer (`customers`) never imports the workflow (`reactivation`): records below, workflow above."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", sorted((ROOT / "customers").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_records_layer_never_imports_the_workflow(path):
    workflow = sorted(name for name in imported_modules(path) if name.split(".")[0] == "reactivation")
    assert not workflow, f"{path.relative_to(ROOT)} imports {workflow}"


def test_the_check_sees_an_import_of_the_workflow(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from reactivation.models import FollowUp\n", encoding="utf-8")
    assert imported_modules(sample) == {"reactivation.models"}
