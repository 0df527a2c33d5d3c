"""Dependencies point one way: bot -> handlers -> jobfeed; the domain knows no Telegram.

``devkit`` (simulators, the demo) sits above them all: it may import the product, the product
never imports it (tests/test_devkit_apart.py checks the running processes and the wheel).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

FORBIDDEN = {
    "jobfeed": ("aiogram", "aiohttp.web", "bot", "handlers", "devkit", "prometheus_client"),
    "handlers": ("bot", "devkit", "prometheus_client"),
    "bot": ("devkit",),
}


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_does_not_import_upwards(package: str) -> None:
    offenders = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for name in imports_of(path):
            if any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN[package]):
                offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offenders == []


def test_the_check_sees_a_violation(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("from aiogram.types import Message\nimport aiohttp.web\n")
    assert {"aiogram.types", "aiohttp.web"} <= imports_of(module)
