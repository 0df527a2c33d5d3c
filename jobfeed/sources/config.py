"""The sources file (TOML): which sources to poll, how often, and where their vacancies go.

See ``samples/feeds.toml`` and README "Feeds". Durations are seconds or ``30s``/``10m``/
``2h``/``1d``. A mistake stops the poller with one line naming the source and field.
"""

from __future__ import annotations

import re
import tomllib
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from jobfeed.models import GroupFilter

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d)?\s*$")
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _seconds(value: Any) -> Any:
    if isinstance(value, str):
        match = _DURATION.match(value)
        if not match:
            raise ValueError(f'{value!r} is not a duration such as 90, "30s", "10m", "2h"')
        return float(match.group(1)) * _SECONDS[match.group(2) or "s"]
    return value


Seconds = Annotated[float, BeforeValidator(_seconds)]


class SourceKind(StrEnum):
    jsonl = "jsonl"  # JSON Lines in the feed format
    csv = "csv"
    rss = "rss"  # RSS or Atom
    json = "json"  # a JSON endpoint: an array of objects, or an object holding one


class BroadcastMode(StrEnum):
    off = "off"  # import only
    each = "each"  # every new vacancy is broadcast on its own
    digest = "digest"  # new vacancies are gathered into one digest per group per interval


class ExpiryAction(StrEnum):
    keep = "keep"  # leave the posts as they are
    edit = "edit"  # edit the posts to say 已招满
    withdraw = "withdraw"  # delete the posts


class SourceConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(pattern=r"^[a-z0-9_]{1,20}$")
    kind: SourceKind
    url: str = Field(min_length=1, description="http(s) URL, file:// URL or a file path")
    interval: Seconds = Field(default=600.0, gt=0)
    timeout: Seconds = Field(default=20.0, gt=0, le=600)
    id_prefix: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_]{0,12}$")
    items: str | None = None  # for kind = "json": where the list is, e.g. "data.list"
    expiry_days: int | None = Field(default=None, ge=1, le=3650)
    enabled: bool = True
    target: GroupFilter = Field(default_factory=GroupFilter)
    broadcast: BroadcastMode = BroadcastMode.off
    digest_every: Seconds = Field(default=3600.0, gt=0)
    on_expiry: ExpiryAction = ExpiryAction.edit

    @property
    def prefix(self) -> str:
        """The id namespace: ``id_prefix`` if given (``""`` keeps ids), else the name."""
        return self.name if self.id_prefix is None else self.id_prefix

    @property
    def is_http(self) -> bool:
        return self.url.startswith(("http://", "https://"))


class FeedsConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    retry_base: Seconds = Field(default=30.0, gt=0)
    retry_max: Seconds = Field(default=3600.0, gt=0)
    sources: list[SourceConfig] = Field(default_factory=list, alias="source")

    @model_validator(mode="after")
    def _unique(self) -> FeedsConfig:
        names = [s.name for s in self.sources]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(f"source names must be unique: {', '.join(twice)}")
        prefixes = [s.prefix for s in self.sources if s.prefix]
        shared = sorted({p for p in prefixes if prefixes.count(p) > 1})
        if shared:
            raise ValueError(f"id prefixes must be unique: {', '.join(shared)}")
        return self

    def get(self, name: str) -> SourceConfig | None:
        return next((s for s in self.sources if s.name == name), None)


class FeedsConfigError(Exception):
    """The sources file is missing or wrong; ``str()`` is the one line to show."""


def load_feeds(path: Path) -> FeedsConfig:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FeedsConfigError(f"{path}: no such file") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise FeedsConfigError(f"{path}: not valid TOML ({exc})") from None
    try:
        config = FeedsConfig.model_validate(data)
    except ValidationError as exc:
        raise FeedsConfigError(f"{path}: {_describe(exc, data)}") from None
    for source in config.sources:
        # A relative file path means: next to the sources file, wherever we run from.
        if "://" not in source.url and not Path(source.url).is_absolute():
            source.url = str(path.resolve().parent / source.url)
    return config


def _describe(exc: ValidationError, data: dict[str, Any]) -> str:
    err = exc.errors(include_url=False)[0]
    loc = list(err["loc"])
    where = ".".join(str(p) for p in loc)
    if len(loc) >= 2 and loc[0] == "source" and isinstance(loc[1], int):
        sources = data.get("source") or []
        name = sources[loc[1]].get("name") if loc[1] < len(sources) else None
        where = f"source {name or '#' + str(loc[1] + 1)!s}: " + ".".join(str(p) for p in loc[2:])
    message = str(err["msg"]).removeprefix("Value error, ")
    return f"{where}: {message}" if where else message
