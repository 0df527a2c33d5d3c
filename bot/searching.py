"""The search index of the web process: made by its ``search`` resource (bot/resources.py),
kept current by a background job of the web app (``SearchFollower``)."""

from __future__ import annotations

import asyncio
import gc
import logging

from redis.asyncio import Redis
from redis.exceptions import RedisError

from jobfeed.keys import Keys
from jobfeed.periodic import sleep_unless
from jobfeed.places import Places
from jobfeed.search.index import SearchIndex
from jobfeed.search.live import LiveIndex, VacancySource

log = logging.getLogger(__name__)

RETRY_SECONDS = 5.0
PARSE_CACHE = 10_000  # group messages whose parse is remembered (chatter repeats)
FREEZE_FROM = 20_000  # vacancies; below this a full collection costs a few milliseconds


async def open_live_index(
    vacancies: VacancySource, redis: Redis, keys: Keys, places: Places
) -> LiveIndex:
    """A live index, empty until ``SearchFollower`` starts it.

    Loading the lexicon and the pinyin tables takes about a second of CPU: done in a
    thread, it does not hold up whatever else the event loop is doing.
    """
    index = await asyncio.to_thread(_warm_index, places)
    return LiveIndex(vacancies, redis, keys, index)


def _warm_index(places: Places) -> SearchIndex:
    index = SearchIndex(places=places, parse_cache=PARSE_CACHE)
    index.is_job_query("天津电焊工")  # the first query loads the pinyin and OpenCC tables
    return index


class SearchFollower:
    """Background job: load every vacancy, then follow changes until the app stops."""

    def __init__(self, live: LiveIndex) -> None:
        self._live = live

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await self._load()
                break
            except (RedisError, OSError) as exc:
                log.warning("Search index cannot load yet (%s); retrying", exc)
                await self._live.stop()
                await sleep_unless(stop, RETRY_SECONDS)
            except Exception:
                log.exception("Search index failed to load; retrying")
                await self._live.stop()
                await sleep_unless(stop, RETRY_SECONDS)
        try:
            await stop.wait()
        finally:
            await self._live.stop()

    async def _load(self) -> None:
        # 100,000 vacancies make about half a million long-lived objects: each full
        # collection during the load, and after it, would stop the event loop for
        # 0.2-0.3 s. None during the load, and what it loaded is frozen, so later ones skip
        # it (https://docs.python.org/3/library/gc.html#gc.freeze). A load leaves a few
        # dozen objects in reference cycles; frozen with the rest, they are never freed.
        gc.disable()
        try:
            await self._live.start()
        finally:
            gc.enable()
        if len(self._live.index) >= FREEZE_FROM:
            gc.freeze()
