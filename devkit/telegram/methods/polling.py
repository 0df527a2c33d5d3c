"""getUpdates and the webhook settings."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from devkit.telegram.context import SimContext
from devkit.telegram.errors import bad_request
from devkit.telegram.params import Params
from devkit.telegram.updates import Webhook

SECRET_PATTERN = r"[A-Za-z0-9_-]{1,256}"
MAX_POLL_TIMEOUT = 50.0


async def get_updates(ctx: SimContext, token: str, params: Params) -> Any:
    limit = min(max(params.integer("limit") or 100, 1), 100)
    timeout = min(max(params.number("timeout") or 0.0, 0.0), MAX_POLL_TIMEOUT)
    ctx.updates.set_allowed(params.decoded("allowed_updates"))
    return await ctx.updates.get(params.integer("offset"), limit, timeout)


async def set_webhook(ctx: SimContext, token: str, params: Params) -> Any:
    updates = ctx.updates
    url = params.text("url")
    if params.flag("drop_pending_updates"):
        updates.drop_pending()
    updates.set_allowed(params.decoded("allowed_updates"))
    if not url:
        updates.webhook = None
        updates.notify()
        return True
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    secret = params.string("secret_token")
    if secret is not None and re.fullmatch(SECRET_PATTERN, secret) is None:
        raise bad_request("bad webhook: secret token contains unallowed characters")
    updates.webhook = Webhook(url, token, secret, params.integer("max_connections") or 40)
    updates.notify()
    return True


async def delete_webhook(ctx: SimContext, token: str, params: Params) -> Any:
    updates = ctx.updates
    if params.flag("drop_pending_updates"):
        updates.drop_pending()
    updates.webhook = None
    updates.notify()
    return True


async def get_webhook_info(ctx: SimContext, token: str, params: Params) -> Any:
    updates = ctx.updates
    hook = updates.webhook
    info: dict[str, Any] = {
        "url": hook.url if hook else "",
        "has_custom_certificate": False,
        "pending_update_count": updates.pending_count,
    }
    if hook is not None:
        info["max_connections"] = hook.max_connections
        if hook.last_error_date is not None:
            info["last_error_date"] = hook.last_error_date
            info["last_error_message"] = hook.last_error_message
    if updates.allowed:
        info["allowed_updates"] = sorted(updates.allowed)
    return info
