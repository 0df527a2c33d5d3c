"""WeChat's message XML, read safely and written.

Incoming XML is parsed by ``defusedxml`` with DTDs forbidden, so no entity of any kind (and
no billion-laughs or external entity) is expanded: such a body is malformed to us. A
message is a flat ``<xml>`` of elements; only their text is kept.
https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Receiving_standard_messages.html
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

_NUMBER = re.compile(r"\d{1,20}")
_OPENID = re.compile(r"[A-Za-z0-9_-]{1,64}")
MAX_FIELD = 10_000  # a text message holds at most 2,048 characters; anything far over is junk


class MalformedXml(Exception):
    """Not a WeChat message: not XML, a DTD or entity, or no ``<xml>`` root."""


def fields(body: bytes) -> dict[str, str]:
    """The message's elements by tag."""
    try:
        root = fromstring(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (ParseError, DefusedXmlException, ValueError) as exc:
        raise MalformedXml(type(exc).__name__) from None
    if root.tag != "xml":
        raise MalformedXml("root is not <xml>")
    return {child.tag: (child.text or "")[:MAX_FIELD] for child in root}


@dataclass(frozen=True, slots=True)
class Inbound:
    to_user: str  # the account's id (gh_...)
    from_user: str  # the follower's OpenID
    create_time: str
    msg_type: str  # text, image, voice, ..., event
    content: str = ""  # text messages
    msg_id: str = ""  # messages (not events)
    event: str = ""  # subscribe, unsubscribe, CLICK, ...

    @classmethod
    def of(cls, values: dict[str, str]) -> Inbound:
        for required in ("ToUserName", "FromUserName", "CreateTime", "MsgType"):
            if not values.get(required):
                raise MalformedXml(f"no {required}")
        # They name the Redis key of the reply (``once_key``): WeChat's shapes only.
        if not _NUMBER.fullmatch(values["CreateTime"]) or not _NUMBER.fullmatch(
            values.get("MsgId", "0")
        ):
            raise MalformedXml("CreateTime and MsgId are numbers")
        if not _OPENID.fullmatch(values["FromUserName"]):
            raise MalformedXml("FromUserName is not an OpenID")
        return cls(
            to_user=values["ToUserName"],
            from_user=values["FromUserName"],
            create_time=values["CreateTime"],
            msg_type=values["MsgType"],
            content=values.get("Content", ""),
            msg_id=values.get("MsgId", ""),
            event=values.get("Event", "").lower(),
        )

    @property
    def once_key(self) -> str:
        """What a retry of this message shares with it: the MsgId, or for events (which
        have none) the sender, the time and the event."""
        return self.msg_id or f"{self.from_user}:{self.create_time}:{self.event}"


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def text_reply(to_user: str, from_user: str, create_time: int, content: str) -> str:
    return (
        f"<xml><ToUserName>{_cdata(to_user)}</ToUserName>"
        f"<FromUserName>{_cdata(from_user)}</FromUserName>"
        f"<CreateTime>{create_time}</CreateTime><MsgType>{_cdata('text')}</MsgType>"
        f"<Content>{_cdata(content)}</Content></xml>"
    )


def encrypted_reply(encrypted: str, msg_signature: str, timestamp: str, nonce: str) -> str:
    return (
        f"<xml><Encrypt>{_cdata(encrypted)}</Encrypt>"
        f"<MsgSignature>{_cdata(msg_signature)}</MsgSignature>"
        f"<TimeStamp>{timestamp}</TimeStamp><Nonce>{_cdata(nonce)}</Nonce></xml>"
    )
