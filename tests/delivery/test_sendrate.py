"""The send rate limit: per process without Redis, shared by every worker with it."""

from __future__ import annotations

import itertools
import secrets

import pytest

from bot.sendrate import LocalSendRate, RedisSendRate, build_send_rate

REDIS_URL = "redis://127.0.0.1:6379/0"


def redis_answers() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:  # noqa: BLE001 - any failure means "no server here"
        return False


needs_redis = pytest.mark.skipif(
    not redis_answers(),
    reason="no Redis server answers on 127.0.0.1:6379 (CI machines run one there)",
)


def test_a_local_limit_lets_a_burst_through_then_spaces_messages() -> None:
    rate = LocalSendRate(5)
    waits = [rate.reserve() for _ in range(10)]
    assert waits[:5] == [0.0] * 5, "one second's worth goes at once"
    assert all(b > a for a, b in itertools.pairwise(waits[4:])), "then one per slot"
    assert waits[-1] == pytest.approx(1.0, abs=0.05), "the 10th waits five intervals of 0.2 s"


def test_zero_turns_the_limit_off() -> None:
    assert isinstance(build_send_rate(0, REDIS_URL), LocalSendRate)
    assert LocalSendRate(0).rate == 0


@needs_redis
async def test_two_workers_share_one_schedule_through_redis() -> None:
    key = f"helpline:test:{secrets.token_hex(6)}"
    workers = [RedisSendRate(REDIS_URL, 5, key=key), RedisSendRate(REDIS_URL, 5, key=key)]
    waits = [await workers[i % 2].reserve() for i in range(10)]
    for worker in workers:
        await worker.close()
    assert waits[:5] == [0.0] * 5
    assert waits[-1] > 0.5, "each worker alone would have let all ten through at once"
    assert waits == sorted(waits), "one schedule, in order"


@needs_redis
async def test_flood_control_pauses_every_worker() -> None:
    key = f"helpline:test:{secrets.token_hex(6)}"
    first, second = RedisSendRate(REDIS_URL, 30, key=key), RedisSendRate(REDIS_URL, 30, key=key)
    await first.pause(3)
    wait = await second.reserve()
    await first.close()
    await second.close()
    assert wait > 2, "a 429 seen by one worker holds the others too"


async def test_an_unreachable_redis_falls_back_to_the_process_schedule() -> None:
    rate = RedisSendRate("redis://127.0.0.1:1/0", 5)
    waits = [await rate.reserve() for _ in range(6)]
    await rate.close()
    assert waits[:5] == [0.0] * 5 and waits[5] > 0, "still paced, never stuck"
