"""``python -m bot check``: is this configuration ready to run? One verdict per check.

Each check says ok, warn (runs, but something will bite later) or fail (will not work),
with the fix. Nothing is changed: no webhook set, no key written.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramAPIError, TelegramUnauthorizedError
from aiohttp import ClientError, ClientSession, ClientTimeout

from bot.config import Settings
from bot.storage import RedisHandle, RedisUnavailable, durability_warnings, open_configured
from bot.telegram.webhook import WEBHOOK_PATH
from bot.web.poster import NoCjkFont, find_fonts
from jobfeed.keys import Keys
from jobfeed.migrations import CURRENT_VERSION

TIMEOUT = 10.0


class Verdict(StrEnum):
    ok = "ok"
    warn = "warn"
    fail = "FAIL"


@dataclass(frozen=True, slots=True)
class Check:
    verdict: Verdict
    name: str
    detail: str

    def line(self) -> str:
        return f"{self.verdict.value:<4}  {self.name}: {self.detail}"


async def run_checks(settings: Settings) -> AsyncIterator[Check]:
    yield Check(Verdict.ok, "settings", "loaded and valid")
    async for check in _redis(settings):
        yield check
    async for check in _telegram(settings):
        yield check
    yield _poster_font(settings)
    yield await _wechat_oa(settings)
    yield await _wecom(settings)
    urls = {"webhook URL": settings.webhook_base_url, "public URL": settings.public_base_url}
    for name, base in urls.items():
        if base:
            yield await _answers(name, base)


async def _redis(settings: Settings) -> AsyncIterator[Check]:
    try:
        handle: RedisHandle = await asyncio.wait_for(open_configured(settings), timeout=30)
    except (RedisUnavailable, TimeoutError) as exc:
        yield Check(Verdict.fail, "redis", str(exc) or "no answer within 30 s")
        return
    try:
        if handle.embedded is not None:
            yield Check(
                Verdict.warn,
                "redis",
                f"embedded under {settings.data_dir}: for trying the product only; set REDIS_URL",
            )
        else:
            info = await handle.client.info("server")
            yield Check(Verdict.ok, "redis", f"answers, version {info.get('redis_version')}")
        warnings = await durability_warnings(handle.client)
        for warning in warnings:
            yield Check(Verdict.warn, "redis durability", warning)
        if not warnings:
            yield Check(Verdict.ok, "redis durability", "append-only file on, noeviction")
        version = await handle.client.get(Keys(settings.redis_prefix).data_version)
        if version is None:
            yield Check(
                Verdict.ok, "data version", f"none recorded under prefix {settings.redis_prefix!r}"
            )
        elif not str(version).isdigit() or int(version) > CURRENT_VERSION:
            yield Check(
                Verdict.fail,
                "data version",
                f"{version!s} (prefix {settings.redis_prefix!r}): newer than this code "
                f"knows ({CURRENT_VERSION})",
            )
        else:
            yield Check(
                Verdict.ok, "data version", f"{version!s} (prefix {settings.redis_prefix!r})"
            )
    finally:
        await handle.close()


async def _telegram(settings: Settings) -> AsyncIterator[Check]:
    api = settings.telegram_api_base
    session = AiohttpSession(api=TelegramAPIServer.from_base(api)) if api else AiohttpSession()
    bot = Bot(settings.bot_token.get_secret_value(), session=session)
    try:
        try:
            me = await asyncio.wait_for(bot.get_me(), TIMEOUT)
            info = await asyncio.wait_for(bot.get_webhook_info(), TIMEOUT)
        except TelegramUnauthorizedError:
            yield Check(
                Verdict.fail, "telegram", "the token is refused: take it again from @BotFather"
            )
            return
        except (TelegramAPIError, ClientError, TimeoutError) as exc:
            where = api or "api.telegram.org"
            yield Check(Verdict.fail, "telegram", f"{where} unreachable ({type(exc).__name__})")
            return
        yield Check(Verdict.ok, "telegram", f"getMe: @{me.username} (id {me.id})")
        if not me.can_read_all_group_messages:
            yield Check(
                Verdict.warn,
                "telegram privacy",
                "privacy mode is on: group searches reach the bot only where it is admin "
                "(@BotFather → /setprivacy → Disable)",
            )
        yield _webhook(
            settings,
            info.url,
            info.pending_update_count,
            info.last_error_date,
            info.last_error_message,
        )
    finally:
        await bot.session.close()


def _webhook(
    settings: Settings,
    url: str,
    pending: int,
    error_at: datetime | int | None,
    error: str | None,
) -> Check:
    expected = f"{settings.webhook_base_url}{WEBHOOK_PATH}" if settings.use_webhook else ""
    backlog = f"{pending} updates pending"
    if error:
        when = (
            error_at
            if isinstance(error_at, datetime)
            else datetime.fromtimestamp(error_at or 0, UTC)
        )
        return Check(
            Verdict.warn, "webhook", f"{backlog}; last error {when:%Y-%m-%d %H:%M} UTC: {error}"
        )
    if not expected:
        if url:
            return Check(
                Verdict.warn, "webhook", f"set to {url} but WEBHOOK_BASE_URL is not: "
                "`run` will delete it and poll; set WEBHOOK_BASE_URL to keep it",
            )  # fmt: skip
        return Check(Verdict.ok, "webhook", f"none (long polling); {backlog}")
    if url == expected:
        return Check(Verdict.ok, "webhook", f"{url}; {backlog}")
    shown = url or "not set"
    return Check(
        Verdict.warn, "webhook", f"{shown}, expected {expected}: `run` sets it on start; {backlog}"
    )


async def _answers(name: str, base: str) -> Check:
    url = f"{base}/healthz"
    try:
        async with (
            ClientSession(timeout=ClientTimeout(total=TIMEOUT)) as http,
            http.get(url, allow_redirects=False) as response,
        ):
            status = response.status
    except (ClientError, TimeoutError) as exc:
        return Check(
            Verdict.fail, name, f"{url} does not answer ({type(exc).__name__}): DNS, proxy, TLS?"
        )
    if status != 200:
        return Check(Verdict.fail, name, f"{url} answers {status}, expected 200")
    return Check(Verdict.ok, name, f"{url} answers")


async def _wechat_oa(settings: Settings) -> Check:
    """The Official Account's API answers. No token is fetched: a new one would retire the
    running bot's within five minutes (WeChat keeps one token per account)."""
    if not settings.wechat_oa_token:
        return Check(Verdict.ok, "wechat oa", "off (WECHAT_OA_TOKEN unset)")
    mode = "secure/compatible" if settings.wechat_oa_aes_key else "plain"
    base = settings.wechat_api_base
    try:
        async with (
            ClientSession(timeout=ClientTimeout(total=TIMEOUT)) as http,
            http.get(f"{base}/cgi-bin/token", allow_redirects=False),
        ):
            pass
    except (ClientError, TimeoutError) as exc:
        return Check(Verdict.fail, "wechat oa", f"{base} unreachable ({type(exc).__name__})")
    return Check(Verdict.ok, "wechat oa", f"on, {mode} mode; {base} answers")


