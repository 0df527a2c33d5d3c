"""The development kit stays out of the product: no product process loads a ``devkit`` module
and the production wheel ships none (the imports themselves: tests/test_layering.py)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from zipfile import ZipFile

ROOT = Path(__file__).resolve().parent.parent
PRODUCT = {"bot", "handlers", "jobfeed"}
PROCESS_COMMANDS = {"bot.commands.run", "bot.commands.worker", "bot.commands.feed"}

IMPORT_EVERY_MODULE = """
import importlib, pkgutil, sys
for package in sys.argv[1:]:
    for found in pkgutil.walk_packages(importlib.import_module(package).__path__, package + "."):
        importlib.import_module(found.name)
print("\\n".join(sys.modules))
"""


def python(*argv: str) -> subprocess.CompletedProcess[str]:
    # From the repository root, so that ``devkit`` would be importable if anything asked.
    return subprocess.run(
        [sys.executable, *argv], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )


def product_modules() -> set[str]:
    names = set()
    for package in PRODUCT:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            names.add(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def devkit_modules(names: Iterable[str]) -> list[str]:
    return sorted(name for name in names if name == "devkit" or name.startswith("devkit."))


def imported(importtime: str) -> set[str]:
    """The module names in ``-X importtime`` lines: ``import time: self | cumulative | name``."""
    return {
        line.rsplit("|", 1)[1].strip()
        for line in importtime.splitlines()
        if line.startswith("import time:") and "|" in line
    }


def test_python_m_bot_loads_no_devkit_module() -> None:
    done = python("-X", "importtime", "-m", "bot", "--help")
    assert done.returncode == 0, done.stderr[-2000:]
    modules = imported(done.stderr)
    assert modules >= PROCESS_COMMANDS  # the run, worker and feed commands were loaded
    assert devkit_modules(modules) == []


def test_no_product_module_pulls_in_devkit() -> None:
    done = python("-c", IMPORT_EVERY_MODULE, *sorted(PRODUCT))
    assert done.returncode == 0, done.stderr[-2000:]
    modules = set(done.stdout.split())
    assert modules >= product_modules()
    assert devkit_modules(modules) == []


def test_the_production_wheel_has_only_the_product(tmp_path: Path) -> None:
    source, dist = tmp_path / "source", tmp_path / "dist"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for package in sorted(path.parent for path in ROOT.glob("*/__init__.py")):
        ignore = shutil.ignore_patterns("__pycache__")
        shutil.copytree(package, source / package.name, ignore=ignore)
    assert (source / "devkit").is_dir()  # offered to the build; the include must leave it out
    done = python(
        "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "--no-index",
        "--wheel-dir", str(dist), str(source),
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    (wheel,) = dist.glob("*.whl")
    tops = {name.split("/")[0] for name in ZipFile(wheel).namelist()}
    assert {top for top in tops if not top.endswith(".dist-info")} == PRODUCT
