"""The web chat: a server-rendered page that works without JavaScript, and a small JSON API.

A conversation is keyed by a random session token in a cookie (never an identity, never stored:
only its HMAC is). Buttons are plain form buttons, so the page works on any phone browser; the
script in ``bot/web/static/chat.js`` only makes it feel like a chat and saves reloading the page.
"""

from __future__ import annotations

import json
import math
from typing import Annotated, Any, TypeVar
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse

from bot.channels.web_sessions import WebSessions
from bot.channels.web_view import TEMPLATES, bubbles, chrome, linkify, refused_texts
from bot.conversation import Answer
from bot.engine.types import Event, Reply
from bot.engine.ui import N_
from bot.http import BodyTooLarge, read_limited_body, read_limited_form
from bot.ratelimit import RateLimits, client_address
from bot.runtime import Runtime

__all__ = ["CHANNEL", "COOKIE", "linkify", "missing_page", "web_router"]

R = TypeVar("R", bound=Response)
CHANNEL = "web"
COOKIE = "helpline_session"
MAX_TEXT = 2000
BAD_REQUEST = N_("Sorry, I could not read that. Please try again.")


async def get_runtime(request: Request) -> Runtime:
    """The running service's parts (set by the lifespan). ``async`` although it awaits nothing:
    FastAPI runs a plain ``def`` dependency in its thread pool, a thread hop on every request
    (measured about 4 % of the event loop's time under the webhook bench)."""
    runtime = request.app.state.runtime
    assert isinstance(runtime, Runtime)
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def _session(request: Request, runtime: Runtime) -> tuple[str, bool]:
    """This browser's session token when the server issued it, else a new one (set as the
    cookie on reply); and whether it is new. See ``bot.channels.web_sessions``."""
    return _web(runtime).session(request.cookies.get(COOKIE))


def _web(runtime: Runtime) -> WebSessions:
    assert runtime.web is not None
    return runtime.web


async def _too_fast(request: Request, runtime: Runtime, token: str, fresh: bool) -> float:
    """Seconds to wait before this request is answered (0: answer it now)."""
    limits: RateLimits | None = runtime.limits
    if limits is None:
        return 0.0
    return await limits.web(None if fresh else token, client_address(request))


def _retry_after(response: R, wait: float) -> R:
    response.headers["Retry-After"] = str(max(1, math.ceil(wait)))
    return response


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
    """True for a browser post sent by another site's page.

    SameSite=Lax already keeps our cookie off such posts; refusing them also stops another site
    from replacing a person's session cookie, which would reset their conversation. The browser's
    ``Sec-Fetch-Site`` decides when it is sent; otherwise ``Origin`` must be ours. ``Origin: null``
    (a privacy-minded browser or referrer policy) passes only when ``Sec-Fetch-Site`` vouches for
    the post (``same-origin``, or ``none``: the person's own action, such as a bookmark).
    """
    fetch_site = request.headers.get("sec-fetch-site", "").lower()
    if fetch_site in ("cross-site", "same-site"):
        return True
    origin = request.headers.get("origin")
    if origin is None:
        return False
    if origin.strip().lower() == "null":
        return fetch_site not in ("same-origin", "none")
    ours = {request.headers.get("host", ""), urlsplit(_public_url(request)).netloc} - {""}
    return urlsplit(origin).netloc not in ours


