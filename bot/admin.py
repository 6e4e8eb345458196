"""Admin pages and Prometheus metrics: statistics without identities, the diagram, reloading.

``admin_router(settings)`` returns an ``APIRouter`` the app includes. Admin pages need
``ADMIN_TOKEN``, in an ``Authorization: Bearer`` header or through the login form
(``/admin/login``, an HttpOnly cookie; never in the address), checked by ``bot.admin_access``
with growing delays after wrong guesses; with no token configured they answer 404, as if they
did not exist. ``/metrics`` needs ``METRICS_TOKEN`` and is off (404) without it.

Everything shown comes from the aggregate counters (day, channel, language, screen, count):
there is no row about a person. Counts could still single a person out while they use the
helpline (two scrapes around one person's three taps showed ``welcome → emergency → _erased``),
so only closed days (UTC) are shown, and a counter below ``STATS_MIN_COUNT`` on its day is held
back (``published``). Drop-off per screen is an estimate from counts, never a followed path.
"""

# No "from __future__ import annotations": FastAPI must see the route dependencies, which are
# defined inside admin_router, as real objects rather than strings.
import asyncio
import csv
import datetime as dt
import io
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Protocol

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from markupsafe import Markup
from pydantic import SecretStr

from bot.admin_access import AdminAccess, bearer_token
from bot.content import ContentHolder
from bot.engine.model import Flows
from bot.http import BodyTooLarge, read_limited_form
from bot.settings import Settings
from bot.store.counters import CounterKey, Counters

__all__ = ["AdminParts", "DropOff", "admin_router", "drop_off", "published", "runtime_parts"]

NO_STORE = {
    "Cache-Control": "no-store",
    "X-Robots-Tag": "noindex",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
}


class AdminParts(Protocol):
    """What the admin pages read: the counters and the content (the app's ``Runtime`` has both)."""

    @property
    def counters(self) -> Counters:
        """The aggregate counters."""

    @property
    def content(self) -> ContentHolder:
        """The content being served."""


def runtime_parts(request: Request) -> AdminParts:
    """The running service's parts, set on ``app.state.runtime`` by the app's lifespan."""
    parts: AdminParts = request.app.state.runtime
    return parts


# -- access ---------------------------------------------------------------------------------------


def _configured(secret: SecretStr | None) -> str | None:
    value = secret.get_secret_value() if secret is not None else ""
    return value or None


def _utc_today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


# -- statistics -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DropOff:
    """How many visits a screen had and, estimated, how many went on to a next screen."""

    node: str
    views: int
    onward: float | None
    """``None`` for a screen with no next screen (the end of a path)."""

    @property
    def rate(self) -> float | None:
        """Share of visits that did not go on (0.0 to 1.0), or ``None`` at the end of a path."""
        if self.onward is None or self.views == 0:
            return None
        return max(0.0, 1.0 - self.onward / self.views)


def drop_off(views: dict[str, int], flows: Flows) -> list[DropOff]:
    """Estimate, from counts alone, where people stop: visits of a screen vs. of its next screens.

    A next screen's visits are shared among the screens that lead to it, in proportion to their
    own visits (counters keep no paths, so this is the most that can be said).
    """
    children: dict[str, set[str]] = {}
    parents: dict[str, set[str]] = defaultdict(set)
    for node in flows.nodes.values():
        targets = {b.goto for b in node.buttons}
        if node.input and node.input.next:
            targets.add(node.input.next)
        targets = {t for t in targets if t in flows.nodes and t != node.id}
        children[node.id] = targets
        for target in targets:
            parents[target].add(node.id)
    result: list[DropOff] = []
    for node_id, count in sorted(views.items(), key=lambda item: (-item[1], item[0])):
        if node_id not in flows.nodes:
            result.append(DropOff(node_id, count, None))
            continue
        if not children[node_id]:
            result.append(DropOff(node_id, count, None))
            continue
        onward = 0.0
        for child in children[node_id]:
            shared = sum(views.get(parent, 0) for parent in parents[child])
            if shared:
                onward += views.get(child, 0) * count / shared
        result.append(DropOff(node_id, count, min(float(count), onward)))
    return result


def published(
    rows: list[tuple[CounterKey, int]], today: dt.date, min_count: int
) -> list[tuple[CounterKey, int]]:
    """The counters an operator may see: closed days only, and none below ``min_count``.

    Today's counters move with every tap, so two looks a minute apart would show one person's
    path; a quiet day's counter of 1 or 2 would show it afterwards. A day's counters are final
    once it has ended, so what is shown only ever grows (``/metrics`` stays a counter).
    """
    return [(key, count) for key, count in rows if key[0] < today and count >= min_count]


def _totals(rows: list[tuple[CounterKey, int]], index: int) -> dict[str, int]:
    totals: dict[str, int] = defaultdict(int)
    for key, count in rows:
        totals[str(key[index])] += count
    return dict(totals)


