"""setMyCommands, getMyCommands and deleteMyCommands."""

from __future__ import annotations

import json
import re
from typing import Any

from devkit.telegram.context import SimContext
from devkit.telegram.errors import bad_request
from devkit.telegram.params import Params

COMMAND_PATTERN = r"[a-z0-9_]{1,32}"
MAX_COMMANDS = 100
MAX_DESCRIPTION = 256


def _key(params: Params) -> tuple[str, str]:
    scope = params.decoded("scope") or {"type": "default"}
    if not isinstance(scope, dict) or "type" not in scope:
        raise bad_request("can't parse BotCommandScope")
    return json.dumps(scope, sort_keys=True), params.text("language_code")


async def set_my_commands(ctx: SimContext, token: str, params: Params) -> Any:
    commands = params.decoded("commands")
    if not isinstance(commands, list) or len(commands) > MAX_COMMANDS:
        raise bad_request("can't parse commands JSON object")
    for command in commands:
        if not isinstance(command, dict):
            raise bad_request("can't parse BotCommand")
        if not re.fullmatch(COMMAND_PATTERN, str(command.get("command", ""))):
            raise bad_request("BOT_COMMAND_INVALID")
        description = str(command.get("description", "")).strip()
        if not 1 <= len(description) <= MAX_DESCRIPTION:
            raise bad_request("command description is empty or too long")
    ctx.world.commands[_key(params)] = [
        {"command": c["command"], "description": c["description"]} for c in commands
    ]
    return True


async def get_my_commands(ctx: SimContext, token: str, params: Params) -> Any:
    return ctx.world.commands.get(_key(params), [])


async def delete_my_commands(ctx: SimContext, token: str, params: Params) -> Any:
    ctx.world.commands.pop(_key(params), None)
    return True
