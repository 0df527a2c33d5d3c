"""``GET /wechat/oa`` (WeChat's URL check) and ``POST /wechat/oa`` (followers' messages).

Every request is signed with the Token (403 otherwise); in compatible and secure mode
(``encrypt_type=aes``) the message is encrypted and signed again (``msg_signature``), and
the reply is encrypted the same way. The body is parsed without DTDs or entities (400 when
malformed).

WeChat waits 5 seconds for the passive reply, then drops the connection and sends the
same message again (three tries). So each message is worked out once: the first request
claims its ``MsgId`` in Redis and a retry gets the same reply (or ``success`` if the first
is still working). A reply not ready by ``DEADLINE`` is answered ``success`` (WeChat then
shows nothing and does not retry) and, when ready, sent as a customer-service message;
if WeChat does not take it, it is held for the follower's next message. Answering
``success`` acknowledges the message, so it is kept in Redis first (``jobfeed.inbound``):
if this process dies or the work fails, the sweeper (a supervised job) works it out again,
up to five times, then it is a dead letter an admin can replay (``/api/channels/...``).
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import asdict, dataclass, field

from aiohttp import ClientSession, web

from bot.appkeys import (
    APPLICATIONS,
    KEYS,
    NOTIFIERS,
    REDIS,
    RESUME_FLOW,
    SEARCH,
    SETTINGS,
    TEXTS,
    VACANCIES,
)
from bot.wechat.oa import CHANNEL
from bot.wechat.oa.conversation import Desk
from bot.wechat.oa.crypto import CryptError, MessageCrypt, signed
from bot.wechat.oa.customer_service import CustomerService, Sent
from bot.wechat.oa.followers import Followers
from bot.wechat.oa.notifier import OaNotifier
from bot.wechat.oa.tokens import AccessTokens
from bot.wechat.oa.xmlmsg import Inbound, MalformedXml, encrypted_reply, fields, text_reply
from jobfeed.inbound import InboundKeeper
from jobfeed.periodic import every

log = logging.getLogger(__name__)

PATH = "/wechat/oa"
DEADLINE = 4.5  # seconds: WeChat gives up at 5
ONCE_SECONDS = 300  # how long a reply is kept for WeChat's retries of its message
PENDING = "\x00pending"
SUCCESS = "success"  # what WeChat takes as "no reply"
LATE_TRIES = (0.0, 1.0, 2.0, 4.0)  # waits before each customer-service try of a late reply
POLL = 0.05
SWEEP_SECONDS = 15.0  # how often kept messages are looked at
STRANDED_AFTER = 60.0  # seconds after which a kept message is not being worked out


class _Turn:
    """Whether the reply was ready in time; decided without an await between the check
    and the change, so the request and the work agree who sends it."""

    ready = False
    late = False

    def __init__(self) -> None:
        self.kept = asyncio.Event()  # the message is kept in Redis (a late one)


@dataclass
class OaEndpoint:
    token: str
    crypt: MessageCrypt | None
    desk: Desk
    service: CustomerService
    keeper: InboundKeeper
    deadline: float = DEADLINE
    clock: Callable[[], float] = time.monotonic
    wall: Callable[[], float] = time.time  # the replies' CreateTime and TimeStamp

    _late: set[asyncio.Task[str | None]] = field(default_factory=set, init=False)
    _in_hand: set[str] = field(default_factory=set, init=False)  # keys of those tasks

    # -- the requests ----------------------------------------------------------------------

    async def check(self, request: web.Request) -> web.StreamResponse:
        query = request.query
        if not self._signed(query):
            raise web.HTTPForbidden(text="bad signature")
        return web.Response(text=query.get("echostr", ""))

    async def receive(self, request: web.Request) -> web.StreamResponse:
        query = request.query
        if not self._signed(query):
            raise web.HTTPForbidden(text="bad signature")
        encrypted = query.get("encrypt_type", "raw") == "aes"
        try:
            values = fields(await request.read())
            if encrypted:
                values = self._decrypted(values, query)
            message = Inbound.of(values)
        except (MalformedXml, CryptError) as exc:
            log.info("A malformed Official Account message: %s", exc)
            raise web.HTTPBadRequest(text="malformed message") from None
        origin = f"{request.scheme}://{request.host}"
        reply = await self._once(message, origin)
        if reply is None:
            return web.Response(text=SUCCESS)
        now = str(int(self.wall()))
        xml = text_reply(message.from_user, message.to_user, int(now), reply)
        if encrypted:
            assert self.crypt is not None  # _decrypted refused the message otherwise
            nonce = secrets.token_hex(8)
            body = self.crypt.encrypt(xml)
            xml = encrypted_reply(body, self.crypt.sign(now, nonce, body), now, nonce)
        return web.Response(text=xml, content_type="application/xml")

    def _signed(self, q: Mapping[str, str]) -> bool:
        stamp, nonce = q.get("timestamp", ""), q.get("nonce", "")
        return signed(q.get("signature", ""), self.token, stamp, nonce)

    def _decrypted(self, values: dict[str, str], q: Mapping[str, str]) -> dict[str, str]:
        encrypted = values.get("Encrypt", "")
        if self.crypt is None or not encrypted:
            raise MalformedXml("encrypted, but no EncodingAESKey is set")
        if not signed(
            q.get("msg_signature", ""),
            self.token,
            q.get("timestamp", ""),
            q.get("nonce", ""),
            encrypted,
        ):
            raise web.HTTPForbidden(text="bad msg_signature")
        return fields(self.crypt.decrypt(encrypted).encode())

    # -- once, in time ---------------------------------------------------------------------

    async def _once(self, message: Inbound, origin: str) -> str | None:
        key = self.desk.keys.channel_reply(CHANNEL, message.once_key)
        redis = self.desk.redis
        if not await redis.set(key, PENDING, nx=True, ex=ONCE_SECONDS):
            return await self._earlier(key)
        turn = _Turn()
        task = asyncio.create_task(self._work(message, origin, key, turn))
        try:
            return await asyncio.wait_for(asyncio.shield(task), self.deadline)
        except TimeoutError:
            if turn.ready:  # worked out in time, only storing it is left
                return await task
            turn.late = True
            self._late.add(task)
            self._in_hand.add(message.once_key)
            task.add_done_callback(self._late.discard)
            task.add_done_callback(lambda _: self._in_hand.discard(message.once_key))
            task.add_done_callback(_log_failure)
            log.info("An Official Account reply missed the deadline: it goes out late")
            try:  # "success" acknowledges it: kept before that
                await self.keeper.keep(message.once_key, _record(message, origin))
            finally:
                turn.kept.set()
            return None

    async def _work(self, message: Inbound, origin: str, key: str, turn: _Turn) -> str | None:
        redis = self.desk.redis
        try:
            reply = await self.desk.answer(message, origin)
        except BaseException:
            await redis.delete(key)  # WeChat's retry works it out again
            raise
        turn.ready = True
        if not turn.late:
            await redis.set(key, reply or SUCCESS, ex=ONCE_SECONDS)
            return reply
        await redis.set(key, SUCCESS, ex=ONCE_SECONDS)  # what WeChat was told
        if reply:
            await self._send_late(message.from_user, reply)
        await turn.kept.wait()
        await self.keeper.settle(message.once_key)
        return None

    async def _earlier(self, key: str) -> str | None:
        """A retry: the first try's reply, once it is there (``success`` until then)."""
        until = self.clock() + self.deadline
        while self.clock() < until:
            stored = await self.desk.redis.get(key)
            if stored != PENDING:
                return None if stored in (None, SUCCESS) else str(stored)
            await asyncio.sleep(POLL)
        return None

    async def _send_late(self, openid: str, text: str) -> None:
        for wait in LATE_TRIES:
            await asyncio.sleep(wait)
            sent = await self.service.send_text(openid, text)
            if sent is Sent.sent:
                return
            if sent is not Sent.failed:
                break
        # Acknowledged means kept: their next message brings it.
        await self.desk.followers.hold(self.desk.followers.person(openid), text)

    # -- kept messages -----------------------------------------------------------------------

    async def sweep(self, stop: asyncio.Event) -> None:
        """The supervised job: works out again the late messages no process finished."""
        await every(stop, SWEEP_SECONDS, self.sweep_once)

    async def sweep_once(self, older_than: float = STRANDED_AFTER) -> int:
        """Works out each stranded kept message once; how many went out (or were held)."""
        done = 0
        for kept in await self.keeper.due(older_than, skip=self._in_hand):
            try:
                message = Inbound(**kept.message["inbound"])
                reply = await self.desk.answer(message, str(kept.message["origin"]))
                if reply:
                    await self._send_late(message.from_user, reply)
            except Exception as exc:
                if await self.keeper.failed(kept, f"{type(exc).__name__}: {exc}"):
                    log.error("A kept Official Account message is a dead letter now: %s", exc)
                else:
                    log.warning("A kept Official Account message failed again: %s", exc)
                continue
            await self.keeper.settle(kept.key)
            done += 1
        return done

    async def close(self) -> None:
        """Finish the late replies in hand (at most 10 s)."""
        if self._late:
            await asyncio.wait(set(self._late), timeout=10)
            for task in self._late:
                task.cancel()


