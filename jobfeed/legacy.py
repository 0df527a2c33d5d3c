"""Reading records written before the domain named its channels.

Until then every record came from Telegram and said so in Telegram's words: actors were
``"tg:<user id>"``, an attachment was a ``file_id``, and a broadcast's post was stored
already rendered (``{"html": ..., "buttons": [...]}``). New records say
``"<channel>:<id>"``, ``channel`` + ``ref`` and a structured post; the models read both
through the functions below, so old data keeps working without a migration. This is the
one module of the domain allowed to spell the old names (tests/test_domain_neutral.py).
"""

from __future__ import annotations

from typing import Any

FIRST_CHANNEL = "telegram"  # the channel of every record written before channels had names
_OLD_ACTOR = "tg:"


def actor(value: Any) -> Any:
    """``"tg:42"`` (old) -> ``"telegram:42"``; every other value as it is."""
    if isinstance(value, str) and value.startswith(_OLD_ACTOR):
        return f"{FIRST_CHANNEL}:{value.removeprefix(_OLD_ACTOR)}"
    return value


def attachment(data: Any) -> Any:
    """An attachment stored with ``file_id``/``file_unique_id`` -> ``channel``/``ref``."""
    if not isinstance(data, dict) or "file_id" not in data or "ref" in data:
        return data
    values = dict(data)
    values["ref"] = values.pop("file_id")
    if "file_unique_id" in values:
        values["unique_ref"] = values.pop("file_unique_id")
    values.setdefault("channel", FIRST_CHANNEL)
    return values


def post(data: Any) -> Any:
    """A post stored already rendered (``html`` and ``buttons``) -> a ``Rendered`` post."""
    if not isinstance(data, dict) or "html" not in data:
        return data
    return {
        "rendered": {
            "channel": FIRST_CHANNEL,
            "text": data["html"],
            "buttons": data.get("buttons", []),
        }
    }
