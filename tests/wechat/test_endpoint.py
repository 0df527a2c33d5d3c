"""The Official Account endpoint as WeChat's server meets it: URL check, signatures,
malformed XML, the encrypted modes, retried messages and the 5-second limit."""

from __future__ import annotations

import pytest

from devkit.wechat import Mode
from tests.handlers.resume_chat import VACANCY_ID, vacancy
from tests.handlers.search_chat import load
from tests.wechat.conftest import OaSystem


async def test_the_url_check_echoes_only_a_request_signed_with_the_token(oa: OaSystem) -> None:
    follower = oa.follower()
    checked = await follower.url_check("9876543210")
    assert (checked.status, checked.body) == (200, "9876543210")
    forged = await follower.url_check("9876543210", token="notOurToken")
    assert forged.status == 403 and "9876543210" not in forged.body


async def test_a_job_query_is_answered_with_the_top_jobs_and_their_pages(oa: OaSystem) -> None:
    await load(oa.system, [vacancy()])
    reply = await oa.follower().say("天津 电焊工")
    assert reply.text is not None
    assert "电焊工" in reply.text and "华北铝业" in reply.text and "7000" in reply.text
    assert f'<a href="{oa.system.base_url}/jobs/{VACANCY_ID}">' in reply.text
    assert f"报名 {VACANCY_ID}" in reply.text


async def test_a_greeting_gets_how_to_use_the_account(oa: OaSystem) -> None:
    reply = await oa.follower().say("你好")
    assert reply.text is not None and "想找什么工作" in reply.text


async def test_nothing_found_says_so_and_names_the_popular_trades(oa: OaSystem) -> None:
    await load(oa.system, [vacancy()])
    reply = await oa.follower().say("飞行员")
    assert reply.text is not None
    assert "没有找到" in reply.text and "电焊工" in reply.text


async def test_a_message_with_a_bad_signature_is_refused(oa: OaSystem) -> None:
    follower = oa.follower()
    refused = await follower.send(follower.text("天津 电焊工"), token="notOurToken")
    assert refused.status == 403


@pytest.mark.parametrize(
    "body",
    [
        b"not xml at all",
        b"<xml><ToUserName>gh</ToUserName>",
        b'<!DOCTYPE xml [<!ENTITY boom "boom">]><xml><Content>&boom;</Content></xml>',
        b"<xml><Content>no sender</Content></xml>",
        b"<xml><ToUserName>gh</ToUserName><FromUserName>o1</FromUserName>"
        b"<CreateTime>1</CreateTime><MsgType>text</MsgType><MsgId>*</MsgId></xml>",
    ],
)
async def test_malformed_xml_is_refused_with_400(oa: OaSystem, body: bytes) -> None:
    follower = oa.follower()
    signed = await follower.send(follower.text("x"))  # a valid push, for valid parameters
    assert signed.status == 200
    from bot.wechat.oa.crypto import signature  # noqa: PLC0415

    params = {"signature": signature(follower.token, "1", "n"), "timestamp": "1", "nonce": "n"}
    refused = await follower.post_raw(body, params)
    assert refused.status == 400


@pytest.mark.parametrize("mode", [Mode.secure, Mode.compatible])
async def test_encrypted_messages_get_encrypted_replies(oa_secure: OaSystem, mode: Mode) -> None:
    await load(oa_secure.system, [vacancy()])
    reply = await oa_secure.follower(mode=mode).say("天津 电焊工")  # decrypts and verifies
    assert reply.text is not None and "电焊工" in reply.text
    assert "<Encrypt>" in reply.body and "电焊工" not in reply.body


async def test_an_encrypted_message_with_a_bad_msg_signature_is_refused(
    oa_secure: OaSystem,
) -> None:
    follower = oa_secure.follower(mode=Mode.secure)
    sent = follower.text("天津 电焊工")
    good = await follower.send(sent)
    assert good.status == 200
    # Signed with the Token but encrypted by someone without it: msg_signature fails.
    from bot.wechat.oa.crypto import signature  # noqa: PLC0415

    params = {
        "signature": signature(follower.token, "1", "n"),
        "timestamp": "1",
        "nonce": "n",
        "encrypt_type": "aes",
        "msg_signature": "0" * 40,
    }
    body = b"<xml><ToUserName>gh</ToUserName><Encrypt>AAAA</Encrypt></xml>"
    assert (await follower.post_raw(body, params)).status == 403


async def test_a_retried_message_gets_the_same_reply_and_is_handled_once(oa: OaSystem) -> None:
    await oa.system.services.vacancies.save(vacancy())
    follower = oa.follower()
    await follower.say(f"报名 {VACANCY_ID}")
    await follower.say("同意")
    name = follower.text("张三")
    first = await follower.push(name)
    retried = await follower.push(name)  # WeChat's retry: the same MsgId
    assert first.text == retried.text and first.text is not None and "第 2 步" in first.text
    # Handled once: the next answer is taken for the step after the name.
    nxt = await follower.say("13812345678")
    assert nxt.text is not None and "第 3 步" in nxt.text


async def test_a_slow_answer_is_acknowledged_with_success_and_sent_afterwards(
    oa: OaSystem,
) -> None:
    await load(oa.system, [vacancy()])
    oa.endpoint.deadline = 0.0  # any answer is slower than that
    follower = oa.follower()
    reply = await follower.say("天津 电焊工")
    assert (reply.status, reply.body, reply.text) == (200, "success", None)
    [late] = await oa.sent_to(follower.openid)
    assert "电焊工" in late and f"/jobs/{VACANCY_ID}" in late


async def test_follow_is_welcomed_and_unfollow_gets_no_reply(oa: OaSystem) -> None:
    follower = oa.follower()
    welcome = await follower.push(follower.event("subscribe"))
    assert welcome.text is not None and "欢迎关注" in welcome.text
    left = await follower.push(follower.event("unsubscribe"))
    assert (left.body, left.text) == ("success", None)
