"""Backups of one ``REDIS_PREFIX``: every key with its expiry, to a gzip'd JSON Lines file.

Taken with ``SCAN`` and ``DUMP`` while the service runs: each key is copied whole and
consistent, but keys are read one batch after another, not at one instant (a broadcast
sending meanwhile may be a few sends further in one key than in another). ``DUMP``'s
payload is Redis's own serialisation, so every type (streams and their consumer groups
included) comes back exactly; it restores into the same or a newer Redis version.

File layout, one JSON object per line: a header (format, prefix, data version, time),
one line per key (its name without the prefix, absolute expiry in ms or null, the
payload in base64), and a trailer with the key count, so a cut-off file is refused.
"""

from __future__ import annotations

import base64
import gzip
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from redis.asyncio import Redis

from jobfeed.keys import Keys

FORMAT = "zhaopin-redis-backup"
FORMAT_VERSION = 1
BATCH = 500


class BackupError(Exception):
    """The file is not a complete backup, or the target is not empty; ``str()`` says which."""


@dataclass(frozen=True, slots=True)
class BackupSummary:
    keys: int
    prefix: str
    data_version: str | None
    created_at: str


async def _data_version(redis: Redis, keys: Keys) -> str | None:
    value = await redis.get(keys.data_version)
    return None if value is None else str(value)


async def write_backup(redis: Redis, keys: Keys, path: Path) -> BackupSummary:
    """Copy every key of ``keys.prefix`` to ``path`` (written aside, then renamed)."""
    now = datetime.now(UTC)
    summary = BackupSummary(0, keys.prefix, await _data_version(redis, keys), now.isoformat())
    header = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "prefix": keys.prefix,
        "data_version": summary.data_version,
        "created_at": summary.created_at,
    }
    cut = len(keys.prefix) + 1
    partial = path.with_name(path.name + ".partial")
    count = 0
    with gzip.open(partial, "wt", encoding="utf-8") as out:
        _line(out, header)
        batch: list[str] = []
        async for key in redis.scan_iter(match=keys.pattern, count=1000):
            batch.append(key)
            if len(batch) >= BATCH:
                count += await _copy(redis, batch, cut, out)
                batch = []
        if batch:
            count += await _copy(redis, batch, cut, out)
        _line(out, {"end": True, "keys": count})
    os.replace(partial, path)
    return BackupSummary(count, keys.prefix, summary.data_version, summary.created_at)


async def _copy(redis: Redis, batch: list[str], cut: int, out: IO[str]) -> int:
    pipe = redis.pipeline(transaction=False)
    for key in batch:
        pipe.dump(key)
        pipe.pttl(key)  # not PEXPIRETIME: that needs Redis 7
    read_at_ms = _now_ms()
    replies = await pipe.execute()
    copied = 0
    for key, payload, ttl in zip(batch, replies[::2], replies[1::2], strict=True):
        if payload is None or ttl == -2:  # deleted or expired since the SCAN saw it
            continue
        _line(
            out,
            {
                "key": key[cut:],
                "expires_at_ms": read_at_ms + ttl if ttl >= 0 else None,
                "dump": base64.b64encode(payload).decode("ascii"),
            },
        )
        copied += 1
    return copied


def _now_ms() -> int:
    return int(datetime.now(UTC).timestamp() * 1000)


def _line(out: IO[str], record: dict[str, Any]) -> None:
    out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")


def _records(path: Path) -> Iterator[dict[str, Any]]:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            for line in lines:
                yield json.loads(line)
    except (OSError, EOFError, ValueError) as exc:
        raise BackupError(f"{path} is not a readable backup ({exc})") from None


def read_header(path: Path) -> dict[str, Any]:
    header = next(_records(path), None)
    if not header or header.get("format") != FORMAT:
        raise BackupError(f"{path} is not a backup made by `python -m bot backup`")
    if header.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"{path} has backup format {header.get('format_version')!r}")
    return header


async def restore_backup(redis: Redis, keys: Keys, path: Path, *, force: bool) -> BackupSummary:
    """Load ``path`` into ``keys.prefix``: it must be empty, unless ``force``, which first
    deletes what is there (so the prefix then holds exactly the backup)."""
    header = read_header(path)
    _check_complete(path)
    existing = [key async for key in redis.scan_iter(match=keys.pattern, count=1000)]
    if existing and not force:
        raise BackupError(
            f"prefix {keys.prefix!r} already holds keys: restore into an empty prefix "
            "(another REDIS_PREFIX) or pass --force to replace them"
        )
    for start in range(0, len(existing), BATCH):
        await redis.unlink(*existing[start : start + BATCH])
    now_ms = _now_ms()
    restored = 0
    pipe = redis.pipeline(transaction=False)
    for record in _records(path):
        if "key" not in record:
            continue
        expires = record["expires_at_ms"]
        if expires is not None and expires <= now_ms:
            continue  # it would have expired by now
        pipe.restore(
            f"{keys.prefix}:{record['key']}",
            expires or 0,
            base64.b64decode(record["dump"]),
            replace=True,
            absttl=expires is not None,
        )
        restored += 1
        if len(pipe) >= BATCH:
            await pipe.execute()
    await pipe.execute()
    return BackupSummary(
        restored, keys.prefix, header.get("data_version"), str(header.get("created_at"))
    )


def _check_complete(path: Path) -> None:
    seen, trailer = 0, None
    for record in _records(path):
        if "key" in record:
            seen += 1
        elif record.get("end"):
            trailer = record
    if trailer is None or trailer.get("keys") != seen:
        raise BackupError(f"{path} is cut off (no complete trailer): take the backup again")
