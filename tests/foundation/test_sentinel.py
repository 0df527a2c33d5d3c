"""Redis that survives losing a node: a primary, a replica and three sentinels, started
here on free ports; the primary is SIGKILLed while the service works.

The service runs as deployed (``REDIS_SENTINELS``, ``REDIS_WAIT_REPLICAS=1``) in webhook
mode against the Bot API simulator: groups join through the webhook across the kill, a
broadcast to 600 groups is under way when it happens, and an applicant was told 报名成功
just before it. Afterwards every update Telegram got a 200 for is handled, the broadcast
reached each group exactly once (duplicates at most the sends in flight), the confirmed
application is on the promoted replica, and a new applicant can apply from scratch.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from pathlib import Path
from typing import Any

import pytest
from aiohttp import ClientError, ClientSession
from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot.app import WEBHOOK_PATH
from bot.broadcasting import run_here
from bot.config import SettingsError, load_settings
from bot.storage import sentinel_target
from bot.telegram.intake import SECRET_HEADER
from jobfeed.broadcast.models import Target
from jobfeed.keys import Keys
from jobfeed.models import Group
from jobfeed.replication import ReplicaWait
from tests.faketime import real_clock_environment
from tests.foundation.test_config import GOOD_TOKEN, run_bot
from tests.handlers.resume_chat import RECRUITER_ID, VACANCY_ID, Chat, vacancy
from tests.harness import TEST_TOKEN, System, join, running_system
from tests.redis_server import RedisServer, free_port, redis_server_binary

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
MASTER = "zp-primary"
SECRET = "sentinel-secret_42"
MATRIX = 600  # groups the broadcast targets
JOINS = 120  # groups joining through the webhook while the primary dies
IN_FLIGHT = 16  # the broadcast worker's concurrency: the bound on duplicates


def _has_redis_server() -> bool:
    try:
        return Path(redis_server_binary()).exists()
    except ImportError:
        return shutil.which("redis-server") is not None


needs_redis_server = pytest.mark.skipif(
    not _has_redis_server(), reason="no redis-server binary to start a primary and sentinels"
)


class SentinelServer:
    """``redis-server sentinel.conf --sentinel``, watching ``MASTER``."""

    def __init__(self, directory: Path, primary_port: int) -> None:
        self.port = free_port()
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        self.conf = directory / "sentinel.conf"
        self.conf.write_text(
            f"port {self.port}\nbind 127.0.0.1\ndir {directory}\n"
            f"sentinel monitor {MASTER} 127.0.0.1 {primary_port} 2\n"
            f"sentinel down-after-milliseconds {MASTER} 1000\n"
            f"sentinel failover-timeout {MASTER} 10000\n"
            f"sentinel parallel-syncs {MASTER} 1\n",
            encoding="utf-8",
        )
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        self.process = await asyncio.create_subprocess_exec(
            redis_server_binary(),
            str(self.conf),
            "--sentinel",
            stdout=subprocess.DEVNULL,
            env=real_clock_environment(),
        )

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.kill()
            await self.process.wait()


async def _until(what: str, check: Any, within: float) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while True:
        with suppress(RedisError, OSError):
            if await check():
                return
        if loop.time() > deadline:
            raise AssertionError(f"{what}: not within {within:.0f} s")
        await asyncio.sleep(0.1)


@asynccontextmanager
async def sentinel_cluster(
    tmp_path: Path,
) -> AsyncIterator[tuple[RedisServer, RedisServer, list[SentinelServer]]]:
    # No 5 s pause before the replica's first sync (Redis 7's default delay).
    primary = RedisServer(tmp_path / "primary", **{"repl-diskless-sync-delay": "0"})
    replica = RedisServer(tmp_path / "replica")
    for server in (primary, replica):
        server.directory.mkdir()
    sentinels = [SentinelServer(tmp_path / f"sentinel{n}", primary.port) for n in range(3)]
    clients: list[Redis] = []
    try:
        await primary.start()
        await replica.start()
        replica_client = Redis(port=replica.port, decode_responses=True)
        clients.append(replica_client)
        await replica_client.replicaof("127.0.0.1", primary.port)

        async def linked() -> bool:
            info = await replica_client.info("replication")
            return info.get("master_link_status") == "up"

        await _until("the replica follows the primary", linked, 10)
        for sentinel in sentinels:
            await sentinel.start()
        for sentinel in sentinels:
            client = Redis(port=sentinel.port, decode_responses=True)
            clients.append(client)

            async def ready(client: Redis = client) -> bool:
                state = (await client.sentinel_masters())[MASTER]
                return bool(state["num-other-sentinels"] == 2 and state["num-slaves"] == 1)

            await _until("the sentinels know each other and the replica", ready, 15)
        yield primary, replica, sentinels
    finally:
        for client in clients:
            await client.aclose()
        for sentinel in sentinels:
            await sentinel.stop()
        await replica.kill()
        await primary.kill()


class Joins:
    """Groups adding the bot, posted to the webhook as Telegram does (again until 200)."""

    def __init__(self, system: System) -> None:
        self.url = system.base_url + WEBHOOK_PATH
        self.accepted: dict[int, float] = {}  # chat id: when the webhook answered 200

    async def run(self, count: int) -> None:
        loop = asyncio.get_running_loop()
        async with ClientSession() as http:
            for n in range(count):
                chat_id = -1009500000 - n
                body = join(70_000 + n, chat_id)
                for _ in range(600):
                    try:
                        async with http.post(
                            self.url, json=body, headers={SECRET_HEADER: SECRET}
                        ) as resp:
                            if resp.status == 200:
                                self.accepted[chat_id] = loop.time()
                                break
                    except ClientError:
                        pass
                    await asyncio.sleep(0.05)
                else:
                    raise AssertionError(f"the join of {chat_id} was never accepted")
                await asyncio.sleep(0.02)


def matrix() -> list[Group]:
    lines = (SAMPLES / "groups.jsonl").read_text(encoding="utf-8").splitlines()[:MATRIX]
    return [Group.model_validate_json(line) for line in lines]


async def apply(system: System, user_id: int) -> str:
    chat = Chat(system, user_id)
    await chat.say(f"/start apply_{VACANCY_ID}")
    await chat.press("同意")
    await chat.fill_resume()
    return await chat.press("确认提交")


@needs_redis_server
async def test_the_service_carries_on_when_the_primary_is_killed(
    tmp_path: Path, keys: Keys
) -> None:
    async with sentinel_cluster(tmp_path) as (primary, replica, sentinels):
        where = ",".join(f"127.0.0.1:{s.port}" for s in sentinels)
        async with running_system(
            keys,
            "",
            webhook_secret=SECRET,
            redis_sentinels=where,
            redis_sentinel_master=MASTER,
            redis_wait_replicas=1,
            global_rate=250,
        ) as system:
            services = system.services
            wait = services.inbox.replica_wait  # the process's one, shared by what confirms
            assert wait is not None and services.applications.replica_wait is wait
            groups = matrix()
            for group in groups:
                system.sim.add_chat(group.chat_id, title=group.title)
            await services.groups.upsert_many(groups)
            await services.vacancies.save(vacancy())
            system.sim.add_user(RECRUITER_ID)

            # Confirmed before the failover: an application, told to its applicant.
            assert "报名成功" in await apply(system, 620001)
            (before,) = await services.applications.for_applicant(620001)

            plan = await services.planner.create([VACANCY_ID], Target())
            broadcast = asyncio.create_task(
                run_here(
                    system.crew(),
                    [plan.id],
                    concurrency=IN_FLIGHT,
                    poll=0.05,
                    heartbeat=0.2,
                )
            )
            joins = Joins(system)
            joining = asyncio.create_task(joins.run(JOINS))
            chats = {g.chat_id for g in groups}

            def delivered() -> int:
                return sum(1 for m in system.sim.sent if m.chat_id in chats)

            await _until(
                "a third of the broadcast is out", _async(lambda: delivered() > MATRIX // 3), 20
            )
            assert wait.fell_short == 0  # until now every confirmed write reached the replica
            joined_before_kill = set(joins.accepted)
            assert 0 < len(joined_before_kill) < JOINS and not broadcast.done()

            probing = asyncio.create_task(probe(services.redis, keys, 8, seconds=5))
            await primary.kill()
            watcher = Redis(port=sentinels[0].port, decode_responses=True)
            try:

                async def promoted() -> bool:
                    address = await watcher.sentinel_get_master_addr_by_name(MASTER)
                    return bool(address and int(address[1]) == replica.port)

                await _until("Sentinel promotes the replica", promoted, 30)
            finally:
                await watcher.aclose()

            # Pipelines through the failover wait for the new primary instead of failing
            # (what redis-py 8.1 alone does: redis/redis-py#3874, see bot.storage).
            assert await probing == []
            (progress,) = await asyncio.wait_for(broadcast, 40)
            await asyncio.wait_for(joining, 40)
            await system.settle(within=30)

            # A broadcast finishes, exactly once per group but for the sends in flight.
            sends = Counter(m.chat_id for m in system.sim.sent if m.chat_id in chats)
            assert progress.delivered == MATRIX and progress.finished_at is not None
            assert set(sends) == chats
            duplicates = sum(sends.values()) - MATRIX
            assert duplicates <= IN_FLIGHT

            # Every update that got its 200 was handled, before the kill or after it.
            joined = {g.chat_id for g in await services.groups.all() if g.chat_id not in chats}
            assert joined_before_kill <= joined
            assert joined == set(joins.accepted) and len(joined) == JOINS

            # What was confirmed before the failover is there after it.
            (after,) = await services.applications.for_applicant(620001)
            assert after.number == before.number and after.resume == before.resume

            # And the whole conversation works on the promoted replica.
            assert "报名成功" in await apply(system, 620002)
            (fresh,) = await services.applications.for_applicant(620002)
            assert fresh.number > before.number
            info = await services.redis.info("server")
            assert int(info["tcp_port"]) == replica.port
            await reconnects_to_the_new_primary(services.redis, primary.port)


async def reconnects_to_the_new_primary(redis: Redis, old_port: int) -> None:
    """A pooled connection closed while the primary moved reconnects where the sentinels
    say, on every path (a pipeline's resend goes through ``send_packed_command``, which
    in redis-py 8.1 alone dials the old address again until its retries run out)."""
    pool = redis.connection_pool
    connection = await pool.get_connection()
    try:
        await connection.disconnect()
        connection.port = old_port  # where it was connected before the failover
        await asyncio.wait_for(connection.send_command("PING"), 5)
        assert await connection.read_response() in ("PONG", b"PONG")
        assert connection.port != old_port
    finally:
        await pool.release(connection)


async def probe(redis: Redis, keys: Keys, tasks: int, *, seconds: float) -> list[str]:
    """Pipelines sent without a pause for ``seconds``; the errors that reached the caller."""
    errors: list[str] = []
    loop = asyncio.get_running_loop()
    end = loop.time() + seconds

    async def one(n: int) -> None:
        key = f"{keys.prefix}:probe:{n}"
        while loop.time() < end:
            try:
                async with redis.pipeline(transaction=True) as pipe:
                    pipe.incr(key)
                    pipe.expire(key, 60)
                    await pipe.execute()
            except RedisError as exc:
                errors.append(f"{type(exc).__name__}: {exc}")
            await asyncio.sleep(0.02)

    await asyncio.gather(*(one(n) for n in range(tasks)))
    return errors


def _async(check: Any) -> Any:
    async def call() -> bool:
        return bool(check())

    return call


def test_bad_sentinel_settings_are_one_line() -> None:
    cases = {
        "127.0.0.1": "setting REDIS_SENTINELS: '127.0.0.1' is not host:port",
        "h:70000": "setting REDIS_SENTINELS: 'h:70000' is not host:port",
    }
    for value, message in cases.items():
        with pytest.raises(SettingsError, match=message):
            load_settings(
                bot_token=TEST_TOKEN,
                redis_sentinels=value,
                redis_sentinel_master="m",
                _env_file=None,
            )
    with pytest.raises(SettingsError, match="go together"):
        load_settings(bot_token=TEST_TOKEN, redis_sentinels="h:1", _env_file=None)
    with pytest.raises(SettingsError, match="not both"):
        load_settings(
            bot_token=TEST_TOKEN,
            redis_sentinels="h:1",
            redis_sentinel_master="m",
            redis_url="redis://h:6379/0",
            _env_file=None,
        )
    settings = load_settings(
        bot_token=TEST_TOKEN,
        redis_sentinels="10.0.0.1:26379, 10.0.0.2:26380",
        redis_sentinel_master="zp",
        redis_sentinel_password="s3cret",
        redis_url=None,
        _env_file=None,
    )
    target = sentinel_target(settings)
    assert target is not None and target.sentinels == (("10.0.0.1", 26379), ("10.0.0.2", 26380))
    assert "s3cret" not in str(target) and "s3cret" not in repr(target)


def test_a_bad_sentinel_setting_ends_the_program_with_one_line(tmp_path: Path) -> None:
    result = run_bot({"BOT_TOKEN": GOOD_TOKEN, "REDIS_SENTINELS": "redis-a,redis-b"}, tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "error: setting REDIS_SENTINELS: 'redis-a' is not host:port "
        "(use 10.0.0.1:26379,10.0.0.2:26379)"
    ]


async def test_a_write_no_replica_acknowledges_stands_on_the_primary(
    redis: Redis, keys: Keys
) -> None:
    """The shared test Redis has no replica: the first wait falls short after its timeout,
    the next writes within ``recheck`` do not wait, and after it they wait again."""
    if int((await redis.info("replication")).get("connected_slaves", 0)):
        pytest.skip("this Redis has replicas")
    now = [0.0]
    wait = ReplicaWait(replicas=1, timeout_ms=50, recheck=5.0, clock=lambda: now[0])
    script = redis.register_script("return redis.call('INCR', KEYS[1])")
    key = f"{keys.prefix}:wait"
    assert await wait.run(redis, script, [key], []) == 1
    assert wait.fell_short == 1
    assert await wait.run(redis, script, [key], []) == 2
    assert wait.fell_short == 1  # skipped: no second timeout within recheck
    now[0] = 6.0
    assert await wait.run(redis, script, [key], []) == 3
    assert wait.fell_short == 2
    assert await ReplicaWait(replicas=0).run(redis, script, [key], []) == 4