def _forbidden(request: Request) -> Response:
    """The refusal: a kind page in the browser's language for a person, JSON for the script."""
    runtime = request.app.state.runtime
    localizer = runtime.content.current.localizer
    locale = localizer.negotiate(_hint(request))
    if request.url.path.startswith("/api/"):
        text = refused_texts(localizer, locale)
        message = f"{text['heading']}. {text['text']}"
        return JSONResponse(
            {
                "error": message,
                "replies": [{"text": message, "lines": [[None, message]], "buttons": []}],
            },
            status_code=403,
        )
    response = TEMPLATES.TemplateResponse(
        request, "refused.html", {"t": refused_texts(localizer, locale)}, status_code=403
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def missing_page(request: Request, status: int) -> Response | None:
    """A kind page instead of JSON when a person's browser opens an address that does not exist;
    ``None`` for programs (they do not ask for HTML) and for the service's own machine paths."""
    machine = ("/api/", "/admin", "/telegram/", "/metrics", "/healthz", "/static/")
    if "text/html" not in request.headers.get("accept", "") or request.url.path.startswith(machine):
        return None
    runtime = getattr(request.app.state, "runtime", None)
    if not isinstance(runtime, Runtime):
        return None
    localizer = runtime.content.current.localizer
    texts = refused_texts(localizer, localizer.negotiate(_hint(request)), missing=True)
    return TEMPLATES.TemplateResponse(request, "refused.html", {"t": texts}, status_code=status)


def _hint(request: Request) -> str | None:
    """The whole ``Accept-Language`` header: the localizer weighs every tag."""
    return request.headers.get("accept-language", "").strip() or None


def _page(
    request: Request, runtime: Runtime, answer: Answer, token: str, status: int = 200
) -> HTMLResponse:
    localizer = runtime.content.current.localizer
    t = chrome(localizer, answer.locale)
    response = TEMPLATES.TemplateResponse(
        request,
        "chat.html",
        {
            "bubbles": bubbles(answer.replies, localizer, t["lang"]),
            "t": t,
            "max_text": MAX_TEXT,
        },
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
        token, fresh = _session(request, runtime)
        wait = await _too_fast(request, runtime, token, fresh)
        if wait:
            answer = _web(runtime).slow_down(_hint(request))
            return _retry_after(_page(request, runtime, answer, token, status=429), wait)
        answer, status = await _web(runtime).view(token, fresh, _hint(request))
        return _page(request, runtime, answer, token, status=status)

    @router.get("/chat")
    async def form_page() -> Response:
        """A reload or bookmark of the form's address: the chat page itself."""
        return RedirectResponse("/", status_code=303)

    @router.post("/chat", response_class=HTMLResponse)
    async def form_post(request: Request, runtime: RuntimeDep) -> Response:
        """The no-JavaScript path: a form button or the text box, answered with a full page."""
        if _cross_site(request):
            return _forbidden(request)
        token, fresh = _session(request, runtime)
        wait = await _too_fast(request, runtime, token, fresh)
        if wait:
            answer = _web(runtime).slow_down(_hint(request))
            return _retry_after(_page(request, runtime, answer, token, status=429), wait)
        too_large = False
        try:
            fields = await read_limited_form(request, runtime.settings.max_body_bytes)
        except BodyTooLarge:
            fields, too_large = {}, True
        except Exception:  # noqa: BLE001 - any unreadable form gets the same kind answer
            fields = {}
        event = _event_from(fields, _hint(request))
        if event is None:  # an empty form is a page view: it creates nothing
            answer, status = await _web(runtime).view(token, fresh, _hint(request))
        else:
            answer, status = await _web(runtime).turn(token, event)
        if status != 200:
            return _page(request, runtime, answer, token, status=status)
        if too_large:
            notice = Reply(_bad_request_text(runtime, request, answer.locale))
            answer = Answer([notice, *answer.replies], answer.locale, answer.erased)
            return _page(request, runtime, answer, token, status=413)
        return _page(request, runtime, answer, token)

    @router.post("/api/chat")
    async def api_chat(request: Request, runtime: RuntimeDep) -> Response:
        """JSON in (``{"text": ...}`` or ``{"payload": ...}``), replies out."""
        if _cross_site(request):
            return _forbidden(request)
        token, fresh = _session(request, runtime)
        wait = await _too_fast(request, runtime, token, fresh)
        if wait:
            answer = _web(runtime).slow_down(_hint(request))
            return _retry_after(_answer_json(request, runtime, answer, token, status=429), wait)
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
        answer, status = await _web(runtime).turn(token, event)
        return _answer_json(request, runtime, answer, token, status=status)

    return router


def _answer_json(
    request: Request, runtime: Runtime, answer: Answer, token: str, status: int = 200
) -> JSONResponse:
    """The answer for ``chat.js``: its bubbles, and the page chrome in the answer's language."""
    localizer = runtime.content.current.localizer
    t = chrome(localizer, answer.locale)
    response = JSONResponse(
        {
            "locale": t["lang"],
            "chrome": t,
            "erased": answer.erased,
            "replies": bubbles(answer.replies, localizer, t["lang"]),
        },
        status_code=status,
    )
    _set_cookie(request, response, token)
    return response


def _bad_request_text(runtime: Runtime, request: Request, locale: str | None = None) -> str:
    localizer = runtime.content.current.localizer
    locale = locale or localizer.negotiate(_hint(request)) or localizer.locales[0]
    return localizer.translator(locale).gettext(BAD_REQUEST)


def _error(runtime: Runtime, status: int, token: str, request: Request) -> JSONResponse:
    message = _bad_request_text(runtime, request)
    response = JSONResponse(
        {
            "error": message,
            "replies": [{"text": message, "lines": [[None, message]], "buttons": []}],
        },
        status_code=status,
    )
    _set_cookie(request, response, token)
    return response
