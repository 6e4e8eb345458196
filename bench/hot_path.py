"""CPU time per webhook turn, in process, with a pyinstrument profile: this code or an older one.

``python bench/hot_path.py [TURNS]`` profiles whichever ``bot`` package comes first on the path:
this checkout's (the update answered inside ``TelegramChannel.handle``), or, with
``PYTHONPATH=OLD_CHECKOUT``, the code before the delivery work (``Update.de_json`` +
``Application.process_update``: one commit for the state, one for the counter, one
``sendMessage`` per bubble). The fake Bot API runs in another process, so its CPU is not counted.
``VIA=asgi`` posts each update through the app's ASGI callable instead (the route, middleware,
secret check and response counted too; uvicorn's parsing and writes are not).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SESSION = [
    ("text", "/start"),
    ("press", "b:welcome:main"),
    ("press", "b:main:asylum"),
    ("text", "quiero pedir asilo"),
    ("press", "nav:back"),
    ("text", "necesito un abogado gratis"),
    ("press", "nav:menu"),
]


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _update(kind: str, value: str, chat_id: int, number: int) -> bytes:
    user = {"id": chat_id, "is_bot": False, "first_name": "Bench", "language_code": "es-MX"}
    message = {
        "message_id": number,
        "date": int(time.time()),
        "chat": {"id": chat_id, "type": "private"},
        "from": user,
        "text": value if kind == "text" else "(earlier)",
    }
    if kind == "text":
        return json.dumps({"update_id": number, "message": message}).encode()
    query = {"id": str(number), "from": user, "chat_instance": "1", "data": value}
    return json.dumps(
        {"update_id": number, "callback_query": {**query, "message": message}}
    ).encode()


def _bodies(count: int, first: int) -> list[bytes]:
    bodies = []
    for number in range(count):
        kind, value = SESSION[number % len(SESSION)]
        chat_id = 7_000_000 + first + number // len(SESSION)
        bodies.append(_update(kind, value, chat_id, first + number))
    return bodies


async def _through_app(app: Any, secret: str, body: bytes) -> None:
    """POST ``body`` to the webhook through the app's ASGI callable, as uvicorn calls it (its
    HTTP parsing and writes left out): the middleware, the route, the secret check, the body's
    reading and the response are counted with the turn."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/telegram/webhook",
        "raw_path": b"/telegram/webhook",
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"127.0.0.1:8000"),
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"x-telegram-bot-api-secret-token", secret.encode()),
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }
    messages = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive() -> dict[str, Any]:
        if messages:
            return messages.pop()
        await asyncio.Event().wait()  # the client stays connected
        raise AssertionError

    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)
    assert sent[0]["status"] == 200, sent[0]


async def main(turns: int) -> None:
    """Warm up one visit, then time and profile ``turns`` turns."""
    from pyinstrument import Profiler

    import bot.channels.telegram as telegram
    from bot.app import create_app
    from bot.settings import Settings

    port = _port()
    fake = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import sys; sys.path.insert(0, {str(HERE.parent)!r}); "
            "import uvicorn; from bench.webhook_bench import FakeBotApi; "
            f"uvicorn.run(FakeBotApi(), host='127.0.0.1', port={port}, log_level='warning', "
            "lifespan='off')",
        ],
    )
    time.sleep(2)
    try:  # the fake Bot API is stopped whatever fails below (weak settings included)
        folder = Path(tempfile.mkdtemp(prefix="helpline-hot-"))
        values = dict(
            _env_file=None,
            data_dir=folder,
            database_url=f"sqlite:///{folder / 'h.db'}",
            state_secret=secrets.token_urlsafe(32),
            telegram_bot_token="123456:BENCH-token",
            telegram_webhook_secret=secrets.token_urlsafe(32),
            public_url="https://bench.example.org",
            telegram_api_base_url=f"http://127.0.0.1:{port}",
            content_watch_seconds=0,
        )
        if "telegram_rate_limit" in Settings.model_fields:
            values["telegram_rate_limit"] = 0
        settings = Settings(**values)
        app = create_app(settings)
        async with app.router.lifespan_context(app):
            runtime = app.state.runtime
            if hasattr(telegram, "TelegramChannel") and os.environ.get("VIA") == "asgi":
                label = "through the whole ASGI app (secret, body, middleware, route, response)"
                secret = settings.telegram_webhook_secret.get_secret_value()

                async def turn(body: bytes) -> None:
                    await _through_app(app, secret, body)
            elif hasattr(telegram, "TelegramChannel"):
                label = "after (answered inside the webhook)"

                async def turn(body: bytes) -> None:
                    await runtime.telegram.handle(body)
            else:
                label = "before (PTB de_json + process_update, one sendMessage per bubble)"
                application = runtime.telegram
                application.bot._rate_limiter = None  # CPU only: no 30/s pacing sleeps

                async def turn(body: bytes) -> None:
                    update = telegram.parse_update(body, application)
                    await application.process_update(update)

            for body in _bodies(len(SESSION), 1):
                await turn(body)
            # The classifier trains in a background thread after the start; its CPU would be
            # counted as the turns' (process time), so the turns are timed once it is in.
            content = getattr(runtime, "content", None)
            for _ in range(600):
                if content is None or getattr(content, "classifier_ready", True):
                    break
                await asyncio.sleep(0.1)
            bodies = _bodies(turns, 10_000)
            # PROFILE=0: the same turns without the profiler (its own CPU is then not counted).
            profiling = os.environ.get("PROFILE", "1") == "1"
            profiler = Profiler(async_mode="enabled")
            cpu, wall = time.process_time(), time.perf_counter()
            with profiler if profiling else contextlib.nullcontext():
                for body in bodies:
                    await turn(body)
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            print(
                f"{label}: {turns} turns, {cpu / turns * 1e6:,.0f} µs CPU and "
                f"{wall / turns * 1e6:,.0f} µs wall per turn"
            )
            if profiling and os.environ.get("PROFILE_TEXT", "1") == "1":
                print(profiler.output_text(unicode=True, color=False, show_all=False))
    finally:
        fake.terminate()
        fake.wait()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 140))
