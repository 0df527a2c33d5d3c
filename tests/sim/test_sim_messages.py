"""Sending, validating, editing and deleting messages through a real aiogram Bot."""

from __future__ import annotations

import re

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Message

from devkit.telegram import TelegramSimulator

from .conftest import GROUP, USER


def keyboard(data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="申请", callback_data=data)]]
    )


async def test_plain_aiohttp_session_sends_and_sim_records(sim: TelegramSimulator) -> None:
    session = AiohttpSession(api=TelegramAPIServer.from_base(sim.base_url))
    bot = Bot("123456:" + "A" * 35, session=session)
    try:
        msg = await bot.send_message(
            GROUP,
            "<b>电工</b> 月薪 8k &amp; 包住",
            parse_mode="HTML",
            reply_markup=keyboard("j:1"),
        )
    finally:
        await session.close()

    assert msg.text == "电工 月薪 8k & 包住"
    assert msg.entities is not None and msg.entities[0].type == "bold"
    assert msg.chat.type == "supergroup" and msg.chat.title == "深圳招聘群"
    assert msg.from_user is not None and msg.from_user.is_bot
    sent = sim.sent[0]
    assert (sent.chat_id, sent.message_id, sent.method) == (GROUP, msg.message_id, "sendMessage")
    assert sent.text == "<b>电工</b> 月薪 8k &amp; 包住"
    assert sent.parse_mode == "HTML"
    assert sent.reply_markup == {"inline_keyboard": [[{"text": "申请", "callback_data": "j:1"}]]}
    assert sim.messages_in(GROUP) == [sim.messages[(GROUP, msg.message_id)]]


async def test_reply_keeps_the_replied_message(sim: TelegramSimulator, bot: Bot) -> None:
    asked = sim.user_message(GROUP, USER, "找电工")["message"]
    answer = await bot.send_message(GROUP, "有 3 个职位", reply_to_message_id=asked["message_id"])
    assert answer.reply_to_message is not None
    assert answer.reply_to_message.text == "找电工"
    assert sim.sent[0].reply_to_message_id == asked["message_id"]
    with pytest.raises(TelegramBadRequest, match="message to be replied not found"):
        await bot.send_message(GROUP, "x", reply_to_message_id=9999)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("a < b", "can't parse entities: Unsupported start tag"),
        ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</b></i>", 'expected "</i>", found "</b>"'),
        ("<br>", 'Unsupported start tag "br"'),
        ("R&D 岗位", "can't parse entities"),
        ('<span class="x">s</span>', 'must have class "tg-spoiler"'),
    ],
)
async def test_malformed_html_is_refused(bot: Bot, text: str, error: str) -> None:
    with pytest.raises(TelegramBadRequest, match=error):
        await bot.send_message(GROUP, text, parse_mode="HTML")


async def test_supported_html_becomes_entities(bot: Bot) -> None:
    msg = await bot.send_message(
        GROUP,
        '<blockquote expandable>职位</blockquote><pre><code class="language-python">x</code>'
        '</pre><tg-spoiler>薪</tg-spoiler><a href="https://e.com/?a=1&amp;b=2">链接</a>',
        parse_mode="HTML",
    )
    assert msg.text == "职位x薪链接"
    kinds = [(e.type, e.offset, e.length) for e in msg.entities or []]
    assert kinds == [
        ("expandable_blockquote", 0, 2),
        ("pre", 2, 1),
        ("spoiler", 3, 1),
        ("text_link", 4, 2),
    ]
    assert msg.entities is not None
    assert msg.entities[1].language == "python"
    assert msg.entities[3].url == "https://e.com/?a=1&b=2"


async def test_markdown_v2_reserved_characters_must_be_escaped(bot: Bot) -> None:
    with pytest.raises(TelegramBadRequest, match=re.escape("Character '.' is reserved")):
        await bot.send_message(GROUP, "*月薪* 8.5k", parse_mode="MarkdownV2")
    msg = await bot.send_message(GROUP, "*月薪* 8\\.5k", parse_mode="MarkdownV2")
    assert msg.text == "月薪 8.5k"


