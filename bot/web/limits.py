"""How often the web apply form may be used: per client address and per phone number.

Fixed windows in Redis, shared by every web process: the first use opens the window
(``SET NX EX``) and each use counts (``INCR``), both in one MULTI, so no read decides a
write. The address is the TCP peer, unless that peer is one of ``TRUSTED_PROXIES``: then
it is the last address in ``X-Forwarded-For`` that is not a trusted proxy (what the proxy
saw; anything a client wrote into the header before it stays to the left and is ignored).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass

from aiohttp import web
from redis.asyncio import Redis

from jobfeed.keys import Keys

ADDRESS_WINDOW = 3600  # seconds
PHONE_WINDOW = 86_400
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _within(address: str, networks: Sequence[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(request: web.Request, trusted: Sequence[Network]) -> str:
    peer = request.remote or "unknown"
    if not _within(peer, trusted):
        return peer
    hops = [
        hop.strip()
        for header in request.headers.getall("X-Forwarded-For", [])
        for hop in header.split(",")
        if hop.strip()
    ]
    for hop in reversed(hops):
        if not _within(hop, trusted):
            return hop if _within(hop, _ANY) else peer  # not an address: the proxy's
    return peer


_ANY = (ipaddress.ip_network("0.0.0.0/0"), ipaddress.ip_network("::/0"))


@dataclass(frozen=True, slots=True)
class ApplyLimits:
    per_address: int  # form submissions per address per hour
    per_phone: int  # applications (and SMS codes sent) per phone per day
    trusted: tuple[Network, ...] = ()  # reverse proxies whose X-Forwarded-For is believed


class ApplyThrottle:
    def __init__(self, redis: Redis, keys: Keys, limits: ApplyLimits) -> None:
        self._redis = redis
        self._keys = keys
        self.limits = limits

    async def _count(self, key: str, window: int) -> int:
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.set(key, 0, nx=True, ex=window)
            pipe.incr(key)
            _, count = await pipe.execute()
        return int(count)

    async def address_allows(self, address: str) -> bool:
        """Counts one submission from ``address``; False past the limit."""
        count = await self._count(self._keys.web_apply_address(address), ADDRESS_WINDOW)
        return count <= self.limits.per_address

    async def phone_allows(self, applicant: int) -> bool:
        """Counts one application of the phone behind ``applicant``; False past the limit."""
        count = await self._count(self._keys.web_apply_phone(applicant), PHONE_WINDOW)
        return count <= self.limits.per_phone
