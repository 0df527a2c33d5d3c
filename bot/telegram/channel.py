"""The Telegram channel of the broadcast engine: a ``Post`` rendered as Telegram HTML
(``handlers.posts``, apply links from ``bot.telegram.links``) and aiogram errors ->
``SendResult``. A post that cannot be rendered (over 4,096 characters) is ``Rejected``.

``TelegramSender`` speaks Telegram's integer chat ids; ``TelegramChannel`` is the
``jobfeed.channels.Channel`` the engine routes ``telegram:<chat id>`` addresses to: it wraps
a sender and states Telegram's capabilities and budget (30 messages in any second per bot,
20 in any minute per group).

Which error means what:
- 429 (``TelegramRetryAfter``) -> ``RetryAfter``: the whole bot waits, the post is retried;
- 400 with ``migrate_to_chat_id`` (``TelegramMigrateToChat``; checked before the generic
  400) -> ``Migrated``;
- 403 (``TelegramForbiddenError``: kicked, not a member) -> ``Forbidden``;
- 400 "chat not found" -> ``NotFound("chat")``; "message to edit/delete not found" ->
  ``NotFound("message")``; "message is not modified" -> ``Delivered`` (the edit is there);
- any other 400, 404, 413 -> ``Rejected``;
- 5xx -> ``Transient``; a connection that could not be made -> ``Transient(network=True)``;
- a connection lost after the request went out, a timeout, or a reply we cannot read ->
  ``Unknown``: Telegram may have posted the message.
"""

from __future__ import annotations

from aiogram import Bot
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramAPIError,
    TelegramBadRequest,
    TelegramEntityTooLarge,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import DeleteMessage, EditMessageText, SendMessage
from aiogram.methods.base import Response
from aiohttp import ClientConnectorError

from handlers.posts import TelegramPost, post_keyboard, render_post
from jobfeed.broadcast.models import Post
from jobfeed.broadcast.pacing import PacingLimits
from jobfeed.broadcast.sender import (
    Delivered,
    Forbidden,
    Migrated,
    NotFound,
    Rejected,
    RetryAfter,
    SendResult,
    Transient,
    Unknown,
)
from jobfeed.channels import Address, Capabilities
from jobfeed.links import Links
from jobfeed.texts import Texts

TELEGRAM = "telegram"
REQUEST_TIMEOUT = 30  # seconds; a send hanging longer has an unknown outcome
RENDERED_KEPT = 64  # rendered posts kept (a worker sends few posts to many groups)


class TelegramSender:
    def __init__(
        self,
        bot: Bot,
        request_timeout: int = REQUEST_TIMEOUT,
        *,
        links: Links,
        texts: Texts,
    ) -> None:
        """``links``: the process's ``TelegramLinks`` (which honours ``BOT_USERNAME``)."""
        self._bot = bot
        self._timeout = request_timeout
        self._links = links
        self._texts = texts
        self._texts.load("broadcast")  # now, not at the first (paced) send
        # The engine hands the same Post object for every group of a broadcast: render once.
        self._rendered: dict[int, tuple[Post, TelegramPost]] = {}
        # aiogram parses every reply as ``Response[<result type>]``; pydantic caches such
        # generic classes only while something references them, so without these the
        # class is rebuilt (~40 ms) every few dozen sends: a third of the CPU per send.
        self._reply_types = [
            Response[method.__returning__]  # type: ignore[name-defined]
            for method in (SendMessage, EditMessageText, DeleteMessage)
        ]

    async def prepare(self, post: Post) -> None:
        try:
            await self.rendered(post)
        except (TimeoutError, TelegramAPIError, ClientDecodeError, ValueError):
            return  # the send says what went wrong

    async def send(self, chat_id: int, post: Post) -> SendResult:
        try:
            shown = await self.rendered(post)
            message = await self._bot.send_message(
                chat_id,
                shown.html,
                parse_mode="HTML",
                reply_markup=post_keyboard(shown),
                disable_web_page_preview=True,
                request_timeout=self._timeout,
            )
        except (TimeoutError, TelegramAPIError, ClientDecodeError) as exc:
            return classify(exc)
        except ValueError as exc:  # not renderable: too long, or a bad link
            return Rejected(str(exc))
        return Delivered(message.message_id)

    async def edit(self, chat_id: int, message_id: int, post: Post) -> SendResult:
        try:
            shown = await self.rendered(post)
            await self._bot.edit_message_text(
                text=shown.html,
                chat_id=chat_id,
                message_id=message_id,
                parse_mode="HTML",
                reply_markup=post_keyboard(shown),
                disable_web_page_preview=True,
                request_timeout=self._timeout,
            )
        except (TimeoutError, TelegramAPIError, ClientDecodeError) as exc:
            result = classify(exc)
            if isinstance(result, Rejected) and "not modified" in result.reason:
                return Delivered(message_id)
            return result
        except ValueError as exc:
            return Rejected(str(exc))
        return Delivered(message_id)

    async def delete(self, chat_id: int, message_id: int) -> SendResult:
        try:
            await self._bot.delete_message(chat_id, message_id, request_timeout=self._timeout)
        except (TimeoutError, TelegramAPIError, ClientDecodeError) as exc:
            return classify(exc)
        return Delivered(message_id)

    async def rendered(self, post: Post) -> TelegramPost:
        """``post`` as Telegram HTML with its buttons (rendered once per post object)."""
        known = self._rendered.get(id(post))
        if known is not None and known[0] is post:
            return known[1]
        shown = await render_post(self._texts, post, self._links)
        if len(self._rendered) >= RENDERED_KEPT:
            self._rendered.clear()
        self._rendered[id(post)] = (post, shown)
        return shown


