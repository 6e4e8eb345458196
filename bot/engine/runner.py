"""The flow engine: ``advance(flows, state, event, localizer) -> (state, replies)``.

Pure: no I/O, no channel types, no clock. The same function serves Telegram, the web chat and the
terminal simulator. A returned state of ``None`` means "forget this conversation" (``/delete``).

Button payloads are short strings that fit Telegram's 64-byte ``callback_data``:
``b:<node>:<button key>`` a content button (the key names what it opens, never its position:
see ``Button.key`` and ``press``), ``a:<node>:<arg>`` an action's own button,
``src:<node>`` the sources of a node, ``g:<node>`` go to a node (free-text suggestions),
``lang:<code>``, ``nav:back``, ``nav:menu`` and ``nav:here`` (show the current screen again, for a
page reload).
A payload that names a node or button that no longer exists is answered kindly, never with an error.
"""

from __future__ import annotations

import datetime as dt
import logging
import re

from bot.engine import ui
from bot.engine.actions import ACTIONS, ActionContext, ActionResult
from bot.engine.model import Button as ContentButton
from bot.engine.model import Condition, Flows, Node
from bot.engine.typed import typed_answer
from bot.engine.types import (
    HISTORY_LIMIT,
    Button,
    ConversationState,
    Event,
    Localizer,
    Match,
    Reply,
    Services,
    Translator,
)
from bot.text import fold_accents

__all__ = [
    "EMERGENCY",
    "MAIN",
    "MAX_TEXT",
    "WELCOME",
    "advance",
    "button_payload",
    "matches",
    "needs_danger_button",
    "press",
    "render_node",
]

log = logging.getLogger(__name__)

MAIN = "main"
WELCOME = "welcome"
EMERGENCY = "emergency"
HELP = "help"
_GENERAL = frozenset({MAIN, HELP})
"""Screens a greeting or a bare "I need help" leads to; a first message like that gets the
welcome instead, whose first question is whether the person is in danger."""
MAX_TEXT = 1000
"""Longer typed text is not matched to a topic (it is most likely pasted); danger words in it
are still checked by the matcher, which bounds its own work."""

_COMMANDS = {
    "start": "start",
    "inicio": "start",
    "menu": "menu",
    "menú": "menu",
    "idioma": "language",
    "language": "language",
    "lang": "language",
    "ayuda": "help",
    "help": "help",
    "borrar": "delete",
    "delete": "delete",
    "peligro": "danger",
    "danger": "danger",
}

Outcome = tuple[ConversationState | None, list[Reply]]

NUMBERED_CHANNELS = frozenset({"whatsapp"})
"""Channels where a typed "2" presses the second button shown: people used to menus by SMS answer
that way, and WhatsApp's list rows are easy to miss on an old phone."""
SHOWN_LIMIT = 30
_NUMBER = re.compile(r"^\s*(\d{1,2})\s*[.)]?\s*$")


def matches(when: Condition | None, answers: dict[str, str]) -> bool:
    """True when every key of the condition equals (or is one of) the stored answer."""
    if not when:
        return True
    for key, expected in when.items():
        allowed = expected if isinstance(expected, list) else [expected]
        if answers.get(key) not in allowed:
            return False
    return True


def advance(
    flows: Flows,
    state: ConversationState | None,
    event: Event,
    localizer: Localizer,
    services: Services | None = None,
) -> Outcome:
    """Answer one event; return the new state (``None`` to erase it) and the replies."""
    return _Turn(flows, state or ConversationState(), localizer, services or Services()).run(event)


