"""Web chat sessions: tokens only the server issues, no state before a real turn, turns in order,
and a kind answer instead of an error page.

Why each part:

- **Signed tokens.** Any cookie value of 20-100 characters used to be accepted, so a chosen value
  (planted in someone's browser) showed that conversation to whoever chose it. A token is now
  ``<random>.<signature>``, signed with a key derived from the state secret; a cookie without a
  good signature gets a fresh session. Nothing is stored to check it.
- **Nothing stored for a page view.** Every cookieless ``GET /`` used to store a conversation
  kept for 72 hours (2,000 views, 2,000 rows). A page view now only reads: state is created at
  the first real turn (a post), and a web conversation still on its first screen expires after
  ``WEB_FIRST_SCREEN_TTL_MINUTES``.
- **One turn at a time per session.** Two taps of one person (or 200 posts of a script) are run
  one after another inside a process (an ``asyncio.Lock`` per session); across workers the
  store's optimistic retries take over, and one more round is tried here before giving up.
- **A kind answer, never a 500.** A lost race that does not resolve, or a database that does not
  answer, gets "we cannot answer right now, please try again in a minute" with the emergency
  numbers of fact SAFE-1 (911 in the United States and Mexico, 988), in the person's language.
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import hashlib
import hmac
import logging
import secrets
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from bot.conversation import Answer, Conversations
from bot.engine.runner import WELCOME, advance
from bot.engine.types import Button, ConversationState, Event, Reply
from bot.engine.ui import N_
from bot.errors import StoreUnavailable
from bot.store.states import ConcurrentUpdate, TtlPolicy

__all__ = [
    "CANNOT_ANSWER",
    "CONTINUE",
    "DANGER_NUMBERS",
    "SLOW_DOWN",
    "SessionLocks",
    "SessionTokens",
    "WebSessions",
    "first_screen_ttl",
]

log = logging.getLogger(__name__)

SLOW_DOWN = N_("You are sending messages very fast. Please wait a moment, then try again.")
CANNOT_ANSWER = N_("Sorry, we cannot answer right now. Please try again in a minute.")
DANGER_NUMBERS = N_(
    "If you are in danger, call 911 (in the United States and in Mexico). "
    "If you are in a crisis, call or text 988."
)
"""Only numbers of fact SAFE-1, as on the emergency screen (reviewed: 2026-12-01)."""
CONTINUE = N_("Continue")

ROUNDS = 3
"""Rounds of the store's own retries (each up to ``bot.conversation.RETRIES`` attempts)."""
ROUND_PAUSE_SECONDS = 0.05
SIGNATURE_BYTES = 16


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


@dataclass(frozen=True)
class SessionTokens:
    """Issues and checks web session tokens: ``<32 random bytes>.<HMAC signature>``, URL-safe."""

    key: bytes

    @classmethod
    def derived_from(cls, state_secret: bytes) -> SessionTokens:
        """A key of its own, derived from the state secret (so nothing more to configure)."""
        purpose = b"helpline web session tokens v1"
        return cls(hmac.new(state_secret, purpose, hashlib.sha256).digest())

    def _signature(self, nonce: str) -> str:
        digest = hmac.new(self.key, nonce.encode("ascii"), hashlib.sha256).digest()
        return _b64(digest[:SIGNATURE_BYTES])

    def issue(self) -> str:
        """A new token no one else can have chosen."""
        nonce = secrets.token_urlsafe(32)
        return f"{nonce}.{self._signature(nonce)}"

    def issued(self, token: str | None) -> bool:
        """True only for a token this server signed (compared in constant time)."""
        if not token or len(token) > 100 or not token.isascii():
            return False
        nonce, dot, signature = token.partition(".")
        if not dot or len(nonce) < 40:
            return False
        return hmac.compare_digest(signature.encode("ascii"), self._signature(nonce).encode())


@dataclass
class SessionLocks:
    """One ``asyncio.Lock`` per session in this process, dropped when nobody waits on it."""

    locks: weakref.WeakValueDictionary[str, asyncio.Lock] = field(
        default_factory=weakref.WeakValueDictionary
    )

    @asynccontextmanager
    async def hold(self, session: str) -> AsyncIterator[None]:
        """Run the block alone for this session; other turns of it wait their turn."""
        name = hashlib.sha256(session.encode("utf-8", "replace")).hexdigest()
        lock = self.locks.get(name)
        if lock is None:
            lock = asyncio.Lock()
            self.locks[name] = lock
        async with lock:
            yield


