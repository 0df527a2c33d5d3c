"""The demo's WeChat Official Account chapter: a follower searches and applies through the
account, as WeChat's server would push their messages (``devkit.wechat``), and the
recruiter gets the card in Telegram as for any application."""

from __future__ import annotations

from typing import Any

from aiohttp import ClientSession
from pydantic import SecretStr
from rich.console import Console
from rich.table import Table

from devkit.demo.seeker import SeekerAnswers
from devkit.wechat import Follower, Mode, WeChatApiSimulator
from jobfeed.models import Vacancy

TOKEN = "demoOaToken"
APPID = "wxdemo0000000000"
SECRET = "demo-oa-secret"
AES_KEY = "Demo0Key1Demo0Key1Demo0Key1Demo0Key1Demo0Ke"  # 43 characters, like the console's
OPENID = "oDemoFollower000000000000001"


def oa_settings(api_base: str) -> dict[str, Any]:
    """The settings that turn the account on, pointed at the simulator (as
    ``Settings.model_copy`` takes them: secrets already wrapped)."""
    return {
        "wechat_oa_token": SecretStr(TOKEN),
        "wechat_oa_appid": APPID,
        "wechat_oa_secret": SecretStr(SECRET),
        "wechat_oa_aes_key": SecretStr(AES_KEY),
        "wechat_api_base": api_base,
    }


async def follower_applies(
    console: Console, http: ClientSession, base_url: str, api: WeChatApiSimulator, vacancy: Vacancy
) -> str:
    """Search, then apply in secure mode; the last reply (报名成功 with the number)."""
    follower = Follower(
        http, f"{base_url}/wechat/oa", api, TOKEN, OPENID, mode=Mode.secure, aes_key=AES_KEY
    )
    a = SeekerAnswers()
    table = Table(title="a follower of the Official Account (secure mode)")
    table.add_column("they sent")
    table.add_column("the account answered (passive reply)")
    answers = [
        f"{vacancy.city} {vacancy.title}",
        f"报名 {vacancy.id}",
        "同意",
        a.name,
        a.phone,
        a.age,
        a.city,
        a.desired_job,
        a.desired_place,
        a.skills,
        a.experience,
        a.pay,
        a.start,
        "跳过",
        "提交",
        *((q.accepted or q.choices)[0] for q in vacancy.screening),
    ]
    last = ""
    for text in answers:
        reply = await follower.say(text)
        last = reply.text or reply.body
        table.add_row(text, _first_lines(last, 3))
    console.print(table)
    return last


def _first_lines(text: str, count: int) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    more = " …" if len(lines) > count else ""
    return "\n".join(lines[:count]) + more
