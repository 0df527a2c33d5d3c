"""WeChat's signatures, encryption and XML, checked against an independent implementation
(OpenSSL's AES) and against what must be refused."""

from __future__ import annotations

import base64
import shutil
import struct
import subprocess

import pytest

from bot.wechat.oa.conversation import fit, wants_to_apply
from bot.wechat.oa.crypto import CryptError, MessageCrypt, signature, signed
from bot.wechat.oa.xmlmsg import MalformedXml, fields, text_reply
from tests.wechat.conftest import AES_KEY, APPID, TOKEN


def test_a_signature_is_the_sha1_of_the_sorted_parts() -> None:
    # sorted: "1409304348" < "xxxxxx" < token...: the order given must not matter
    assert signature("b", "a", "c") == signature("c", "b", "a")
    assert signature("a", "b") == "da23614e02469a0d7c7bd1bdab5c9c474b1904dc"  # sha1("ab")
    assert signed(signature(TOKEN, "1", "n").upper(), TOKEN, "1", "n")
    assert not signed(signature(TOKEN, "1", "n"), TOKEN, "2", "n")


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")
def test_encryption_is_wechats_layout_under_aes_256_cbc() -> None:
    crypt = MessageCrypt(TOKEN, AES_KEY, APPID, random=lambda n: b"R" * n)
    encrypted = base64.b64decode(crypt.encrypt("<xml>你好</xml>"))
    assert len(encrypted) % 32 == 0  # WeChat pads to 32 bytes, not AES's 16
    key = base64.b64decode(AES_KEY + "=")
    plain = subprocess.run(
        ["openssl", "enc", "-d", "-aes-256-cbc", "-nopad", "-K", key.hex(), "-iv", key[:16].hex()],
        input=encrypted,
        capture_output=True,
        check=True,
    ).stdout
    body = "<xml>你好</xml>".encode()
    assert plain[:16] == b"R" * 16
    assert struct.unpack(">I", plain[16:20])[0] == len(body)
    assert plain[20 : 20 + len(body)] == body
    assert plain[20 + len(body) :].rstrip(plain[-1:]) == APPID.encode()


def test_a_message_for_another_appid_or_tampered_with_is_refused() -> None:
    ours = MessageCrypt(TOKEN, AES_KEY, APPID)
    theirs = MessageCrypt(TOKEN, AES_KEY, "wxffffffffffffffff")
    assert ours.decrypt(ours.encrypt("hello")) == "hello"
    with pytest.raises(CryptError):
        ours.decrypt(theirs.encrypt("hello"))
    for junk in ("not base64!", "", base64.b64encode(b"x" * 31).decode()):
        with pytest.raises(CryptError):
            ours.decrypt(junk)


def test_xml_without_entities_is_read_and_replies_survive_a_cdata_end() -> None:
    reply = text_reply("oUser", "gh_account", 1, "a]]>b")
    assert fields(reply.encode())["Content"] == "a]]>b"
    for bad in (b"<!DOCTYPE x><xml/>", b"<other/>", b"<xml>"):
        with pytest.raises(MalformedXml):
            fields(bad)


def test_a_long_reply_is_cut_at_a_line_to_wechats_limit() -> None:
    text = "\n".join(f"{n}. 电焊工 · 华北铝业 天津" for n in range(200))
    cut = fit(text)
    assert len(cut.encode()) <= 2048 and cut.endswith("\n…") and cut.startswith("0. 电焊工")
    assert fit("短") == "短"


def test_applying_is_asked_by_id_or_by_a_job_pages_link() -> None:
    assert wants_to_apply("报名 weld-tj-001") == "weld-tj-001"
    assert wants_to_apply("看看 https://jobs.example.com/jobs/weld-tj-001?x=1") == "weld-tj-001"
    assert wants_to_apply("天津 电焊工") is None
