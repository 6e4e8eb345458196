"""Storage: conversation state under keyed hashes, aggregate counters, migrations."""

from bot.store.counters import Counters, MemoryCounters, SqlCounters
from bot.store.database import create_engine_for, migrate, session_factory
from bot.store.outbox import Mark, OutgoingMessage, Pending, SqlOutbox
from bot.store.states import (
    ConcurrentUpdate,
    ConversationKeys,
    MemoryStateStore,
    SqlStateStore,
    StateStore,
)

__all__ = [
    "ConcurrentUpdate",
    "ConversationKeys",
    "Counters",
    "Mark",
    "MemoryCounters",
    "MemoryStateStore",
    "OutgoingMessage",
    "Pending",
    "SqlCounters",
    "SqlOutbox",
    "SqlStateStore",
    "StateStore",
    "create_engine_for",
    "migrate",
    "session_factory",
]
