"""Texts to a follower outside a passive reply: WeChat's customer-service message API.

WeChat takes them only within 48 hours of the follower's last message to the account
(errcode 45015 after that) and only while they follow it (43004). A stale access token
(40001, 42001) is dropped and the send tried once more with a fresh one.
https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Service_Center_messages.html
"""

from __future__ import annotations

import json
import logging
from enum import StrEnum

from aiohttp import ClientError, ClientSession, ClientTimeout

from bot.wechat.oa.tokens import STALE_CODES, AccessTokens, TokenError

log = logging.getLogger(__name__)

OUT_OF_WINDOW = 45015
UNFOLLOWED = 43004
TIMEOUT = ClientTimeout(total=10)


class Sent(StrEnum):
    sent = "sent"
    out_of_window = "out_of_window"  # 48 hours since their last message: wait for the next
    unfollowed = "unfollowed"
    failed = "failed"  # for now: WeChat unreachable or refusing; try again later


class CustomerService:
    def __init__(self, http: ClientSession, tokens: AccessTokens, *, api_base: str) -> None:
        self._http = http
        self._tokens = tokens
        self._url = f"{api_base}/cgi-bin/message/custom/send"

    async def send_text(self, openid: str, text: str) -> Sent:
        for _ in range(2):
            try:
                token = await self._tokens.get()
                code = await self._post(token, openid, text)
            except (TokenError, ClientError, TimeoutError, ValueError) as exc:
                log.warning("A customer-service message was not sent: %s", exc)
                return Sent.failed
            if code in STALE_CODES:
                await self._tokens.invalidate(token)
                continue
            return _outcome(code)
        return Sent.failed

    async def _post(self, token: str, openid: str, text: str) -> int:
        body = {"touser": openid, "msgtype": "text", "text": {"content": text}}
        async with self._http.post(
            self._url,
            params={"access_token": token},
            data=json.dumps(body, ensure_ascii=False).encode(),  # WeChat wants UTF-8, not \\u
            headers={"Content-Type": "application/json"},
            timeout=TIMEOUT,
        ) as response:
            answer = await response.json(content_type=None)
        return int(answer.get("errcode", 0))


def _outcome(code: int) -> Sent:
    if code == 0:
        return Sent.sent
    if code == OUT_OF_WINDOW:
        return Sent.out_of_window
    if code == UNFOLLOWED:
        return Sent.unfollowed
    log.warning("WeChat refused a customer-service message: errcode %s", code)
    return Sent.failed
