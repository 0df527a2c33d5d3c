"""What an operator gets wrong at start (a bad URL or zone, Redis down, a busy port)
ends the real process with one clear line on stderr and exit code 2."""

from __future__ import annotations

import socket
import uuid
from pathlib import Path

import pytest
from aiohttp import web

from bot.app import create_app
from bot.config import load_settings
from tests.conftest import redis_url
from tests.foundation.test_config import GOOD_TOKEN, run_bot
from tests.harness import free_port


def assert_one_line(result: object, *needles: str) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)  # type: ignore[attr-defined]
    stderr: str = result.stderr  # type: ignore[attr-defined]
    lines = [line for line in stderr.strip().splitlines() if line]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("error: "), stderr
    assert "Traceback" not in stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


@pytest.mark.parametrize(
    ("env", "needle"),
    [
        ({"REDIS_URL": "foo"}, "REDIS_URL"),
        ({"REDIS_URL": "foo:hunter2@db"}, "REDIS_URL"),
        ({"TIMEZONE": "Mars/Olympus"}, "TIMEZONE"),
    ],
)
def test_malformed_setting(env: dict[str, str], needle: str, tmp_path: Path) -> None:
    line = assert_one_line(run_bot({"BOT_TOKEN": GOOD_TOKEN, **env}, tmp_path), needle)
    assert "hunter2" not in line


def test_unreachable_redis_without_its_password(tmp_path: Path) -> None:
    port = free_port()  # nothing listens there
    env = {"BOT_TOKEN": GOOD_TOKEN, "REDIS_URL": f"redis://:hunter2@127.0.0.1:{port}/0"}
    line = assert_one_line(run_bot(env, tmp_path), f"127.0.0.1:{port}", "REDIS_URL")
    assert "hunter2" not in line


def test_port_already_in_use(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        env = {
            "BOT_TOKEN": GOOD_TOKEN,
            "REDIS_URL": redis_url(),
            "REDIS_PREFIX": f"t{uuid.uuid4().hex[:12]}",
            "HOST": "127.0.0.1",
            "PORT": str(port),
            "TELEGRAM_API_BASE": "http://127.0.0.1:9",  # never reached before the bind
        }
        assert_one_line(run_bot(env, tmp_path), str(port), "PORT")


async def test_a_failed_start_closes_what_it_had_opened() -> None:
    # Redis is unreachable: the metrics listener (opened first) must not stay bound.
    metrics_port, redis_port = free_port(), free_port()
    settings = load_settings(
        bot_token=GOOD_TOKEN,
        redis_url=f"redis://127.0.0.1:{redis_port}/0",
        metrics_port=metrics_port,
        _env_file=None,
    )
    runner = web.AppRunner(create_app(settings, polling=False))
    with pytest.raises(Exception, match=f"127.0.0.1:{redis_port}"):
        await runner.setup()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", metrics_port))  # free again
