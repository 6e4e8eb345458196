"""Rate limits for the web chat, the admin pages and the webhook; Redis for several workers.

Why: one client could post about 180 requests a second and fill the database, or guess the admin
token at 289 guesses a second. Every limit here counts events in a fixed window under a key that
is an HMAC (a key derived from the state secret) of what is limited: a session token, or a client
address. The address therefore never reaches Redis in the clear, is never stored with a
conversation and never logged, and each key expires with its window.

``Limiter`` is the storage interface; ``MemoryLimiter`` serves one process (and tests),
``RedisLimiter`` is shared by every worker when ``REDIS_URL`` is set. ``RateLimits`` holds the
helpline's policies. A limiter that cannot reach Redis lets the request through and says so in
the log (without the key): a helpline that refuses everyone because Redis is down helps nobody.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
import math
import time
from dataclasses import dataclass, field
from typing import Any, Protocol

from fastapi import Request
from fastapi.responses import JSONResponse

from bot.settings import Settings

__all__ = [
    "ADMIN_MAX_DELAY_SECONDS",
    "Limiter",
    "LimiterKeys",
    "MemoryLimiter",
    "RateLimits",
    "RedisLimiter",
    "client_address",
    "webhook_guard",
]

log = logging.getLogger(__name__)

ADMIN_MAX_DELAY_SECONDS = 900.0
"""The wait after many failed admin logins grows 1, 2, 4, 8 … seconds, up to 15 minutes."""
ADMIN_FAILURE_MEMORY_SECONDS = 3600.0
"""Failed admin logins from one address are remembered this long after the last one."""
MEMORY_SWEEP_EVERY = 1024
MEMORY_MAX_KEYS = 200_000
"""A bound on the memory limiter (many addresses at once); past it, the oldest windows go."""
REDIS_PREFIX = "helpline:rl:"


class Limiter(Protocol):
    """Counts events per key in expiring windows, and holds keys back for a while."""

    async def add(self, key: str, window: float) -> tuple[int, float]:
        """Count one event; return the events in the current window and its seconds left."""

    async def hold(self, key: str, seconds: float) -> None:
        """Refuse ``key`` for ``seconds`` (``held`` answers how long is left)."""

    async def held(self, key: str) -> float:
        """Seconds ``key`` is still held back; 0.0 when it is not."""

    async def clear(self, key: str) -> None:
        """Forget a key's count and hold."""

    async def close(self) -> None:
        """Release connections."""


@dataclass
class MemoryLimiter:
    """Windows in a dict of one process: the default, and the tests' double."""

    clock: Any = time.monotonic
    windows: dict[str, tuple[int, float]] = field(default_factory=dict)
    holds: dict[str, float] = field(default_factory=dict)
    calls: int = 0

    def _sweep(self, now: float) -> None:
        self.calls += 1
        if self.calls % MEMORY_SWEEP_EVERY and len(self.windows) < MEMORY_MAX_KEYS:
            return
        self.windows = {k: v for k, v in self.windows.items() if v[1] > now}
        self.holds = {k: v for k, v in self.holds.items() if v > now}
        while len(self.windows) >= MEMORY_MAX_KEYS:
            del self.windows[next(iter(self.windows))]

    async def add(self, key: str, window: float) -> tuple[int, float]:
        """Count one event in ``key``'s window (a new window when the last one ended)."""
        now = self.clock()
        self._sweep(now)
        count, ends = self.windows.get(key, (0, 0.0))
        if ends <= now:
            count, ends = 0, now + window
        self.windows[key] = (count + 1, ends)
        return count + 1, ends - now

    async def hold(self, key: str, seconds: float) -> None:
        """Hold ``key`` back until ``seconds`` from now."""
        self.holds[key] = self.clock() + seconds

    async def held(self, key: str) -> float:
        """Seconds left of ``key``'s hold."""
        left = self.holds.get(key, 0.0) - self.clock()
        return left if left > 0 else 0.0

    async def clear(self, key: str) -> None:
        """Forget ``key``."""
        self.windows.pop(key, None)
        self.holds.pop(key, None)

    async def close(self) -> None:
        """Nothing to release."""


_ADD_SCRIPT = """
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {n, ttl}
"""


class RedisLimiter:
    """The same windows in Redis, shared by every worker: ``INCR`` and ``PEXPIRE`` in one script."""

    def __init__(self, url: str) -> None:
        from redis.asyncio import Redis

        self.redis: Any = Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.script: Any = self.redis.register_script(_ADD_SCRIPT)

    async def add(self, key: str, window: float) -> tuple[int, float]:
        """Count one event; a Redis failure counts as the first event (the request goes on)."""
        try:
            count, ttl = await self.script(keys=[REDIS_PREFIX + key], args=[_ms(window)])
        except Exception as exc:  # noqa: BLE001 - fail open: see the module docstring
            log.warning("rate limit store unreachable (%s); not limiting", type(exc).__name__)
            return 1, window
        return int(count), int(ttl) / 1000

    async def hold(self, key: str, seconds: float) -> None:
        """``SET key 1 PX seconds``."""
        try:
            await self.redis.set(REDIS_PREFIX + "hold:" + key, b"1", px=_ms(seconds))
        except Exception as exc:  # noqa: BLE001 - fail open
            log.warning("rate limit store unreachable (%s); not holding", type(exc).__name__)

    async def held(self, key: str) -> float:
        """``PTTL`` of the hold key."""
        try:
            ttl = int(await self.redis.pttl(REDIS_PREFIX + "hold:" + key))
        except Exception as exc:  # noqa: BLE001 - fail open
            log.warning("rate limit store unreachable (%s); not limiting", type(exc).__name__)
            return 0.0
        return ttl / 1000 if ttl > 0 else 0.0

    async def clear(self, key: str) -> None:
        """Delete the window and the hold."""
        try:
            await self.redis.delete(REDIS_PREFIX + key, REDIS_PREFIX + "hold:" + key)
        except Exception as exc:  # noqa: BLE001 - the window expires on its own
            log.warning("rate limit store unreachable (%s)", type(exc).__name__)

    async def close(self) -> None:
        """Close the connection pool."""
        await self.redis.aclose()


