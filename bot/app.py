"""The FastAPI application: web chat, Telegram webhook, health checks (and admin pages).

``create_app(settings)`` builds a fresh app; its lifespan starts and stops the ``Runtime``
(database, content, python-telegram-bot). Nothing is created at import time, so tests can build
as many apps as they need with their own settings.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.telemetry import TelemetryConfig
from starlette.exceptions import HTTPException as StarletteHTTPException

from bot.admin import admin_router
from bot.bodies import BodyDeadline
from bot.channels.telegram_updates import WEBHOOK_PATH
from bot.channels.web import RuntimeDep, missing_page, web_router
from bot.http import BodyTooLarge, SecurityHeaders, read_limited_body
from bot.logs import configure_logging
from bot.ratelimit import webhook_guard
from bot.runtime import Runtime
from bot.settings import Settings, get_settings
from bot.warmup import AfterFirstAnswer

__all__ = ["create_app"]

log = logging.getLogger(__name__)

STATIC = Path(__file__).resolve().parent / "web" / "static"
NO_TELEMETRY: TelemetryConfig = {"tracing": False, "metrics": False, "logs": False}


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the helpline's web application for these settings."""
    settings = settings or get_settings()
    configure_logging(settings.log_level, settings.log_format)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runtime = await Runtime.start(settings)
        app.state.runtime = runtime
        whatsapp = None
        if settings.whatsapp_enabled:
            from bot.channels.whatsapp import WhatsAppChannel

            whatsapp = app.state.whatsapp = WhatsAppChannel.from_settings(settings)
            log.info("whatsapp webhook on at %s", "/whatsapp/webhook")
        try:
            yield
        finally:
            if whatsapp is not None:
                await whatsapp.graph.close()
            await runtime.stop()

    app = FastAPI(
        title="Asylum information helpline",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        # FastAPI's OpenTelemetry hooks look the global providers up on every request; the
        # helpline exports no traces or metrics (a span would carry client addresses and paths).
        telemetry=NO_TELEMETRY,
    )
    app.add_middleware(SecurityHeaders)
    app.add_middleware(BodyDeadline)
    app.add_middleware(AfterFirstAnswer)

    async def telegram_webhook(request: Request) -> Response:
        """Check the secret, read the update and answer it before responding (see
        ``bot.channels.telegram``): 200 once answered, 400 for a wrong shape, 5xx to be resent."""
        runtime: Runtime = request.app.state.runtime
        channel = runtime.telegram
        secret = settings.telegram_webhook_secret
        if channel is None or secret is None:
            return JSONResponse({"error": "telegram is not configured"}, status_code=404)
        if refused := await webhook_guard(request, runtime.limits, secret.get_secret_value()):
            return refused
        try:
            body = await read_limited_body(request, settings.max_body_bytes)
        except BodyTooLarge:
            return JSONResponse({"error": "body too large"}, status_code=413)
        response: Response = await channel.handle(body)
        return response

    # The webhook is the busiest route: first in the router (every route before it is matched
    # against each update's path), and a plain Starlette route, since it takes nothing FastAPI
    # would parse or inject (its dependency solving cost more than the route's own work).
    app.add_route(WEBHOOK_PATH, telegram_webhook, methods=["POST"], include_in_schema=False)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(web_router())
    app.include_router(admin_router(settings))
    if settings.whatsapp_enabled:
        from bot.channels.whatsapp import whatsapp_router

        app.include_router(whatsapp_router(settings))

    @app.get("/healthz")
    async def healthz(runtime: RuntimeDep) -> JSONResponse:
        """Liveness and readiness: the database answers and content is loaded."""
        database = await runtime.database_ok()
        body = {
            "status": "ok" if database else "degraded",
            "database": database,
            "nodes": len(runtime.content.current.flows.nodes),
            "languages": runtime.content.current.localizer.locales,
            "telegram": runtime.telegram is not None,
            "whatsapp": settings.whatsapp_enabled,
        }
        return JSONResponse(body, status_code=200 if database else 503)

    @app.get("/livez")
    async def livez() -> JSONResponse:
        """The process is up and serving (no dependency is checked)."""
        return JSONResponse({"status": "ok"})

    @app.get("/readyz")
    async def readyz(runtime: RuntimeDep) -> JSONResponse:
        """Ready for people: the database answers, content is loaded, Telegram can answer.
        ``classifier`` says whether typed text already gets the trained classifier (it is not
        waited for: see ``Runtime.ready``)."""
        database = await runtime.database_ok()
        ready = database and runtime.ready
        body = {
            "status": "ok" if ready else "not ready",
            "database": database,
            "content": bool(runtime.content.current.flows.nodes),
            "telegram": None if runtime.telegram is None else runtime.telegram.ready,
            "classifier": runtime.content.classifier_ready,
        }
        return JSONResponse(body, status_code=200 if ready else 503)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        """A clear 400, without echoing the input back (it may be a person's message)."""
        return JSONResponse({"error": "invalid request"}, status_code=400)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        """Plain JSON errors for unknown paths and methods (with their headers: Retry-After);
        a kind page for a person's browser."""
        if exc.status_code in (404, 405):
            page = missing_page(request, exc.status_code)
            if page is not None:
                return page
        return JSONResponse(
            {"error": str(exc.detail)}, status_code=exc.status_code, headers=exc.headers
        )

    return app
