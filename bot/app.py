"""The FastAPI application: web chat, Telegram webhook, health check (and admin pages).

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
from starlette.exceptions import HTTPException as StarletteHTTPException

from bot.admin import admin_router
from bot.channels.telegram import WEBHOOK_PATH, parse_update, secret_matches
from bot.channels.web import RuntimeDep, web_router
from bot.http import BodyTooLarge, SecurityHeaders, read_limited_body
from bot.logs import configure_logging
from bot.runtime import Runtime
from bot.settings import Settings, get_settings

__all__ = ["create_app"]

log = logging.getLogger(__name__)

STATIC = Path(__file__).resolve().parent / "web" / "static"


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the helpline's web application for these settings."""
    settings = settings or get_settings()
    configure_logging(settings.log_level, settings.log_format)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runtime = await Runtime.start(settings)
        app.state.runtime = runtime
        try:
            yield
        finally:
            await runtime.stop()

    app = FastAPI(
        title="Asylum information helpline",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(web_router())
    app.include_router(admin_router(settings))

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
        }
        return JSONResponse(body, status_code=200 if database else 503)

    @app.post(WEBHOOK_PATH)
    async def telegram_webhook(request: Request, runtime: RuntimeDep) -> Response:
        """Check the secret, read the update, queue it for python-telegram-bot; answer at once."""
        application = runtime.telegram
        secret = settings.telegram_webhook_secret
        if application is None or secret is None:
            return JSONResponse({"error": "telegram is not configured"}, status_code=404)
        header = request.headers.get("x-telegram-bot-api-secret-token")
        if not secret_matches(header, secret.get_secret_value()):
            log.warning("webhook call with a wrong or missing secret refused")
            return JSONResponse({"error": "wrong secret token"}, status_code=403)
        try:
            body = await read_limited_body(request, settings.max_body_bytes)
        except BodyTooLarge:
            return JSONResponse({"error": "body too large"}, status_code=413)
        update = parse_update(body, application)
        if update is None:
            return JSONResponse({"error": "not a Telegram update"}, status_code=400)
        await application.update_queue.put(update)
        return Response(status_code=200)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        """A clear 400, without echoing the input back (it may be a person's message)."""
        return JSONResponse({"error": "invalid request"}, status_code=400)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        """Plain JSON errors for unknown paths and methods."""
        return JSONResponse({"error": str(exc.detail)}, status_code=exc.status_code)

    return app
