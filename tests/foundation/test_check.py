"""``python -m bot check`` as a real process against the Bot API simulator and Redis:
one line per check, exit 1 when one fails, the token never printed."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from devkit.telegram import TelegramSimulator
from devkit.wechat import WeChatApiSimulator
from devkit.wecom import WeComSimulator
from jobfeed.keys import Keys
from tests.conftest import redis_url
from tests.harness import TEST_TOKEN, free_port
from tests.web.test_poster import HAS_CJK

ROOT = Path(__file__).resolve().parents[2]


async def check(tmp_path: Path, **settings: str) -> tuple[int, list[str]]:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(ROOT)}
    env |= {"BOT_TOKEN": TEST_TOKEN} | settings
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "check", env=env, cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    out, _ = await asyncio.wait_for(process.communicate(), timeout=120)
    text = out.decode()
    assert TEST_TOKEN.split(":")[1] not in text
    assert process.returncode is not None
    return process.returncode, [line for line in text.splitlines() if line.strip()]


def verdicts(lines: list[str]) -> dict[str, str]:
    """``{"redis": "ok", ...}``: the first verdict of each check name."""
    found: dict[str, str] = {}
    for line in lines:
        verdict, _, rest = line.partition("  ")
        found.setdefault(rest.strip().split(":")[0], verdict.strip())
    return found


async def test_a_ready_configuration_passes(tmp_path: Path, keys: Keys) -> None:
    async with TelegramSimulator(speed=100) as sim:
        code, lines = await check(
            tmp_path,
            TELEGRAM_API_BASE=sim.base_url,
            REDIS_URL=redis_url(),
            REDIS_PREFIX=keys.prefix,
        )
    assert code == 0, lines
    seen = verdicts(lines)
    assert {k: seen[k] for k in ("settings", "redis", "telegram", "webhook")} == dict.fromkeys(
        ("settings", "redis", "telegram", "webhook"), "ok"
    ), lines
    assert seen["data version"] == "ok"
    assert seen["poster font"] == ("ok" if HAS_CJK else "warn")
    assert any(line.startswith("ok    webhook: none (long polling)") for line in lines), lines


async def test_each_failure_is_a_line_with_its_fix_and_exit_1(tmp_path: Path) -> None:
    async with TelegramSimulator(speed=100) as sim:
        code, lines = await check(
            tmp_path,
            TELEGRAM_API_BASE=sim.base_url,
            REDIS_URL=f"redis://127.0.0.1:{free_port()}/0",  # nothing listens there
            WEBHOOK_BASE_URL=f"http://127.0.0.1:{free_port()}",
            WEBHOOK_SECRET="s3cret",
        )
    assert code == 1, lines
    seen = verdicts(lines)
    assert (seen["redis"], seen["telegram"], seen["webhook URL"]) == ("FAIL", "ok", "FAIL"), lines
    assert seen["webhook"] == "warn"  # not set yet: `run` sets it
    assert any("REDIS_URL" in line for line in lines if line.startswith("FAIL  redis")), lines


async def test_wechat_and_wecom_are_checked_without_printing_their_secrets(
    tmp_path: Path, keys: Keys
) -> None:
    async with (
        TelegramSimulator(speed=100) as sim,
        WeChatApiSimulator("wx1234567890abcdef", "0123456789abcdef0123456789abcdef") as wechat,
        WeComSimulator() as wecom,
    ):
        base = {
            "TELEGRAM_API_BASE": sim.base_url,
            "REDIS_URL": redis_url(),
            "REDIS_PREFIX": keys.prefix,
        }
        code, lines = await check(tmp_path, **base)
        seen = verdicts(lines)
        assert (seen["wechat oa"], seen["wecom"]) == ("ok", "ok"), lines
        assert any("off (WECHAT_OA_TOKEN unset)" in line for line in lines)

        on = base | {
            "WECHAT_OA_TOKEN": "oaToken2026",
            "WECHAT_OA_APPID": "wx1234567890abcdef",
            "WECHAT_OA_SECRET": "0123456789abcdef0123456789abcdef",
            "WECHAT_API_BASE": wechat.base_url,
            "WECOM_API_BASE": wecom.base_url,
            "WECOM_CORP_ID": wecom.corp_id,
            "WECOM_SECRET": wecom.secret,
        }
        code, lines = await check(tmp_path, **on)
        assert code == 0, lines
        seen = verdicts(lines)
        assert (seen["wechat oa"], seen["wecom"]) == ("ok", "ok"), lines
        assert wechat.state.token_requests == 0  # the running bot's token is left alone

        code, lines = await check(tmp_path, **(on | {"WECOM_SECRET": "not-the-secret"}))
        assert code == 1 and verdicts(lines)["wecom"] == "FAIL", lines
        assert not any("not-the-secret" in line or wecom.secret in line for line in lines)
