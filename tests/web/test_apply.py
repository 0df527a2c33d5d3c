"""The apply form of the job pages, end to end through the running app: the form, its
checks (the chat's rules and words), its abuse guards, the filing and the recruiter's card
in the Telegram simulator, and the status page."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from redis.asyncio import Redis

from bot.web.signing import Signer, derive_secret
from devkit.sms import SmsDouble
from jobfeed.applications.models import WEB, ApplicationStatus
from jobfeed.keys import Keys
from jobfeed.models import ScreeningQuestion, VacancyStatus, utcnow
from tests.conftest import redis_url
from tests.handlers.resume_chat import RECRUITER_ID, VACANCY_ID, vacancy
from tests.harness import System, running_system

PHONE = "13812345678"
FORM = {
    "name": "张伟",
    "phone": "138 1234 5678",  # spaces are fine, as in the chat
    "age": "1990",
    "city": "天津",
    "consent": "yes",
    "action": "apply",
}
WELDER = ScreeningQuestion(text="有焊工证吗？", choices=["有", "没有"], accepted=["有"])
_TOKEN = re.compile(r'name="token" value="([^"]+)"')


async def page(system: System, path: str) -> tuple[int, str]:
    async with system.http.get(system.base_url + path) as response:
        return response.status, await response.text()


async def token_of(system: System, vacancy_id: str = VACANCY_ID) -> str:
    status, html = await page(system, f"/jobs/{vacancy_id}")
    assert status == 200
    found = _TOKEN.search(html)
    assert found is not None
    return found.group(1)


async def post(
    system: System,
    form: dict[str, str],
    vacancy_id: str = VACANCY_ID,
    *,
    token: str | None = None,
    forwarded: str | None = None,
) -> tuple[int, str, str]:
    """Posts the form with a fresh token (or ``token``); status, final URL, page."""
    data = {"token": token if token is not None else await token_of(system, vacancy_id), **form}
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    url = f"{system.base_url}/jobs/{vacancy_id}/apply"
    async with system.http.post(url, data=data, headers=headers) as r:
        return r.status, str(r.url), await r.text()


def error_of(html: str, field: str) -> str:
    found = re.search(rf'<p class="error" id="e-{field}">(.*?)</p>', html, re.S)
    return found.group(1) if found else ""


@pytest.fixture
async def site(keys: Keys, redis: Redis) -> AsyncIterator[System]:
    async with running_system(keys, redis_url(), web_apply_per_address=1000) as s:
        s.sim.add_user(RECRUITER_ID, "招聘经理")
        yield s


async def test_a_web_application_is_filed_once_and_the_recruiter_gets_the_card(
    site: System,
) -> None:
    await site.services.vacancies.save(vacancy(screening=[WELDER]))
    status, html = await page(site, f"/jobs/{VACANCY_ID}")
    assert status == 200 and 'action="/jobs/weld-tj-001/apply"' in html
    # The chat's consent terms: the named employer and the retention period.
    assert "华北铝业的招聘负责人和本平台管理员" in html and "180 天，到期自动删除" in html
    assert "有焊工证吗？" in html and 'value="有"' in html
    assert f'href="https://t.me/zhaopin_test_bot?start=apply_{VACANCY_ID}"' in html
    assert '<span class="pay">7000-9000元/月</span>' in html and "&lt;span" not in html

    status, url, done = await post(site, {**FORM, "q0": "有", "skills": "焊工证"})
    assert status == 200 and "报名成功" in done
    assert re.search(rf"/jobs/{VACANCY_ID}/apply/\d+\?k=[\w-]+&new=1$", url)
    [application] = (await site.services.applications.for_vacancy(VACANCY_ID))[1]
    assert f'<dd class="number" id="number">{application.number}</dd>' in done
    assert "已提交，等待招聘方查看" in done
    assert application.source == WEB
    code, report = await site.api("GET", "/api/stats")  # counted as the web's
    assert code == 200 and report["today"]["applications_by_source"] == {"web": 1}
    assert application.applicant_id is not None and application.applicant_id < 0
    assert application.resume is not None and application.resume.phone == PHONE
    assert application.resume.birth_year == 1990 and application.resume.skills == "焊工证"
    assert application.resume.expected_pay == "面议"  # left empty: the chat's button answer
    assert application.resume.desired_job == "电焊工" and not application.resume.phone_shared
    assert application.consent.employer == "华北铝业" and application.consent.retention_days == 180
    assert [a.answer for a in application.screening] == ["有"]

    await site.settle()
    [card] = site.sim.messages_in(RECRUITER_ID)
    text = card.plain_text or ""
    assert f"新报名 {application.number}" in text and PHONE in text and "来自网页报名表" in text
    buttons = [b["text"] for row in (card.reply_markup or {})["inline_keyboard"] for b in row]
    assert buttons == ["已查看", "约面试", "已录用", "不合适"]

    # The status page: the link works again, follows status changes, and needs its key.
    status_path = url.removeprefix(site.base_url).removesuffix("&new=1")
    code, changed = await site.api(
        "PATCH", f"/api/applications/{application.number}", json={"status": "interview"}
    )
    assert code == 200 and changed["changed"] and not changed["notified"]  # no chat to tell
    assert changed["application"]["source"] == "web"
    await site.settle()
    assert [m.chat_id for m in site.sim.sent if m.chat_id < 0] == []  # never a "chat" id
    status, shown = await page(site, status_path)
    assert status == 200 and "邀请面试" in shown and "报名成功" not in shown
    assert PHONE not in shown and "张伟" not in shown
    forged = re.sub(r"k=[\w-]+", "k=" + "A" * 32, status_path)
    assert (await page(site, forged))[0] == 404
    other = status_path.replace(f"/apply/{application.number}", f"/apply/{application.number + 1}")
    assert (await page(site, other))[0] == 404

    # The same phone again, with a fresh form: no second application, nothing disclosed.
    status, _, again = await post(site, {**FORM, "q0": "有", "name": "别人"})
    assert status == 200 and "你已经报过名了" in again
    assert 'id="number"' not in again and "报名状态" not in again.split("<h1>")[1][:20]
    assert await site.services.applications.count() == 1
    assert len(site.sim.messages_in(RECRUITER_ID)) == 1


async def test_bad_input_is_refused_with_the_chats_reasons_and_the_values_kept(
    site: System,
) -> None:
    await site.services.vacancies.save(vacancy(screening=[WELDER]))
    bad = {**FORM, "phone": "12345", "age": "200", "name": "<b>张伟</b>", "consent": ""}
    status, _, html = await post(site, bad)
    assert status == 400
    assert "这不像是手机号，请输入 11 位数字" in error_of(html, "phone")  # the chat's words
    assert "年龄需在 16 到 70 岁之间" in error_of(html, "age")
    assert "勾选同意" in error_of(html, "consent")
    assert "请点下方的选项回答" in error_of(html, "q0")  # no screening answer
    assert 'value="12345"' in html and 'value="&lt;b&gt;张伟&lt;/b&gt;"' in html
    assert "<b>张伟" not in html
    assert 'value="天津"' in html and "有几项需要修改" in html
    assert _TOKEN.search(html)  # a fresh token to submit again with

    status, _, html = await post(site, {**FORM, "phone": "+1 415 555 0100", "q0": "有"})
    assert status == 400 and "只支持中国大陆手机号" in error_of(html, "phone")
    status, _, html = await post(site, {**FORM, "q0": "也许"})  # not one of the choices
    assert status == 400 and error_of(html, "q0")
    status, _, html = await post(site, {**FORM, "q0": "有", "experience_years": "很多年"})
    assert status == 400 and "请写工作年数" in error_of(html, "experience_years")
    assert '<details class="more" open>' in html  # the optional part opens on its error
    assert await site.services.applications.count() == 0


async def test_tokens_replays_and_the_honeypot(site: System) -> None:
    await site.services.vacancies.save_many([vacancy(), vacancy("weld-tj-002")])
    token = await token_of(site)
    form = {**FORM}
    status, _, _ = await post(site, form, token=token)
    assert status == 200
    status, _, html = await post(site, {**form, "phone": "13912345678"}, token=token)
    assert status == 400 and "这份表单已经提交过了" in html  # a replay
    status, _, html = await post(site, form, "weld-tj-002", token=token)
    assert status == 400 and "表单已失效" in html  # another vacancy's token
    status, _, html = await post(site, form, token="")
    assert status == 400 and "表单已失效" in html
    old = str(int((utcnow() - timedelta(hours=3)).timestamp()))
    status, _, html = await post(site, form, token=old + token[token.index(".") :])
    assert status == 400 and "表单已失效" in html  # the signature covers the time

    status, _, html = await post(site, {**form, "phone": "13912345678", "website": "x.cn"})
    assert status == 400 and "提交没有成功" in html
    assert await site.services.applications.count() == 1


async def test_an_old_form_expires(keys: Keys, redis: Redis) -> None:
    async with running_system(keys, redis_url(), web_apply_form_minutes=1) as site:
        await site.services.vacancies.save(vacancy())
        token = await token_of(site)
        # A form issued two minutes ago with the site's own secret: what a stale page holds.
        stale = Signer(
            derive_secret(site.services.settings.bot_token.get_secret_value()),
            site.services.redis,
            keys,
            timedelta(minutes=1),
            clock=lambda: utcnow() - timedelta(minutes=2),
        ).issue(VACANCY_ID)
        status, _, html = await post(site, FORM, token=stale)
        assert status == 400 and "这个页面打开太久了" in html
        assert await site.services.applications.count() == 0
        status, _, _ = await post(site, FORM, token=token)
        assert status == 200


async def test_limits_per_address_and_per_phone(keys: Keys, redis: Redis) -> None:
    async with running_system(
        keys, redis_url(), web_apply_per_address=3, web_apply_per_phone=2
    ) as site:
        site.sim.add_user(RECRUITER_ID)
        await site.services.vacancies.save_many([vacancy(f"v-{n}") for n in range(4)])
        for n in range(2):
            status, _, _ = await post(site, FORM, f"v-{n}")
            assert status == 200
        status, _, html = await post(site, FORM, "v-2")
        assert status == 429 and "这个手机号今天报名次数太多了" in html
        status, _, html = await post(site, {**FORM, "phone": "13912345678"}, "v-3")
        assert status == 429 and "提交太频繁了" in html  # the address's fourth post
        assert 'value="张伟"' in html
        assert await site.services.applications.count() == 2


async def test_behind_a_trusted_proxy_each_client_has_its_own_limit(
    keys: Keys, redis: Redis
) -> None:
    async with running_system(
        keys, redis_url(), web_apply_per_address=1, trusted_proxies="127.0.0.1,10.0.0.0/8"
    ) as site:
        await site.services.vacancies.save(vacancy())
        bad = {**FORM, "phone": "12345"}
        assert (await post(site, bad, forwarded="203.0.113.7"))[0] == 400
        assert (await post(site, bad, forwarded="203.0.113.7"))[0] == 429
        # Another client behind the same proxy (and a forged entry left of what it saw).
        assert (await post(site, bad, forwarded="198.51.100.1, 10.1.2.3"))[0] == 400
        assert (await post(site, bad, forwarded="203.0.113.99, 198.51.100.1"))[0] == 429
    async with running_system(keys, redis_url(), web_apply_per_address=1) as site:
        # Without trusted proxies the header is never believed: the peer's limit.
        assert (await post(site, FORM, forwarded="192.0.2.1"))[0] == 200
        assert (await post(site, FORM, forwarded="192.0.2.2"))[0] == 429


async def test_a_disqualifying_answer_files_no_card(site: System) -> None:
    await site.services.vacancies.save(vacancy(screening=[WELDER]))
    status, _, html = await post(site, {**FORM, "q0": "没有"})
    assert status == 200 and "这次暂时不太合适" in html and "不符合岗位要求" in html
    [application] = (await site.services.applications.for_vacancy(VACANCY_ID))[1]
    assert application.status is ApplicationStatus.screened_out
    await site.settle()
    assert site.sim.messages_in(RECRUITER_ID) == []


async def test_closed_and_unknown_vacancies(site: System) -> None:
    await site.services.vacancies.save(vacancy())
    token = await token_of(site)
    closed = vacancy().model_copy(update={"status": VacancyStatus.closed})
    await site.services.vacancies.save(closed)
    status, _, html = await post(site, FORM, token=token)
    assert status == 410 and "已招满" in html and 'id="apply"' not in html
    status, _, _ = await post(site, FORM, "no-such-job", token=token)
    assert status == 404
    async with site.http.get(f"{site.base_url}/jobs/{VACANCY_ID}/apply") as response:
        assert response.history[0].status == 303 and response.url.path == f"/jobs/{VACANCY_ID}"
    assert await site.services.applications.count() == 0


async def test_with_an_sms_provider_the_phone_is_verified(keys: Keys, redis: Redis) -> None:
    sms = SmsDouble()
    async with running_system(keys, redis_url(), sms_codes=sms) as site:
        await site.services.vacancies.save(vacancy())
        status, _, html = await post(site, FORM)
        assert status == 400 and "请输入短信验证码" in error_of(html, "code")
        status, _, html = await post(site, {**FORM, "action": "code", "phone": "123"})
        assert status == 400 and error_of(html, "phone") and sms.sent == {}
        status, _, html = await post(site, {**FORM, "action": "code"})
        assert status == 200 and "验证码已发送" in html and 'value="张伟"' in html
        sms.refuse = True  # the vendor is down (or says: too soon)
        status, _, html = await post(site, {**FORM, "action": "code"})
        assert status == 503 and "验证码暂时发不出去" in html
        sms.refuse = False
        code = sms.last_code(PHONE)
        wrong = f"{(int(code) + 1) % 10**6:06d}"
        status, _, html = await post(site, {**FORM, "code": wrong})
        assert status == 400 and "验证码不对" in error_of(html, "code")
        status, _, html = await post(site, {**FORM, "code": code})
        assert status == 200 and "报名成功" in html
        assert await site.services.applications.count() == 1


async def test_a_web_applicant_deletes_their_personal_data_from_the_status_link(
    site: System,
) -> None:
    await site.services.vacancies.save(vacancy())
    status, url, _ = await post(site, FORM)
    assert status == 200
    status_path = url.removeprefix(site.base_url).removesuffix("&new=1")
    [application] = (await site.services.applications.for_vacancy(VACANCY_ID))[1]
    await site.settle()
    [card] = site.sim.messages_in(RECRUITER_ID)
    assert PHONE in (card.plain_text or "")

    _, shown = await page(site, status_path)
    found = re.search(r'<a id="forget" href="([^"]+)"', shown)
    assert found is not None
    forget_path = found.group(1).replace("&amp;", "&")
    code, confirm = await page(site, forget_path)  # a GET only asks
    assert code == 200 and "确认删除" in confirm
    assert (await site.services.applications.get(application.number)).resume is not None

    forged = {"k": "A" * 32}
    url = f"{site.base_url}/jobs/{VACANCY_ID}/apply/{application.number}/forget"
    async with site.http.post(url, data=forged) as r:
        assert r.status == 404
    key = forget_path.split("k=", 1)[1]
    async with site.http.post(url, data={"k": key}) as r:
        assert r.status == 200 and "你的个人信息已删除" in await r.text()

    kept = await site.services.applications.get(application.number)
    assert kept is not None and kept.resume is None and kept.applicant_id is None
    await site.settle()
    [card] = site.sim.messages_in(RECRUITER_ID)  # the recruiter's card is scrubbed too
    assert PHONE not in (card.plain_text or "")
    _, shown = await page(site, status_path)
    assert "本报名的个人信息已删除" in shown and 'id="forget"' not in shown
    # The same phone may apply afresh: nothing of the old application stands in its way.
    status, _, again = await post(site, FORM)
    assert status == 200 and "报名成功" in again
