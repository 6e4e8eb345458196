"""The legal-aid search in the flow: understand a typed state, offer the courts of the data, and
show the best organizations as cards followed by the national resources.

Pure functions of the conversation's answers and the in-memory ``Directory`` (built from
``flows/legal_aid/`` by ``bot.content.build_services``). What the person answered stays in the
conversation state only (``la_state``, ``la_detained``, ``la_court``, ``la_lang``); the text they
typed is never kept or logged, only the state code it names.
"""

from __future__ import annotations

from bot.directory.cards import CARD_MAX, render_card
from bot.directory.model import STATE_CODES, court_city
from bot.directory.search import Directory, Found, Query
from bot.directory.service import NATIONAL_NODE
from bot.directory.states import parse_state, state_label
from bot.directory.vocabulary import MEXICO
from bot.engine.actions import ActionContext, ActionResult, action
from bot.engine.runner import EMERGENCY, matches
from bot.engine.types import Button, Reply, Translator
from bot.engine.ui import N_

__all__ = ["PAGE", "choose_court", "search", "understand_state"]

PAGE = 3
"""Organizations per page: three cards fit a phone screen or two."""

STATE, DETAINED, COURT, LANGUAGE = "la_state", "la_detained", "la_court", "la_lang"
DETAINED_NODE = "legal_aid_detained"
COURT_NODE = "legal_aid_court"
LANGUAGE_NODE = "legal_aid_language"

STATE_CHOSEN = N_("📍 {state}")
STATE_UNKNOWN = N_(
    "I could not find a US state in your message. Please write only the name of the state, for "
    "example Florida, Nueva York or NY. If you are in Mexico, write México."
)
STATE_WHICH = N_("Which one do you mean?")
STATE_AGAIN = N_("Or write the name again.")
COURTS_PROMPT = N_("If you do, tap the city of your court:")
COURTS_NONE = N_("This list does not name an immigration court in {state} yet.")
CHOICE_GONE = N_("That choice is no longer available. Please choose again.")
MORE = N_("➕ More organizations")
PAGE_OF = N_("Organizations {first} to {last} of {total}.")
NO_MORE = N_("There are no more organizations in this list for your answers.")
NONE_LOCAL = N_(
    "This list has no organization in {state} yet. The ones below work in the whole country."
)
NO_STATE = N_("Tell me where you are to see organizations near you: tap “Change my answers”.")
NO_DIRECTORY = N_(
    "The list of organizations cannot be shown right now. The resources below work everywhere "
    "in the US."
)


def _directory(context: ActionContext) -> Directory | None:
    directory = context.services.directory
    return directory if isinstance(directory, Directory) else None


def _label(code: str, t: Translator) -> str:
    return state_label(code, t.gettext)


def _in_danger(context: ActionContext, text: str) -> bool:
    """Typed text at an input screen skips the engine's danger check: do it here first."""
    matcher = context.services.matcher
    if matcher is None or EMERGENCY not in context.flows.nodes:
        return False
    return matcher.match(text, context.translator.locale).danger


# -- where are you ---------------------------------------------------------------------------------


@action("legal_aid_state")
def understand_state(context: ActionContext) -> ActionResult:
    """A typed state name (or a candidate button's code) → ``la_state``, then the next question."""
    t = context.translator
    text = context.text.strip()
    if not text:
        return ActionResult()
    if _in_danger(context, text):
        return ActionResult(goto=EMERGENCY)
    if text.isupper() and (text in STATE_CODES or text == MEXICO):
        code: str | None = text
        candidates: tuple[str, ...] = ()
    else:
        guess = parse_state(text)
        code, candidates = guess.code, guess.candidates
    if code == MEXICO:
        return ActionResult(
            replies=[Reply(t.gettext(STATE_CHOSEN).format(state=_label(code, t)))],
            answers={STATE: MEXICO, DETAINED: "no", COURT: "none"},
            goto=LANGUAGE_NODE,
        )
    if code is not None:
        return ActionResult(
            replies=[Reply(t.gettext(STATE_CHOSEN).format(state=_label(code, t)))],
            answers={STATE: code},
            forget=[COURT],
            goto=DETAINED_NODE,
        )
    if candidates:
        buttons = tuple(
            Button(_label(c, t), payload=f"a:{context.node.id}:{c}") for c in candidates
        )
        return ActionResult(
            replies=[Reply(t.gettext(STATE_WHICH), buttons), Reply(t.gettext(STATE_AGAIN))]
        )
    return ActionResult(replies=[Reply(t.gettext(STATE_UNKNOWN))])


