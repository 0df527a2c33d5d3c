"""The group registry through real updates: join, leave, migrate, tag in chat, import."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from redis.asyncio import Redis

from jobfeed.groups import GroupRepository
from jobfeed.keys import Keys
from jobfeed.models import Group, GroupKind
from tests.conftest import redis_url
from tests.harness import ADMIN_ID, TEST_TOKEN, System

ROOT = Path(__file__).resolve().parents[2]


async def test_bot_added_and_removed(system: System) -> None:
    system.sim.bot_added(-1001, by_user_id=ADMIN_ID, title="包头铝工群")
    await system.settle()
    group = await system.services.groups.get(-1001)
    assert group is not None and group.active and group.title == "包头铝工群"

    system.sim.bot_removed(-1001, status="kicked")
    await system.settle()
    group = await system.services.groups.get(-1001)
    assert group is not None and not group.active and group.inactive_reason == "kicked"

    system.sim.bot_added(-1001, by_user_id=ADMIN_ID, title="包头铝工群")
    await system.settle()
    group = await system.services.groups.get(-1001)
    assert group is not None and group.active


async def test_migrated_group_keeps_tags_under_new_id(system: System) -> None:
    system.sim.bot_added(-5001, by_user_id=ADMIN_ID, title="烟台厨师群", type="group")
    await system.settle()
    system.sim.user_message(-5001, ADMIN_ID, "/tag city=烟台 province=山东 industries=餐饮")
    await system.settle()
    system.sim.migrate(-5001, -1005001)
    await system.settle()

    assert await system.services.groups.get(-5001) is None
    group = await system.services.groups.get(-1005001)
    assert group is not None and group.city == "烟台" and group.industries == ["餐饮"]
    assert await system.services.groups.migrated_to(-5001) == -1005001
    assert await system.services.groups.count() == 1


async def test_admin_tags_group_in_chat_and_others_cannot(system: System) -> None:
    system.sim.bot_added(-1002, by_user_id=ADMIN_ID, title="天津社群")
    await system.settle()
    system.sim.user_message(-1002, 424242, "/tag city=北京")
    system.sim.user_message(
        -1002, ADMIN_ID, "/tag kind=recruitment city=天津 industries=建筑,铝业"
    )
    system.sim.user_message(-1002, ADMIN_ID, "/tag city")
    await system.settle()
    group = await system.services.groups.get(-1002)
    assert group is not None
    assert group.kind is GroupKind.recruitment and group.city == "天津"
    assert group.industries == ["建筑", "铝业"]
    replies = [m.text or "" for m in system.sim.messages_in(-1002)]
    assert "管理员" in replies[0]
    assert "已更新" in replies[1] and "建筑、铝业" in replies[1]
    assert "格式不对" in replies[2]


async def test_import_groups_cli_reports_bad_rows(
    tmp_path: Path, keys: Keys, redis: Redis
) -> None:
    good = (ROOT / "samples" / "groups.jsonl").read_text(encoding="utf-8").splitlines()[:20]
    bad = ['{"chat_id": "abc", "title": "x"}', "{not json", '{"chat_id": 1, "kind": "farm"}']
    path = tmp_path / "groups.jsonl"
    path.write_text("\n".join(good[:10] + bad + good[10:]) + "\n", encoding="utf-8")
    env = {
        "BOT_TOKEN": TEST_TOKEN, "REDIS_URL": redis_url(), "REDIS_PREFIX": keys.prefix,
        "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT),
    }  # fmt: skip
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "import", "groups", str(path),
        env=env, cwd=tmp_path, stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    stdout, _ = await process.communicate()
    output = stdout.decode()
    assert process.returncode == 1  # some rows were rejected
    assert "imported 20 groups, rejected 3" in output
    assert "line 11: chat_id" in output
    assert "line 12: not JSON" in output
    assert "line 13: kind" in output
    repository = GroupRepository(redis, keys)
    assert await repository.count() == 20
    first = Group.model_validate_json(good[0])
    assert await repository.get(first.chat_id) == first.model_copy(
        update={"updated_at": (await repository.get(first.chat_id)).updated_at}  # type: ignore[union-attr]
    )
