"""Who may open the admin pages and ``/metrics``: a token in a header or a login cookie, and a
client address that waits longer after every wrong guess.

Why: the admin token travelled in ``?token=`` links (kept in browser history, proxy logs and
``Referer`` headers), and 5,000 guesses went through at 289 a second with no slow-down. Now the
token comes only in an ``Authorization: Bearer`` header or through the login form
(``/admin/login``), which sets an HttpOnly, SameSite=Strict cookie holding a signed expiry, not
the token. A wrong token makes its client address wait 1, 2, 4 … seconds (up to 15 minutes)
before the next attempt is even looked at; the address is only part of a hashed limiter key
(``bot.ratelimit``), never stored or logged.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import time
from dataclasses import dataclass

from fastapi import HTTPException, Request, Response

from bot.ratelimit import LimiterKeys, MemoryLimiter, RateLimits, client_address

__all__ = ["ADMIN_COOKIE", "SESSION_SECONDS", "AdminAccess", "bearer_token"]

ADMIN_COOKIE = "helpline_admin"
SESSION_SECONDS = 8 * 3600
"""A login lasts a working day."""


def bearer_token(request: Request) -> str | None:
    """The token of an ``Authorization: Bearer`` header (never of the address)."""
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


def _same(presented: str, expected: str) -> bool:
    return hmac.compare_digest(presented.encode("utf-8"), expected.encode("utf-8"))


@dataclass
class AdminAccess:
    """Checks one secret (the admin or the metrics token) under the growing-delay limiter."""

    token: str
    fallback: RateLimits | None = None
    secure_cookie: bool = False

    def _key(self) -> bytes:
        return hmac.new(self.token.encode(), b"helpline admin session v1", hashlib.sha256).digest()

    def _limits(self, request: Request) -> RateLimits:
        runtime = getattr(request.app.state, "runtime", None)
        limits = getattr(runtime, "limits", None)
        if isinstance(limits, RateLimits):
            return limits
        if self.fallback is None:  # an app without the service's runtime (the admin tests)
            self.fallback = RateLimits(MemoryLimiter(), LimiterKeys(os.urandom(32)))
        return self.fallback

    def session_cookie(self, now: float | None = None) -> str:
        """``<expiry>.<signature>``: proves a login without holding the token."""
        expires = int((now if now is not None else time.time()) + SESSION_SECONDS)
        signature = hmac.new(self._key(), str(expires).encode(), hashlib.sha256).hexdigest()
        return f"{expires}.{signature}"

    def _cookie_valid(self, value: str | None) -> bool:
        if not value:
            return False
        expires, _, signature = value.partition(".")
        if not expires.isdigit() or int(expires) < time.time():
            return False
        expected = hmac.new(self._key(), expires.encode(), hashlib.sha256).hexdigest()
        return _same(signature, expected)

    async def check(self, request: Request, presented: str | None, cookie: bool = True) -> None:
        """Let the request through, or raise 429 (wait) or 401 (no or wrong token)."""
        limits = self._limits(request)
        address = client_address(request)
        wait = await limits.admin_attempt(address)
        if wait:
            raise _wait(wait)
        if cookie and presented is None and self._cookie_valid(request.cookies.get(ADMIN_COOKIE)):
            return
        if presented is None:
            raise HTTPException(
                401,
                "a valid token is needed: log in at /admin/login, or send Authorization: Bearer",
                headers={"WWW-Authenticate": "Bearer"},
            )
        if not _same(presented, self.token):
            delay = await limits.admin_failed(address)
            raise HTTPException(
                401,
                f"wrong token; the next attempt from here is looked at after {delay:.0f} s",
                headers={"WWW-Authenticate": "Bearer", "Retry-After": str(int(delay))},
            )
        await limits.admin_succeeded(address)

    def log_in(self, response: Response) -> None:
        """Set the login cookie: HttpOnly, SameSite=Strict, only for ``/admin``."""
        response.set_cookie(
            ADMIN_COOKIE,
            self.session_cookie(),
            max_age=SESSION_SECONDS,
            path="/admin",
            httponly=True,
            samesite="strict",
            secure=self.secure_cookie,
        )

    @staticmethod
    def log_out(response: Response) -> None:
        """Forget the login cookie."""
        response.delete_cookie(ADMIN_COOKIE, path="/admin", httponly=True, samesite="strict")


def _wait(seconds: float) -> HTTPException:
    whole = max(1, int(seconds + 0.999))
    return HTTPException(
        429, f"too many attempts; try again in {whole} s", headers={"Retry-After": str(whole)}
    )
