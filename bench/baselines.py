"""Baselines for the webhook benchmark, each served by uvicorn on 127.0.0.1.

``bare``: a FastAPI route that answers 200 and does nothing (the stack's limit).
``echo``: a minimal python-telegram-bot echo bot processing each update inside its FastAPI
route (``Update.de_json`` + ``Application.process_update`` before the 200): the usual way to run
PTB behind a webhook, with one ``sendMessage`` per update (and ``answerCallbackQuery`` for a
press). Run: ``python -m bench.baselines bare|echo PORT [BOT_API_URL]``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

os.environ.setdefault("PTB_TIMEDELTA", "true")

import uvicorn
from fastapi import FastAPI, Request, Response

TOKEN = "123456:BENCH-token"


def bare_app() -> FastAPI:
    """200 and nothing else."""
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)

    @app.post("/telegram/webhook")
    async def webhook() -> Response:
        return Response(status_code=200)

    return app


def echo_app(api_url: str) -> FastAPI:
    """The minimal PTB echo bot, processing inside the route."""
    from telegram import Update
    from telegram.ext import Application, CallbackQueryHandler, ContextTypes, MessageHandler
    from telegram.ext import filters as f

    application = (
        Application.builder().token(TOKEN).base_url(f"{api_url}/bot").updater(None).build()
    )

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.effective_message and update.effective_chat:
            await context.bot.send_message(
                update.effective_chat.id, update.effective_message.text or "…"
            )

    async def press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is not None:
            await query.answer()
            if update.effective_chat:
                await context.bot.send_message(update.effective_chat.id, query.data or "…")

    application.add_handler(MessageHandler(f.ALL, echo))
    application.add_handler(CallbackQueryHandler(press))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await application.initialize()
        await application.start()
        yield
        await application.stop()
        await application.shutdown()

    app = FastAPI(lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)

    @app.post("/telegram/webhook")
    async def webhook(request: Request) -> Response:
        update = Update.de_json(await request.json(), application.bot)
        await application.process_update(update)
        return Response(status_code=200)

    return app


def main() -> None:
    """Serve one baseline."""
    kind, port = sys.argv[1], int(sys.argv[2])
    app = bare_app() if kind == "bare" else echo_app(sys.argv[3])
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
