"""WeChat's server, pushing one follower's messages to our endpoint as WeChat does.

Each push is signed with the account's Token (``signature`` over the timestamp and the
nonce) and, in compatible and secure mode, encrypted with the EncodingAESKey and signed
again (``msg_signature``). WeChat waits 5 seconds for the passive reply; without one it
drops the connection and sends the same message (same ``MsgId``) again, three tries in all.
A reply is decrypted and its signature checked as WeChat's client would.
https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Passive_user_reply_message.html
"""

from __future__ import annotations

import asyncio
import itertools
import secrets
from dataclasses import dataclass
from enum import StrEnum

from aiohttp import ClientSession, ClientTimeout

from bot.wechat.oa.crypto import MessageCrypt, signature
from bot.wechat.oa.xmlmsg import fields
from devkit.wechat.api import WeChatApiSimulator

WAIT = 5.0  # seconds WeChat waits for a passive reply
TRIES = 3
_MSG_IDS = itertools.count(23_000_000_000_000_001)


class Mode(StrEnum):
    plain = "plain"  # 明文模式
    compatible = "compatible"  # 兼容模式: plain fields and the encrypted copy
    secure = "secure"  # 安全模式


@dataclass(frozen=True, slots=True)
class Pushed:
    status: int
    body: str
    text: str | None  # the reply's text; None for "success" or an empty answer
    tries: int = 1


class Follower:
    """One follower of the account, talking to our endpoint at ``url``."""

    def __init__(
        self,
        http: ClientSession,
        url: str,
        api: WeChatApiSimulator,
        token: str,
        openid: str,
        *,
        mode: Mode = Mode.plain,
        aes_key: str | None = None,
        account: str = "gh_0123456789ab",
        wait: float = WAIT,
    ) -> None:
        self.http = http
        self.url = url
        self.api = api
        self.token = token
        self.openid = openid
        self.mode = mode
        self.account = account
        self.wait = wait
        self._crypt = MessageCrypt(token, aes_key, api.appid) if aes_key else None

    def _now(self) -> str:
        return str(int(self.api.clock.now().timestamp()))

    # -- what a follower does --------------------------------------------------------------

    async def url_check(self, echostr: str = "echo-1234", *, token: str | None = None) -> Pushed:
        """The request WeChat sends when the admin saves the 服务器配置."""
        timestamp, nonce = self._now(), secrets.token_hex(5)
        params = {
            "signature": signature(token or self.token, timestamp, nonce),
            "timestamp": timestamp,
            "nonce": nonce,
            "echostr": echostr,
        }
        async with self.http.get(self.url, params=params) as response:
            body = await response.text()
            return Pushed(response.status, body, body)

    def text(self, content: str, msg_id: int | None = None) -> dict[str, str]:
        return self._message(MsgType="text", Content=content, MsgId=str(msg_id or next(_MSG_IDS)))

    def event(self, event: str) -> dict[str, str]:
        return self._message(MsgType="event", Event=event)

    def _message(self, **values: str) -> dict[str, str]:
        base = {"ToUserName": self.account, "FromUserName": self.openid, "CreateTime": self._now()}
        return base | values

    async def say(self, content: str) -> Pushed:
        return await self.push(self.text(content))

    async def push(self, message: dict[str, str], *, retry: bool = True) -> Pushed:
        """Push ``message``; without an answer in time, the same again (``TRIES`` in all)."""
        self.api.interacted(self.openid)
        if message.get("Event") == "unsubscribe":
            self.api.unfollowed(self.openid)
        for attempt in range(1, TRIES + 1):
            try:
                return await asyncio.wait_for(self.send(message, tries=attempt), self.wait)
            except TimeoutError:
                if not retry or attempt == TRIES:
                    raise
        raise AssertionError("unreachable")

    # -- the wire --------------------------------------------------------------------------

    async def send(
        self, message: dict[str, str], *, tries: int = 1, token: str | None = None
    ) -> Pushed:
        """One try of one push, signed with ``token`` (a wrong one in a test)."""
        body = _xml(message)
        timestamp, nonce = self._now(), secrets.token_hex(5)
        token = token or self.token
        params = {
            "signature": signature(token, timestamp, nonce),
            "timestamp": timestamp,
            "nonce": nonce,
            "openid": self.openid,
        }
        if self.mode is not Mode.plain:
            assert self._crypt is not None, "an encrypted mode needs the EncodingAESKey"
            encrypted = self._crypt.encrypt(body)
            inner = f"<ToUserName><![CDATA[{self.account}]]></ToUserName>"
            inner += f"<Encrypt><![CDATA[{encrypted}]]></Encrypt>"
            if self.mode is Mode.compatible:
                inner = body.removeprefix("<xml>").removesuffix("</xml>") + inner
            body = f"<xml>{inner}</xml>"
            params |= {
                "encrypt_type": "aes",
                "msg_signature": signature(token, timestamp, nonce, encrypted),
            }
        return await self.post_raw(body.encode(), params, tries=tries)

    async def post_raw(self, body: bytes, params: dict[str, str], *, tries: int = 1) -> Pushed:
        timeout = ClientTimeout(total=self.wait + 5)  # the 5 s limit is push()'s
        async with self.http.post(
            self.url,
            data=body,
            params=params,
            timeout=timeout,
            headers={"Content-Type": "text/xml"},
        ) as response:
            text = await response.text()
            if response.status != 200:
                return Pushed(response.status, text, None, tries)
            return Pushed(response.status, text, self._content(text), tries)

    def _content(self, answer: str) -> str | None:
        if answer in ("", "success"):
            return None
        values = fields(answer.encode())
        if self.mode is not Mode.plain:
            assert self._crypt is not None
            encrypted = values["Encrypt"]
            expected = signature(self.token, values["TimeStamp"], values["Nonce"], encrypted)
            if values.get("MsgSignature") != expected:
                raise AssertionError("the reply's MsgSignature does not verify")
            values = fields(self._crypt.decrypt(encrypted).encode())
        if values.get("ToUserName") != self.openid or values.get("MsgType") != "text":
            raise AssertionError(f"not a text reply to {self.openid}: {answer[:200]}")
        return values.get("Content", "")


def _xml(message: dict[str, str]) -> str:
    inner = "".join(
        f"<{tag}>{value}</{tag}>"
        if tag in ("CreateTime", "MsgId")
        else f"<{tag}><![CDATA[{value}]]></{tag}>"
        for tag, value in message.items()
    )
    return f"<xml>{inner}</xml>"