class _Turn:
    """One event's processing; holds the working copy of the state."""

    def __init__(
        self, flows: Flows, state: ConversationState, localizer: Localizer, services: Services
    ) -> None:
        self.flows = flows
        self.state = state.model_copy(deep=True)
        self.localizer = localizer
        self.services = services
        self.channel = ""  # the event's channel, for bubbles limited to some channels
        if self.state.locale not in localizer.locales:
            self.state.locale = None

    @property
    def t(self) -> Translator:
        return self.localizer.translator(self.state.locale or self.localizer.locales[0])

    def _(self, message: str) -> str:
        return self.t.gettext(message)

    # -- dispatch -------------------------------------------------------------------------------

    def run(self, event: Event) -> Outcome:
        self.channel = event.channel
        if event.channel not in NUMBERED_CHANNELS:
            return self._run(event)
        shown = list(self.state.shown)
        if event.kind == "text":
            event = self._numbered(event, shown)
        state, replies = self._run(event)
        if state is not None:
            payloads = [b.payload for r in replies for b in r.buttons if b.payload]
            state.shown = payloads[:SHOWN_LIMIT] if payloads else shown
        return state, replies

    def _numbered(self, event: Event, shown: list[str]) -> Event:
        """A typed number presses that button of the last screen; danger words are checked first
        (on every typed text), so a number can never hide a cry for help."""
        found = _NUMBER.match(event.text)
        if found is None or not shown:
            return event
        index = int(found.group(1)) - 1
        if not 0 <= index < len(shown):
            return event
        danger = self._match(event.text, self.state.locale or self.localizer.locales[0])
        if danger is not None and danger.danger:
            return event
        return Event.pressed(shown[index], event.language_hint, channel=event.channel)

    def _run(self, event: Event) -> Outcome:
        if event.kind == "button" and event.payload.startswith("lang:"):
            return self._choose_language(event.payload.removeprefix("lang:"))
        command = _command_of(event)
        if command == "delete":
            return self._erase(event.channel)
        if command == "danger":
            return self._danger_command(event)
        if self.state.locale is None:
            self.state.locale = self.localizer.negotiate(event.language_hint)
            if self.state.locale is None and command is None and event.kind == "text":
                found = self._match(event.text, self.localizer.locales[0])
                if found is not None and found.language in self.localizer.locales:
                    self.state.locale = found.language
                elif found is not None and found.danger:
                    return self._emergency_in_every_language()
            if self.state.locale is None:
                return self._ask_language()
            if command in (None, "start") and event.kind != "button":
                if command is None and event.kind == "text":
                    return self._free_text(event.text, first=True)
                return self._show(self._first_node(), remember=False)
        if command is not None:
            return self._command(command)
        if event.kind == "button":
            return self._button(event.payload)
        if event.kind == "unsupported":
            return self._unsupported()
        return self._free_text(event.text)

    def _command(self, command: str) -> Outcome:
        if command == "start":
            self.state.history.clear()
            return self._show(self._first_node(), remember=False)
        if command == "menu":
            return self._show(MAIN)
        if command == "language":
            return self._ask_language()
        if command == "help":
            if HELP in self.flows.nodes:
                return self._show(HELP)
            return self._with_current(self._(ui.HELP))
        return self._with_current(self._(ui.UNKNOWN_COMMAND), node_id=MAIN)

    def _danger_command(self, event: Event) -> Outcome:
        """``/peligro`` or ``/danger``: the emergency screen at once, on every channel. Before the
        person's language is known, it comes in every language (as for danger words)."""
        if EMERGENCY not in self.flows.nodes:
            return self._show(MAIN)
        if self.state.locale is None:
            self.state.locale = self.localizer.negotiate(event.language_hint)
        if self.state.locale is None:
            return self._emergency_in_every_language()
        return self._show(EMERGENCY)

    def _first_node(self) -> str:
        return WELCOME if WELCOME in self.flows.nodes else MAIN

    # -- language -------------------------------------------------------------------------------

    def _ask_language(self) -> Outcome:
        """Ask in every enabled language at once: we may not know which one the person reads."""
        prompts = [
            self.localizer.translator(code).gettext(ui.LANGUAGE_PROMPT)
            for code in self.localizer.locales
        ]
        buttons = tuple(
            Button(label=self.localizer.language_name(code), payload=f"lang:{code}")
            for code in self.localizer.locales
        )
        return self.state, [Reply(text="\n".join(dict.fromkeys(prompts)), buttons=buttons)]

    def _choose_language(self, code: str) -> Outcome:
        if code not in self.localizer.locales:
            return self._ask_language()
        first_time = self.state.locale is None or self.state.node is None
        self.state.locale = code
        if first_time:
            return self._show(self._first_node(), remember=False)
        return self._show(self.state.node or MAIN, remember=False)

    # -- buttons --------------------------------------------------------------------------------

    def _button(self, payload: str) -> Outcome:
        kind, _, rest = payload.partition(":")
        if kind == "nav" and rest == "menu":
            return self._show(MAIN)
        if kind == "nav" and rest == "back":
            return self._back()
        if kind == "nav" and rest == "here":
            return self._show(self.state.node or self._first_node(), remember=False)
        if kind == "g":
            return self._show(rest) if rest in self.flows.nodes else self._stale()
        if kind == "src":
            node = self.flows.get(rest)
            if node is None:
                return self._stale()
            return self.state, [Reply(self._sources(node), self._nav_buttons(node))]
        if kind == "b":
            pressed = press(self.flows, payload)
            if pressed is None:
                return self._stale()
            node, button, target = pressed
            if button is not None:
                if not matches(button.when, self.state.answers):
                    return self._stale()  # a button this person was never shown
                self.state.answers.update(button.set)
            self.state.node = node.id
            return self._show(target)
        if kind == "a":
            node_id, _, argument = rest.partition(":")
            node = self.flows.get(node_id)
            if node is None or node.action is None or node.action not in ACTIONS:
                return self._stale()
            self.state.node = node.id
            result = self._run_action(node.action, node, argument)
            return self._after_action(node, result)
        return self._stale()

    def _back(self) -> Outcome:
        while self.state.history:
            previous = self.state.history.pop()
            if previous in self.flows.nodes:
                return self._show(previous, remember=False)
        return self._show(MAIN, remember=False)

    def _stale(self) -> Outcome:
        log.info("stale button answered with main menu")
        self.state.history.clear()
        return self._with_current(self._(ui.STALE_BUTTON), node_id=MAIN)

    # -- free text ------------------------------------------------------------------------------

    def _free_text(self, text: str, first: bool = False) -> Outcome:
        """Typed text: a typed answer to the screen's question (its danger checked first), then
        danger words (even at a screen that reads typed input, even in a very long message),
        then the screen's own input action, then the matcher's answer."""
        node = self.flows.get(self.state.node)
        if node is not None and not first and len(text) <= MAX_TEXT:
            answered = self._typed(node, text)
            if answered is not None:
                return answered
        found = self._match(text, self.state.locale or self.localizer.locales[0])
        offer = self._language_offer(found.language) if found is not None else None
        if found is not None and found.danger and EMERGENCY in self.flows.nodes:
            # The matcher names the screen: emergency, or "are you in danger now?" for fear.
            target = found.node if found.node in self.flows.nodes else EMERGENCY
            return _offering(self._show(target), offer)
        node = self.flows.get(self.state.node)
        if node is not None and node.input is not None and not first and len(text) <= MAX_TEXT:
            return self._input(node, text)
        if len(text) > MAX_TEXT:
            return self._with_current(self._(ui.TOO_LONG))
        if found is not None:
            if first and found.node in _GENERAL:
                # "hola", "necesito ayuda" from someone new: the welcome asks about danger first.
                return _offering(self._show(self._first_node(), remember=False), offer)
            if found.node is not None and found.node in self.flows.nodes:
                return _offering(self._show(found.node), offer)
            choices = [c for c in found.candidates if c in self.flows.nodes]
            if choices:
                return _offering((self.state, [self._did_you_mean(choices)]), offer)
        if first:
            return _offering(self._show(self._first_node(), remember=False), offer)
        return _offering(self._not_understood(), offer)

    def _typed(self, node: Node, text: str) -> Outcome | None:
        """A typed answer ("si", "no, solo tengo miedo") presses the button it names (see
        ``bot.engine.typed``), but danger still comes first: in the words after the answer ("no,
        pero me están siguiendo"), and in the whole message when the answer alone holds no
        danger ("no me dejan salir" is not the answer "no"). Words after the answer that ask
        for a screen ("no, pero quiero saber del asilo") open it, or offer the close ones."""
        shown = [b for b in node.buttons if matches(b.when, self.state.answers)]
        answered = typed_answer(shown, text)
        if answered is None:
            return None
        locale = self.state.locale or self.localizer.locales[0]
        rest = self._match(" ".join(answered.rest), locale) if answered.rest else None
        if answered.button.goto != EMERGENCY:
            alarm = self._alarm_target(rest, node)
            if alarm is None:
                whole = self._alarm_target(self._match(text, locale), node)
                alone = self._alarm_target(self._match(" ".join(answered.answer), locale), node)
                alarm = whole if alone is None else None
            if alarm is not None:
                return self._show(alarm)
            if rest is not None and not rest.danger:
                if rest.node in self.flows.nodes and rest.node not in _GENERAL | {node.id}:
                    return self._show(rest.node)
                choices = [c for c in rest.candidates if c in self.flows.nodes]
                if choices:
                    return self.state, [self._did_you_mean(choices)]
        log.info("typed answer pressed a button")
        return self._button(button_payload(node, answered.button))

    def _alarm_target(self, found: Match | None, node: Node) -> str | None:
        """The screen a danger match leads to, unless that screen would only ask the question
        just answered: fear ("no, solo tengo miedo") leads to «¿Está en peligro ahora mismo?»,
        which is the screen shown, or one with the same buttons (the welcome asks it too)."""
        if found is None or not found.danger or EMERGENCY not in self.flows.nodes:
            return None
        target = found.node if found.node in self.flows.nodes else EMERGENCY
        if target == node.id:
            return None
        asks = self.flows.nodes[target]
        same = bool(asks.buttons) and {b.goto for b in asks.buttons} == {
            b.goto for b in node.buttons
        }
        return None if same else target

    def _not_understood(self) -> Outcome:
        """ "I did not understand", with a one-tap way to the emergency screen, then the current
        screen again: someone who cannot find the words may be the one in danger."""
        state, replies = self._with_current(self._(ui.NOT_UNDERSTOOD))
        if EMERGENCY in self.flows.nodes and replies:
            danger = Button(self._(ui.DANGER_BUTTON), payload=f"g:{EMERGENCY}")
            replies[0] = Reply(replies[0].text, (danger,))
        return state, replies

    def _match(self, text: str, locale: str) -> Match | None:
        matcher = self.services.matcher
        if matcher is None or not text.strip():
            return None
        return matcher.match(text, locale)

    def _emergency_in_every_language(self) -> Outcome:
        """Danger before we know the person's language: emergency help in every language first,
        then the language question. Safety never waits for a menu choice."""
        node = self.flows.get(EMERGENCY)
        if node is None:
            return self._ask_language()
        replies: list[Reply] = []
        for code in self.localizer.locales:
            rendered = render_node(
                node, self.localizer.translator(code), self.state, [], (), self.channel
            )
            replies.extend(Reply(r.text, r.buttons, lang=code) for r in rendered)
        self.state.node = EMERGENCY
        _, ask = self._ask_language()
        return self.state, [*replies, *ask]

    def _language_offer(self, language: str | None) -> Button | None:
        """A one-tap switch when the text is in another enabled language, labelled in it."""
        if language is None or language == self.state.locale:
            return None
        if language not in self.localizer.locales:
            return None
        return Button(f"🌐 {self.localizer.language_name(language)}", payload=f"lang:{language}")

    def _did_you_mean(self, choices: list[str]) -> Reply:
        buttons = []
        for choice in choices:
            title = self.flows.nodes[choice].title
            short = self.flows.short_labels.get(title)
            buttons.append(
                Button(self._(title), payload=f"g:{choice}", short=self._(short) if short else None)
            )
        return Reply(text=self._(ui.DID_YOU_MEAN), buttons=(*buttons, self._menu_button()))

    def _input(self, node: Node, text: str) -> Outcome:
        assert node.input is not None
        result = self._run_action(node.input.action, node, text)
        if result.goto is None and node.input.next and not result.replies:
            result.goto = node.input.next
        return self._after_action(node, result)

    # -- actions --------------------------------------------------------------------------------

    def _run_action(self, name: str, node: Node, text: str) -> ActionResult:
        function = ACTIONS.get(name)
        if function is None:
            log.error("unknown action %s on node %s", name, node.id)
            return ActionResult(replies=[Reply(self._(ui.NOT_UNDERSTOOD))])
        context = ActionContext(
            flows=self.flows,
            node=node,
            answers=dict(self.state.answers),
            translator=self.t,
            services=self.services,
            text=text,
        )
        return function(context)

    def _remember(self, result: ActionResult) -> None:
        """Keep the answers an action produced and drop the ones it asked to forget."""
        self.state.answers.update(result.answers)
        for key in result.forget:
            self.state.answers.pop(key, None)

    def _after_action(self, node: Node, result: ActionResult) -> Outcome:
        self._remember(result)
        if result.goto is not None:
            state, replies = self._show(result.goto)
            return state, [*result.replies, *replies]
        replies = list(result.replies)
        if replies and not replies[-1].buttons:
            last = replies.pop()
            replies.append(Reply(last.text, self._nav_buttons(node)))
        elif not replies:
            replies = self._nav_only(node)
        return self.state, replies

    # -- rendering ------------------------------------------------------------------------------

    def _show(self, node_id: str, remember: bool = True) -> Outcome:
        node = self.flows.get(node_id)
        if node is None:
            log.warning("missing node %s; showing the main menu", node_id)
            node = self.flows.get(MAIN)
            if node is None:
                return self.state, [Reply(self._(ui.NOT_UNDERSTOOD))]
        if remember and self.state.node and self.state.node != node.id:
            self.state.history.append(self.state.node)
            del self.state.history[:-HISTORY_LIMIT]
        if node.id == MAIN:
            self.state.history.clear()
        self.state.node = node.id
        extra: list[Reply] = []
        if node.action:
            result = self._run_action(node.action, node, "")
            self._remember(result)
            extra = result.replies
        replies = render_node(
            node, self.t, self.state, extra, self._nav_buttons(node), self.channel
        )
        if node.id == MAIN:
            replies = [*self._notices(), *replies]
        return self.state, replies

    def _notices(self) -> list[Reply]:
        """The dated notices in force today, as banners above the main menu.

        "Today" comes from ``services.extras["today"]`` (a date or a function returning one; the
        service passes the system clock). Without a clock no notice is shown: an expired notice
        must never reach people."""
        today = _today(self.services)
        if today is None:
            return []
        return [
            Reply(
                self._(ui.NOTICE).format(
                    text=self._(notice.text), date=self.t.format_date(notice.reviewed)
                )
            )
            for notice in self.flows.notices.values()
            if notice.shown_on(today) and notice.reviewed is not None
        ]

    def _nav_buttons(self, node: Node) -> tuple[Button, ...]:
        if not node.nav:
            return ()
        buttons: list[Button] = []
        if node.id != MAIN and self.state.history:
            buttons.append(Button(self._(ui.BACK), payload="nav:back"))
        if node.id != MAIN:
            buttons.append(self._menu_button())
        if node.id in (MAIN, WELCOME):
            buttons.append(Button(self._(ui.LANGUAGE_BUTTON), payload="lang:"))
        if node.id == MAIN and needs_danger_button(node, self.flows):
            buttons.insert(0, Button(self._(ui.DANGER_BUTTON), payload=f"g:{EMERGENCY}"))
        return tuple(buttons)

    def _menu_button(self) -> Button:
        return Button(self._(ui.MAIN_MENU), payload="nav:menu")

    def _nav_only(self, node: Node) -> list[Reply]:
        nav = self._nav_buttons(node)
        return [] if not nav else [Reply("⬇", nav)]

    def _unsupported(self) -> Outcome:
        """A sticker, photo, voice note or place: one short reply with the current screen's
        buttons, so the person can go on without reading the whole screen again."""
        node = self.flows.get(self.state.node)
        if node is None:
            return self._with_current(self._(ui.UNSUPPORTED), node_id=self._first_node())
        _, replies = self._show(node.id, remember=False)
        buttons = replies[-1].buttons if replies else ()
        return self.state, [Reply(self._(ui.UNSUPPORTED), buttons)]

    def _with_current(self, notice: str, node_id: str | None = None) -> Outcome:
        """A short notice, then the current screen again, so nothing is lost."""
        target = node_id or self.state.node or MAIN
        state, replies = self._show(target, remember=node_id is not None)
        return state, [Reply(notice), *replies]

    def _sources(self, node: Node) -> str:
        if not node.sources:
            return self._(ui.SOURCES_NONE)
        lines = [self._(ui.SOURCES_TITLE)]
        for source_id in node.sources:
            source = self.flows.sources.get(source_id)
            if source is None:
                continue
            lines.append(f"• {source.id}: {self._(source.summary)} ({source.citation})")
        return "\n".join(lines)

    def _erase(self, channel: str) -> Outcome:
        """Forget everything, and say how to remove the chat from this channel's app too."""
        parts = (ui.ERASED, ui.erase_advice(channel), ui.START_AGAIN)
        return None, [Reply(" ".join(self._(part) for part in parts))]


