"""A missing or malformed setting ends the program with one clear line and exit code 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

GOOD_TOKEN = "123456789:AAHgoodTOKENgoodTOKENgoodTOKEN_abcd"
ROOT = Path(__file__).resolve().parents[2]


def run_bot(env: dict[str, str], tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k.upper() not in _SETTINGS}
    clean.update(env)
    clean["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", "bot", *(args or ("run",))],
        check=False,
        env=clean,
        cwd=tmp_path,  # no .env there
        capture_output=True,
        text=True,
        timeout=60,
    )


_SETTINGS = {
    "BOT_TOKEN", "TELEGRAM_API_BASE", "REDIS_URL", "REDIS_PREFIX", "DATA_DIR", "ADMIN_IDS",
    "ADMIN_TOKEN", "WEBHOOK_BASE_URL", "WEBHOOK_SECRET", "HOST", "PORT", "LOG_LEVEL",
}  # fmt: skip


@pytest.mark.parametrize(
    ("env", "setting"),
    [
        ({}, "BOT_TOKEN"),
        ({"BOT_TOKEN": "not-a-token-but-a-secret-typo"}, "BOT_TOKEN"),
        ({"BOT_TOKEN": GOOD_TOKEN, "ADMIN_IDS": "12,abc"}, "ADMIN_IDS"),
        ({"BOT_TOKEN": GOOD_TOKEN, "PORT": "eighty"}, "PORT"),
        ({"BOT_TOKEN": GOOD_TOKEN, "WEBHOOK_BASE_URL": "https://bot.example.com"}, "WEBHOOK"),
        ({"BOT_TOKEN": GOOD_TOKEN, "GLOBAL_RATE": "-3"}, "GLOBAL_RATE"),
        ({"BOT_TOKEN": GOOD_TOKEN, "QUIET_HOURS": "10pm-7am"}, "QUIET_HOURS"),
    ],
)
def test_bad_setting_gives_one_line_and_exit_2(
    env: dict[str, str], setting: str, tmp_path: Path
) -> None:
    result = run_bot(env, tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: setting") and setting in lines[0]
    assert "Traceback" not in result.stderr
    assert "secret-typo" not in result.stderr + result.stdout


def test_token_is_not_printed_for_a_good_config_with_a_bad_other_setting(tmp_path: Path) -> None:
    result = run_bot({"BOT_TOKEN": GOOD_TOKEN, "LOG_LEVEL": "LOUD"}, tmp_path)
    assert result.returncode == 2
    assert "LOG_LEVEL" in result.stderr
    assert GOOD_TOKEN not in result.stderr + result.stdout