TELEGRAM_CAPABILITIES = Capabilities(
    send=True, edit=True, delete=True, buttons=True, inbound=True, max_text=4096, markup="html"
)


class TelegramChannel:
    """Telegram as a ``jobfeed.channels.Channel``: addresses ``telegram:<chat id>``."""

    name = TELEGRAM
    capabilities = TELEGRAM_CAPABILITIES

    def __init__(
        self,
        bot: Bot,
        limits: PacingLimits | None = None,
        request_timeout: int = REQUEST_TIMEOUT,
        *,
        links: Links,
        texts: Texts,
    ) -> None:
        self._sender = TelegramSender(bot, request_timeout, links=links, texts=texts)
        self._limits = limits or PacingLimits(global_rate=30.0, group_limit=20)

    @property
    def limits(self) -> PacingLimits:
        return self._limits

    async def prepare(self, post: Post) -> None:
        await self._sender.prepare(post)

    async def render(self, post: Post) -> str:
        return (await self._sender.rendered(post)).html

    async def send(self, chat: Address, post: Post) -> SendResult:
        chat_id = telegram_chat(chat)
        if chat_id is None:
            return Rejected(f"not a Telegram chat: {chat}")
        return await self._sender.send(chat_id, post)

    async def edit(self, chat: Address, message_id: int, post: Post) -> SendResult:
        chat_id = telegram_chat(chat)
        if chat_id is None:
            return Rejected(f"not a Telegram chat: {chat}")
        return await self._sender.edit(chat_id, message_id, post)

    async def delete(self, chat: Address, message_id: int) -> SendResult:
        chat_id = telegram_chat(chat)
        if chat_id is None:
            return Rejected(f"not a Telegram chat: {chat}")
        return await self._sender.delete(chat_id, message_id)


def telegram_address(chat_id: int) -> Address:
    return Address(TELEGRAM, str(chat_id))


def telegram_chat(address: Address) -> int | None:
    """The Telegram chat id of ``address``, or None when it is not a Telegram chat."""
    if address.channel != TELEGRAM:
        return None
    try:
        return int(address.chat)
    except ValueError:
        return None


def classify(exc: BaseException) -> SendResult:  # noqa: PLR0911 - one line per error kind
    # Order matters: the specific subclasses before their bases.
    if isinstance(exc, TelegramRetryAfter):
        return RetryAfter(float(exc.retry_after))
    if isinstance(exc, TelegramMigrateToChat):
        return Migrated(exc.migrate_to_chat_id)
    if isinstance(exc, TelegramForbiddenError):
        return Forbidden(exc.message)
    if isinstance(exc, TelegramBadRequest):
        text = exc.message.lower()
        if "chat not found" in text:
            return NotFound("chat", exc.message)
        if "message to edit not found" in text or "message to delete not found" in text:
            return NotFound("message", exc.message)
        return Rejected(exc.message)
    if isinstance(exc, TelegramEntityTooLarge):  # a subclass of TelegramNetworkError
        return Rejected(exc.message)
    if isinstance(exc, TelegramServerError):
        return Transient(exc.message)
    if isinstance(exc, TelegramNetworkError):
        if isinstance(exc.__cause__, ClientConnectorError):
            return Transient(exc.message, network=True)  # never reached the server
        return Unknown(exc.message)
    if isinstance(exc, ClientDecodeError | TimeoutError):
        return Unknown(str(exc))
    assert isinstance(exc, TelegramAPIError)
    return Rejected(exc.message)
