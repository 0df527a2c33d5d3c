"""The post: escaped vacancy text, apply deep links, digests, closed vacancies, the size limit;
quiet hours in local time."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.telegram.channel import TelegramSender
from bot.telegram.links import TelegramLinks
from devkit.telegram import TelegramSimulator
from handlers.posts import PostTooLong, render_post
from jobfeed.broadcast.models import Post
from jobfeed.broadcast.quiet import QuietHours
from jobfeed.broadcast.sender import Delivered
from jobfeed.models import Vacancy, VacancyStatus
from jobfeed.texts import Texts
from tests.broadcast.conftest import BOT_USERNAME, sample_vacancies

GROUP = -1001000000001
LINKS = TelegramLinks(None, BOT_USERNAME)


def hostile() -> Vacancy:
    [vacancy] = sample_vacancies(1)
    return vacancy.model_copy(
        update={
            "title": "<b>焊工</b> & 学徒 <script>",
            "employer": 'A&B "公司" <i>',
            "benefits": ["包吃<住>", "&amp;"],
        }
    )


async def test_vacancy_text_is_escaped_and_arrives_as_written() -> None:
    post = await render_post(Texts(), Post.of([hostile()]), LINKS)

    assert "&lt;b&gt;焊工&lt;/b&gt; &amp; 学徒 &lt;script&gt;" in post.html
    assert "<script>" not in post.html and "<i>" not in post.html
    async with TelegramSimulator(speed=0) as sim:
        sim.add_chat(GROUP)
        bot = sim.make_bot()
        try:
            result = await TelegramSender(bot, links=LINKS, texts=Texts()).send(
                GROUP, Post.of([hostile()])
            )
        finally:
            await bot.session.close()
        assert isinstance(result, Delivered)
        [shown] = sim.messages_in(GROUP)
        assert "<b>焊工</b> & 学徒 <script>" in (shown.plain_text or "")
        assert "&amp;" in (shown.plain_text or "")  # a literal "&amp;" stays literal
        [[button]] = (shown.reply_markup or {})["inline_keyboard"]
        assert button["url"] == f"https://t.me/{BOT_USERNAME}?start=apply_{hostile().id}"


async def test_apply_links_fit_telegrams_start_payload() -> None:
    longest = "x" * 40  # the longest vacancy id the model accepts
    link = await LINKS.apply_link(longest)
    payload = link.partition("?start=")[2]

    assert payload == f"apply_{longest}" and len(payload) <= 64
    with pytest.raises(ValueError, match="payload"):
        await LINKS.apply_link("has space")
    with pytest.raises(ValueError, match="username"):
        await TelegramLinks(None, "not a name").apply_link("D-1")


async def test_a_digest_has_one_button_per_open_vacancy() -> None:
    vacancies = sample_vacancies(3)
    vacancies[1] = vacancies[1].model_copy(update={"status": VacancyStatus.closed})

    post = await render_post(Texts(), Post.of(vacancies), LINKS)

    assert [b.url.rsplit("_", 1)[1] for b in post.buttons] == [vacancies[0].id, vacancies[2].id]
    assert all(b.text.startswith("报名：") for b in post.buttons)
    assert "已招满" in post.html and post.html.count("<b>") >= 4
    with pytest.raises(ValueError, match="1 to 10"):
        Post.of(sample_vacancies(11))


async def test_a_post_over_telegrams_limit_is_refused() -> None:
    bulky = [
        v.model_copy(update={"benefits": [f"福利{i}" * 20 for i in range(30)]})
        for v in sample_vacancies(10)
    ]
    with pytest.raises(PostTooLong, match="4096"):
        await render_post(Texts(), Post.of(bulky), LINKS)


def test_quiet_hours_span_midnight_in_local_time() -> None:
    quiet = QuietHours.parse("22:00-07:00", "Asia/Shanghai")
    at = datetime(2026, 11, 23, 14, 30, tzinfo=UTC)  # 22:30 in Shanghai

    assert quiet.contains(at)
    assert quiet.remaining(at) == 8.5 * 3600
    assert not quiet.contains(datetime(2026, 11, 23, 23, 0, tzinfo=UTC))  # 07:00 local
    assert quiet.contains(datetime(2026, 11, 23, 22, 59, tzinfo=UTC))
    assert not quiet.contains(datetime(2026, 11, 23, 13, 59, tzinfo=UTC))  # 21:59 local
    assert QuietHours.parse("12:00-13:00", "UTC").remaining(at) == 0.0
    with pytest.raises(ValueError):
        QuietHours.parse("22:00", "Asia/Shanghai")