def first_screen_ttl(minutes: int) -> TtlPolicy:
    """A ``TtlPolicy``: ``minutes`` for a conversation that never went past its first screen."""
    short = dt.timedelta(minutes=minutes)

    def policy(state: ConversationState) -> dt.timedelta | None:
        untouched = not state.history and not state.answers
        return short if untouched and state.node in (None, WELCOME) else None

    return policy


DATABASE_DOWN: tuple[type[BaseException], ...] = (OSError, TimeoutError, ConnectionError)


def _database_errors() -> tuple[type[BaseException], ...]:
    from sqlalchemy.exc import DBAPIError, OperationalError
    from sqlalchemy.exc import TimeoutError as PoolTimeout

    return (*DATABASE_DOWN, DBAPIError, OperationalError, PoolTimeout)


@dataclass
class WebSessions:
    """The web chat's way into ``Conversations``: page views, turns in order, kind failures."""

    conversations: Conversations
    tokens: SessionTokens
    channel: str = "web"
    locks: SessionLocks = field(default_factory=SessionLocks)

    def session(self, cookie: str | None) -> tuple[str, bool]:
        """The cookie's token when this server issued it, else a new one; and whether it is new."""
        if cookie is not None and self.tokens.issued(cookie):
            return cookie, False
        return self.tokens.issue(), True

    async def view(self, token: str, fresh: bool, hint: str | None) -> tuple[Answer, int]:
        """The current screen, read only: nothing is created, extended or counted; and the
        HTTP status (503 with a kind answer when the database does not answer)."""
        content = self.conversations.content.current
        try:
            state = None
            if not fresh:
                key = self.conversations.keys.key(self.channel, token)
                state = await self.conversations.states.peek(key)
        except _database_errors() as exc:
            log.warning("web page view: database unavailable (%s)", type(exc).__name__)
            return self.cannot_answer(hint), 503
        new_state, replies = advance(
            content.flows,
            state,
            Event.pressed("nav:here", hint),
            content.localizer,
            content.services,
        )
        return Answer(replies, new_state.locale if new_state else None), 200

    async def turn(self, token: str, event: Event) -> tuple[Answer, int]:
        """One real turn, after this session's earlier ones; a kind answer if it cannot be made."""
        async with self.locks.hold(token):
            for round_ in range(ROUNDS):
                try:
                    return await self.conversations.answer(self.channel, token, event), 200
                except ConcurrentUpdate:
                    log.info("web turn lost its race %d times; trying again", round_ + 1)
                    await asyncio.sleep(ROUND_PAUSE_SECONDS * (round_ + 1))
                except StoreUnavailable:
                    break  # already logged, without the values, where it happened
                except _database_errors() as exc:
                    log.warning("web turn: database unavailable (%s)", type(exc).__name__)
                    break
        return self.cannot_answer(event.language_hint), 503

    def _locales(self, hint: str | None) -> list[str]:
        localizer = self.conversations.content.current.localizer
        chosen = localizer.negotiate(hint)
        return [chosen] if chosen else list(localizer.locales)

    def cannot_answer(self, hint: str | None) -> Answer:
        """Sorry, try again in a minute, and the emergency numbers: in the hinted language, or
        in every language when there is no hint (as the emergency screen does)."""
        localizer = self.conversations.content.current.localizer
        locales = self._locales(hint)
        replies = []
        for locale in locales:
            t = localizer.translator(locale)
            text = f"{t.gettext(CANNOT_ANSWER)}\n{t.gettext(DANGER_NUMBERS)}"
            replies.append(Reply(text))
        last = replies[-1]
        label = localizer.translator(locales[0]).gettext(CONTINUE)
        replies[-1] = Reply(last.text, (Button(label, payload="nav:here"),))
        return Answer(replies, locales[0] if len(locales) == 1 else None)

    def slow_down(self, hint: str | None, locale: str | None = None) -> Answer:
        """Please wait a moment; a button to carry on where the person was."""
        localizer = self.conversations.content.current.localizer
        chosen = locale if locale in localizer.locales else None
        locales = [chosen] if chosen else self._locales(hint)
        replies = [Reply(localizer.translator(code).gettext(SLOW_DOWN)) for code in locales]
        label = localizer.translator(locales[0]).gettext(CONTINUE)
        replies[-1] = Reply(replies[-1].text, (Button(label, payload="nav:here"),))
        return Answer(replies, locales[0] if len(locales) == 1 else None)
