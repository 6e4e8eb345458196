"""The Telegram channel: our webhook reads each update, answers it inside the request, once.

The route checks the secret and hands the body to ``TelegramChannel.handle``, which reads the
update strictly (``telegram_updates``: a wrong shape is a 400 before anything else), runs the
turn through ``bot.delivery.deliver_once`` (deduplicated, one transaction, an outbox that
survives a crash) and answers 200 only when the answer is decided and saved. The database or
the Bot API failing for good is a 5xx, and Telegram delivers the update again.

One message per screen: a screen's paragraphs are joined into one message with its keyboard,
split only past Telegram's 4,096 UTF-16 code units. The answer's last message goes back in the
webhook response body (Telegram runs one method from there), so most turns call nobody; the
messages before it are sent with python-telegram-bot's ``Bot`` (explicit timeouts and pool),
paced by ``bot.sendrate``. PTB never sees an incoming update: there is no update queue and no
update loop that a crafted update could stop.

Nothing here logs a message, an id or a name; the chat id is used only to answer and is hashed
in ``Conversations``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hmac
import logging
import os
from dataclasses import dataclass, field
from typing import Any

# Opt in to python-telegram-bot 22's future time periods (timedelta, not int). Without this
# every flood-control answer (RetryAfter) emits a deprecation warning.
os.environ.setdefault("PTB_TIMEDELTA", "true")

import httpx
from starlette.responses import JSONResponse, Response
from telegram import Bot, BotCommand, InlineKeyboardMarkup, LinkPreviewOptions
from telegram.constants import MessageLimit
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.request import HTTPXRequest

from bot.channels.telegram_ack import CallbackAcks
from bot.channels.telegram_updates import WEBHOOK_PATH, BadUpdate, Incoming, read_update
from bot.conversation import Answer, Conversations
from bot.delivery import OutgoingMessage, deliver_once
from bot.engine.types import Reply
from bot.errors import DeliveryError, MessageRefused, RecipientGone, SendFailed
from bot.sendrate import LocalSendRate, RedisSendRate, build_send_rate
from bot.settings import Settings

__all__ = [
    "ALLOWED_UPDATES",
    "CHANNEL",
    "MESSAGE_LIMIT",
    "WEBHOOK_PATH",
    "TelegramChannel",
    "render_answer",
    "secret_matches",
    "split_text",
    "utf16_length",
]

log = logging.getLogger(__name__)

CHANNEL = "telegram"
ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"]
"""Only what the helpline answers (and the news that a person blocked the bot)."""
MESSAGE_LIMIT = int(MessageLimit.MAX_TEXT_LENGTH)
"""4,096, counted in UTF-16 code units as Telegram counts them."""
SEND_ATTEMPTS = 4
"""Tries per message against 5xx, timeouts and flood control, before the update is left for
Telegram's redelivery (the outbox remembers what went out)."""
BACKOFF_SECONDS = 0.5
MAX_FLOOD_WAIT_SECONDS = 10.0
"""A longer ``retry_after`` is not waited out inside the request: 5xx, and the redelivery sends."""
POOL_SIZE = 64
"""Connections to the Bot API per worker: one person's hanging send never takes another's."""
CONNECT_TIMEOUT_SECONDS = 5.0
POOL_TIMEOUT_SECONDS = 2.0
NO_PREVIEWS = LinkPreviewOptions(is_disabled=True)
"""Link previews cost data and time on a cheap phone; the link itself is enough."""
_NO_PREVIEWS_JSON = {"is_disabled": True}

