"""The Telegram webhook under load, against its baselines measured in the same run.

One command starts everything on 127.0.0.1 (a fake Bot API with no limits, in this process; the
servers as their own processes), runs, stops it all and prints every figure:

- answered updates per second and p50/p95/p99 from POST to the reply (the reply in the webhook
  response body, or the fake Bot API's record of the first ``sendMessage``), closed loop at
  concurrency 1, 8, 32, 128, with a realistic mix (``/start`` from new chats, button presses,
  typed text) — for a bare FastAPI route (the stack's limit), a minimal python-telegram-bot
  echo bot processing inside its route, and the helpline on SQLite (1 worker) and PostgreSQL
  (1 and 2 workers, where a server answers on 127.0.0.1:5432);
- open loop at 200 offered updates per second (latency from the scheduled send, so a slow
  server cannot hide its queue);
- a 5-second burst at the highest rate this generator posts: time until the last answer;
- seconds from process start to the first answered update; RSS at rest and after load; for the
  helpline also when its classifier (trained in the background from a fresh ``DATA_DIR``) is in
  service, and, at the end, its start-up beside the bare FastAPI app's from the same run, with
  the ratio (RSS at rest is measured once the classifier is in).

``python -m bench.webhook_bench [--quick] [--duration S] [--levels 1,8] [--before DIR]``;
``--before DIR`` also measures an older checkout (e.g. the code before the delivery work).
``--profile`` prints a pyinstrument profile of the helpline's webhook hot path instead.
``--rounds N`` measures only the closed loops, with every server started at once and measured in
turn, N rounds per level (``--before DIR`` too), medians: a sequential run compares servers
measured minutes apart, which on a shared machine can be minutes of another load.
``--startup N`` measures only start-ups, N rounds (the helpline fresh and restarted on the same
``DATA_DIR`` and database; with ``--before DIR`` the older checkout too, in the same rounds), and
prints the medians beside the bare app's.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import gc
import itertools
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import aiohttp
import uvicorn

REPO = Path(__file__).resolve().parent.parent
# Fresh strong secrets for each run: the service refuses weak ones (bot/secretcheck.py).
SECRET = secrets.token_urlsafe(32)
STATE_SECRET = secrets.token_urlsafe(32)
TOKEN = "123456:BENCH-token"
HEADERS = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}
LEVELS = [1, 8, 32, 128]
OPEN_LOOP_CONNECTIONS = 64
"""Connections made before the open loop starts (more are opened if ever all are busy)."""
TIMEOUT = aiohttp.ClientTimeout(total=60)
_update_ids = itertools.count(10_000)
_chat_ids = itertools.count(5_000_000)

SESSION: list[tuple[str, str]] = [
    ("text", "/start"),
    ("press", "b:welcome:main"),
    ("press", "b:main:asylum"),
    ("text", "quiero pedir asilo"),
    ("press", "nav:back"),
    ("text", "necesito un abogado gratis"),
    ("press", "nav:menu"),
]
"""One person's visit: a new chat starts, presses, types; then the next person."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def update_for(kind: str, value: str, chat_id: int) -> dict[str, Any]:
    user = {"id": chat_id, "is_bot": False, "first_name": "Bench", "language_code": "es-MX"}
    message = {
        "message_id": next(_update_ids),
        "date": int(time.time()),
        "chat": {"id": chat_id, "type": "private", "first_name": "Bench"},
        "from": user,
    }
    if kind == "text":
        message["text"] = value
        if value.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(value)}]
        return {"update_id": next(_update_ids), "message": message}
    message["text"] = "(earlier screen)"
    return {
        "update_id": next(_update_ids),
        "callback_query": {
            "id": str(next(_update_ids)),
            "from": user,
            "chat_instance": "1",
            "data": value,
            "message": message,
        },
    }


# -- the fake Bot API, in this process ----------------------------------------------------------


