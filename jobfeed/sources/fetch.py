"""Getting a source's bytes, only when they changed: HTTP with ETag / If-Modified-Since
(a 304 means "nothing new"), or a local file compared by modification time and size.

The one module of the domain that talks HTTP (an aiohttp client, never a server).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

import aiohttp

from jobfeed.sources.records import SourceError

MAX_BYTES = 64 * 1024 * 1024
USER_AGENT = "zhaopin-assistant-feed/1 (+conditional GET)"


@dataclass(frozen=True, slots=True)
class Validators:
    """What the last successful fetch said about the content's version."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True, slots=True)
class Fetched:
    body: bytes | None  # None: not modified since ``validators``
    validators: Validators


class Fetcher:
    def __init__(self, session: aiohttp.ClientSession | None = None) -> None:
        self._session = session
        self._own = session is None

    async def fetch(self, url: str, since: Validators, time_limit: float) -> Fetched:
        if url.startswith(("http://", "https://")):
            return await self._http(url, since, time_limit)
        return await asyncio.to_thread(_read_file, _path_of(url), since)

    async def close(self) -> None:
        if self._own and self._session is not None:
            await self._session.close()
            self._session = None

    async def _http(self, url: str, since: Validators, time_limit: float) -> Fetched:
        if self._session is None:
            self._session = aiohttp.ClientSession(headers={"User-Agent": USER_AGENT})
        headers = {}
        if since.etag:
            headers["If-None-Match"] = since.etag
        if since.last_modified:
            headers["If-Modified-Since"] = since.last_modified
        try:
            async with self._session.get(
                url, headers=headers, timeout=aiohttp.ClientTimeout(total=time_limit)
            ) as response:
                if response.status == 304:
                    return Fetched(None, since)
                if response.status != 200:
                    raise SourceError(f"HTTP {response.status} {response.reason or ''}".strip())
                body = await _read_capped(response)
                found = Validators(
                    response.headers.get("ETag"), response.headers.get("Last-Modified")
                )
                return Fetched(body, found)
        except TimeoutError:
            raise SourceError(f"timed out after {time_limit:g} s") from None
        except aiohttp.ClientError as exc:
            raise SourceError(f"{type(exc).__name__}: {exc}") from None


async def _read_capped(response: aiohttp.ClientResponse) -> bytes:
    chunks, size = [], 0
    async for chunk in response.content.iter_chunked(1 << 16):
        size += len(chunk)
        if size > MAX_BYTES:
            raise SourceError(f"response larger than {MAX_BYTES // (1024 * 1024)} MB")
        chunks.append(chunk)
    return b"".join(chunks)


def _path_of(url: str) -> Path:
    if url.startswith("file://"):
        return Path(unquote(urlparse(url).path))
    return Path(url)


def _read_file(path: Path, since: Validators) -> Fetched:
    try:
        stat = path.stat()
        version = f"{stat.st_mtime_ns}:{stat.st_size}"
        if version == since.last_modified:
            return Fetched(None, since)
        if stat.st_size > MAX_BYTES:
            raise SourceError(f"file larger than {MAX_BYTES // (1024 * 1024)} MB")
        return Fetched(path.read_bytes(), Validators(None, version))
    except OSError as exc:
        raise SourceError(f"cannot read {path}: {exc.strerror or exc}") from None
