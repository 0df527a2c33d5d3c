"""Availability (求职意向) and alerts in Telegram: ``/subscribe`` and ``订阅``, the
有新岗位通知我 button under search answers, ``/alerts`` (list, edit, pause, resume, delete,
one from the résumé), ``/unsubscribe`` and the stop button under every alert."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandStart

from handlers.alerts import subscribing
from handlers.alerts.keyboards import Act, AlertAction
from handlers.deeplinks import ALERT_PREFIX
from handlers.filters import InPrivate, Magic

SUBSCRIBE_WORD = r"^\s*订阅(?!号)"  # 订阅 电焊工, 订阅电焊工; not 订阅号


def router() -> Router:
    r = Router(name="alerts")
    r.message.middleware(subscribing.DeskMiddleware())
    r.callback_query.middleware(subscribing.DeskMiddleware())
    r.message.register(subscribing.subscribe_command, InPrivate(), Command("subscribe"))
    r.message.register(
        subscribing.subscribe_word, InPrivate(), Magic(F.text.regexp(SUBSCRIBE_WORD))
    )
    r.message.register(
        subscribing.start_link,
        InPrivate(),
        CommandStart(deep_link=True, magic=F.args.startswith(ALERT_PREFIX)),
    )
    r.message.register(subscribing.list_alerts, InPrivate(), Command("alerts"))
    r.message.register(subscribing.unsubscribe, InPrivate(), Command("unsubscribe"))
    r.callback_query.register(subscribing.offer_pressed, AlertAction.filter(F.a == Act.new))
    r.callback_query.register(subscribing.agreed, AlertAction.filter(F.a == Act.ok))
    r.callback_query.register(subscribing.declined, AlertAction.filter(F.a == Act.no))
    r.callback_query.register(subscribing.delete_pressed, AlertAction.filter(F.a == Act.delete))
    r.callback_query.register(subscribing.stop_pressed, AlertAction.filter(F.a == Act.stop))
    r.callback_query.register(
        subscribing.toggle_pressed, AlertAction.filter(F.a.in_({Act.pause, Act.resume}))
    )
    r.callback_query.register(
        subscribing.from_resume_pressed, AlertAction.filter(F.a == Act.from_resume)
    )
    return r
