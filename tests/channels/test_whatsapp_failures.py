"""End to end: the fake Graph API refuses sends the ways Meta does; the person still gets every
message of the screen once (throughput), the reply is dropped and counted (window closed), or the
webhook answers 5xx so Meta redelivers and the rest goes out then (server errors)."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from bot.settings import Settings
from bot.store.database import create_engine_for
from bot.store.models import CounterRow
from tests.support.fake_graph import FakeGraph
from tests.support.whatsapp import (
    WA_ID,
    fake_graph,  # noqa: F401 - fixture
    post,
    pressed,
    whatsapp_app,  # noqa: F401 - fixture
)


@dataclass(frozen=True)
class Fault:
    """What the Graph API answers first, and what must come of it."""

    label: str
    code: int
    times: int
    status: int
    """The webhook's answer to the first delivery."""
    delivered: str
    """"all": every message of the answer arrives once; "all but one": one is dropped."""


FAULTS = [
    Fault("throughput limit 130429 twice", 130429, 2, 200, "all"),
    Fault("pair rate limit 131056 once", 131056, 1, 200, "all"),
    Fault("window closed 131047", 131047, 1, 200, "all but one"),
    Fault("another error 131026", 131026, 1, 200, "all but one"),
    Fault("server error 500 on every retry", 500, 5, 503, "all"),
]


def _counted(url: str, node: str) -> int:
    async def read() -> int:
        engine = create_engine_for(url)
        async with engine.connect() as connection:
            rows = await connection.execute(select(CounterRow).where(CounterRow.node == node))
            total = sum(int(row._mapping["count"]) for row in rows)
        await engine.dispose()
        return total

    return asyncio.run(read())


def _reference(base: str, graph: FakeGraph) -> int:
    """How many messages the welcome answer has when nothing fails."""
    before = len(graph.sent())
    assert post(base, pressed("lang:es", wa_id="5215500000999")).status_code == 200
    return len(graph.sent()) - before


@pytest.mark.parametrize("fault", FAULTS, ids=[f.label for f in FAULTS])
def test_graph_faults(
    whatsapp_app: tuple[str, Settings],  # noqa: F811
    fake_graph: FakeGraph,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
    fault: Fault,
) -> None:
    base, settings = whatsapp_app
    expected = _reference(base, fake_graph)
    assert expected >= 1
    fake_graph.clear()
    fake_graph.fail(fault.code, fault.times)
    body = pressed("lang:es")
    caplog.set_level(logging.INFO)
    assert post(base, body).status_code == fault.status
    if fault.status != 200:
        assert post(base, body).status_code == 200, "Meta's redelivery is answered"
    sent = fake_graph.sent()
    assert all(c.to == WA_ID for c in sent)
    if fault.delivered == "all":
        assert len(sent) == expected, "every message arrives, none twice"
    else:
        assert len(sent) == expected - 1, "the refused message is dropped, the rest go on"
    texts = [c.text for c in sent]
    assert len(texts) == len(set(texts)), "no message is sent twice"
    if fault.code == 131047:
        assert _counted(settings.effective_database_url, "_window_closed") == 1
    logs = "\n".join(r.getMessage() for r in caplog.records)
    if fault.code not in (500, 131047):
        assert str(fault.code) in logs, "the error is logged by its code"
    assert WA_ID not in logs, "never the phone number"
