"""One idiom for atomic updates: Lua in ``.lua`` files beside their module, loaded by
``jobfeed.lua``; no WATCH loops, no ``EVAL`` of script text, no Lua in Python strings."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from redis.asyncio import Redis
from redis.commands.core import AsyncScript

from jobfeed.applications.repository import ApplicationRepository
from jobfeed.broadcast.liveness import WorkerLiveness
from jobfeed.broadcast.pacing import Pacer, PacingLimits
from jobfeed.broadcast.plans import BroadcastPlans
from jobfeed.broadcast.tasks import BroadcastTasks
from jobfeed.groups import GroupRepository
from jobfeed.keys import Keys
from jobfeed.lua import script_text
from jobfeed.matching.queue import AlertQueue
from jobfeed.matching.repository import AvailabilityRepository
from jobfeed.roles import RecruiterRepository
from jobfeed.search.throttle import ReplyGate, ReplyLimits
from jobfeed.vacancies import VacancyRepository

ROOT = Path(__file__).resolve().parent.parent

# The one loader, and the batcher that replays registered scripts by their SHA.
MECHANISM = {"jobfeed/lua.py", "jobfeed/batching.py"}
CALLS = {"register_script", "eval", "evalsha", "watch", "script_load"}


def violations(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr in CALLS:
            found.append(f"line {node.lineno}: .{node.attr}")
        elif isinstance(node, ast.alias) and node.name == "WatchError":
            found.append(f"line {node.lineno}: WatchError")
        elif isinstance(node, ast.Constant) and "redis.call(" in str(node.value):
            found.append(f"line {node.lineno}: Lua in a Python string")
    return found


def test_the_product_updates_atomically_one_way() -> None:
    offenders = []
    paths = [
        p for package in ("jobfeed", "bot", "handlers") for p in (ROOT / package).rglob("*.py")
    ]
    for path in sorted(paths):
        name = path.relative_to(ROOT).as_posix()
        if name not in MECHANISM:
            offenders += [f"{name} {v}" for v in violations(path)]
    assert offenders == []


def test_the_check_sees_each_other_way(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(
        "from redis.exceptions import WatchError\n"
        "S = \"return redis.call('GET', KEYS[1])\"\n"
        "async def f(r, pipe):\n"
        "    await r.eval(S, 0)\n"
        "    await pipe.watch('k')\n"
        "    r.register_script(S)\n"
    )
    assert len(violations(module)) == 5


def test_every_script_ships_in_a_scripts_folder_of_a_package() -> None:
    scripts = sorted((ROOT / "jobfeed").rglob("*.lua"))
    assert scripts
    for script in scripts:
        # pyproject's package-data takes "scripts/*.lua" of every package.
        assert script.parent.name == "scripts", script
        assert (script.parent.parent / "__init__.py").exists(), script


async def test_every_loaded_script_compiles(redis: Redis, keys: Keys) -> None:
    pacer = Pacer(redis, keys, "t", PacingLimits(30.0))
    owners = [
        BroadcastPlans(redis, keys),
        BroadcastTasks(redis, keys),
        WorkerLiveness(redis, keys),
        GroupRepository(redis, keys),
        VacancyRepository(redis, keys),
        RecruiterRepository(redis, keys),
        ApplicationRepository(redis, keys, 30),
        ReplyGate(redis, keys, pacer, ReplyLimits()),
        AvailabilityRepository(redis, keys, 30),
        AlertQueue(redis, keys, 30),
    ]
    scripts = [
        value
        for owner in owners
        for value in vars(owner).values()
        if isinstance(value, AsyncScript)
    ]
    assert len(scripts) >= 16
    for script in scripts:
        # SCRIPT LOAD compiles the text: a syntax error or a missing file fails here.
        assert await redis.script_load(script.script) == script.sha


@pytest.mark.parametrize("name", ["claim", "fn_terminal"])
def test_a_script_is_read_from_the_package(name: str) -> None:
    assert script_text("jobfeed.broadcast", name) == (
        ROOT / "jobfeed/broadcast/scripts" / f"{name}.lua"
    ).read_text(encoding="utf-8")