_COMMANDS = {
    "es": [
        ("peligro", "Estoy en peligro: ayuda de emergencia"),
        ("inicio", "Empezar"),
        ("menu", "Menú principal"),
        ("idioma", "Cambiar el idioma"),
        ("ayuda", "Cómo usar esta ayuda"),
        ("borrar", "Borrar esta conversación"),
    ],
    "en": [
        ("danger", "I am in danger: emergency help"),
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


def utf16_length(text: str) -> int:
    """Length in UTF-16 code units (an emoji outside the BMP counts two), as Telegram counts."""
    return len(text.encode("utf-16-le")) // 2


def _prefix_within(text: str, limit: int) -> int:
    """How many characters of ``text`` fit in ``limit`` UTF-16 code units."""
    if len(text) * 2 <= limit:
        return len(text)
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            return index
    return len(text)


def split_text(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Split at line breaks (or spaces) so no piece passes Telegram's limit; content should never
    need it (the validator warns far earlier), but an oversize message must not be lost."""
    pieces: list[str] = []
    while utf16_length(text) > limit:
        fits = _prefix_within(text, limit)
        cut = text.rfind("\n", 0, fits)
        if cut <= 0:
            cut = text.rfind(" ", 0, fits)
        if cut <= 0:
            cut = fits
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    pieces.append(text)
    return pieces


def _keyboard(reply: Reply) -> dict[str, Any] | None:
    if not reply.buttons:
        return None
    rows = [
        [{"text": b.label, "url": b.url}]
        if b.url
        else [{"text": b.label, "callback_data": b.payload or ""}]
        for b in reply.buttons
    ]
    return {"inline_keyboard": rows}


def _message(text: str, keyboard: dict[str, Any] | None) -> OutgoingMessage:
    message: OutgoingMessage = {
        "method": "sendMessage",
        "text": text or "…",
        "link_preview_options": _NO_PREVIEWS_JSON,
    }
    if keyboard is not None:
        message["reply_markup"] = keyboard
    return message


def render_answer(answer: Answer) -> list[OutgoingMessage]:
    """One ``sendMessage`` payload per screen, without the recipient.

    The engine gives a screen as paragraphs with the keyboard on the last; they are joined with
    a blank line into one message carrying that keyboard. A notice before a screen ("that button
    is from an earlier screen") joins the screen. Only a message past the limit is split, the
    keyboard staying on its last piece.
    """
    messages: list[OutgoingMessage] = []
    paragraphs: list[str] = []

    def flush(keyboard: dict[str, Any] | None) -> None:
        pieces = split_text("\n\n".join(p for p in paragraphs if p) or "…")
        for piece in pieces[:-1]:
            messages.append(_message(piece, None))
        messages.append(_message(pieces[-1], keyboard))
        paragraphs.clear()

    for reply in answer.replies:
        paragraphs.append(reply.text)
        if reply.buttons:
            flush(_keyboard(reply))
    if paragraphs:
        flush(None)
    return messages


def _seconds(value: float | dt.timedelta) -> float:
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)


@dataclass
class TelegramChannel:
    """The Bot API client, the send pace and the webhook handler of one worker."""

    settings: Settings
    conversations: Conversations
    bot: Bot
    rate: LocalSendRate | RedisSendRate
    acks: CallbackAcks
    """``answerCallbackQuery`` for every press, on its own light client (``telegram_ack``)."""
    tasks: set[asyncio.Task[None]] = field(default_factory=set)
    started: bool = False

    @classmethod
    def build(cls, settings: Settings, conversations: Conversations) -> TelegramChannel:
        """A ``Bot`` with explicit timeouts and pool, pointed at ``TELEGRAM_API_BASE_URL``."""
        assert settings.telegram_bot_token is not None
        base = settings.telegram_api_base_url.rstrip("/")
        timeout = settings.telegram_timeout_seconds
        request = HTTPXRequest(
            connection_pool_size=POOL_SIZE,
            connect_timeout=CONNECT_TIMEOUT_SECONDS,
            read_timeout=timeout,
            write_timeout=timeout,
            pool_timeout=POOL_TIMEOUT_SECONDS,
        )
        bot = Bot(
            settings.telegram_bot_token.get_secret_value(),
            base_url=f"{base}/bot",
            base_file_url=f"{base}/file/bot",
            request=request,
            # Updates come by webhook, never by getUpdates: the same client (one TLS context
            # and pool built at start instead of two).
            get_updates_request=request,
        )
        rate = build_send_rate(settings.telegram_rate_limit, settings.redis_url)
        acks = CallbackAcks.for_bot_api(
            base,
            settings.telegram_bot_token.get_secret_value(),
            timeout=timeout,
            connect_timeout=CONNECT_TIMEOUT_SECONDS,
            pool_timeout=POOL_TIMEOUT_SECONDS,
            pool_size=POOL_SIZE,
        )
        return cls(settings, conversations, bot, rate, acks)

    @property
    def ready(self) -> bool:
        """The Bot API client is up (there is no update loop that could have stopped)."""
        return self.started

    async def start(self) -> None:
        """Check the token and point Telegram's webhook at us with our secret. The command menu
        is set in the background: no answer needs it, and it is three more round trips to
        Telegram that the start (and the first person's answer) would otherwise wait for."""
        settings = self.settings
        assert settings.public_url is not None and settings.telegram_webhook_secret is not None
        await self.bot.initialize()
        await self.bot.set_webhook(
            url=settings.public_url.rstrip("/") + WEBHOOK_PATH,
            secret_token=settings.telegram_webhook_secret.get_secret_value(),
            allowed_updates=ALLOWED_UPDATES,
        )
        self.started = True
        log.info("telegram webhook set")
        self._spawn(self._set_commands())
        self._spawn(self._open_acks())

    async def _open_acks(self) -> None:
        """The acknowledgements' own client, imported in a thread after the start."""
        try:
            await asyncio.to_thread(self.acks.load)
        except ImportError as exc:  # the Bot acknowledges, as before
            log.warning("press acknowledgements stay on the Bot (%s)", type(exc).__name__)
            return
        if self.started:
            self.acks.open()

    async def _set_commands(self) -> None:
        """The menu of commands in each language, and English for every other one."""
        try:
            for language, commands in _COMMANDS.items():
                await self.bot.set_my_commands(
                    [BotCommand(name, text) for name, text in commands], language_code=language
                )
            await self.bot.set_my_commands([BotCommand(n, t) for n, t in _COMMANDS["en"]])
        except TelegramError as exc:
            log.warning("could not set the command menu: %s", type(exc).__name__)

    async def stop(self, timeout: float = 5.0) -> None:
        """Let button acknowledgements and the command menu finish (bounded), then close the
        clients (the webhook stays set for other workers)."""
        self.started = False
        if self.tasks:
            _, late = await asyncio.wait(set(self.tasks), timeout=timeout)
            for task in late:
                task.cancel()
        try:
            await asyncio.wait_for(self.bot.shutdown(), timeout=timeout)
        except (TimeoutError, TelegramError) as exc:
            log.warning("telegram client not closed cleanly (%s)", type(exc).__name__)
        await self.acks.close()
        await self.rate.close()

    # -- the webhook ---------------------------------------------------------------------------

    async def handle(self, body: bytes) -> Response:
        """Answer one webhook body: 400 when it is not an update, 5xx when it must come again,
        200 (with the last message of the answer as a Bot API method) when it is answered."""
        try:
            incoming = read_update(body)
        except BadUpdate:
            return JSONResponse({"error": "not a Telegram update"}, status_code=400)
        if incoming.callback_query_id is not None:
            self._spawn(self._acknowledge(incoming.callback_query_id))
        if incoming.chat_id is None:
            return Response(status_code=200)
        if incoming.erase:
            return await self._erase(incoming)
        assert incoming.event is not None
        chat_id = incoming.chat_id
        in_response: list[OutgoingMessage] = []

        async def send(message: OutgoingMessage) -> None:
            await self.send(chat_id, message)

        reply_in_response = in_response.append if self.settings.telegram_reply_in_webhook else None
        try:
            await deliver_once(
                self.conversations,
                channel=CHANNEL,
                update_id=str(incoming.update_id),
                conversation_id=chat_id,
                event=incoming.event,
                render=render_answer,
                send=send,
                reply_in_response=reply_in_response,
            )
        except DeliveryError as exc:
            log.warning(
                "telegram update not answered now (%s); Telegram will resend it", type(exc).__name__
            )
            return JSONResponse({"error": "try again later"}, status_code=503)
        if not in_response:
            return Response(status_code=200)
        await self.rate.acquire()
        return JSONResponse({"chat_id": chat_id, **in_response[0]})

    async def _erase(self, incoming: Incoming) -> Response:
        """The person blocked the bot: nobody can read this conversation, so it is not kept."""
        assert incoming.chat_id is not None
        try:
            await self.conversations.erase(CHANNEL, incoming.chat_id)
        except Exception as exc:  # noqa: BLE001 - 5xx: Telegram tells us again
            log.warning("conversation of a blocked chat not erased yet (%s)", type(exc).__name__)
            return JSONResponse({"error": "try again later"}, status_code=503)
        log.info("telegram chat blocked the bot; its conversation was erased")
        return Response(status_code=200)

    def _spawn(self, work: Any) -> None:
        task: asyncio.Task[None] = asyncio.create_task(work)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _acknowledge(self, query_id: str) -> None:
        """Stop the button's spinner; the press is answered whether or not this works. The
        ``Bot`` does it only in the first moments after the start (``_open_acks``)."""
        if self.acks.ready:
            await self.acks.answer(query_id)
            return
        try:
            await self.bot.answer_callback_query(query_id)
        except TelegramError as exc:
            log.info("callback query not acknowledged (%s)", type(exc).__name__)

    # -- sending -------------------------------------------------------------------------------

    async def send(self, chat_id: int, message: OutgoingMessage) -> None:
        """Send one message, waiting out flood control and retrying passing faults.

        A timeout while connecting or waiting for a pooled connection means the message was not
        sent, so it is simply sent again; a timeout after the request went out may hide a message
        that arrived, and it is sent again too: a message seen twice is better than an answer that
        stops half-way. Raises ``RecipientGone`` (blocked), ``MessageRefused`` (400: this message
        can never go) or ``SendFailed`` after ``SEND_ATTEMPTS``.
        """
        if message.get("method") != "sendMessage":
            raise MessageRefused("unknown method")
        markup = message.get("reply_markup")
        keyboard = InlineKeyboardMarkup.de_json(markup, self.bot) if markup else None
        for attempt in range(SEND_ATTEMPTS):
            await self.rate.acquire()
            try:
                await self.bot.send_message(
                    chat_id=chat_id,
                    text=str(message.get("text") or "…"),
                    reply_markup=keyboard,
                    link_preview_options=NO_PREVIEWS,
                )
                return
            except RetryAfter as exc:
                wait = _seconds(exc.retry_after)
                await self.rate.pause(wait)
                if wait > MAX_FLOOD_WAIT_SECONDS or attempt == SEND_ATTEMPTS - 1:
                    raise SendFailed("flood control") from None
                log.warning("telegram flood control: waiting %.1f s before resending", wait)
                await asyncio.sleep(wait)
            except Forbidden:
                raise RecipientGone("bot blocked") from None
            except BadRequest as exc:
                raise MessageRefused(type(exc).__name__) from None
            except TimedOut as exc:
                unsent = isinstance(exc.__cause__, httpx.ConnectTimeout | httpx.PoolTimeout)
                if attempt == SEND_ATTEMPTS - 1:
                    raise SendFailed("timed out") from None
                log.warning(
                    "telegram send timed out (%s); trying again",
                    "not sent" if unsent else "it may have arrived",
                )
                await asyncio.sleep(BACKOFF_SECONDS * (attempt + 1))
            except NetworkError as exc:
                if attempt == SEND_ATTEMPTS - 1:
                    raise SendFailed(type(exc).__name__) from None
                log.warning("telegram send failed (%s); trying again", type(exc).__name__)
                await asyncio.sleep(BACKOFF_SECONDS * (attempt + 1))
        raise SendFailed("attempts exhausted")
