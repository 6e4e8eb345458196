"""Asylum information helpline: a channel-agnostic flow engine with Telegram and web channels."""

__all__: list[str] = []