@dataclass
class FakeBotApi:
    """Answers every Bot API method at once and notes when each chat got a ``sendMessage``."""

    sent: dict[int, float] = field(default_factory=dict)
    calls: int = 0

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        method = scope["path"].rstrip("/").rsplit("/", 1)[-1]
        self.calls += 1
        params: dict[str, Any] = {}
        if body:
            try:
                params = json.loads(body)
            except ValueError:
                params = dict(parse_qsl(body.decode()))
        result: Any = True
        if method == "getMe":
            result = {"id": 1, "is_bot": True, "first_name": "Bench", "username": "bench_bot"}
        elif method == "sendMessage":
            chat_id = int(params.get("chat_id", 0))
            self.sent.setdefault(chat_id, time.perf_counter())
            result = {
                "message_id": self.calls,
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private"},
                "text": str(params.get("text", ""))[:10],
            }
        payload = json.dumps({"ok": True, "result": result}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": payload})


# -- servers ------------------------------------------------------------------------------------


@dataclass
class Server:
    """A server process under test."""

    name: str
    process: subprocess.Popen[bytes]
    base: str
    reply_in_body: bool
    started_at: float

    def rss_mb(self) -> float:
        """Resident memory of the process and its children (workers), in MB."""
        total = 0
        for pid in [self.process.pid, *_children(self.process.pid)]:
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            except OSError:
                continue
        return total / 1024

    def cpu_seconds(self, *, children: bool = False) -> float:
        """User and system CPU time of the server process itself (with ``children``: and of
        its live children, the workers)."""
        total = 0.0
        pids = [self.process.pid, *(_children(self.process.pid) if children else [])]
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
            except OSError:
                continue
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return total

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            kids = [int(k) for k in (task / "children").read_text().split()]
        except OSError:
            continue
        for kid in kids:
            found += [kid, *_children(kid)]
    return found


def start_helpline(
    name: str, api: str, database_url: str, workers: int, data: Path, app_dir: Path = REPO
) -> Server:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_"))}
    env.update(
        DATA_DIR=str(data),
        DATABASE_URL=database_url,
        STATE_SECRET=STATE_SECRET,
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_WEBHOOK_SECRET=SECRET,
        PUBLIC_URL="https://bench.example.org",
        TELEGRAM_API_BASE_URL=api,
        TELEGRAM_RATE_LIMIT="0",  # the fake Bot API has no limit (as in the numbers)
        CONTENT_WATCH_SECONDS="0",
        # BENCH_LOG_LEVEL=INFO keeps the service's start-up lines in its log (service.log)
        LOG_LEVEL=os.environ.get("BENCH_LOG_LEVEL", "WARNING"),
        PYTHONPATH=str(app_dir),
    )
    command = [sys.executable, "-m", "bot", "run", "--port", str(port)]
    if workers > 1:
        command += ["--workers", str(workers)]
    # Bytecode as a deployment has it (pip compiles an installed package; ``make run`` runs
    # compileall): without it, PYTHONDONTWRITEBYTECODE makes every start compile our modules.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(app_dir / "bot")], check=True)
    started = time.perf_counter()
    data.mkdir(parents=True, exist_ok=True)
    log = (data / "service.log").open("wb")
    process = subprocess.Popen(
        command,
        cwd=app_dir,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    return Server(name, process, f"http://127.0.0.1:{port}", True, started)


def start_baseline(kind: str, api: str) -> Server:
    port = free_port()
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.baselines", kind, str(port), api],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    return Server(kind, process, f"http://127.0.0.1:{port}", kind != "bare", started)


# -- load ---------------------------------------------------------------------------------------


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    elapsed: float = 0.0

    def per_second(self) -> float:
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0

    def percentile(self, share: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


async def one_update(
    client: aiohttp.ClientSession,
    server: Server,
    fake: FakeBotApi,
    update: dict[str, Any],
    chat_id: int,
    started: float,
) -> float | None:
    """POST one update; seconds until its reply (body or fake record), or None if none came."""
    fake.sent.pop(chat_id, None)
    try:
        async with client.post(
            f"{server.base}/telegram/webhook", data=json.dumps(update).encode()
        ) as response:
            status, content = response.status, await response.read()
    except (aiohttp.ClientError, TimeoutError):
        return None
    now = time.perf_counter()
    if status != 200:
        return None
    if not server.reply_in_body:
        return now - started  # the bare route: a 200 is all it does
    if b'"method"' in content:
        return now - started
    deadline = now + 30
    while chat_id not in fake.sent and time.perf_counter() < deadline:
        await asyncio.sleep(0.002)
    return fake.sent[chat_id] - started if chat_id in fake.sent else None


async def closed_loop(server: Server, fake: FakeBotApi, concurrency: int, seconds: float) -> Result:
    """``concurrency`` people, each on its own keep-alive connection (as Telegram opens several
    to a webhook), posting their visits one update after another.

    Each person has a client of its own with one connection, made before the clock starts: one
    shared httpx pool of ``concurrency`` connections checked every connection of the pool (a
    ``getpeername`` and a readability poll each) on every request and response, so at 32 and
    128 the generator itself spent all its CPU there and measured 90 updates/s against the
    bare route that does nothing (the servers were nearly idle)."""
    result = Result()

    async with contextlib.AsyncExitStack() as stack:
        clients = [await _connection(stack) for _ in range(concurrency)]
        gc.collect()  # the generator's own garbage from earlier levels, collected off the clock
        stop_at = time.perf_counter() + seconds

        async def person(client: aiohttp.ClientSession) -> None:
            while time.perf_counter() < stop_at:
                chat_id = next(_chat_ids)
                for kind, value in SESSION:
                    if time.perf_counter() >= stop_at:
                        return
                    start = time.perf_counter()
                    latency = await one_update(
                        client, server, fake, update_for(kind, value, chat_id), chat_id, start
                    )
                    if latency is None:
                        result.errors += 1
                    else:
                        result.latencies.append(latency)

        begin = time.perf_counter()
        await asyncio.gather(*(person(client) for client in clients))
        result.elapsed = time.perf_counter() - begin
    return result


def _client(
    connections: int = 1, timeout: aiohttp.ClientTimeout = TIMEOUT
) -> aiohttp.ClientSession:
    """A client of this generator: aiohttp, whose HTTP parser is in C. httpx spent 1.4-2.4 ms
    of this process's CPU per update (more than the helpline's server did for it, 1.3-1.8 ms,
    on 2026-12-03), so at concurrency 1 the figures measured the generator as much as the
    servers; aiohttp makes the same POST in a fraction of that."""
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=connections),
        headers=HEADERS,
        timeout=timeout,
    )


async def _connection(stack: contextlib.AsyncExitStack) -> aiohttp.ClientSession:
    """A client with one keep-alive connection, closed with ``stack`` (under a millisecond)."""
    return await stack.enter_async_context(_client())


async def open_loop(server: Server, fake: FakeBotApi, rate: float, seconds: float) -> Result:
    """``rate`` updates per second offered on schedule (new chats: /start and a typed text).

    Each update takes an idle one-connection client (a new one only when all are busy), for the
    same reason as ``closed_loop``: one shared pool of many connections costs the generator
    time per connection on every request, and after the closed loops it had hundreds open,
    so a short stall grew into p99s of 100-230 ms for every server, the echo bot included."""
    result = Result()
    async with contextlib.AsyncExitStack() as stack:
        idle = [await _connection(stack) for _ in range(OPEN_LOOP_CONNECTIONS)]
        gc.collect()
        begin = time.perf_counter()
        tasks = []
        total = int(rate * seconds)

        async def fire(number: int, due: float) -> None:
            chat_id = next(_chat_ids)
            kind, value = SESSION[0] if number % 2 == 0 else SESSION[3]
            client = idle.pop() if idle else await _connection(stack)
            try:
                latency = await one_update(
                    client, server, fake, update_for(kind, value, chat_id), chat_id, due
                )
            finally:
                idle.append(client)
            if latency is None:
                result.errors += 1
            else:
                result.latencies.append(latency)

        for number in range(total):
            due = begin + number / rate if rate > 0 else time.perf_counter()
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            elif rate <= 0:
                await asyncio.sleep(0)
            tasks.append(asyncio.create_task(fire(number, due)))
            if rate <= 0 and time.perf_counter() - begin >= seconds:
                break
        await asyncio.gather(*tasks)
        result.elapsed = time.perf_counter() - begin
    return result


async def burst(server: Server, fake: FakeBotApi, seconds: float) -> tuple[int, float, int]:
    """Post as fast as this generator can for ``seconds``; (posted, s to the last answer, lost)."""
    result = Result()
    async with _client(256, aiohttp.ClientTimeout(total=120)) as client:
        begin = time.perf_counter()
        tasks: list[asyncio.Task[None]] = []

        async def fire() -> None:
            chat_id = next(_chat_ids)
            start = time.perf_counter()
            latency = await one_update(
                client, server, fake, update_for("text", "/start", chat_id), chat_id, start
            )
            if latency is None:
                result.errors += 1
            else:
                result.latencies.append(start + latency - begin)

        while time.perf_counter() - begin < seconds:
            tasks.append(asyncio.create_task(fire()))
            await asyncio.sleep(0)
        await asyncio.gather(*tasks)
    last = max(result.latencies) if result.latencies else float("nan")
    return len(tasks), last, result.errors


async def warm_up(server: Server, fake: FakeBotApi) -> None:
    """One whole visit, unmeasured: lazy loads (language models) happen here, not in a figure."""
    async with _client() as client:
        chat_id = next(_chat_ids)
        for kind, value in SESSION:
            update = update_for(kind, value, chat_id)
            await one_update(client, server, fake, update, chat_id, time.perf_counter())


async def wait_answered(server: Server, fake: FakeBotApi, timeout: float = 120) -> float:
    """Seconds from process start to the first answered update."""
    deadline = time.perf_counter() + timeout
    async with _client(timeout=aiohttp.ClientTimeout(total=5)) as client:
        while time.perf_counter() < deadline:
            if server.process.poll() is not None:
                raise RuntimeError(
                    f"{server.name} ended with code {server.process.returncode} before answering"
                )
            chat_id = next(_chat_ids)
            start = time.perf_counter()
            latency = await one_update(
                client, server, fake, update_for("text", "/start", chat_id), chat_id, start
            )
            if latency is not None:
                return time.perf_counter() - server.started_at
            await asyncio.sleep(0.05)
    raise RuntimeError(f"{server.name} never answered (its log is in the bench's temp folder)")


async def wait_classifier(server: Server, timeout: float = 300) -> float | None:
    """Seconds from process start until the classifier is in service on every worker; ``None``
    for a server that does not say (an older checkout, the baselines).

    ``/readyz`` answers from one worker: with two, the first "classifier": true came while the
    other still trained, so the first level was measured beside a training child (a negative
    CPU figure, when it exited) and "RSS at rest" counted it (2026-12-03). So once it says true,
    this also waits until the server's processes are quiet (``_quiet``)."""
    deadline = time.perf_counter() + timeout
    async with _client(timeout=aiohttp.ClientTimeout(total=5)) as client:
        while time.perf_counter() < deadline:
            try:
                async with client.get(f"{server.base}/readyz") as response:
                    content = await response.read()
            except (aiohttp.ClientError, TimeoutError):
                await asyncio.sleep(0.1)
                continue
            try:
                state = json.loads(content).get("classifier")
            except (ValueError, AttributeError):
                return None  # no JSON readiness: a baseline
            if state is None:
                return None
            if state:
                return await _quiet(server, deadline)
            await asyncio.sleep(0.1)
    raise RuntimeError(f"{server.name}: the classifier never came into service")


QUIET_CPU = 0.1
"""CPU seconds per second below which a server's process tree is at rest."""


async def _quiet(server: Server, deadline: float) -> float:
    """Seconds from process start until two one-second windows in a row in which the server's
    processes used less than ``QUIET_CPU`` and none exited (a training child that exits takes
    its CPU time with it: the sum falls). Nothing is posted meanwhile."""
    quiet_since: float | None = None
    while time.perf_counter() < deadline:
        began = time.perf_counter()
        before = server.cpu_seconds(children=True)
        await asyncio.sleep(1.0)
        used = server.cpu_seconds(children=True) - before
        if 0 <= used < QUIET_CPU:
            if quiet_since is not None:
                return quiet_since - server.started_at
            quiet_since = began
        else:
            quiet_since = None
    raise RuntimeError(f"{server.name}: still busy after its classifier came into service")


@dataclass
class Startup:
    """One server's start: first answer, classifier in service, memory."""

    first_answer: float
    rss_first: float
    rss_rest: float
    classifier: float | None = None
    cpu_first: float | None = None
    """CPU seconds the server process had used at its first answer (less shaken by the other
    processes on a shared machine than the wall-clock figure)."""


def startup_lines(starts: dict[str, Startup]) -> list[str]:
    """Each server's start beside the bare FastAPI app's, as ratios."""
    bare = starts.get("bare FastAPI route")
    lines = ["start-up (fresh DATA_DIR; RSS at rest after one visit, classifier in service)"]
    for label, start in starts.items():
        ratio = ""
        if bare is not None and label != "bare FastAPI route":
            ratio = (
                f"  ({start.first_answer / bare.first_answer:.1f}x, "
                f"{start.rss_rest / bare.rss_rest:.1f}x bare)"
            )
        trained = (
            f"; classifier in service {start.classifier:.2f} s after start"
            if start.classifier is not None
            else ""
        )
        cpu = f" (CPU {start.cpu_first:4.2f} s)" if start.cpu_first is not None else ""
        lines.append(
            f"    {label:<26} first answer {start.first_answer:5.2f} s{cpu}, RSS then "
            f"{start.rss_first:4.0f} MB, at rest {start.rss_rest:4.0f} MB{ratio}{trained}"
        )
    return lines


# -- the run ------------------------------------------------------------------------------------


def _postgres() -> tuple[str, Callable[[], None]] | None:
    try:
        import psycopg

        admin = "postgresql://postgres@127.0.0.1:5432/test"
        name = f"helpline_bench_{secrets.token_hex(4)}"
        with psycopg.connect(admin, autocommit=True, connect_timeout=3) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
    except Exception:  # noqa: BLE001 - no server: those lines are skipped
        return None

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}", drop


