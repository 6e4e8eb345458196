"""The Telegram channel: python-telegram-bot without its updater, fed by our FastAPI webhook.

One message handler and one callback-query handler turn every update into an engine ``Event``.
No ``ConversationHandler`` and no PTB persistence: both key data by raw Telegram ids and keep it
per process. The chat id is used only to answer and is hashed in ``Conversations.handle``;
nothing here logs a message, an id or a name.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import os
from collections.abc import Sequence

# Opt in to python-telegram-bot 22's future time periods (timedelta, not int). We read none of
# them, but without this every flood-control answer (RetryAfter) emits a deprecation warning.
os.environ.setdefault("PTB_TIMEDELTA", "true")

from telegram import (
    BotCommand,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    Update,
)
from telegram.error import BadRequest, Forbidden, NetworkError, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.channels.telegram_memory import ForgetfulApplication
from bot.conversation import Conversations
from bot.engine.types import Event, Reply
from bot.settings import Settings

__all__ = [
    "ALLOWED_UPDATES",
    "CHANNEL",
    "WEBHOOK_PATH",
    "build_application",
    "parse_update",
    "secret_matches",
    "split_text",
    "start_telegram",
    "stop_telegram",
]

log = logging.getLogger(__name__)

CHANNEL = "telegram"
WEBHOOK_PATH = "/telegram/webhook"
ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]
"""Only what the helpline answers; Telegram does not even send us the rest."""
FLOOD_RETRIES = 3
"""Telegram's flood control answers 429 with a wait; PTB's rate limiter waits and resends, so a
busy moment never swallows the rest of a person's answer."""
NETWORK_RETRIES = 2
NETWORK_BACKOFF_SECONDS = 0.5
MESSAGE_LIMIT = 4096
NO_PREVIEWS = LinkPreviewOptions(is_disabled=True)
"""Link previews cost data and time on a cheap phone; the link itself is enough."""

_COMMANDS = {
    "es": [
        ("inicio", "Empezar"),
        ("menu", "Menú principal"),
        ("idioma", "Cambiar el idioma"),
        ("ayuda", "Cómo usar esta ayuda"),
        ("borrar", "Borrar esta conversación"),
    ],
    "en": [
        ("start", "Start"),
        ("menu", "Main menu"),
        ("language", "Change the language"),
        ("help", "How to use this helpline"),
        ("delete", "Erase this conversation"),
    ],
}


def secret_matches(received: str | None, expected: str) -> bool:
    """Compare the webhook secret header in constant time."""
    return hmac.compare_digest((received or "").encode(), expected.encode())


def parse_update(body: bytes, application: Application) -> Update | None:  # type: ignore[type-arg]
    """Decode an update; ``None`` when the body is not a Telegram update (never logged)."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # not UTF-8, not JSON, or nested too deep
        return None
    if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
        return None
    try:
        return Update.de_json(data, application.bot)
    except Exception:  # noqa: BLE001 - whatever PTB cannot build is not an update (400, not 500)
        return None


def _markup(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    rows = [
        [InlineKeyboardButton(b.label, url=b.url)]
        if b.url
        else [InlineKeyboardButton(b.label, callback_data=b.payload)]
        for b in reply.buttons
    ]
    return InlineKeyboardMarkup(rows)


def _media_kind(message: Message) -> str:
    for kind in (
        "sticker",
        "photo",
        "voice",
        "audio",
        "video",
        "video_note",
        "document",
        "contact",
        "location",
        "animation",
    ):
        if getattr(message, kind, None):
            return kind
    return "other"


def split_text(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Split at line breaks (or spaces) so no piece passes Telegram's limit; content should never
    need it (the validator warns far earlier), but an oversize message must not be lost."""
    pieces: list[str] = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit)
        if cut <= 0:
            cut = text.rfind(" ", 0, limit)
        if cut <= 0:
            cut = limit
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    pieces.append(text)
    return pieces


async def _send_one(
    context: ContextTypes.DEFAULT_TYPE,
    chat_id: int,
    text: str,
    markup: InlineKeyboardMarkup | None,
) -> None:
    """Send one bubble, trying again after a passing network fault (a timeout, a 502).

    A timeout may hide a message that did arrive; a bubble seen twice is better than an answer
    that stops half-way. Refusals (``BadRequest``, ``Forbidden``) are not retried.
    """
    for attempt in range(NETWORK_RETRIES + 1):
        try:
            await context.bot.send_message(
                chat_id=chat_id, text=text, reply_markup=markup, link_preview_options=NO_PREVIEWS
            )
            return
        except BadRequest:
            raise
        except NetworkError as exc:
            if attempt == NETWORK_RETRIES:
                raise
            log.warning("telegram send failed (%s); trying again", type(exc).__name__)
            await asyncio.sleep(NETWORK_BACKOFF_SECONDS * (attempt + 1))


