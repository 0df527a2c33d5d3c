"""Documents and photos: upload, getFile, download, resend by file_id."""

from __future__ import annotations

import asyncio
import io
import json
import sys
from pathlib import Path

import aiohttp
import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import BufferedInputFile

from devkit.telegram import TelegramSimulator

from .conftest import GROUP, USER

ROOT = Path(__file__).resolve().parents[2]


async def test_upload_get_file_download_round_trip(bot: Bot, sim: TelegramSimulator) -> None:
    content = "简历：张三，电工，5 年经验".encode()
    msg = await bot.send_document(
        USER,
        BufferedInputFile(content, filename="简历.txt"),
        caption="<i>简历</i>",
        parse_mode="HTML",
    )
    assert msg.document is not None
    assert msg.document.file_name == "简历.txt" and msg.document.mime_type == "text/plain"
    assert msg.caption == "简历" and msg.caption_entities is not None
    assert sim.sent[0].document_file_id == msg.document.file_id
    assert sim.sent[0].text == "<i>简历</i>"

    file = await bot.get_file(msg.document.file_id)
    assert file.file_path is not None and file.file_size == len(content)
    downloaded = await bot.download_file(file.file_path)
    assert downloaded is not None and downloaded.read() == content


async def test_user_document_can_be_fetched_and_resent(bot: Bot, sim: TelegramSimulator) -> None:
    sim.user_document(USER, "cv.pdf", "application/pdf", size=100_000)
    [update] = await bot.get_updates()
    assert update.message is not None and update.message.document is not None
    document = update.message.document
    assert (document.file_name, document.file_size) == ("cv.pdf", 100_000)

    buffer = io.BytesIO()
    await bot.download(document, destination=buffer)
    assert len(buffer.getvalue()) == 100_000

    resent = await bot.send_document(GROUP, document.file_id)
    assert resent.document is not None and resent.document.file_id == document.file_id
    copied = await bot.copy_message(GROUP, USER, update.message.message_id, caption="转发")
    assert sim.messages[(GROUP, copied.message_id)].document_file_id == document.file_id
    assert sim.messages[(GROUP, copied.message_id)].text == "转发"


async def test_big_files_are_visible_but_not_downloadable(
    bot: Bot, sim: TelegramSimulator
) -> None:
    sim.user_document(USER, "video.zip", "application/zip", size=25 * 1024 * 1024)
    [update] = await bot.get_updates()
    assert update.message is not None and update.message.document is not None
    with pytest.raises(TelegramBadRequest, match="file is too big"):
        await bot.get_file(update.message.document.file_id)


async def test_photos_and_stickers(bot: Bot, sim: TelegramSimulator) -> None:
    sim.user_photo(USER, size=80_000)
    sim.user_sticker(USER)
    photo_update, sticker_update = await bot.get_updates()
    assert photo_update.message is not None and photo_update.message.photo is not None
    largest = photo_update.message.photo[-1]
    assert largest.file_size == 80_000
    assert sticker_update.message is not None and sticker_update.message.sticker is not None

    sent = await bot.send_photo(GROUP, largest.file_id, caption="现场照片")
    assert sent.photo is not None and sent.caption == "现场照片"
    with pytest.raises(TelegramBadRequest, match="message caption is too long"):
        await bot.send_photo(GROUP, largest.file_id, caption="长" * 1025)


async def test_wire_errors_for_unknown_method_and_bad_token(sim: TelegramSimulator) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{sim.base_url}/bot{sim.token}/sendTelepathy") as resp:
            assert resp.status == 404
            assert await resp.json() == {
                "ok": False,
                "error_code": 404,
                "description": "Not Found",
            }
        async with http.get(f"{sim.base_url}/botnot-a-token/getMe") as resp:
            assert resp.status == 401
        async with http.get(f"{sim.base_url}/bot{sim.token}/GETME") as resp:
            body = await resp.json()
            assert body["result"]["username"] == "zhaopin_test_bot"


async def test_standalone_process_with_control_api() -> None:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "devkit", "telegram", "--port", "0",
        cwd=ROOT, stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        base_url = (await asyncio.wait_for(proc.stdout.readline(), 10)).decode().strip()
        token = "1:" + "C" * 35
        async with aiohttp.ClientSession() as http:
            async with http.post(
                f"{base_url}/_sim/user_message", json={"chat_id": 7, "user_id": 7, "text": "hi"}
            ) as resp:
                assert resp.status == 200
            async with http.get(f"{base_url}/bot{token}/getUpdates") as resp:
                body = json.loads(await resp.text())
        assert body["result"][0]["message"]["text"] == "hi"
    finally:
        proc.terminate()
        await proc.wait()
