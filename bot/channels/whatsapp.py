"""The WhatsApp channel: Meta's Cloud API webhook in FastAPI, answered on the same engine.

``GET /whatsapp/webhook`` answers Meta's verification handshake; ``POST`` checks
``X-Hub-Signature-256`` on the raw bytes before anything is parsed, then answers every message of
every entry inside the request (``bot.delivery.deliver_once``: each ``wamid`` once, through the
shared store). Statuses and errors are acknowledged and dropped.

Identity: the sender's ``wa_id`` is a phone number. It is used only to answer (as ``to``) and is
hashed at the edge (``ConversationKeys``: ``HMAC(secret, "whatsapp:" + wa_id)``); where WhatsApp
withholds the number (usernames), the business-scoped user id takes its place. Neither, nor the
profile name, is stored or logged. pywa was evaluated and not used; README says why.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import hmac
import json
import logging
import math
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse

from bot.channels.whatsapp_api import GraphClient
from bot.channels.whatsapp_messages import MORE_PREFIX, render_answer
from bot.conversation import Answer
from bot.delivery import OutgoingMessage, deliver_once
from bot.engine.types import Event
from bot.http import BodyTooLarge, read_limited_body
from bot.ratelimit import client_address
from bot.runtime import Runtime
from bot.settings import Settings

__all__ = [
    "CHANNEL",
    "WEBHOOK_PATH",
    "WINDOW_CLOSED_NODE",
    "Inbound",
    "WhatsAppChannel",
    "parse_messages",
    "signature_matches",
    "verify_token_matches",
    "whatsapp_router",
]

log = logging.getLogger(__name__)

CHANNEL = "whatsapp"
WEBHOOK_PATH = "/whatsapp/webhook"
WINDOW_CLOSED_NODE = "_window_closed"
"""Counter name for "a reply was dropped because the 24-hour window had closed"."""
MAX_TEXT = 4096
"""WhatsApp's own limit on a text message; longer is not a person typing."""
MAX_CHALLENGE = 256
UNSUPPORTED_KINDS = frozenset(
    {
        "audio",
        "voice",
        "image",
        "sticker",
        "video",
        "document",
        "location",
        "contacts",
        "reaction",
        "order",
        "unsupported",
    }
)
"""Kinds that get the kind "I can only read text" answer (and the current screen again)."""


def signature_matches(body: bytes, header: str | None, app_secret: str) -> bool:
    """``X-Hub-Signature-256`` is ``sha256=`` + HMAC-SHA256(app secret, raw body), in hex;
    compared in constant time."""
    expected = "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), (header or "").encode("utf-8", "replace"))


def verify_token_matches(received: str | None, expected: str) -> bool:
    """Compare the handshake's ``hub.verify_token`` in constant time."""
    return hmac.compare_digest((received or "").encode("utf-8", "replace"), expected.encode())


@dataclass(frozen=True)
class Inbound:
    """One message to answer: its id, who to answer (never logged) and what they did."""

    wamid: str
    conversation_id: str
    recipient: dict[str, str]
    event: Event
    page: int = 0


def _pressed(reply_id: str) -> tuple[Event, int]:
    """A reply button or list row; the "more" row shows the next page of the current screen."""
    if reply_id.startswith(MORE_PREFIX) and reply_id[len(MORE_PREFIX) :].isdigit():
        return Event.pressed("nav:here", channel=CHANNEL), int(reply_id[len(MORE_PREFIX) :])
    return Event.pressed(reply_id[:64], channel=CHANNEL), 0


def _event(message: dict[str, Any]) -> tuple[Event, int] | None:
    """The engine event for one message; ``None`` for kinds that need no answer."""
    kind = message.get("type")
    if kind == "text":
        body = (message.get("text") or {}).get("body")
        if isinstance(body, str) and body.strip():
            return Event.typed(body[: MAX_TEXT + 1], channel=CHANNEL), 0
        return None
    if kind == "interactive":
        interactive = message.get("interactive") or {}
        reply = interactive.get(interactive.get("type") or "") or {}
        reply_id = reply.get("id") if isinstance(reply, dict) else None
        return _pressed(reply_id) if isinstance(reply_id, str) and reply_id else None
    if kind == "button":  # a quick-reply button of a template (the helpline sends none)
        payload = (message.get("button") or {}).get("payload")
        return _pressed(payload) if isinstance(payload, str) and payload else None
    if isinstance(kind, str) and kind in UNSUPPORTED_KINDS:
        return Event.unsupported(kind, channel=CHANNEL), 0
    return None  # system notices, and kinds from the future: nothing to answer