def needs_danger_button(node: Node, flows: Flows) -> bool:
    """Whether the engine adds "🆘 I am in danger" to the main menu: when the menu's own buttons
    do not already lead to the emergency screen. Every screen has "Main menu", so the emergency
    screen is then at most two taps from anywhere, whatever the content says."""
    return EMERGENCY in flows.nodes and not any(b.goto == EMERGENCY for b in node.buttons)


def render_node(
    node: Node,
    t: Translator,
    state: ConversationState,
    extra: list[Reply],
    nav: tuple[Button, ...],
    channel: str,
) -> list[Reply]:
    """The bubbles of a node in one language on ``channel``: its messages, action output, then
    its buttons."""
    texts = [
        t.gettext(m.text)
        for m in node.messages
        if matches(m.when, state.answers) and (m.channels is None or channel in m.channels)
    ]
    replies = [Reply(text) for text in texts]
    replies.extend(extra)
    buttons = [
        Button(
            t.gettext(b.label),
            payload=button_payload(node, b),
            short=t.gettext(b.short) if b.short else None,
        )
        for b in node.buttons
        if matches(b.when, state.answers)
    ]
    if node.legal and node.reviewed is not None:
        replies.append(
            Reply(t.gettext(ui.DISCLAIMER_REVIEWED).format(date=t.format_date(node.reviewed)))
        )
        if node.sources:
            buttons.append(Button(t.gettext(ui.SOURCES), payload=f"src:{node.id}"))
    buttons.extend(nav)
    if not replies:
        replies.append(Reply(t.gettext(node.title)))
    last = replies[-1]
    replies[-1] = Reply(last.text, (*last.buttons, *buttons))
    return replies


