"""Thin adapters between a channel (Telegram, the web chat) and ``bot.conversation``."""

__all__: list[str] = []
