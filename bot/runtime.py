"""Everything the running service holds, started and stopped by the app's lifespan.

Kept out of module globals so each ``create_app(settings)`` (every test) gets its own database,
content and Telegram application.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.channels.web_sessions import SessionTokens, WebSessions, first_screen_ttl
from bot.content import ContentHolder
from bot.conversation import Conversations
from bot.errors import ContentError
from bot.ratelimit import RateLimits
from bot.reloader import watch_content
from bot.settings import Settings
from bot.store.counters import SqlCounters
from bot.store.database import create_engine_for, migrate, session_factory
from bot.store.erasure import finish_erasures
from bot.store.outbox import SqlOutbox
from bot.store.states import ConversationKeys, SqlStateStore
from bot.store.writer import SqliteWriter
from bot.warmup import Warmup

if TYPE_CHECKING:
    from bot.channels.telegram import TelegramChannel

__all__ = ["PURGE_EVERY", "Runtime"]

log = logging.getLogger(__name__)

PURGE_EVERY = dt.timedelta(minutes=10)


@dataclass
class Runtime:
    """The service's live parts."""

    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    content: ContentHolder
    conversations: Conversations
    counters: SqlCounters
    states: SqlStateStore
    telegram: TelegramChannel | None = None
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    stopping: asyncio.Event = field(default_factory=asyncio.Event)
    web: WebSessions | None = None
    """The web chat's sessions (signed tokens, turns in order, no state before a real turn)."""
    limits: RateLimits | None = None
    """Rate limits of the web chat, the admin pages and the webhook (memory or Redis)."""
    warmup: Warmup | None = None
    """The classifier's training and dateparser's warm-up, after the port is open."""

    @classmethod
    async def start(cls, settings: Settings) -> Runtime:
        """Migrate the database, load content, start Telegram when configured.

        Whatever fails, what was already started is stopped again before the error goes on.
        """
        keys = ConversationKeys(settings.hmac_secret())
        url = settings.effective_database_url
        # Migrations mostly wait on the database, the content on the CPU: side by side, in
        # threads. Both finish before either error is raised, so no thread outlives a failure.
        migrated, loaded = await asyncio.gather(
            asyncio.to_thread(migrate, url),
            asyncio.to_thread(ContentHolder.from_settings, settings, service=True),
            return_exceptions=True,
        )
        if isinstance(loaded, ContentError):
            log.error("the content has errors; fix them and start again (./helpline validate):")
            for problem in loaded.problems:
                log.error("  %s", problem)
        for outcome in (migrated, loaded):
            if isinstance(outcome, BaseException):
                raise outcome
        content = cast(ContentHolder, loaded)
        engine = create_engine_for(url)
        sessions = session_factory(engine)
        states = SqlStateStore(sessions, dt.timedelta(hours=settings.state_ttl_hours))
        counters = SqlCounters(sessions)
        conversations = Conversations(
            content=content,
            keys=keys,
            states=states,
            counters=counters,
            outbox=SqlOutbox(
                states,
                counters,
                lease=dt.timedelta(seconds=settings.delivery_lease_seconds),
                writer=SqliteWriter.for_url(url),
            ),
        )
        runtime = cls(settings, engine, sessions, content, conversations, counters, states)
        runtime.web = _web_sessions(settings, conversations, states, keys.secret)
        runtime.limits = RateLimits.from_settings(settings, keys.secret)
        try:
            await runtime._start_parts()
        except BaseException:
            await runtime.stop()
            raise
        return runtime

    async def _start_parts(self) -> None:
        """Background tasks, then Telegram (last: it may fail on the network); the slow
        warm-up starts last of all, so that it does not slow the start itself."""
        settings, content = self.settings, self.content
        if not content.train_in_background:
            from bot.actions.deadline import warm_up

            await asyncio.to_thread(warm_up, content.current.localizer.locales)
        self.tasks.append(asyncio.create_task(self._purge_forever()))
        self.tasks.append(
            asyncio.create_task(
                watch_content(
                    content,
                    [settings.flows_dir, settings.locales_dir],
                    self.stopping,
                    interval=settings.content_watch_seconds,
                )
            )
        )
        if settings.telegram_enabled:
            from bot.channels.telegram import TelegramChannel

            self.telegram = TelegramChannel.build(settings, self.conversations)
            await self.telegram.start()
        else:
            log.info(
                "telegram is off (set TELEGRAM_BOT_TOKEN, PUBLIC_URL, TELEGRAM_WEBHOOK_SECRET)"
            )
        log.info(
            "helpline ready: %d nodes, languages %s%s",
            len(content.current.flows.nodes),
            content.current.localizer.locales,
            "" if content.classifier_ready else "; the classifier trains in the background",
        )
        if content.train_in_background:
            self.warmup = Warmup(content, settings.nlu_train_delay_seconds)
            self.warmup.start()

    async def stop(self) -> None:
        """Stop background work and Telegram, close the database."""
        self.stopping.set()
        if self.warmup is not None:
            self.warmup.stop()
        for task in self.tasks:
            task.cancel()
        for task in self.tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self.telegram is not None:
            await self.telegram.stop()
        if self.limits is not None:
            await self.limits.close()
        await finish_erasures(self.engine)
        writer = self.conversations.outbox.writer if self.conversations.outbox else None
        if writer is not None:
            await writer.close()
        await self.engine.dispose()

    @property
    def ready(self) -> bool:
        """Content is loaded and Telegram (when configured) can answer.

        The classifier is not waited for: danger phrases and fuzzy keywords answer typed text
        until it is in service (``bot.nlu.standby``), buttons and commands need it not at all,
        and a load balancer holding every request back for the seconds training takes would
        leave people (someone in danger too) with no answer at all instead of a plainer one.
        ``/readyz`` says whether it is in service (``classifier``)."""
        if self.stopping.is_set() or not self.content.current.flows.nodes:
            return False
        return self.telegram is None or self.telegram.ready

    async def database_ok(self) -> bool:
        """True when the database answers a trivial query."""
        try:
            async with self.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except Exception:  # noqa: BLE001 - health checks report, they do not raise
            log.warning("database health check failed")
            return False
        return True

    async def _purge_forever(self) -> None:
        while True:
            try:
                purged = await self.states.purge_expired()
                if purged:
                    log.info("purged %d expired conversations", purged)
                outbox = self.conversations.outbox
                marks = await outbox.purge_expired() if outbox is not None else 0
                if marks:
                    log.info("forgot %d update ids past the dedupe window", marks)
            except Exception as exc:  # noqa: BLE001 - keep purging on the next round
                log.warning("purge failed: %s", type(exc).__name__)
            await asyncio.sleep(PURGE_EVERY.total_seconds())


def _web_sessions(
    settings: Settings, conversations: Conversations, states: SqlStateStore, secret: bytes
) -> WebSessions:
    """The web chat's own view of the conversations: a store whose first-screen states expire
    after ``WEB_FIRST_SCREEN_TTL_MINUTES`` (same table, same keys)."""
    policy = first_screen_ttl(settings.web_first_screen_ttl_minutes)
    web_states = dataclasses.replace(states, ttl_policy=policy)
    outbox = conversations.outbox
    web_outbox = dataclasses.replace(outbox, states=web_states) if outbox is not None else None
    web_conversations = dataclasses.replace(conversations, states=web_states, outbox=web_outbox)
    return WebSessions(web_conversations, SessionTokens.derived_from(secret))
