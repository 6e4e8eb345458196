"""The web chat: a server-rendered page that works without JavaScript, and a small JSON API.

A conversation is keyed by a random session token in a cookie (never an identity, never stored:
only its HMAC is). Buttons are plain form buttons, so the page works on any phone browser; the
script in ``bot/web/static/chat.js`` only makes it feel like a chat and saves reloading the page.
"""

from __future__ import annotations

import json
import re
import secrets
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from bot.conversation import Answer
from bot.engine.types import Event, Reply
from bot.engine.ui import N_
from bot.http import BodyTooLarge, read_limited_body, read_limited_form
from bot.runtime import Runtime

__all__ = ["CHANNEL", "COOKIE", "linkify", "web_router"]

CHANNEL = "web"
COOKIE = "helpline_session"
MAX_TEXT = 2000
TEMPLATES = Jinja2Templates(
    directory=str(Path(__file__).resolve().parent.parent / "web" / "templates")
)

PAGE_TITLE = N_("Protection information helpline")
WRITE_HERE = N_("Write your question")
SEND = N_("Send")
BAD_REQUEST = N_("Sorry, I could not read that. Please try again.")

_LINKS = re.compile(
    r"(?P<url>https?://[^\s<>\"')]+[^\s<>\"').,;:])"
    r"|(?P<phone>(?<![\w-])(?:1-)?\d{3}-\d{3}-\d{4}(?![\w-])|(?<![\w-])(?:911|988)(?![\w-]))"
)


def linkify(text: str) -> Markup:
    """Escape text and make web addresses and phone numbers tappable."""

    def replace(match: re.Match[str]) -> str:
        if match.group("url"):
            url = match.group("url")
            return f'<a href="{url}" rel="noopener noreferrer" target="_blank">{url}</a>'
        phone = match.group("phone")
        return f'<a href="tel:{phone.replace("-", "")}">{phone}</a>'

    return Markup(_LINKS.sub(replace, str(escape(text))))


TEMPLATES.env.filters["linkify"] = linkify


def get_runtime(request: Request) -> Runtime:
    """The running service's parts (set by the lifespan)."""
    runtime = request.app.state.runtime
    assert isinstance(runtime, Runtime)
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def _session(request: Request) -> str:
    """This browser's session token, or a new random one (it is set as the cookie on reply)."""
    token = request.cookies.get(COOKIE, "")
    if 20 <= len(token) <= 100 and token.isascii():
        return token
    return secrets.token_urlsafe(32)


def _public_url(request: Request) -> str:
    runtime = request.app.state.runtime
    return (runtime.settings.public_url or "") if isinstance(runtime, Runtime) else ""


def _set_cookie(request: Request, response: Response, token: str) -> None:
    """HttpOnly, SameSite=Lax; Secure over HTTPS, including behind a TLS proxy (``PUBLIC_URL``)."""
    response.set_cookie(
        COOKIE,
        token,
        max_age=7 * 24 * 3600,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https" or _public_url(request).startswith("https://"),
    )


def _cross_site(request: Request) -> bool:
    """True for a browser post sent by another site's page (its ``Origin`` is not ours).

    SameSite=Lax already keeps our cookie off such posts; refusing them also stops another site
    from replacing a person's session cookie, which would reset their conversation.
    """
    origin = request.headers.get("origin")
    if origin is None:
        return False
    ours = {request.headers.get("host", ""), urlsplit(_public_url(request)).netloc} - {""}
    return urlsplit(origin).netloc not in ours


def _forbidden() -> JSONResponse:
    return JSONResponse({"error": "cross-site request refused"}, status_code=403)


def _hint(request: Request) -> str | None:
    """The whole ``Accept-Language`` header: the localizer weighs every tag."""
    return request.headers.get("accept-language", "").strip() or None


def _reply_json(reply: Reply) -> dict[str, Any]:
    return {
        "text": reply.text,
        "buttons": [{"label": b.label, "payload": b.payload, "url": b.url} for b in reply.buttons],
    }


def _chrome(runtime: Runtime, locale: str | None) -> dict[str, str]:
    localizer = runtime.content.current.localizer
    t = localizer.translator(locale or localizer.locales[0])
    return {
        "lang": t.locale,
        "title": t.gettext(PAGE_TITLE),
        "write": t.gettext(WRITE_HERE),
        "send": t.gettext(SEND),
    }