def _ms(seconds: float) -> int:
    return max(1, math.ceil(seconds * 1000))


@dataclass(frozen=True)
class LimiterKeys:
    """Turns what is limited (a session token, an address) into an opaque, expiring key."""

    secret: bytes

    @classmethod
    def derived_from(cls, state_secret: bytes) -> LimiterKeys:
        """A key of its own, so a limiter key can never be compared with a conversation key."""
        return cls(hmac.new(state_secret, b"helpline rate-limit keys v1", hashlib.sha256).digest())

    def key(self, kind: str, value: str) -> str:
        """``kind:`` and 32 hex digits of HMAC-SHA256(secret, value)."""
        digest = hmac.new(self.secret, value.encode("utf-8", "replace"), hashlib.sha256)
        return f"{kind}:{digest.hexdigest()[:32]}"


def client_address(request: Request) -> str:
    """The client's address as the server sees it; IPv6 as its /64 (one household, one key).

    Used only to form a limiter key in memory: never stored, never logged.
    """
    host = request.client.host if request.client else ""
    if ":" not in host:  # IPv4 as the socket gives it (already canonical), or not an address:
        return host or "unknown"  # the same answer as below, without parsing it on every request
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host or "unknown"
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


@dataclass
class RateLimits:
    """The helpline's limits over one ``Limiter``; every method returns seconds to wait (0: go)."""

    store: Limiter
    keys: LimiterKeys
    web_session_per_minute: int = 40
    web_address_per_minute: int = 600
    admin_address_per_minute: int = 60
    webhook_failures_per_hour: int = 20

    @classmethod
    def from_settings(cls, settings: Settings, state_secret: bytes) -> RateLimits:
        """Redis when ``REDIS_URL`` is set, memory otherwise."""
        store: Limiter = RedisLimiter(settings.redis_url) if settings.redis_url else MemoryLimiter()
        return cls(
            store,
            LimiterKeys.derived_from(state_secret),
            web_session_per_minute=settings.web_session_turns_per_minute,
            web_address_per_minute=settings.web_address_requests_per_minute,
            admin_address_per_minute=settings.admin_address_requests_per_minute,
            webhook_failures_per_hour=settings.webhook_secret_failures_per_hour,
        )

    async def _over(self, kind: str, value: str, limit: int, window: float) -> float:
        count, left = await self.store.add(self.keys.key(kind, value), window)
        return max(left, 1.0) if count > limit else 0.0

    async def web(self, session: str | None, address: str) -> float:
        """A web chat request: per client address and, when it has one, per session."""
        wait = await self._over("web-addr", address, self.web_address_per_minute, 60)
        if session is not None:
            limit = self.web_session_per_minute
            wait = max(wait, await self._over("web-session", session, limit, 60))
        return wait

    async def admin_attempt(self, address: str) -> float:
        """An admin request: refused while this address waits after failures, or when too fast."""
        held = await self.store.held(self.keys.key("admin-fail", address))
        if held:
            return held
        return await self._over("admin-addr", address, self.admin_address_per_minute, 60)

    async def admin_failed(self, address: str) -> float:
        """A wrong admin token: the address waits 1, 2, 4 … seconds (up to 15 minutes)."""
        key = self.keys.key("admin-fail", address)
        failures, _ = await self.store.add(key, ADMIN_FAILURE_MEMORY_SECONDS)
        delay = min(ADMIN_MAX_DELAY_SECONDS, 2.0 ** (failures - 1))
        await self.store.hold(key, delay)
        return delay

    async def admin_succeeded(self, address: str) -> None:
        """The right token: earlier failures from this address are forgotten."""
        await self.store.clear(self.keys.key("admin-fail", address))

    async def webhook_attempt(self, address: str) -> float:
        """A webhook call: refused while its address is held back after too many wrong secrets."""
        return await self.store.held(self.keys.key("hook-fail", address))

    async def webhook_failed(self, address: str) -> int:
        """A wrong webhook secret, counted per address; past the limit the address is held back."""
        key = self.keys.key("hook-fail", address)
        failures, left = await self.store.add(key, 3600)
        if failures >= self.webhook_failures_per_hour:
            await self.store.hold(key, left)
        return failures

    async def close(self) -> None:
        """Release the store."""
        await self.store.close()


async def webhook_guard(
    request: Request, limits: RateLimits | None, expected: str
) -> JSONResponse | None:
    """Check the webhook's secret header; ``None`` lets the update in.

    Wrong secrets are counted per client address (``WEBHOOK_SECRET_FAILURES_PER_HOUR``); past
    the limit that address gets 429 for the rest of the hour, right secret or not, so guessing
    learns nothing. Telegram retries refused deliveries, so an update is late, not lost.
    """
    address = client_address(request)
    if limits is not None and (wait := await limits.webhook_attempt(address)):
        return JSONResponse(
            {"error": "too many wrong secrets; try later"},
            status_code=429,
            headers={"Retry-After": str(max(1, math.ceil(wait)))},
        )
    header = request.headers.get("x-telegram-bot-api-secret-token") or ""
    if hmac.compare_digest(header.encode(), expected.encode()):
        return None
    failures = await limits.webhook_failed(address) if limits is not None else 0
    log.warning("webhook call with a wrong or missing secret refused (%d from there)", failures)
    return JSONResponse({"error": "wrong secret token"}, status_code=403)
