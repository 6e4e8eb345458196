"""The simulator in a real terminal (a pseudo-terminal): the chosen language from the first line,
text wrapped at word boundaries to the terminal's width, and readline's line editing."""

from __future__ import annotations

import contextlib
import os
import re
import select
import subprocess
import sys
import time
from collections.abc import Callable

import pytest

from bot.settings import REPO_ROOT

pty = pytest.importorskip("pty", reason="pseudo-terminals exist only on Unix")

COLUMNS = 40
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\r")


class Terminal:
    """``python -m bot chat`` on a pseudo-terminal; what it prints is read as it comes."""

    def __init__(self, *args: str) -> None:
        self.master, slave = pty.openpty()
        env = {**os.environ, "COLUMNS": str(COLUMNS), "LINES": "40", "TERM": "dumb"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "chat", *args],
            stdin=slave,
            stdout=slave,
            stderr=subprocess.DEVNULL,
            cwd=REPO_ROOT,
            env=env,
            close_fds=True,
        )
        os.close(slave)
        self.seen = ""

    def _read(self) -> None:
        ready, _, _ = select.select([self.master], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:  # the program ended and closed its side
                return
            self.seen += ANSI.sub("", chunk.decode("utf-8", "replace"))

    def wait_until(self, done: Callable[[], bool], guard: float = 60) -> str:
        """Read until ``done()``; ``guard`` only stops a hang (it is not a timing assertion)."""
        end = time.monotonic() + guard
        while not done():
            assert time.monotonic() < end, f"gave up waiting; the screen shows:\n{self.seen}"
            self._read()
        return self.seen

    def wait_for(self, text: str) -> str:
        """Read until ``text`` appears, wherever the wrapping broke its lines."""
        return self.wait_until(lambda: text in " ".join(self.seen.split()))

    def prompts(self) -> int:
        return self.seen.count("> ")

    def type(self, keys: str) -> None:
        os.write(self.master, keys.encode("utf-8"))

    def close(self) -> int:
        """Press Ctrl-D at a fresh prompt and return the exit status.

        A key pressed while readline is still switching the terminal to its own mode can be
        discarded with the pending input (seen on a busy machine), so Ctrl-D is pressed again
        every two seconds until the program ends, as a person would."""
        try:
            pressed = [0.0]

            def ended() -> bool:
                if self.process.poll() is not None:
                    return True
                if time.monotonic() - pressed[0] >= 2:
                    with contextlib.suppress(OSError):  # the program closed its side
                        self.type("\x04")
                    pressed[0] = time.monotonic()
                return False

            self.wait_until(ended)
        finally:
            if self.process.poll() is None:
                self.process.kill()
            status = self.process.wait(timeout=30)
            os.close(self.master)
        return status


def test_spanish_from_the_first_line_wrapped_with_line_editing() -> None:
    terminal = Terminal("--lang", "es")
    try:
        first = terminal.wait_for("¿Está en peligro ahora mismo?")
        assert first.lstrip().startswith("Escriba un número para tocar un botón"), first[:200]
        assert "Type /start" not in first
        for line in first.splitlines():
            assert len(line) <= COLUMNS, f"longer than the terminal: {line!r}"
        words = " ".join(first.split())
        assert "Le damos la bienvenida. Esta línea da información" in words, (
            "wrapped between words only"
        )
        terminal.wait_until(lambda: terminal.prompts() >= 1)
        prompts = terminal.prompts()
        # Type "silo", go to the start of the line with Ctrl-A (readline), add the "a", send.
        terminal.type("silo\x01a\r")
        answer = terminal.wait_for("Información revisada")
        assert "\x01" not in answer
        terminal.wait_until(lambda: terminal.prompts() > prompts)
    finally:
        status = terminal.close()
    assert status == 0
