"""What every post carries: the HR licence (setting HR_LICENCE), the validity period, and
where an imported vacancy was taken from (转载自); our own posts name no source."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.telegram.links import TelegramLinks
from handlers.posts import TelegramPost, render_post
from jobfeed.broadcast.models import Post
from jobfeed.models import Vacancy
from jobfeed.texts import Texts

LICENCE = "（蒙）人服证字〔2026〕第1502000042号"
WHEN = datetime(2026, 11, 15, 2, tzinfo=UTC)


def vacancy(vacancy_id: str, source: str) -> Vacancy:
    return Vacancy(
        id=vacancy_id,
        title="电焊工",
        employer="包头铝业有限公司",
        city="包头",
        province="内蒙古",
        salary_min=6000,
        salary_max=9000,
        requirements="持焊工证",
        description="负责电解槽焊接",
        source=source,
        posted_at=WHEN,
        expires_at=WHEN + timedelta(days=10, hours=17),  # 2026-11-25 19:00 UTC
    )


async def shown(texts: Texts, vacancies: list[Vacancy]) -> TelegramPost:
    return await render_post(texts, Post.of(vacancies, WHEN), TelegramLinks(None, "zp_bot"))


async def test_a_post_shows_the_licence_the_validity_and_the_source() -> None:
    imported = await shown(Texts(hr_licence=LICENCE), [vacancy("F-1", "草原人才网")])
    assert f"人力资源服务许可证：{LICENCE}" in imported.html
    assert "转载自 草原人才网" in imported.html
    assert "有效期至 2026-11-26" in imported.html  # the day in China (UTC+8)

    own = await shown(Texts(hr_licence=LICENCE), [vacancy("M-1", "manual")])
    assert "转载自" not in own.html and LICENCE in own.html
    unset = await shown(Texts(), [vacancy("M-1", "recruiter")])
    assert "许可证" not in unset.html and "转载自" not in unset.html


async def test_a_digest_names_each_imported_source_and_the_licence_once() -> None:
    post = await shown(
        Texts(hr_licence=LICENCE),
        [vacancy("F-1", "草原人才网"), vacancy("M-1", "api"), vacancy("F-2", "包头招聘网")],
    )
    assert post.html.count("转载自") == 2 and "转载自 包头招聘网" in post.html
    assert post.html.count(LICENCE) == 1