def _csv(rows: list[tuple[CounterKey, int]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["day", "channel", "locale", "node", "count"])
    for (day, channel, locale, node), count in rows:
        writer.writerow([day.isoformat(), channel, locale, node, count])
    return buffer.getvalue()


_LINKS = [
    ("Statistics", "/admin/stats"),
    ("CSV", "/admin/stats.csv"),
    ("Diagram", "/admin/diagram"),
]


def _page(title: str, body: Markup, status: int = 200) -> HTMLResponse:
    from bot.admin_pages import PAGE  # Jinja2 and the templates: loaded by the first admin page

    return HTMLResponse(
        PAGE.render(title=title, body=body, links=_LINKS), status_code=status, headers=NO_STORE
    )


def admin_router(
    settings: Settings,
    parts: Callable[[Request], AdminParts] = runtime_parts,
    today: Callable[[], dt.date] = _utc_today,
) -> APIRouter:
    """The admin pages, ``POST /admin/reload`` and ``/metrics`` for these settings."""
    admin_token = _configured(settings.admin_token)
    metrics_token = _configured(settings.metrics_token)
    secure = (settings.public_url or "").startswith("https://")
    admin = AdminAccess(admin_token, secure_cookie=secure) if admin_token else None
    metrics_access = AdminAccess(metrics_token) if metrics_token else None
    min_count = settings.stats_min_count

    async def require_admin(request: Request) -> None:
        """Refuse unless the admin token came in a header or a login cookie; 404 when unset."""
        if admin is None:
            raise HTTPException(404, "Not Found")
        await admin.check(request, bearer_token(request))

    async def require_metrics(request: Request) -> None:
        """``/metrics`` needs ``METRICS_TOKEN`` (a Bearer header); without one it is off."""
        if metrics_access is None:
            raise HTTPException(404, "Not Found")
        await metrics_access.check(request, bearer_token(request), cookie=False)

    def current_parts(request: Request) -> AdminParts:
        """The counters and content, from whatever ``parts`` the app gave."""
        return parts(request)

    async def shown_rows(source: AdminParts) -> list[tuple[CounterKey, int]]:
        return published(await source.counters.all(), today(), min_count)

    Admin = Annotated[None, Depends(require_admin)]
    Parts = Annotated[AdminParts, Depends(current_parts)]
    router = APIRouter()

    @router.get("/admin/login", response_class=HTMLResponse)
    async def login_page() -> HTMLResponse:
        """The login form (404 when no admin token is configured)."""
        if admin is None:
            raise HTTPException(404, "Not Found")
        from bot.admin_pages import LOGIN

        return _page("Log in", Markup(LOGIN.render(problem=None)))

    @router.post("/admin/login")
    async def log_in(request: Request) -> Response:
        """Check the token from the form; set the login cookie and go to the statistics."""
        if admin is None:
            raise HTTPException(404, "Not Found")
        try:
            fields = await read_limited_form(request, 4096)
        except (BodyTooLarge, ValueError):
            fields = {}
        presented = fields.get("token", "")
        try:
            await admin.check(request, presented or "", cookie=False)
        except HTTPException as refused:
            from bot.admin_pages import LOGIN

            body = Markup(LOGIN.render(problem=refused.detail))
            return _page("Log in", body, status=refused.status_code)
        response = RedirectResponse("/admin/stats", status_code=303, headers=NO_STORE)
        admin.log_in(response)
        return response

    @router.post("/admin/logout")
    async def log_out() -> Response:
        """Forget the login cookie."""
        response = RedirectResponse("/admin/login", status_code=303, headers=NO_STORE)
        AdminAccess.log_out(response)
        return response

    @router.get("/admin", response_class=HTMLResponse)
    @router.get("/admin/stats", response_class=HTMLResponse)
    async def stats_page(_admin: Admin, source: Parts) -> HTMLResponse:
        """Counters per day, channel, language and screen, and the drop-off estimate."""
        rows = await shown_rows(source)
        flows = source.content.current.flows
        views = _totals(rows, 3)
        from bot.admin_pages import STATS

        body = STATS.render(
            total=sum(count for _key, count in rows),
            drops=drop_off(views, flows),
            titles={node.id: node.title for node in flows.nodes.values()},
            locales=sorted(_totals(rows, 2).items()),
            channels=sorted(_totals(rows, 1).items()),
            days=sorted(_totals(rows, 0).items(), reverse=True),
            rows=sorted(rows, key=lambda item: item[0], reverse=True),
            min_count=min_count,
        )
        return _page("Statistics", Markup(body))

    @router.get("/admin/stats.csv")
    async def stats_csv(_admin: Admin, source: Parts) -> Response:
        """Every published counter as CSV: day, channel, locale, node, count."""
        rows = await shown_rows(source)
        filename = f"helpline-counters-{dt.date.today().isoformat()}.csv"
        headers = {**NO_STORE, "Content-Disposition": f'attachment; filename="{filename}"'}
        return Response(_csv(rows), media_type="text/csv; charset=utf-8", headers=headers)

    @router.get("/admin/diagram", response_class=HTMLResponse)
    async def diagram_page(_admin: Admin, source: Parts) -> HTMLResponse:
        """One diagram per flow file, linked to each other (Graphviz's drawing, or our own)."""
        from bot.admin_diagram import diagram_body  # drawing code: loaded when first asked for

        body = await asyncio.to_thread(diagram_body, source.content.current.flows)
        return _page("Diagram", Markup(body))

    @router.post("/admin/reload")
    async def reload_content(_admin: Admin, source: Parts) -> JSONResponse:
        """Load the content files again; refuse (keeping the current content) if they fail."""
        holder = source.content
        problems = await asyncio.to_thread(holder.reload)
        if problems:
            return JSONResponse(
                {"reloaded": False, "problems": [str(p) for p in problems]},
                status_code=422,
                headers=NO_STORE,
            )
        current = holder.current
        return JSONResponse(
            {
                "reloaded": True,
                "nodes": len(current.flows.nodes),
                "languages": current.localizer.locales,
            },
            headers=NO_STORE,
        )

    @router.get("/metrics", dependencies=[Depends(require_metrics)])
    async def metrics(source: Parts) -> Response:
        """Prometheus text format: screen views by channel, language and screen (closed days)."""
        rows = await shown_rows(source)
        current = source.content.current
        from bot.admin_metrics import CONTENT_TYPE_LATEST, exposition  # loaded by the first scrape

        body = exposition(rows, len(current.flows.nodes), len(current.localizer.locales))
        return Response(body, media_type=CONTENT_TYPE_LATEST)

    return router
