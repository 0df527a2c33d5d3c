"""The welcome schedule, the FAQ matcher and the moderation policy, with the clock injected."""

from __future__ import annotations

from redis.asyncio import Redis

from jobfeed.groupcare.faq import FaqEntry, FaqMatcher
from jobfeed.groupcare.moderation import Penalty, penalty_for
from jobfeed.groupcare.settings import Policy
from jobfeed.groupcare.welcome import Newcomer, Welcomes
from jobfeed.keys import Keys

GROUP = -100900


async def test_a_welcome_waits_an_interval_after_the_last_and_names_everyone_since(
    redis: Redis, keys: Keys
) -> None:
    welcomes = Welcomes(redis, keys, interval=300)
    assert await welcomes.arrived(GROUP, [Newcomer(1, "甲")], now=1000) == 1000
    assert await welcomes.due(1000) == [GROUP]
    first = await welcomes.claim(GROUP)
    assert first is not None and [p.name for p in first.newcomers] == ["甲"]
    assert await welcomes.claim(GROUP) is None  # taken once
    await welcomes.sent(GROUP, 55, now=1000)

    assert await welcomes.arrived(GROUP, [Newcomer(2, "乙")], now=1010) == 1300
    await welcomes.arrived(GROUP, [Newcomer(3, "丙"), Newcomer(2, "乙")], now=1100)
    assert await welcomes.due(1299) == []
    assert await welcomes.due(1300) == [GROUP]
    second = await welcomes.claim(GROUP)
    assert second is not None
    assert [p.name for p in second.newcomers] == ["乙", "丙"]  # once each
    assert second.previous == 55  # to delete


def test_the_faq_matcher_stays_quiet_when_unsure() -> None:
    matcher = FaqMatcher(
        [
            FaqEntry(id=1, questions=["包吃住吗"], keywords=["包吃住"], answer="a"),
            FaqEntry(id=2, questions=["怎么报名"], keywords=["报名"], answer="b"),
            FaqEntry(id=3, questions=["本群规则是什么"], answer="c", group=GROUP),
        ]
    )
    assert (m := matcher.match("包吃主吗？")) is not None and m.entry.id == 1
    assert (m := matcher.match("怎麼報名")) is not None and m.entry.id == 2
    assert matcher.match("我要报名") is None  # not a question
    assert matcher.match("工资多少？") is None  # no entry fits
    assert matcher.match("本群规则是什么？") is None  # another group's entry
    assert (m := matcher.match("本群规则是什么？", GROUP)) is not None and m.entry.id == 3


def test_warned_once_then_the_groups_policy() -> None:
    assert penalty_for(Policy.mute, 1) is Penalty.warned
    assert penalty_for(Policy.mute, 2) is Penalty.muted
    assert penalty_for(Policy.ban, 3) is Penalty.banned
    assert penalty_for(Policy.warn, 5) is Penalty.warned
    assert penalty_for(Policy.off, 1) is Penalty.none