def _sender(message: dict[str, Any], contacts: list[Any]) -> tuple[str, dict[str, str]] | None:
    """The conversation id and the recipient field for a reply: the phone number (``wa_id``) when
    WhatsApp shares it, otherwise the business-scoped user id."""
    contact = contacts[0] if len(contacts) == 1 and isinstance(contacts[0], dict) else {}
    wa_id = message.get("from") or contact.get("wa_id")
    if isinstance(wa_id, str) and wa_id.isdigit():
        return wa_id, {"to": wa_id}
    user_id = message.get("from_user_id") or contact.get("user_id")
    if isinstance(user_id, str) and user_id and len(user_id) <= 200:
        return f"user:{user_id}", {"recipient": user_id}
    return None


def _changes(data: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for entry in data.get("entry") or []:
        if not isinstance(entry, dict):
            continue
        for change in entry.get("changes") or []:
            if isinstance(change, dict) and change.get("field") == "messages":
                value = change.get("value")
                if isinstance(value, dict):
                    yield value


def _inbound(value: dict[str, Any], phone_number_id: str) -> Iterator[Inbound]:
    """The messages of one change (``entry[].changes[].value``) that need an answer."""
    metadata = value.get("metadata") or {}
    if str(metadata.get("phone_number_id", "")) != phone_number_id:
        log.info("whatsapp message for another phone number id ignored")
        return
    if value.get("errors"):
        codes = [e.get("code") for e in value["errors"] if isinstance(e, dict)]
        log.warning("whatsapp webhook reported errors %s", codes)
    contacts = value.get("contacts") or []
    for message in value.get("messages") or []:
        if not isinstance(message, dict) or message.get("group_id"):
            continue
        wamid = message.get("id")
        sender = _sender(message, contacts if isinstance(contacts, list) else [])
        event = _event(message)
        if not isinstance(wamid, str) or not wamid or sender is None or event is None:
            continue
        yield Inbound(wamid[:200], sender[0], sender[1], event[0], event[1])


def parse_messages(data: Any, phone_number_id: str) -> list[Inbound]:
    """Every message to answer in one webhook body, in order; statuses, errors, group messages
    and messages to another of the business's numbers are left out."""
    if not isinstance(data, dict) or data.get("object") != "whatsapp_business_account":
        return []
    found: list[Inbound] = []
    for value in _changes(data):
        try:
            found.extend(_inbound(value, phone_number_id))
        except (AttributeError, TypeError, ValueError):  # a shape Meta never documented
            log.warning("whatsapp webhook change of an unexpected shape skipped")
    return found


@dataclass
class WhatsAppChannel:
    """What the webhook needs besides the runtime: the settings it checks and the Graph client."""

    settings: Settings
    graph: GraphClient

    @classmethod
    def from_settings(cls, settings: Settings) -> WhatsAppChannel:
        """Build the channel; only call it when ``settings.whatsapp_enabled``."""
        assert settings.whatsapp_access_token is not None
        assert settings.whatsapp_phone_number_id is not None
        graph = GraphClient(
            base_url=settings.whatsapp_api_base_url,
            phone_number_id=settings.whatsapp_phone_number_id,
            access_token=settings.whatsapp_access_token.get_secret_value(),
            backoff_seconds=settings.whatsapp_retry_seconds,
        )
        return cls(settings, graph)

    @property
    def app_secret(self) -> str:
        """The Meta app's secret, which signs every webhook POST."""
        assert self.settings.whatsapp_app_secret is not None
        return self.settings.whatsapp_app_secret.get_secret_value()

    @property
    def verify_token(self) -> str:
        """The token the NGO typed into Meta's webhook settings."""
        assert self.settings.whatsapp_verify_token is not None
        return self.settings.whatsapp_verify_token.get_secret_value()

    def render(self, runtime: Runtime, page: int) -> Callable[[Answer], list[OutgoingMessage]]:
        """Render an answer in its language (the "more" and "choose" labels are translated)."""
        localizer = runtime.content.current.localizer

        def render(answer: Answer) -> list[OutgoingMessage]:
            locale = answer.locale or localizer.locales[0]
            return render_answer(answer, localizer.translator(locale).gettext, page)

        return render

    def sender(
        self, runtime: Runtime, recipient: dict[str, str]
    ) -> Callable[[OutgoingMessage], Awaitable[None]]:
        """Send to this person; a reply refused for the closed 24-hour window is counted."""

        async def send(message: OutgoingMessage) -> None:
            outcome = await self.graph.send(recipient, message)
            if outcome == "window_closed":
                try:
                    today = dt.datetime.now(dt.UTC).date()
                    await runtime.counters.add(today, CHANNEL, "-", WINDOW_CLOSED_NODE)
                except Exception as exc:  # noqa: BLE001 - a lost count never fails an answer
                    log.warning("counter not updated: %s", type(exc).__name__)

        return send

    async def answer(self, runtime: Runtime, inbound: Inbound) -> None:
        """Answer one message once, however often Meta delivers it."""
        await deliver_once(
            runtime.conversations,
            channel=CHANNEL,
            update_id=inbound.wamid,
            conversation_id=inbound.conversation_id,
            event=inbound.event,
            render=self.render(runtime, inbound.page),
            send=self.sender(runtime, inbound.recipient),
        )


def _runtime(request: Request) -> Runtime:
    runtime = request.app.state.runtime
    assert isinstance(runtime, Runtime)
    return runtime


def _channel(request: Request) -> WhatsAppChannel:
    channel = request.app.state.whatsapp
    assert isinstance(channel, WhatsAppChannel)
    return channel


async def _answer_in_order(
    channel: WhatsAppChannel, runtime: Runtime, messages: list[Inbound]
) -> bool:
    """Answer one person's messages of a batch in order; False when one must come again."""
    for message in messages:
        try:
            await channel.answer(runtime, message)
        except Exception as exc:  # noqa: BLE001 - Meta redelivers after a 5xx
            log.error("whatsapp message not answered yet: %s", type(exc).__name__)
            return False
    return True


def whatsapp_router(settings: Settings) -> APIRouter:
    """The webhook routes; mount them only when ``settings.whatsapp_enabled``."""
    router = APIRouter()

    @router.get(WEBHOOK_PATH)
    async def verify(request: Request) -> Response:
        """Meta's handshake: echo ``hub.challenge`` when the verify token is ours."""
        channel = _channel(request)
        params = request.query_params
        challenge = params.get("hub.challenge", "")
        if (
            params.get("hub.mode") == "subscribe"
            and verify_token_matches(params.get("hub.verify_token"), channel.verify_token)
            and 0 < len(challenge) <= MAX_CHALLENGE
            and challenge.isprintable()
        ):
            return PlainTextResponse(challenge)
        log.warning("whatsapp verification with a wrong token refused")
        return PlainTextResponse("forbidden", status_code=403)

    @router.post(WEBHOOK_PATH)
    async def webhook(request: Request) -> Response:
        """Check the signature on the raw bytes, then answer every message before saying 200."""
        channel = _channel(request)
        runtime = _runtime(request)
        try:
            body = await read_limited_body(request, settings.max_body_bytes)
        except BodyTooLarge:
            return JSONResponse({"error": "body too large"}, status_code=413)
        address = client_address(request)
        limits = runtime.limits
        if limits is not None and (wait := await limits.webhook_attempt(address)):
            return JSONResponse(
                {"error": "too many wrong signatures; try later"},
                status_code=429,
                headers={"Retry-After": str(max(1, math.ceil(wait)))},
            )
        header = request.headers.get("x-hub-signature-256")
        if not signature_matches(body, header, channel.app_secret):
            # Counted per address like Telegram's wrong secrets: past the limit that address is
            # refused for the hour, right signature or not, so forging learns nothing.
            failures = await limits.webhook_failed(address) if limits is not None else 0
            log.warning(
                "whatsapp webhook call with a wrong or missing signature refused (%d from there)",
                failures,
            )
            return JSONResponse({"error": "wrong signature"}, status_code=403)
        try:
            data = json.loads(body)
        except (ValueError, RecursionError):
            return JSONResponse({"error": "not JSON"}, status_code=400)
        inbound = parse_messages(data, channel.graph.phone_number_id)
        # One person's messages in order; different people at once, so a slow turn or send for
        # one never delays another's answer in the same batch.
        people: dict[str, list[Inbound]] = {}
        for message in inbound:
            people.setdefault(str(message.conversation_id), []).append(message)
        outcomes = await asyncio.gather(
            *(_answer_in_order(channel, runtime, messages) for messages in people.values())
        )
        if not all(outcomes):
            return JSONResponse({"error": "try again"}, status_code=503)
        return Response(status_code=200)

    return router