def button_payload(node: Node, button: ContentButton) -> str:
    """What a content button sends back when pressed: its screen and its stable key."""
    return f"b:{node.id}:{button.key}"


def press(flows: Flows, payload: str) -> tuple[Node, ContentButton | None, str] | None:
    """The screen, button and target a ``b:`` payload stands for, or ``None`` when it is stale.

    A key no button has any more still opens the screen it names, when that screen exists: an
    editor changed the button (its target or its answer), and the old button in a person's chat
    keeps its old meaning instead of opening something else. Positional payloads from before
    stable keys (``b:main:3``) are stale: positions change when editors reorder buttons.
    """
    node_id, _, key = payload.removeprefix("b:").partition(":")
    node = flows.get(node_id)
    if node is None or not key or key.isdigit():
        return None
    for button in node.buttons:
        if button.key == key:
            return node, button, button.goto
    target = key.split(".", 1)[0]
    if target in flows.nodes:
        return node, None, target
    return None


def _today(services: Services) -> dt.date | None:
    clock = services.extras.get("today")
    if callable(clock):
        clock = clock()
    if isinstance(clock, dt.datetime):
        return clock.date()
    return clock if isinstance(clock, dt.date) else None


def _offering(outcome: Outcome, offer: Button | None) -> Outcome:
    """The outcome with ``offer`` added as the last button of its last reply."""
    state, replies = outcome
    if offer is None or not replies:
        return outcome
    last = replies[-1]
    return state, [*replies[:-1], Reply(last.text, (*last.buttons, offer))]


_BARE_COMMANDS = frozenset({"borrar", "delete", "idioma", "language", "peligro", "danger"})
"""Commands that also work typed alone without the slash ("Borrar", "delete."): on WhatsApp
there are no slash commands, and a person told to write /borrar often writes just the word.
Not "menu", "inicio" or "ayuda": alone, those are greetings or questions, and a first message
like that gets the welcome (which asks about danger) rather than skipping it."""
_BARE_PUNCTUATION = " \t\n.,;:!?¡¿\"'*"


def _command_of(event: Event) -> str | None:
    if event.kind != "text":
        return None
    text = event.text.strip()
    if not text.startswith("/"):
        bare = fold_accents(text.strip(_BARE_PUNCTUATION)).lower()
        return _COMMANDS[bare] if bare in _BARE_COMMANDS else None
    word = text[1:].split(maxsplit=1)[0] if len(text) > 1 else ""
    word = word.split("@", 1)[0].lower()
    return _COMMANDS.get(word, "unknown")