def _page(
    request: Request, runtime: Runtime, answer: Answer, token: str, status: int = 200
) -> HTMLResponse:
    response = TEMPLATES.TemplateResponse(
        request,
        "chat.html",
        {"replies": answer.replies, "t": _chrome(runtime, answer.locale), "max_text": MAX_TEXT},
        status_code=status,
    )
    _set_cookie(request, response, token)
    response.headers["Cache-Control"] = "no-store"
    return response


def _well_formed(text: str) -> str:
    """Replace lone UTF-16 surrogates, which JSON allows (``"\\ud83d"``: half an emoji cut by a
    length limit) but which cannot be encoded as UTF-8, as the language detector needs."""
    return text.encode("utf-8", "replace").decode("utf-8")


def _event_from(fields: dict[str, Any], hint: str | None) -> Event | None:
    payload = fields.get("payload")
    text = fields.get("text")
    if isinstance(payload, str) and payload:
        return Event.pressed(_well_formed(payload[:64]), language_hint=hint)
    if isinstance(text, str) and text.strip():
        return Event.typed(_well_formed(text[: MAX_TEXT + 1]), language_hint=hint)
    return None


def web_router() -> APIRouter:
    """Routes of the web chat: the page, its form posts and the JSON API."""
    router = APIRouter()

    @router.get("/", response_class=HTMLResponse)
    async def page(request: Request, runtime: RuntimeDep) -> HTMLResponse:
        """Show the current screen of this browser's conversation (or the language choice)."""
        token = _session(request)
        here = Event.pressed("nav:here", _hint(request))
        answer = await runtime.conversations.answer(CHANNEL, token, here)
        return _page(request, runtime, answer, token)

    @router.post("/chat", response_class=HTMLResponse)
    async def form_post(request: Request, runtime: RuntimeDep) -> Response:
        """The no-JavaScript path: a form button or the text box, answered with a full page."""
        if _cross_site(request):
            return _forbidden()
        token = _session(request)
        too_large = False
        try:
            fields = await read_limited_form(request, runtime.settings.max_body_bytes)
        except BodyTooLarge:
            fields, too_large = {}, True
        except Exception:  # noqa: BLE001 - any unreadable form gets the same kind answer
            fields = {}
        event = _event_from(fields, _hint(request))
        if event is None:
            event = Event.pressed("nav:here", _hint(request))
        answer = await runtime.conversations.answer(CHANNEL, token, event)
        if too_large:
            notice = Reply(_bad_request_text(runtime, request, answer.locale))
            answer = Answer([notice, *answer.replies], answer.locale)
            return _page(request, runtime, answer, token, status=413)
        return _page(request, runtime, answer, token)

    @router.post("/api/chat")
    async def api_chat(request: Request, runtime: RuntimeDep) -> Response:
        """JSON in (``{"text": ...}`` or ``{"payload": ...}``), replies out."""
        if _cross_site(request):
            return _forbidden()
        token = _session(request)
        try:
            body = await read_limited_body(request, runtime.settings.max_body_bytes)
        except BodyTooLarge:
            return _error(runtime, 413, token, request)
        try:
            data = json.loads(body)
        except (ValueError, RecursionError):  # not UTF-8, not JSON, or nested too deep
            return _error(runtime, 400, token, request)
        event = _event_from(data if isinstance(data, dict) else {}, _hint(request))
        if event is None:
            return _error(runtime, 400, token, request)
        answer = await runtime.conversations.answer(CHANNEL, token, event)
        response = JSONResponse(
            {"locale": answer.locale, "replies": [_reply_json(r) for r in answer.replies]}
        )
        _set_cookie(request, response, token)
        return response

    return router


def _bad_request_text(runtime: Runtime, request: Request, locale: str | None = None) -> str:
    localizer = runtime.content.current.localizer
    locale = locale or localizer.negotiate(_hint(request)) or localizer.locales[0]
    return localizer.translator(locale).gettext(BAD_REQUEST)


def _error(runtime: Runtime, status: int, token: str, request: Request) -> JSONResponse:
    message = _bad_request_text(runtime, request)
    response = JSONResponse(
        {"error": message, "replies": [{"text": message, "buttons": []}]}, status_code=status
    )
    _set_cookie(request, response, token)
    return response
