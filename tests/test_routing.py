"""Every filter on every route is async: aiogram runs sync ones in a thread per check."""

from __future__ import annotations

from aiogram import Router

from handlers.filters import Magic
from handlers.routers import get_routers


def walk(router: Router) -> list[str]:
    offenders = []
    for name, observer in router.observers.items():
        for handler in observer.handlers:
            for check in handler.filters or []:
                if not check.awaitable:
                    offenders.append(f"{router.name}.{name}: {handler.callback.__name__}")
        for check in observer._handler.filters or []:
            if not check.awaitable:
                offenders.append(f"{router.name}.{name}: router-level filter")
    for sub in router.sub_routers:
        offenders += walk(sub)
    return offenders


def test_no_filter_runs_in_a_thread() -> None:
    offenders = [o for router in get_routers() for o in walk(router)]
    assert offenders == [], (
        "these handlers use synchronous filters (e.g. a bare F...), which aiogram runs "
        "through asyncio.to_thread on every update; wrap them: Magic(F...) or use the "
        "async filters in handlers/filters.py (InPrivate, InGroup, NotCommand)"
    )


def test_the_walk_sees_a_bare_magic_filter() -> None:
    from aiogram import F  # noqa: PLC0415

    router = Router(name="probe")
    router.message.register(lambda m: None, F.text)
    router.message.register(lambda m: None, Magic(F.text))
    assert walk(router) == ["probe.message: <lambda>"]
