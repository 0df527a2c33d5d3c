"""A small JSON control API under /_sim/ for driving a standalone simulator.

POST /_sim/user_message  {"chat_id": 42, "user_id": 42, "text": "/start"}
POST /_sim/faults        {"fail_next": 3, "status": 502, "drop_reply_ratio": 0.1}
GET  /_sim/sent          every sent message
GET  /_sim/stats         request counters and the observed rates
"""

from __future__ import annotations

import dataclasses
import json
from typing import TYPE_CHECKING, Any

from aiohttp import web

if TYPE_CHECKING:
    from .simulator import TelegramSimulator

ACTIONS = frozenset(
    {
        "add_chat",
        "add_user",
        "block",
        "unblock",
        "deactivate",
        "vanish",
        "bot_added",
        "bot_removed",
        "user_message",
        "user_contact",
        "user_document",
        "user_photo",
        "user_sticker",
        "callback",
        "expire_callbacks",
        "migrate",
        "inject_update",
        "advance",
    }
)


def _json(payload: Any, status: int = 200) -> web.Response:
    body = json.dumps(payload, ensure_ascii=False, default=_plain)
    return web.Response(text=body, status=status, content_type="application/json")


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    return str(value)


def setup_control(app: web.Application, sim: TelegramSimulator) -> None:
    async def action(request: web.Request) -> web.Response:
        name = request.match_info["action"]
        if name not in ACTIONS:
            return _json({"ok": False, "description": f"unknown action {name}"}, 404)
        try:
            kwargs = await request.json() if request.can_read_body else {}
            if "content" in kwargs and isinstance(kwargs["content"], str):
                kwargs["content"] = kwargs["content"].encode()
            result = getattr(sim, name)(**kwargs)
        except (TypeError, ValueError, KeyError) as exc:
            return _json({"ok": False, "description": f"{type(exc).__name__}: {exc}"}, 400)
        return _json({"ok": True, "result": result})

    async def faults(request: web.Request) -> web.Response:
        spec = await request.json()
        if "seed" in spec:
            sim.faults.seed(int(spec["seed"]))
        if spec.get("fail_next"):
            sim.faults.fail_next(int(spec["fail_next"]), int(spec.get("status", 500)))
        if spec.get("retry_after_storm"):
            wait = int(spec.get("retry_after", 1))
            sim.faults.retry_after_storm(int(spec["retry_after_storm"]), wait)
        for knob in ("drop_reply_ratio", "latency"):
            if knob in spec:
                setattr(sim.faults, knob, float(spec[knob]))
        return _json({"ok": True, "pending": sim.faults.pending})

    async def sent(request: web.Request) -> web.Response:
        return _json(sim.sent)

    async def stats(request: web.Request) -> web.Response:
        return _json(
            {
                "requests": sim.requests,
                "count_by_status": sim.count_by_status,
                "rejections": len(sim.rejections),
                "max_rate_observed": sim.max_rate_observed(),
                "max_per_chat_per_minute": sim.max_per_chat_per_minute(),
                "pending_updates": sim.pending_updates(),
            }
        )

    app.router.add_post("/_sim/faults", faults)
    app.router.add_get("/_sim/sent", sent)
    app.router.add_get("/_sim/stats", stats)
    app.router.add_post("/_sim/{action}", action)