async def _send(context: ContextTypes.DEFAULT_TYPE, chat_id: int, replies: Sequence[Reply]) -> None:
    try:
        for reply in replies:
            pieces = split_text(reply.text or "…")
            for index, piece in enumerate(pieces):
                last = index == len(pieces) - 1
                await _send_one(context, chat_id, piece, _markup(reply) if last else None)
    except Forbidden:
        # The person blocked the bot (or deleted their account): nobody can read this
        # conversation any more, so it is not kept until it expires.
        await _conversations(context).erase(CHANNEL, chat_id)
        log.info("telegram chat unreachable (bot blocked); its conversation was erased")


def _conversations(context: ContextTypes.DEFAULT_TYPE) -> Conversations:
    conversations = context.bot_data["conversations"]
    assert isinstance(conversations, Conversations)
    return conversations


async def on_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a message (new or edited): text goes to the engine, anything else gets a kind note."""
    message = update.effective_message
    chat = update.effective_chat
    if message is None or chat is None:
        return
    user = update.effective_user
    hint = user.language_code if user else None
    if message.text:
        event = Event.typed(message.text, language_hint=hint)
    else:
        event = Event.unsupported(_media_kind(message), language_hint=hint)
    replies = await _conversations(context).handle(CHANNEL, chat.id, event)
    await _send(context, chat.id, replies)


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a button press; stale or foreign payloads are handled kindly by the engine."""
    query: CallbackQuery | None = update.callback_query
    if query is None:
        return
    try:
        await query.answer()  # only stops the button's spinner: the press is answered anyway
    except TelegramError as exc:
        log.info("callback query not acknowledged (%s); answering the press", type(exc).__name__)
    chat = update.effective_chat
    if chat is None or chat.type != "private":
        return
    hint = query.from_user.language_code if query.from_user else None
    payload = query.data if isinstance(query.data, str) else ""
    replies = await _conversations(context).handle(CHANNEL, chat.id, Event.pressed(payload, hint))
    await _send(context, chat.id, replies)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log only the kind of error: its text could quote what a person wrote."""
    error = context.error
    log.error("telegram update failed: %s", type(error).__name__ if error else "unknown")


def build_application(settings: Settings, conversations: Conversations) -> Application:  # type: ignore[type-arg]
    """The PTB application with no updater: updates arrive through our webhook route."""
    assert settings.telegram_bot_token is not None
    base = settings.telegram_api_base_url.rstrip("/")
    application = (
        Application.builder()
        .token(settings.telegram_bot_token.get_secret_value())
        .base_url(f"{base}/bot")
        .base_file_url(f"{base}/file/bot")
        .updater(None)
        .application_class(ForgetfulApplication)  # no raw chat or user id outlives its update
        .rate_limiter(AIORateLimiter(max_retries=FLOOD_RETRIES))
        .build()
    )
    application.bot_data["conversations"] = conversations
    private = filters.ChatType.PRIVATE
    application.add_handler(MessageHandler(private & filters.UpdateType.MESSAGES, on_message))
    application.add_handler(CallbackQueryHandler(on_button))
    application.add_error_handler(on_error)
    return application


async def start_telegram(application: Application, settings: Settings) -> None:  # type: ignore[type-arg]
    """Initialise and start PTB, then point Telegram's webhook at us with our secret."""
    assert settings.public_url is not None and settings.telegram_webhook_secret is not None
    await application.initialize()
    await application.start()
    await application.bot.set_webhook(
        url=settings.public_url.rstrip("/") + WEBHOOK_PATH,
        secret_token=settings.telegram_webhook_secret.get_secret_value(),
        allowed_updates=ALLOWED_UPDATES,
    )
    try:
        for language, commands in _COMMANDS.items():
            await application.bot.set_my_commands(
                [BotCommand(name, text) for name, text in commands], language_code=language
            )
        await application.bot.set_my_commands([BotCommand(n, t) for n, t in _COMMANDS["en"]])
    except TelegramError as exc:
        log.warning("could not set the command menu: %s", type(exc).__name__)
    log.info("telegram webhook set")


async def stop_telegram(application: Application) -> None:  # type: ignore[type-arg]
    """Finish pending updates and close PTB (the webhook stays set for other workers)."""
    if application.running:
        await application.stop()
    await application.shutdown()
