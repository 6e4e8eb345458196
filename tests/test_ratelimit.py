"""The rate limiter's two stores behave alike; keys are hashes that expire; Redis down lets
people through. Redis tests skip, saying why, where no server answers on 127.0.0.1:6379."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator

import pytest

from bot.ratelimit import Limiter, LimiterKeys, MemoryLimiter, RateLimits, RedisLimiter

REDIS = "redis://127.0.0.1:6379/15"


def redis_answers() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS, socket_connect_timeout=2).ping())
    except Exception:  # noqa: BLE001 - any failure means "not here"
        return False


@pytest.fixture(params=["memory", "redis"])
async def store(request: pytest.FixtureRequest) -> AsyncIterator[Limiter]:
    if request.param == "memory":
        yield MemoryLimiter()
        return
    if not redis_answers():
        pytest.skip("no Redis server answers on 127.0.0.1:6379 (REDIS_URL tests need one)")
    limiter = RedisLimiter(REDIS)
    yield limiter
    await limiter.close()


async def test_a_window_counts_and_a_hold_holds(store: Limiter) -> None:
    key = "test:" + secrets.token_hex(8)
    counts = [(await store.add(key, 60))[0] for _ in range(5)]
    assert counts == [1, 2, 3, 4, 5]
    _, left = await store.add(key, 60)
    assert 0 < left <= 60
    assert await store.held(key) == 0.0
    await store.hold(key, 30)
    assert 0 < await store.held(key) <= 30
    await store.clear(key)
    assert await store.held(key) == 0.0
    assert (await store.add(key, 60))[0] == 1


async def test_the_web_limit_is_per_session_and_per_address(store: Limiter) -> None:
    limits = RateLimits(
        store,
        LimiterKeys(secrets.token_bytes(32)),
        web_session_per_minute=3,
        web_address_per_minute=5,
    )
    assert [await limits.web("session-a", "192.0.2.1") for _ in range(3)] == [0.0] * 3
    assert await limits.web("session-a", "192.0.2.1") > 0, "the session's fourth turn waits"
    assert await limits.web("session-b", "192.0.2.1") == 0.0, "another session goes on"
    assert await limits.web(None, "192.0.2.1") > 0, "but the address has had its five"
    assert await limits.web(None, "198.51.100.7") == 0.0


async def test_redis_keys_are_hashes_that_expire() -> None:
    if not redis_answers():
        pytest.skip("no Redis server answers on 127.0.0.1:6379 (REDIS_URL tests need one)")
    import redis

    store = RedisLimiter(REDIS)
    limits = RateLimits(store, LimiterKeys(secrets.token_bytes(32)))
    address = "203.0.113.77"
    await limits.web("a-session-token-value", address)
    await limits.admin_failed(address)
    await store.close()
    client = redis.Redis.from_url(REDIS)
    keys = [k.decode() for k in client.keys("helpline:rl:*")]
    assert keys
    assert not any(address in k or "a-session-token-value" in k for k in keys)
    assert all(client.pttl(k) > 0 for k in keys), "every key expires"


async def test_an_unreachable_redis_lets_people_through(caplog: pytest.LogCaptureFixture) -> None:
    store = RedisLimiter("redis://127.0.0.1:1/0")
    limits = RateLimits(store, LimiterKeys(b"k" * 32), web_session_per_minute=1)
    waits = [await limits.web("s", "192.0.2.1") for _ in range(3)]
    await store.close()
    assert waits == [0.0, 0.0, 0.0]
    assert "rate limit store unreachable" in caplog.text and "192.0.2.1" not in caplog.text


async def test_wrong_admin_tokens_double_the_wait() -> None:
    now = [0.0]
    limits = RateLimits(MemoryLimiter(clock=lambda: now[0]), LimiterKeys(b"k" * 32))
    delays = []
    for _ in range(12):
        delays.append(await limits.admin_failed("192.0.2.9"))
        assert await limits.admin_attempt("192.0.2.9") > 0
        now[0] += delays[-1] + 0.01
    assert delays == [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900]
    assert await limits.admin_attempt("192.0.2.9") == 0.0
    await limits.admin_succeeded("192.0.2.9")
    assert await limits.admin_failed("192.0.2.9") == 1
