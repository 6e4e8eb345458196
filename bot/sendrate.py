"""Telegram's overall send limit (about 30 messages a second for a bot), real on several workers.

``TELEGRAM_RATE_LIMIT`` messages per second overall (``0``: no limit, for a self-hosted Bot API
server or tests). With ``REDIS_URL`` every worker takes its turn from one schedule kept in Redis
(a generic cell rate algorithm in one Lua script, atomic on the server); without it each process
keeps its own. A flood-control answer (429 ``retry_after``) pauses every sender, not only the one
that got it. Waiting for a slot never blocks other people's work: it is an ``asyncio.sleep``.

If Redis stops answering, the limiter falls back to its own process's schedule (logged once) so
a Redis outage slows nobody's answer to a halt.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from typing import Any, Protocol

__all__ = ["LocalSendRate", "RedisSendRate", "SendRate", "build_send_rate"]

log = logging.getLogger(__name__)

REDIS_KEY = "helpline:telegram:sendrate"
REDIS_TIMEOUT_SECONDS = 0.5

# KEYS[1]: the theoretical arrival time (ms); KEYS[2]: flood-control pause until (ms).
# ARGV[1]: interval per message (ms); ARGV[2]: burst tolerance (ms).
# Returns how many ms the caller waits before its message may go (its slot is reserved).
_GCRA = """
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) * 1000 + math.floor(tonumber(now_parts[2]) / 1000)
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
local paused = tonumber(redis.call('GET', KEYS[2]) or 0)
if tat < now then tat = now end
if paused > tat then tat = paused end
local wait = tat - burst - now
if wait < 0 then wait = 0 end
local new_tat = tat + interval
redis.call('SET', KEYS[1], new_tat, 'PX', math.ceil(new_tat - now + 1000))
return wait
"""
_PAUSE = """
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) * 1000 + math.floor(tonumber(now_parts[2]) / 1000)
local until_ms = now + tonumber(ARGV[1])
local current = tonumber(redis.call('GET', KEYS[1]) or 0)
if until_ms > current then
  redis.call('SET', KEYS[1], until_ms, 'PX', tonumber(ARGV[1]) + 1000)
end
return until_ms
"""


class SendRate(Protocol):
    """Paces outgoing messages."""

    async def acquire(self) -> None:
        """Wait until one more message may go."""

    async def pause(self, seconds: float) -> None:
        """Hold every sender for ``seconds`` (Telegram's flood control said so)."""

    async def close(self) -> None:
        """Release connections."""


@dataclass
class LocalSendRate:
    """One process's schedule: a message every ``1/rate`` seconds, bursts of up to ``rate``."""

    rate: float
    _tat: float = 0.0
    _paused_until: float = 0.0

    async def acquire(self) -> None:
        """Reserve the next slot and sleep until it comes."""
        if self.rate <= 0:
            return
        wait = self.reserve()
        if wait > 0:
            await asyncio.sleep(wait)

    def reserve(self) -> float:
        """Reserve a slot; how long to wait for it (seconds)."""
        now = time.monotonic()
        interval = 1.0 / self.rate
        tolerance = (max(1.0, self.rate) - 1) * interval  # up to one second's worth at once
        tat = max(self._tat, now)
        if self._paused_until > now:
            tat = max(tat, self._paused_until)
            tolerance = 0.0
        self._tat = tat + interval
        return max(0.0, tat - tolerance - now)

    async def pause(self, seconds: float) -> None:
        """Hold this process's senders."""
        self._paused_until = max(self._paused_until, time.monotonic() + seconds)

    async def close(self) -> None:
        """Nothing to release."""


@dataclass
class RedisSendRate:
    """The schedule shared by every worker through Redis."""

    url: str
    rate: float
    key: str = REDIS_KEY
    fallback: LocalSendRate = field(init=False)
    _client: Any = None
    _gcra: Any = None
    _pause: Any = None
    _warned: bool = False

    def __post_init__(self) -> None:
        self.fallback = LocalSendRate(self.rate)

    def _connect(self) -> None:
        if self._client is None:
            import redis.asyncio as redis

            self._client = redis.Redis.from_url(
                self.url,
                socket_timeout=REDIS_TIMEOUT_SECONDS,
                socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
            )
            self._gcra = self._client.register_script(_GCRA)
            self._pause = self._client.register_script(_PAUSE)

    async def acquire(self) -> None:
        """Reserve the next shared slot and sleep until it comes."""
        if self.rate <= 0:
            return
        wait = await self.reserve()
        if wait > 0:
            await asyncio.sleep(wait)

    async def reserve(self) -> float:
        """Reserve the next shared slot; how long to wait for it (seconds)."""
        interval_ms = 1000.0 / self.rate
        burst_ms = max(1.0, self.rate) * interval_ms - interval_ms
        try:
            self._connect()
            wait_ms = await self._gcra(
                keys=[self.key, self.key + ":pause"], args=[interval_ms, burst_ms]
            )
        except Exception as exc:  # noqa: BLE001 - Redis down: pace this process alone
            self._warn(exc)
            return self.fallback.reserve()
        return float(wait_ms or 0) / 1000

    async def pause(self, seconds: float) -> None:
        """Hold every worker's senders."""
        await self.fallback.pause(seconds)
        try:
            self._connect()
            await self._pause(keys=[self.key + ":pause"], args=[int(seconds * 1000)])
        except Exception as exc:  # noqa: BLE001 - the local pause still holds
            self._warn(exc)

    def _warn(self, exc: BaseException) -> None:
        if not self._warned:
            log.warning("send rate: Redis unreachable (%s); pacing per process", type(exc).__name__)
            self._warned = True

    async def close(self) -> None:
        """Close the Redis connection pool."""
        if self._client is not None:
            await self._client.aclose()
            self._client = None


def build_send_rate(rate: float, redis_url: str | None) -> LocalSendRate | RedisSendRate:
    """The limiter the settings ask for."""
    if redis_url and rate > 0:
        return RedisSendRate(redis_url, rate)
    return LocalSendRate(rate)
