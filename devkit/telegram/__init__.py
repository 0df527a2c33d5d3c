"""A local Telegram Bot API simulator for tests and the demo.

An unmodified aiogram `Bot` talks to it over HTTP::

    async with TelegramSimulator(speed=50) as sim:
        sim.add_chat(-1001, title="招聘群")
        bot = sim.make_bot()  # or Bot(token, session=AiohttpSession(
                              #     api=TelegramAPIServer.from_base(sim.base_url)))
                              # or Bot(token, session=devkit.telegram.session.SimSession(url))
        await bot.send_message(-1001, "<b>hi</b>", parse_mode="HTML")
        assert sim.sent[0].text == "<b>hi</b>"

Standalone: ``python -m devkit telegram --port 8081 --speed 1`` prints the base URL; a JSON
control API under ``/_sim/`` injects updates and faults (see `devkit.telegram.control`).

World: ``add_chat``, ``add_user``, ``block``/``unblock`` (403 "bot was blocked by the
user"; a blocked user writing to the bot unblocks it), ``deactivate``, ``vanish`` (400
"chat not found"). User actions, each returning the update dict it queued:
``bot_added``, ``bot_removed`` (later sends: 403), ``migrate`` (both service messages;
later sends to the old id: 400 with ``parameters.migrate_to_chat_id``),
``user_message`` (chat_id == user_id is the private chat; a bot_command entity is added
for a leading /cmd), ``user_contact``, ``user_document`` (getFile and the download route
serve it), ``user_photo``, ``user_sticker``, ``callback``, ``inject_update``. The user
must write where the bot is, otherwise these raise ValueError: Telegram would deliver
nothing. ``make_bot()`` and ``token`` give a ready aiogram Bot and a valid token.

Methods: getMe, getUpdates (offset, limit, long-poll timeout, allowed_updates; a newer
poll ends an older one with 409), setWebhook/deleteWebhook/getWebhookInfo (updates are
POSTed in order with ``X-Telegram-Bot-Api-Secret-Token`` and retried on failure; a call in
the webhook reply is executed), sendMessage, copyMessage, forwardMessage, sendDocument,
sendPhoto, getFile, editMessageText/Caption/ReplyMarkup, deleteMessage(s),
answerCallbackQuery (once per press, within 15 real seconds, else 400 "query is too old and
response timeout expired or query ID is invalid"; ``sim.expire_callbacks()`` ages every
open press past that), getChat, getChatMember, getChatMemberCount, leaveChat,
getChatAdministrators, restrictChatMember, banChatMember, unbanChatMember (only where the
bot is an administrator, never on administrators: Telegram's errors), deleteMessage of a
member's message only where the bot is an administrator ("message can't be deleted"),
sendChatAction, set/get/deleteMyCommands, createChatInviteLink (an administrator bot only;
``sim.join(chat, user, link)`` sends the chat_member update naming the link). Unknown
methods answer 404, malformed tokens 401. Validation follows Telegram: empty or >4096
UTF-16 units of text, >1024 of caption, HTML/MarkdownV2/Markdown parse errors (a bare
``&`` in HTML is rejected although Telegram would keep it: unescaped text is a bug),
callback_data over 64 bytes
(BUTTON_DATA_INVALID), bad button URLs, not-modified edits, missing messages. Uploads
over 50 MB get 413 "Request Entity Too Large" as on Telegram (aiogram raises
TelegramEntityTooLarge); getFile over 20 MB gets 400 "file is too big".

Flood limits, per bot token, on sendMessage, sendDocument, sendPhoto, copyMessage,
forwardMessage and editMessageText, in simulated time (``speed`` times real time),
counted as Telegram counts them: sliding windows of the requests' arrival times at the
server (a request that waited its turn counts from its arrival; refused ones not at all):
30 messages in any second overall, 20 in any minute in one group, and in one private
chat 1 per second with a burst of 3 (at most 3 in any 3 seconds). Over a limit:
429 with ``parameters.retry_after`` = ceil(real seconds until the window frees), at
least ``sim.retry_after_floor`` (1). ``speed=0`` or ``limits_enabled=False`` lifts them.
``sim.advance(s)`` jumps simulated time forward. ``max_rate_observed(window)`` and
``max_per_chat_per_minute()`` (groups; ``include_private=True`` adds private chats)
report the densest accepted traffic in simulated time, to prove no limit was exceeded;
a `SentMessage`'s ``sim_at`` is its arrival.

Faults (``sim.faults``): ``fail_next(n, status=500)`` and ``retry_after_storm(n,
retry_after=1)`` answer the next n send-type requests with 5xx / 429;
``drop_reply_ratio`` records the message, then drops the connection instead of
answering (aiogram raises TelegramNetworkError), drawn from ``faults.seed(x)``'s
random.Random; ``latency`` holds every request that many real seconds after its arrival.
``stall(n, methods=..., chat_id=None)`` leaves the next n matching requests hanging,
unexecuted, until ``unstall()`` (then 502); ``faults.stalled`` counts those hanging now.

Read back: ``sent`` (as sent), ``messages[(chat_id, message_id)]`` and
``messages_in(chat_id)`` (as now: edited text, ``deleted``); a `SentMessage`'s ``text``
is what the bot sent (markup included, the caption for media) and ``plain_text`` with
``entities`` what the user sees. Also ``edits``, ``deletes``, ``callback_answers``,
``rejections`` (method, chat_id, error_code, description), ``count_429``,
``count_by_status``, ``requests`` (per method), ``webhook_attempts``, ``commands()``,
``pending_updates()``, ``wait_for_sent(n)``.
"""

from .faults import Faults
from .models import (
    CallbackAnswer,
    DeleteRecord,
    EditRecord,
    Rejection,
    SentMessage,
    SimChat,
    SimUser,
)
from .simulator import TelegramSimulator

__all__ = [
    "CallbackAnswer",
    "DeleteRecord",
    "EditRecord",
    "Faults",
    "Rejection",
    "SentMessage",
    "SimChat",
    "SimUser",
    "TelegramSimulator",
]
