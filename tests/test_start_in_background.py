"""The service answers before its classifier is trained, and puts the classifier in once it is.

A fresh ``DATA_DIR`` has no trained model, and training takes seconds: the service starts with
danger phrases and fuzzy keywords (``bot.nlu.standby``) and trains in the background
(``bot.warmup``, ``bot.nlu.prefit``). ``NLU_TRAIN_DELAY_SECONDS`` holds the training back so
that a test sees the service as a person does in those first seconds; nothing of ours is mocked.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest

from bot.app import create_app
from bot.content import ContentHolder
from bot.conversation import Answer
from bot.engine.types import Event
from bot.nlu.matcher import TextMatcher
from bot.nlu.standby import LiveMatcher
from bot.runtime import Runtime
from bot.settings import REPO_ROOT
from tests.conftest import make_settings

EXTRA_EXAMPLE = "        - a question about asylum that nobody wrote before\n"


@asynccontextmanager
async def service(tmp_path: Path, delay: float) -> AsyncIterator[tuple[Runtime, httpx.AsyncClient]]:
    """The service with a fresh DATA_DIR, training in the background after ``delay`` seconds."""
    settings = make_settings(
        tmp_path,
        f"sqlite:///{tmp_path / 'helpline.db'}",
        nlu_train_in_background=True,
        nlu_train_delay_seconds=delay,
        content_watch_seconds=0,
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://helpline") as client:
            yield app.state.runtime, client


async def typed(runtime: Runtime, session: str, text: str) -> Answer:
    return await runtime.conversations.answer("web", session, Event.typed(text, "es-MX"))


async def test_typed_text_is_answered_while_the_classifier_is_still_training(
    tmp_path: Path,
) -> None:
    async with service(tmp_path, delay=3600) as (runtime, client):
        assert not runtime.content.classifier_ready, "training is held back by the delay"
        ready = await client.get("/readyz")
        assert ready.status_code == 200, "the service can answer: it says it is ready"
        assert ready.json()["classifier"] is False, "and that the classifier is not in yet"

        danger = await typed(runtime, "a", "me quieren matar")
        assert any("911" in reply.text for reply in danger.replies), (
            "danger phrases run before anything else, classifier or not"
        )
        fear = await typed(runtime, "b", "tengo miedo")
        assert any(
            button.payload.startswith("b:danger_check:")
            for reply in fear.replies
            for button in reply.buttons
        ), "fear alone asks whether the person is in danger now"
        question = await typed(runtime, "c", "quiero pedir asilo")
        offered = {button.payload for reply in question.replies for button in reply.buttons}
        assert "g:asylum" in offered or any(p.startswith("b:asylum:") for p in offered), (
            f"the keyword matcher answers an ordinary question sensibly: {offered}"
        )


async def test_after_training_the_classifier_answers(tmp_path: Path) -> None:
    async with service(tmp_path, delay=0) as (runtime, client):
        warmup = runtime.warmup
        assert warmup is not None
        assert await asyncio.to_thread(warmup.done.wait, 300), "training ended"
        assert runtime.content.classifier_ready
        assert (await client.get("/readyz")).json()["classifier"] is True
        live = runtime.content.current.services.matcher
        assert isinstance(live, LiveMatcher) and isinstance(live.trained, TextMatcher)
        for text in ("quiero pedir asilo", "necesito un abogado gratis", "me quieren matar"):
            assert live.match(text, "es") == live.trained.match(text, "es"), (
                "typed text now goes to the trained classifier"
            )
        danger = await typed(runtime, "a", "me quieren matar")
        assert any("911" in reply.text for reply in danger.replies)
        assert list((tmp_path / "data" / "nlu-cache").glob("*.npz")), (
            "the models were written to DATA_DIR's cache: a restart loads them"
        )


async def test_the_warm_up_waits_for_the_first_answer(tmp_path: Path) -> None:
    """Loading a model and dateparser's data would share the CPU with the first person's answer
    just as the port opens: the warm-up holds back until a turn (a POST) has been answered."""
    async with service(tmp_path, delay=0) as (runtime, client):
        warmup = runtime.warmup
        assert warmup is not None
        assert (await client.get("/readyz")).status_code == 200
        assert not warmup.go.is_set(), "a health check is nobody's answer: still held back"
        answered = await client.post("/api/chat", json={"text": "/start"})
        assert answered.status_code == 200 and answered.json()["replies"]
        assert warmup.go.is_set(), "the first answer is out: the warm-up goes"
        assert await asyncio.to_thread(warmup.done.wait, 300), "and the classifier came in"
        assert runtime.content.classifier_ready


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A writable copy of the real flows and catalogs."""
    shutil.copytree(REPO_ROOT / "flows", tmp_path / "flows")
    shutil.copytree(REPO_ROOT / "locales", tmp_path / "locales")
    return tmp_path


def background_holder(root: Path) -> ContentHolder:
    return ContentHolder(
        root / "flows",
        root / "locales",
        ["es", "en"],
        nlu_cache=root / "nlu-cache",
        train_in_background=True,
    )


def test_a_good_reload_trains_before_it_swaps_and_a_bad_one_keeps_the_content(
    content: Path,
) -> None:
    holder = background_holder(content)
    assert not holder.classifier_ready, "loaded with the keyword matcher only"
    asylum = content / "flows" / "asylum.yaml"
    text = asylum.read_text(encoding="utf-8")
    marker = "    examples:\n      en:\n"
    assert marker in text, "the asylum file has English examples to add one to"
    asylum.write_text(text.replace(marker, marker + EXTRA_EXAMPLE, 1), encoding="utf-8")
    assert holder.reload() == []
    assert holder.classifier_ready, "a good reload brings its trained classifier with it"
    good = holder.current
    assert isinstance(good.services.matcher, TextMatcher)

    (content / "flows" / "nlu" / "danger.yaml").write_text("- [unclosed\n", encoding="utf-8")
    assert holder.reload(), "a broken danger file is refused"
    assert holder.current is good, "the content in service, classifier included, stays"
