"""Posters: ``GET /jobs/{id}/poster.png`` and ``python -m bot poster``, whose QR code must
decode (zxing-cpp reads it as a phone camera would) to the job page's public URL."""

from __future__ import annotations

import asyncio
import io
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from redis.asyncio import Redis

from bot.web.poster import CANDIDATES, NoCjkFont, find_fonts, render_poster
from jobfeed.keys import Keys
from jobfeed.models import VacancyStatus
from tests.conftest import redis_url
from tests.handlers.resume_chat import VACANCY_ID, vacancy
from tests.harness import TEST_TOKEN, System, running_system

ROOT = Path(__file__).resolve().parents[2]
BASE = "https://jobs.example.com"
LATIN = Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf")
HAS_LATIN = LATIN.is_file()
SHOT = Path(os.environ["POSTER_SHOT"]) if os.environ.get("POSTER_SHOT") else None
HAS_CJK = any(regular.is_file() for regular, _, _ in CANDIDATES)
needs_cjk = pytest.mark.skipif(
    not HAS_CJK, reason="no CJK font: `make fonts` installs fonts-noto-cjk when run as root"
)
POSTED = vacancy(title="电焊工（二保焊/氩弧焊） 长白班 包吃住").model_copy(
    update={"headcount": 20, "benefits": ["包吃住", "五险一金", "月休4天"], "brand": "草原铝工"}
)


def decoded(png: bytes) -> tuple[Image.Image, list[str]]:
    image = Image.open(io.BytesIO(png))
    return image, [found.text for found in zxingcpp.read_barcodes(image)]


@pytest.fixture
async def site(keys: Keys, redis: Redis) -> AsyncIterator[System]:
    async with running_system(keys, redis_url(), public_base_url=BASE) as s:
        yield s


@needs_cjk
async def test_the_poster_of_a_job_page_decodes_to_its_url(site: System) -> None:
    await site.services.vacancies.save(POSTED)
    async with site.http.get(f"{site.base_url}/jobs/{VACANCY_ID}") as response:
        assert f'href="/jobs/{VACANCY_ID}/poster.png"' in await response.text()

    url = f"{site.base_url}/jobs/{VACANCY_ID}/poster.png"
    async with site.http.get(url) as response:
        assert response.status == 200 and response.content_type == "image/png"
        png, etag = await response.read(), response.headers["ETag"]
    image, codes = decoded(png)
    assert image.format == "PNG" and image.width == 1080 and 1400 < image.height < 2400
    assert codes == [f"{BASE}/jobs/{VACANCY_ID}"]
    if SHOT is not None:  # for a person to look at
        await asyncio.to_thread(SHOT.write_bytes, png)

    async with site.http.get(url, headers={"If-None-Match": etag}) as response:
        assert response.status == 304
    changed = POSTED.model_copy(update={"title": "氩弧焊工"})
    await site.services.vacancies.save(changed)
    async with site.http.get(url, headers={"If-None-Match": etag}) as response:
        assert response.status == 200  # the vacancy changed: a new poster

    await site.services.vacancies.save(changed.model_copy(update={"status": VacancyStatus.closed}))
    async with site.http.get(url) as response:
        assert response.status == 410
    async with site.http.get(f"{site.base_url}/jobs/nope/poster.png") as response:
        assert response.status == 404


@needs_cjk
def test_long_texts_wrap_and_the_qr_code_still_reads() -> None:
    long = POSTED.model_copy(
        update={
            "title": "高级电焊工" * 12,
            "employer": "内蒙古包头市某某某铝业集团有限责任公司第三分公司" * 2,
            "benefits": [f"福利{n}号：包吃包住" for n in range(12)],
        }
    )
    url = f"{BASE}/jobs/{'x' * 40}"
    image, codes = decoded(render_poster(long, url, find_fonts()))
    assert image.width == 1080 and codes == [url]


@needs_cjk
def test_the_hr_licence_is_printed_under_the_address() -> None:
    url = f"{BASE}/jobs/{VACANCY_ID}"
    plain, _ = decoded(render_poster(POSTED, url, find_fonts()))
    licensed, codes = decoded(
        render_poster(POSTED, url, find_fonts(), licence="（京）人服证字〔2026〕第0101000123号")
    )
    assert codes == [url] and licensed.height == plain.height + 64  # one more line


def test_without_a_chinese_font_posters_are_refused_in_one_line(tmp_path: Path) -> None:
    if HAS_LATIN:
        with pytest.raises(NoCjkFont, match="has no Chinese characters"):
            find_fonts(LATIN)
    junk = tmp_path / "junk.ttf"
    junk.write_bytes(b"not a font")
    with pytest.raises(NoCjkFont):
        find_fonts(junk)


async def cli(keys: Keys, *args: str, **env: str) -> tuple[int, str]:
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(ROOT),
        "BOT_TOKEN": TEST_TOKEN,
        "REDIS_URL": redis_url(),
        "REDIS_PREFIX": keys.prefix,
        **env,
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "poster", *args, env=environment,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    out, _ = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode is not None
    return process.returncode, out.decode()


@needs_cjk
async def test_python_m_bot_poster_writes_one(keys: Keys, redis: Redis, tmp_path: Path) -> None:
    from jobfeed.vacancies import VacancyRepository  # noqa: PLC0415

    await VacancyRepository(redis, keys).save(POSTED)
    out = tmp_path / "p.png"
    code, said = await cli(keys, VACANCY_ID, "--out", str(out), PUBLIC_BASE_URL=BASE)
    assert code == 0, said
    assert f"wrote {out}" in said
    assert decoded(out.read_bytes())[1] == [f"{BASE}/jobs/{VACANCY_ID}"]

    code, said = await cli(keys, "nope", PUBLIC_BASE_URL=BASE)
    assert code == 1 and "no vacancy 'nope'" in said
    code, said = await cli(keys, VACANCY_ID)
    assert code == 2 and said.count("\n") == 1 and "PUBLIC_BASE_URL" in said
    if HAS_LATIN:
        code, said = await cli(keys, VACANCY_ID, PUBLIC_BASE_URL=BASE, POSTER_FONT=str(LATIN))
        assert code == 2 and said.count("\n") == 1 and "no Chinese characters" in said