async def test_length_counts_utf16_units_after_markup(bot: Bot, sim: TelegramSimulator) -> None:
    await bot.send_message(GROUP, "😀" * 2048)  # 4096 UTF-16 units
    await bot.send_message(GROUP, "<b>" + "a" * 4096 + "</b>", parse_mode="HTML")
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await bot.send_message(GROUP, "😀" * 2049)
    with pytest.raises(TelegramBadRequest, match="message text is empty"):
        await bot.send_message(GROUP, "  ")
    assert len(sim.sent) == 2
    assert [r.description for r in sim.rejections] == [
        "Bad Request: message is too long",
        "Bad Request: message text is empty",
    ]


async def test_callback_data_is_limited_to_64_bytes(bot: Bot) -> None:
    await bot.send_message(GROUP, "ok", reply_markup=keyboard("职" * 21))  # 63 bytes
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await bot.send_message(GROUP, "no", reply_markup=keyboard("职" * 22))


async def test_unknown_chat_and_vanished_chat(bot: Bot, sim: TelegramSimulator) -> None:
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await bot.send_message(-100999, "hi")
    sim.vanish(GROUP)
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await bot.send_message(GROUP, "hi")
    assert sim.rejections[-1] == (
        "sendMessage",
        GROUP,
        400,
        "Bad Request: chat not found",
    )


async def test_edit_and_delete_follow_telegram(bot: Bot, sim: TelegramSimulator) -> None:
    msg = await bot.send_message(USER, "第一版", reply_markup=keyboard("a"))
    edited = await bot.edit_message_text("第二版", chat_id=USER, message_id=msg.message_id)
    assert isinstance(edited, Message)
    assert edited.text == "第二版" and edited.edit_date is not None
    assert edited.reply_markup is None  # an edit without markup removes the keyboard
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_text("第二版", chat_id=USER, message_id=msg.message_id)
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await bot.edit_message_text("x", chat_id=USER, message_id=999)

    assert await bot.delete_message(USER, msg.message_id)
    with pytest.raises(TelegramBadRequest, match="message to delete not found"):
        await bot.delete_message(USER, msg.message_id)
    assert sim.sent[0].text == "第一版"  # as sent
    assert sim.messages[(USER, msg.message_id)].text == "第二版"  # as it is now
    assert sim.messages[(USER, msg.message_id)].deleted
    assert sim.messages_in(USER) == []
    assert [e.method for e in sim.edits] == ["editMessageText"]
    assert [(d.chat_id, d.message_id) for d in sim.deletes] == [(USER, msg.message_id)]


async def test_callback_query_round_trip(bot: Bot, sim: TelegramSimulator) -> None:
    msg = await bot.send_message(USER, "选择城市", reply_markup=keyboard("city:sz"))
    sim.callback(USER, USER, msg.message_id, "city:sz")
    [update] = await bot.get_updates()
    query = update.callback_query
    assert query is not None and query.data == "city:sz"
    assert query.message is not None and query.message.message_id == msg.message_id
    assert await bot.answer_callback_query(query.id, text="已选择")
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await bot.answer_callback_query(query.id)
    assert sim.callback_answers[0].text == "已选择"


async def test_a_press_answered_too_late_or_unknown_is_refused_as_by_telegram(
    bot: Bot, sim: TelegramSimulator
) -> None:
    msg = await bot.send_message(USER, "选择城市", reply_markup=keyboard("city:sz"))
    sim.callback(USER, USER, msg.message_id, "city:sz")
    [update] = await bot.get_updates()
    assert update.callback_query is not None
    assert sim.expire_callbacks() == 1  # as if Telegram's 15 s had passed
    too_old = "query is too old and response timeout expired or query ID is invalid"
    with pytest.raises(TelegramBadRequest, match=too_old):
        await bot.answer_callback_query(update.callback_query.id)
    with pytest.raises(TelegramBadRequest, match=too_old):
        await bot.answer_callback_query("4242")
    assert sim.callback_answers == []