async def _wecom(settings: Settings) -> Check:
    """WeCom's customer groups: the corp id and secret get a token (WeCom keeps several
    valid at once, so fetching one disturbs nobody). Robots need no credentials."""
    if settings.wecom_corp_id is None or settings.wecom_secret is None:
        return Check(Verdict.ok, "wecom", "robots only (WECOM_CORP_ID unset: no customer groups)")
    base = settings.wecom_api_base
    query = {
        "corpid": settings.wecom_corp_id,
        "corpsecret": settings.wecom_secret.get_secret_value(),
    }
    try:
        async with (
            ClientSession(timeout=ClientTimeout(total=TIMEOUT)) as http,
            http.get(f"{base}/cgi-bin/gettoken", params=query, allow_redirects=False) as response,
        ):
            answer = await response.json(content_type=None)
    except (ClientError, TimeoutError, ValueError) as exc:
        return Check(Verdict.fail, "wecom", f"{base} unreachable ({type(exc).__name__})")
    code = answer.get("errcode", 0) if isinstance(answer, dict) else -1
    if code or not isinstance(answer, dict) or not answer.get("access_token"):
        return Check(Verdict.fail, "wecom", f"gettoken refused: errcode {code} (corp id, secret?)")
    return Check(
        Verdict.ok, "wecom", f"customer groups on: corp {settings.wecom_corp_id} gets a token"
    )


def _poster_font(settings: Settings) -> Check:
    """Posters need a Chinese font from the system; without one only they are off."""
    try:
        fonts = find_fonts(settings.poster_font)
    except NoCjkFont as exc:
        return Check(Verdict.warn, "poster font", f"posters are off: {exc}")
    return Check(Verdict.ok, "poster font", str(fonts.regular.path))