# -- court ----------------------------------------------------------------------------------------


@action("legal_aid_courts")
def choose_court(context: ActionContext) -> ActionResult:
    """Offer the courts the data names for the person's state; a pressed court → ``la_court``."""
    t = context.translator
    directory = _directory(context)
    state = context.answers.get(STATE)
    courts = directory.courts(state) if directory is not None else []
    chosen = context.text.strip()
    if chosen:
        if chosen in courts:
            return ActionResult(answers={COURT: chosen}, goto=LANGUAGE_NODE)
        return ActionResult(replies=[Reply(t.gettext(CHOICE_GONE))], goto=COURT_NODE)
    if courts:
        buttons = tuple(
            Button(court_city(court), payload=f"a:{context.node.id}:{court}") for court in courts
        )
        return ActionResult(replies=[Reply(t.gettext(COURTS_PROMPT), buttons)])
    if state and state != MEXICO:
        return ActionResult(replies=[Reply(t.gettext(COURTS_NONE).format(state=_label(state, t)))])
    return ActionResult()


# -- results --------------------------------------------------------------------------------------


def query_from(answers: dict[str, str]) -> Query:
    """The search a person's answers stand for ("none"/"unknown"/"other" courts do not rank)."""
    court = answers.get(COURT)
    return Query(
        state=answers.get(STATE) or None,
        court=court if court and "," in court else None,
        detained=answers.get(DETAINED) == "yes",
        language=answers.get(LANGUAGE) or None,
    )


def national_replies(context: ActionContext) -> list[Reply]:
    """The national screen's messages that apply to these answers, packed into few bubbles."""
    node = context.flows.get(NATIONAL_NODE)
    if node is None:
        return []
    t = context.translator
    texts = [t.gettext(m.text) for m in node.messages if matches(m.when, context.answers)]
    bubbles: list[str] = []
    current = f"🇺🇸 {t.gettext(node.title)}"
    for text in texts:
        joined = f"{current}\n\n{text}"
        if len(joined) <= CARD_MAX:
            current = joined
        else:
            bubbles.append(current)
            current = text
    bubbles.append(current)
    return [Reply(text) for text in bubbles]


def _cards(found: list[Found], offset: int, t: Translator) -> list[Reply]:
    return [
        Reply(render_card(item, t, number=offset + index + 1))
        for index, item in enumerate(found[offset : offset + PAGE])
    ]


@action("legal_aid_search")
def search(context: ActionContext) -> ActionResult:
    """The best organizations for the answers (3 at a time), then the national resources."""
    t = context.translator
    directory = _directory(context)
    if directory is None:
        return ActionResult(replies=[Reply(t.gettext(NO_DIRECTORY)), *national_replies(context)])
    query = query_from(context.answers)
    offset = int(context.text) if context.text.isdigit() else 0
    if query.state is None:
        return ActionResult(replies=[Reply(t.gettext(NO_STATE)), *national_replies(context)])
    found = directory.search(query)
    if offset and offset >= len(found):
        return ActionResult(replies=[Reply(t.gettext(NO_MORE))])
    replies: list[Reply] = []
    if offset == 0 and not any(query.state in f.provider.regions for f in found):
        replies.append(Reply(t.gettext(NONE_LOCAL).format(state=_label(query.state, t))))
    cards = _cards(found, offset, t)
    if cards and offset + PAGE < len(found):
        more = Button(t.gettext(MORE), payload=f"a:{context.node.id}:{offset + PAGE}")
        cards[-1] = Reply(cards[-1].text, (more,))
    replies += cards
    if offset == 0:
        replies += national_replies(context)
    else:
        last = min(offset + PAGE, len(found))
        page = t.gettext(PAGE_OF).format(first=offset + 1, last=last, total=len(found))
        replies.append(Reply(page))
    return ActionResult(replies=replies)