def _record(message: Inbound, origin: str) -> dict[str, object]:
    return {"inbound": asdict(message), "origin": origin}


def _log_failure(task: asyncio.Task[str | None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        # Acknowledged with "success" but not worked out: WeChat will not retry it.
        log.error("A late Official Account reply failed", exc_info=task.exception())


OA = web.AppKey("wechat_oa", OaEndpoint)


async def wechat_oa(app: web.Application) -> AsyncIterator[None]:
    """The resource (``cleanup_ctx``) of the Official Account: after storage, search and
    the channel whose notifier delivers cards."""
    settings, redis, keys = app[SETTINGS], app[REDIS], app[KEYS]
    assert settings.wechat_oa_token and settings.wechat_oa_appid and settings.wechat_oa_secret
    token, appid = settings.wechat_oa_token.get_secret_value(), settings.wechat_oa_appid
    aes = settings.wechat_oa_aes_key
    async with ClientSession() as http:
        tokens = AccessTokens(
            http,
            redis,
            keys,
            api_base=settings.wechat_api_base,
            appid=appid,
            secret=settings.wechat_oa_secret.get_secret_value(),
        )
        service = CustomerService(http, tokens, api_base=settings.wechat_api_base)
        followers = Followers(redis, keys, appid)
        notifiers = app[NOTIFIERS]
        notifiers.add(CHANNEL, OaNotifier(app[TEXTS], followers, service))
        desk = Desk(
            redis=redis,
            keys=keys,
            texts=app[TEXTS],
            followers=followers,
            flow=app[RESUME_FLOW],
            applications=app[APPLICATIONS],
            vacancies=app[VACANCIES],
            search=app[SEARCH],
            notifier=notifiers,
            public_base_url=settings.public_base_url,
        )
        crypt = MessageCrypt(token, aes.get_secret_value(), appid) if aes else None
        keeper = InboundKeeper(redis, keys, CHANNEL)
        app[OA] = endpoint = OaEndpoint(token, crypt, desk, service, keeper)
        try:
            yield
        finally:
            await endpoint.close()


async def _check(request: web.Request) -> web.StreamResponse:
    return await request.app[OA].check(request)


async def _receive(request: web.Request) -> web.StreamResponse:
    return await request.app[OA].receive(request)


def install(app: web.Application) -> None:
    """Routes and resource of the Official Account (only when ``WECHAT_OA_TOKEN`` is set)."""
    app.router.add_get(PATH, _check)
    app.router.add_post(PATH, _receive)