def line(label: str, result: Result, echo: float | None, cpu: float | None = None) -> str:
    """One level's figures; ``cpu``: the server's CPU seconds over it, shown per answered update
    (less shaken than answered/s when other work shares the machine)."""
    ratio = f"  {result.per_second() / echo:4.1f}x echo" if echo else ""
    answered = len(result.latencies)
    per_update = f"  cpu {cpu / answered * 1e6:5.0f} us/upd" if cpu is not None and answered else ""
    return (
        f"    {label:<26} {result.per_second():8.1f} answered/s   p50 {result.percentile(0.5):7.1f}"
        f"  p95 {result.percentile(0.95):7.1f}  p99 {result.percentile(0.99):7.1f} ms"
        f"  errors {result.errors}{per_update}{ratio}"
    )


@contextlib.asynccontextmanager
async def fake_bot_api() -> AsyncIterator[tuple[FakeBotApi, str]]:
    """The fake Bot API served on 127.0.0.1 for as long as the block runs: (it, its URL)."""
    fake = FakeBotApi()
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(fake, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    try:
        yield fake, f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


async def run(args: argparse.Namespace) -> None:
    async with fake_bot_api() as (fake, api):
        levels = [int(x) for x in args.levels.split(",")]
        duration = args.duration
        folder = Path(tempfile.mkdtemp(prefix="helpline-bench-"))
        targets: list[tuple[str, Callable[[], Server], Callable[[], None] | None]] = [
            ("bare FastAPI route", lambda: start_baseline("bare", api), None),
            ("PTB echo bot", lambda: start_baseline("echo", api), None),
            (
                "helpline SQLite 1w",
                lambda: start_helpline(
                    "sqlite", api, f"sqlite:///{folder / 's.db'}", 1, folder / "s"
                ),
                None,
            ),
        ]
        if args.before:
            before = Path(args.before)
            targets.append(
                (
                    "before: SQLite 1w",
                    lambda: start_helpline(
                        "before", api, f"sqlite:///{folder / 'b.db'}", 1, folder / "b", before
                    ),
                    None,
                )
            )
        if not args.quick:
            for workers in (1, 2):
                pg = _postgres()
                if pg is None:
                    print("  PostgreSQL: skipped (no server answers on 127.0.0.1:5432)")
                    break
                url, drop = pg
                targets.append(
                    (
                        f"helpline PostgreSQL {workers}w",
                        lambda url=url, workers=workers: start_helpline(
                            f"pg{workers}", api, url, workers, folder / f"p{workers}"
                        ),
                        drop,
                    )
                )
        print(f"webhook (closed loop, {duration:g} s per level; mix: {len(SESSION)}-step visits)")
        echo_rate: dict[int, float] = {}
        extra: list[str] = []
        starts: dict[str, Startup] = {}
        for label, start, cleanup in targets:
            server = start()
            try:
                startup = await wait_answered(server, fake)
                cpu, first_rss = server.cpu_seconds(), server.rss_mb()
                trained = await wait_classifier(server) if server.reply_in_body else None
                await warm_up(server, fake)
                rest = server.rss_mb()
                starts[label] = Startup(startup, first_rss, rest, trained, cpu)
                print(
                    f"  {label}: first answer {startup:.2f} s after start;"
                    f" RSS at rest {rest:.0f} MB"
                )
                for level in levels:
                    cpu = server.cpu_seconds(children=True)
                    result = await closed_loop(server, fake, level, duration)
                    cpu = server.cpu_seconds(children=True) - cpu
                    if label == "PTB echo bot":
                        echo_rate[level] = result.per_second()
                    echo = echo_rate.get(level) if label != "PTB echo bot" else None
                    print(line(f"concurrency {level}", result, echo, cpu))
                print(f"    RSS after load {server.rss_mb():.0f} MB")
                if label in ("PTB echo bot", "helpline SQLite 1w") or label.startswith("before"):
                    offered = await open_loop(server, fake, args.rate, duration)
                    extra.append(line(f"{label} @ {args.rate:g}/s offered", offered, None))
                    posted, last, lost = await burst(server, fake, args.burst)
                    extra.append(
                        f"    {label}: {args.burst:g}-s burst, {posted} updates posted "
                        f"({posted / args.burst:.0f}/s): last answered {last:.2f} s after the"
                        f" start, {lost} unanswered"
                    )
            finally:
                server.stop()
                if cleanup is not None:
                    cleanup()
        print(
            f"open loop ({args.rate:g} updates/s offered, latency from the scheduled send)"
            " and burst"
        )
        for text in extra:
            print(text)
        for text in startup_lines(starts):
            print(text)


async def interleaved(args: argparse.Namespace) -> None:
    """Every server started at once, then each level measured in ``args.rounds`` rounds, each
    round giving every server ``args.duration`` seconds in turn (the order reversed every other
    round); medians per server. On a shared machine whose load drifts, a sequential run
    compares servers measured minutes apart; here they share each round's load."""
    async with fake_bot_api() as (fake, api):
        levels = [int(x) for x in args.levels.split(",")]
        folder = Path(tempfile.mkdtemp(prefix="helpline-bench-"))
        starts: list[tuple[str, Callable[[], Server]]] = [
            ("bare FastAPI route", functools.partial(start_baseline, "bare", api)),
            ("PTB echo bot", functools.partial(start_baseline, "echo", api)),
            (
                "helpline SQLite 1w",
                functools.partial(
                    start_helpline, "sqlite", api, f"sqlite:///{folder / 's.db'}", 1, folder / "s"
                ),
            ),
        ]
        if args.before:
            db, data = f"sqlite:///{folder / 'b.db'}", folder / "b"
            starts.append(
                (
                    "before: SQLite 1w",
                    functools.partial(
                        start_helpline, "before", api, db, 1, data, Path(args.before)
                    ),
                )
            )
        servers: list[tuple[str, Server]] = []
        try:
            for label, start in starts:
                server = start()
                servers.append((label, server))
                await wait_answered(server, fake)
                if server.reply_in_body:
                    await wait_classifier(server)
                await warm_up(server, fake)
            print(
                f"webhook, interleaved (closed loop, {args.rounds} rounds of {args.duration:g} s"
                f" per server and level; medians)"
            )
            for level in levels:
                rates: dict[str, list[float]] = {label: [] for label, _ in servers}
                cpus: dict[str, list[float]] = {label: [] for label, _ in servers}
                for number in range(args.rounds):
                    for label, server in servers if number % 2 == 0 else servers[::-1]:
                        cpu = server.cpu_seconds(children=True)
                        result = await closed_loop(server, fake, level, args.duration)
                        cpu = server.cpu_seconds(children=True) - cpu
                        rates[label].append(result.per_second())
                        if result.latencies:
                            cpus[label].append(cpu / len(result.latencies) * 1e6)
                echo = statistics.median(rates["PTB echo bot"])
                print(f"  concurrency {level}")
                for label, _ in servers:
                    rate = statistics.median(rates[label])
                    cpu_text = f"{statistics.median(cpus[label]):5.0f}" if cpus[label] else "  n/a"
                    ratio = f"  {rate / echo:4.1f}x echo" if label != "PTB echo bot" else ""
                    each = " ".join(f"{x:.0f}" for x in rates[label])
                    print(
                        f"    {label:<26} {rate:8.1f} answered/s  cpu {cpu_text} us/upd{ratio}"
                        f"   (rounds: {each})"
                    )
        finally:
            for _, server in servers:
                server.stop()


async def startups(rounds: int, before: Path | None = None) -> None:
    """Start-up only, ``rounds`` times in turn: the bare FastAPI app, the echo bot, the helpline
    on a fresh ``DATA_DIR`` and database, and the helpline again on the same ones (a restart:
    schema at head, trained model in the cache). Medians beside the bare app's of the same run;
    RSS at rest after the classifier is in and one visit. ``before``: an older checkout, started
    the same ways in the same rounds."""
    async with fake_bot_api() as (fake, api):
        folder = Path(tempfile.mkdtemp(prefix="helpline-bench-"))
        seen: dict[str, list[Startup]] = {}
        for number in range(rounds):
            data, db = folder / f"r{number}", f"sqlite:///{folder / f'r{number}.db'}"
            targets: list[tuple[str, Callable[[], Server]]] = [
                ("bare FastAPI route", functools.partial(start_baseline, "bare", api)),
                ("PTB echo bot", functools.partial(start_baseline, "echo", api)),
                ("helpline fresh", functools.partial(start_helpline, "fresh", api, db, 1, data)),
                (
                    "helpline restart",
                    functools.partial(start_helpline, "restart", api, db, 1, data),
                ),
            ]
            if before is not None:
                old_data, old_db = folder / f"b{number}", f"sqlite:///{folder / f'b{number}.db'}"
                for label in ("before: fresh", "before: restart"):
                    targets.append(
                        (
                            label,
                            functools.partial(
                                start_helpline, label, api, old_db, 1, old_data, before
                            ),
                        )
                    )
            for label, start in targets:
                server = start()
                try:
                    first = await wait_answered(server, fake)
                    cpu, first_rss = server.cpu_seconds(), server.rss_mb()
                    trained = await wait_classifier(server) if server.reply_in_body else None
                    await warm_up(server, fake)
                    seen.setdefault(label, []).append(
                        Startup(first, first_rss, server.rss_mb(), trained, cpu)
                    )
                finally:
                    server.stop()
            print(
                f"  round {number + 1}: "
                + ", ".join(
                    f"{label} {s[-1].first_answer:.2f} s (CPU {s[-1].cpu_first or 0:.2f})"
                    for label, s in seen.items()
                )
            )
        medians = {
            label: Startup(
                statistics.median(s.first_answer for s in runs),
                statistics.median(s.rss_first for s in runs),
                statistics.median(s.rss_rest for s in runs),
                None
                if any(s.classifier is None for s in runs)
                else statistics.median(s.classifier for s in runs if s.classifier is not None),
                statistics.median(s.cpu_first or 0.0 for s in runs),
            )
            for label, runs in seen.items()
        }
        print(f"medians of {rounds} round(s):")
        for text in startup_lines(medians):
            print(text)


async def profile(turns: int) -> None:
    """pyinstrument over ``TelegramChannel.handle`` for a mix of updates, in process."""
    from pyinstrument import Profiler

    from bot.app import create_app
    from bot.settings import Settings

    async with fake_bot_api() as (_, api):
        folder = Path(tempfile.mkdtemp(prefix="helpline-profile-"))
        settings = Settings(
            _env_file=None,
            data_dir=folder,
            database_url=f"sqlite:///{folder / 'p.db'}",
            state_secret=secrets.token_urlsafe(32),
            telegram_bot_token=TOKEN,
            telegram_webhook_secret=SECRET,
            public_url="https://bench.example.org",
            telegram_api_base_url=api,
            telegram_rate_limit=0,
            content_watch_seconds=0,
        )  # type: ignore[call-arg]
        app = create_app(settings)
        async with app.router.lifespan_context(app):
            channel = app.state.runtime.telegram

            def visits(count: int) -> list[bytes]:
                bodies = []
                chat_id = 0
                for number in range(count):
                    if number % len(SESSION) == 0:
                        chat_id = next(_chat_ids)
                    kind, value = SESSION[number % len(SESSION)]
                    bodies.append(json.dumps(update_for(kind, value, chat_id)).encode())
                return bodies

            for body in visits(len(SESSION)):  # lazy loads (language models) happen here
                await channel.handle(body)
            bodies = visits(turns)
            profiler = Profiler(async_mode="enabled")
            start = time.perf_counter()
            with profiler:
                for body in bodies:
                    await channel.handle(body)
            elapsed = time.perf_counter() - start
            print(f"{turns} webhook turns in process: {elapsed / turns * 1e6:,.0f} µs per turn")
            print(profiler.output_text(unicode=True, color=False, show_all=False))


def main(argv: list[str] | None = None) -> None:
    """Parse the options and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="SQLite only, short (smoke test)")
    parser.add_argument("--duration", type=float, default=4.0)
    parser.add_argument("--levels", default=",".join(map(str, LEVELS)))
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--burst", type=float, default=5.0)
    parser.add_argument("--before", default=None, help="an older checkout to measure too")
    parser.add_argument("--profile", type=int, default=0, help="profile N in-process turns")
    parser.add_argument("--startup", type=int, default=0, help="only start-up, N rounds")
    parser.add_argument(
        "--rounds", type=int, default=0, help="only the closed loops, interleaved in N rounds"
    )
    args = parser.parse_args(argv)
    if args.startup:
        asyncio.run(startups(args.startup, Path(args.before) if args.before else None))
        return
    if args.profile:
        asyncio.run(profile(args.profile))
        return
    if args.rounds:
        asyncio.run(interleaved(args))
        return
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
