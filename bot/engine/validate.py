"""Check all content before it reaches people: flows, translations, and the limits of Telegram.

``validate_content`` builds on the loader (YAML syntax, unknown fields, duplicate ids, broken
links) and adds the checks that need the whole picture: screens nobody can reach or leave,
translations that are missing, unchecked (fuzzy), left over or with broken placeholders, texts and
buttons that do not fit a phone or Telegram, legal screens without a review date or sources, and
names of actions or answers that nothing defines.

Every ``Problem`` says where (``file:line``), which node, and how to fix it in words an NGO editor
understands. Errors would break the helpline for people; warnings are worth fixing but never stop
a reload. Pure apart from reading the content files: the date is passed in, nothing is written.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import deque
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import PoFileError, read_po

from bot.engine import content_rules
from bot.engine.actions import ACTIONS
from bot.engine.loader import Problem, Severity, load_flows
from bot.engine.model import BUTTON_ID_PATTERN, Flows, Node
from bot.engine.protected import VARIANTS_FILE, compare_protected, load_variants
from bot.engine.runner import EMERGENCY, HELP, MAIN, WELCOME, button_payload, press
from bot.engine.validate_whatsapp import check_whatsapp, whatsapp_translations
from bot.i18n.catalogs import (
    DEFAULT_MIN_COVERAGE,
    DOMAIN,
    SOURCE_LANGUAGE,
    catalog_coverage,
    catalog_paths,
)

__all__ = [
    "CALLBACK_MAX_BYTES",
    "LABEL_MAX",
    "MAX_BUTTONS",
    "SCREEN_TEXT",
    "TELEGRAM_MAX_TEXT",
    "ValidationConfig",
    "check_flows",
    "rerouted_buttons",
    "translatable_strings",
    "validate_content",
]

TELEGRAM_MAX_TEXT = 4096
"""Telegram refuses a message longer than this (counted in UTF-16 code units)."""
SCREEN_TEXT = 700
"""About one phone screen; longer messages are hard to read in a hurry."""
LABEL_MAX = 30
"""Longer button labels are cut off on a small phone."""
MAX_BUTTONS = 8
"""More buttons than this, automatic ones included, do not fit a phone screen."""
CALLBACK_MAX_BYTES = 64
"""Telegram's limit on a button's ``callback_data``."""

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_BOT_PACKAGE = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class ValidationConfig:
    """What the checks depend on besides the files: today's date and the configured limits."""

    today: dt.date
    review_max_days: int = 180
    min_coverage: float = DEFAULT_MIN_COVERAGE
    actions: Collection[str] | None = None
    """Known action names; ``None`` means the built-in actions registered by ``bot.actions``."""
    readability: bool = True
    """Check every screen against the plain-language goals (``bot.readability``)."""


@dataclass(frozen=True)
class _Text:
    """One English string of the content (a msgid) and where an editor wrote it."""

    msgid: str
    file: str
    line: int
    node: str
    kind: str  # "title", "message", "label", "short", "summary", "notice" or "interface"


def validate_content(
    flows_dir: Path, locales_dir: Path, languages: list[str], config: ValidationConfig
) -> list[Problem]:
    """Every problem in the flows and catalogs, sorted by file and line."""
    result = load_flows(flows_dir)
    if result.unreadable:
        return result.unreadable
    problems = list(result.problems)
    broken = bool(result.errors)
    problems.extend(check_flows(result.flows, config, reachability=not broken))
    from bot.nlu.check import nlu_problems

    problems.extend(nlu_problems(flows_dir, result.flows, languages))
    texts = [*_flow_texts(result.flows), *_interface_texts()]
    problems.extend(_check_catalogs(texts, locales_dir, languages, config, obsolete=not broken))
    if config.readability:
        problems.extend(_readability(result.flows, locales_dir, languages))
    problems.extend(check_whatsapp(result.flows, whatsapp_translations(locales_dir, languages)))
    return sorted(set(problems))


def _readability(flows: Flows, locales_dir: Path, languages: list[str]) -> list[Problem]:
    """Plain-language goals per screen, in English and (when enabled) in Spanish."""
    spanish = None
    display = ""
    path = catalog_paths(locales_dir).get("es")
    if "es" in languages and path is not None:
        display = _display(path, locales_dir.parent)
        catalog = _read_catalog(path, "es", display)
        if isinstance(catalog, Problem):
            return []  # reported by the catalog checks
        spanish = content_rules.CatalogTranslator(catalog, "es")
    return content_rules.check_readability(flows, spanish, display)


# -- flows ----------------------------------------------------------------------------------------


def check_flows(flows: Flows, config: ValidationConfig, reachability: bool = True) -> list[Problem]:
    """The checks on loaded flows alone (no catalogs): graph, sizes, legal fields, names."""
    if config.actions is None:
        import bot.actions  # noqa: F401 - registers the built-in actions

        known_actions = set(ACTIONS)
    else:
        known_actions = set(config.actions)
    problems: list[Problem] = []
    if reachability:
        problems.extend(_unreachable(flows))
    problems.extend(_conditions(flows))
    problems.extend(content_rules.check_citations(flows))
    problems.extend(content_rules.check_notices(flows, config.today, config.review_max_days))
    for node in flows.nodes.values():
        problems.extend(_money(node))
        problems.extend(_dead_end(node))
        problems.extend(_sizes(node))
        problems.extend(_callback_data(node))
        problems.extend(_button_keys(node))
        problems.extend(_legal(node, flows, config))
        problems.extend(_actions(node, known_actions))
    return problems


def _where(node: Node) -> tuple[str, int]:
    return (node.origin.file, node.origin.line) if node.origin else ("?", 1)


def _money(node: Node) -> list[Problem]:
    file, line = _where(node)
    problems: list[Problem] = []
    for message in node.messages:
        where = message.origin.line if message.origin else line
        problems += content_rules.check_money(message.text, file, where, node.id, "this message")
    return problems


def _unreachable(flows: Flows) -> list[Problem]:
    """Nodes that no button, input or free-text match leads to from the start screens."""
    roots = [n for n in (WELCOME, MAIN, EMERGENCY, HELP) if n in flows.nodes]
    roots += [node.id for node in flows.nodes.values() if any(node.keywords.values())]
    seen = set(roots)
    queue = deque(roots)
    while queue:
        node = flows.nodes[queue.popleft()]
        targets = [b.goto for b in node.buttons]
        if node.input and node.input.next:
            targets.append(node.input.next)
        for target in targets:
            if target in flows.nodes and target not in seen:
                seen.add(target)
                queue.append(target)
    problems = []
    for node in flows.nodes.values():
        if node.id not in seen:
            file, line = _where(node)
            problems.append(
                Problem(
                    file,
                    line,
                    node.id,
                    f'nobody can reach this screen: no button leads here from "{WELCOME}" or '
                    f'"{MAIN}"; add a button with "goto: {node.id}", add keywords, '
                    "or delete the node",
                    "warning",
                )
            )
    return problems


def _dead_end(node: Node) -> list[Problem]:
    if node.nav or node.buttons or node.input:
        return []
    file, line = _where(node)
    return [
        Problem(
            file,
            line,
            node.id,
            'people get stuck on this screen: it has "nav: false" and no buttons or input; '
            'add a button, or remove "nav: false" to show Back and Main menu',
        )
    ]


def _utf16_length(text: str) -> int:
    """Length as Telegram counts it (emoji and some letters count twice)."""
    return len(text.encode("utf-16-le")) // 2


def _text_length_problems(
    text: str, file: str, line: int, node: str, whose: str, fix: str
) -> list[Problem]:
    """Telegram's hard limit (error) and the one-screen guideline (warning) for one text."""
    size = _utf16_length(text)
    if size > TELEGRAM_MAX_TEXT:
        return [
            Problem(
                file,
                line,
                node,
                f"{whose} is {size:,} characters; Telegram refuses messages over "
                f"{TELEGRAM_MAX_TEXT:,}: {fix}",
            )
        ]
    if len(text) > SCREEN_TEXT:
        return [
            Problem(
                file,
                line,
                node,
                f"{whose} is {len(text):,} characters, more than one phone screen "
                f"({SCREEN_TEXT}): {fix}",
                "warning",
            )
        ]
    return []


def _label_problems(
    label: str, file: str, line: int, node: str, whose: str, fix: str
) -> list[Problem]:
    if len(label) <= LABEL_MAX:
        return []
    return [
        Problem(
            file,
            line,
            node,
            f'{whose} "{label}" is {len(label)} characters; labels over {LABEL_MAX} are cut off '
            f"on phones: {fix}",
            "warning",
        )
    ]


def _sizes(node: Node) -> list[Problem]:
    file, line = _where(node)
    problems: list[Problem] = []
    for message in node.messages:
        where = message.origin.line if message.origin else line
        problems += _text_length_problems(
            message.text,
            file,
            where,
            node.id,
            "this message",
            "split it into shorter messages, one idea each",
        )
    for button in node.buttons:
        where = button.origin.line if button.origin else line
        problems += _label_problems(
            button.label, file, where, node.id, "button label", "shorten it"
        )
    automatic = _automatic_buttons(node)
    total = len(node.buttons) + len(automatic)
    if total > MAX_BUTTONS:
        extra = f" + {', '.join(automatic)}" if automatic else ""
        problems.append(
            Problem(
                file,
                line,
                node.id,
                f"this screen shows {total} buttons ({len(node.buttons)} here{extra}); more than "
                f"{MAX_BUTTONS} are hard to use on a phone: move some to a new screen",
                "warning",
            )
        )
    return problems


def _automatic_buttons(node: Node) -> list[str]:
    """The buttons the engine adds to a screen at most (see ``runner._nav_buttons``)."""
    added: list[str] = []
    if node.legal and node.reviewed is not None and node.sources:
        added.append("Sources")
    if node.nav:
        if node.id != MAIN:
            added += ["Back", "Main menu"]
        if node.id in (MAIN, WELCOME):
            added.append("Language")
    if node.id == MAIN and node.nav and not any(b.goto == EMERGENCY for b in node.buttons):
        added.append("I am in danger")
    return added


def _button_keys(node: Node) -> list[Problem]:
    """Each button is pressed by a key of its own, so an old button never opens another screen."""
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    file, line = _where(node)
    for button in node.buttons:
        where = button.origin.line if button.origin else line
        if button.id is not None and not BUTTON_ID_PATTERN.match(button.id):
            problems.append(
                Problem(
                    file,
                    where,
                    node.id,
                    f'the button id "{button.id}" may use only lowercase letters, digits, _ . and '
                    "- (60 at most)",
                )
            )
        if button.key in seen:
            problems.append(
                Problem(
                    file,
                    where,
                    node.id,
                    f'the buttons "{seen[button.key]}" and "{button.label}" open the same screen '
                    f'with the same answer, so they cannot be told apart; give one an "id:" '
                    "(a short name of your choice)",
                )
            )
        seen.setdefault(button.key, button.label)
    return problems


def rerouted_buttons(old: Flows, new: Flows) -> list[Problem]:
    """Warnings for buttons that would open a different screen than before when pressed.

    People keep old buttons in their chats for as long as their conversation lives: a button
    pressed after the change must still open what it said. Only a button with an explicit ``id``
    can be re-routed (a derived key names its screen); this finds it before people meet it.
    """
    problems: list[Problem] = []
    for node in old.nodes.values():
        for button in node.buttons:
            payload = button_payload(node, button)
            now = press(new, payload)
            if now is None or now[2] == button.goto:
                continue
            new_node = new.nodes[node.id]
            file, line = _where(new_node)
            if now[1] is not None and now[1].origin:
                line = now[1].origin.line
            problems.append(
                Problem(
                    file,
                    line,
                    node.id,
                    f'the button "{button.label}" (id "{button.key}") opened "{button.goto}" and '
                    f'would now open "{now[2]}" for people who still have it in their chat; if '
                    'this is a different button, give it a new "id:"',
                    "warning",
                )
            )
    return problems


def _callback_data(node: Node) -> list[Problem]:
    """Button payloads (forms in ``bot.engine.runner``) must fit Telegram's 64 bytes."""
    payloads = [f"g:{node.id}", *(button_payload(node, b) for b in node.buttons)]
    if node.legal:
        payloads.append(f"src:{node.id}")
    if node.action:
        payloads.append(f"a:{node.id}:")
    longest = max(payloads, key=lambda p: len(p.encode("utf-8")))
    size = len(longest.encode("utf-8"))
    if size <= CALLBACK_MAX_BYTES:
        return []
    file, line = _where(node)
    return [
        Problem(
            file,
            line,
            node.id,
            f'a button of this screen is too long for Telegram: "{longest}" is {size} bytes and '
            f"the limit is {CALLBACK_MAX_BYTES}; use a shorter screen id"
            + (', or give the button a short "id:"' if longest.startswith("b:") else ""),
        )
    ]


def _legal(node: Node, flows: Flows, config: ValidationConfig) -> list[Problem]:
    if not node.legal:
        return []
    file, line = _where(node)
    problems: list[Problem] = []
    if node.reviewed is None:
        problems.append(
            Problem(
                file,
                line,
                node.id,
                'a legal screen needs "reviewed: YYYY-MM-DD", the day someone checked it against '
                "its sources",
            )
        )
    if not node.sources:
        problems.append(
            Problem(
                file,
                line,
                node.id,
                'a legal screen needs "sources:" with at least one fact id from '
                "flows/sources.yaml, e.g. sources: [ASY-1]",
            )
        )
    if node.reviewed is not None:
        age = (config.today - node.reviewed).days
        if age > config.review_max_days:
            problems.append(
                Problem(
                    file,
                    line,
                    node.id,
                    f"reviewed on {node.reviewed.isoformat()}, {age} days ago (the limit is "
                    f"{config.review_max_days}); check it against its sources again and update "
                    '"reviewed"',
                    "warning",
                )
            )
        elif age < 0:
            problems.append(
                Problem(
                    file,
                    line,
                    node.id,
                    f'"reviewed: {node.reviewed.isoformat()}" is in the future; write the day it '
                    "was really checked",
                    "warning",
                )
            )
    return problems


def _actions(node: Node, known: set[str]) -> list[Problem]:
    file, line = _where(node)
    names = ", ".join(sorted(known)) or "none"
    problems: list[Problem] = []
    if node.action and node.action not in known:
        problems.append(
            Problem(
                file,
                line,
                node.id,
                f'unknown action "{node.action}" (built-in actions: {names}); check the spelling',
            )
        )
    if node.input and node.input.action not in known:
        where = node.input.origin.line if node.input.origin else line
        problems.append(
            Problem(
                file,
                where,
                node.id,
                f'input uses unknown action "{node.input.action}" (built-in actions: {names}); '
                "check the spelling",
            )
        )
    return problems


def _conditions(flows: Flows) -> list[Problem]:
    """Answers that ``when`` tests must be stored somewhere, or the condition is never true."""
    set_values: dict[str, set[str]] = {}
    free_keys: set[str] = set()
    for node in flows.nodes.values():
        for button in node.buttons:
            for key, value in button.set.items():
                set_values.setdefault(key, set()).add(value)
        if node.input and node.input.save:
            free_keys.add(node.input.save)
    problems: list[Problem] = []
    for node in flows.nodes.values():
        file, line = _where(node)
        items = [(m.when, m.origin) for m in node.messages] + [
            (b.when, b.origin) for b in node.buttons
        ]
        for when, origin in items:
            for key, expected in (when or {}).items():
                where = origin.line if origin else line
                if key in free_keys:
                    continue
                if key not in set_values:
                    problems.append(
                        Problem(
                            file,
                            where,
                            node.id,
                            f'the condition uses the answer "{key}" but no button sets it; add '
                            f'"set: {{{key}: ...}}" to a button before this screen, or fix '
                            "the spelling",
                            "warning",
                        )
                    )
                    continue
                wanted = expected if isinstance(expected, list) else [expected]
                for value in wanted:
                    if value not in set_values[key]:
                        known = ", ".join(f'"{v}"' for v in sorted(set_values[key]))
                        problems.append(
                            Problem(
                                file,
                                where,
                                node.id,
                                f'the condition expects "{key}" to be "{value}", but buttons only '
                                f"set it to {known}; fix the spelling of one of them",
                                "warning",
                            )
                        )
    return problems


# -- translations ---------------------------------------------------------------------------------


def translatable_strings(flows: Flows) -> list[str]:
    """Every English string people can see, each once: the flows' and the interface's."""
    return list(dict.fromkeys(t.msgid for t in [*_flow_texts(flows), *_interface_texts()]))


def _flow_texts(flows: Flows) -> Iterator[_Text]:
    for node in flows.nodes.values():
        file, line = _where(node)
        yield _Text(node.title, file, line, node.id, "title")
        for message in node.messages:
            yield _Text(
                message.text,
                file,
                message.origin.line if message.origin else line,
                node.id,
                "message",
            )
        for button in node.buttons:
            yield _Text(
                button.label, file, button.origin.line if button.origin else line, node.id, "label"
            )
            if button.short:
                where = button.origin.line if button.origin else line
                yield _Text(button.short, file, where, node.id, "short")
    for source in flows.sources.values():
        file, line = (source.origin.file, source.origin.line) if source.origin else ("?", 1)
        yield _Text(source.summary, file, line, "", "summary")
    for notice in flows.notices.values():
        file, line = (notice.origin.file, notice.origin.line) if notice.origin else ("?", 1)
        yield _Text(notice.text, file, line, "", "notice")


@lru_cache(maxsize=1)
def _interface_texts() -> tuple[_Text, ...]:
    """Interface strings marked in the code, found the way ``pybabel extract`` finds them."""
    keywords = {**DEFAULT_KEYWORDS, "N_": None}
    found = extract_from_dir(str(_BOT_PACKAGE), method_map=[("**.py", "python")], keywords=keywords)
    texts = []
    for filename, lineno, message, _comments, _context in found:
        if isinstance(message, str) and message:
            path = f"{_BOT_PACKAGE.name}/{Path(filename).as_posix()}"
            texts.append(_Text(message, path, lineno, "", "interface"))
    return tuple(texts)


def _language_name(code: str) -> str:
    try:
        return Locale.parse(code).english_name or code
    except (ValueError, UnknownLocaleError):
        return code


def _display(path: Path, base: Path) -> str:
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return str(path)


def _short(text: str, width: int = 50) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _placeholders(text: str) -> set[str]:
    return set(_PLACEHOLDER.findall(text))


def _check_catalogs(
    texts: list[_Text],
    locales_dir: Path,
    languages: list[str],
    config: ValidationConfig,
    obsolete: bool,
) -> list[Problem]:
    """Each language's ``.po`` against the English strings the content and interface use."""
    base = locales_dir.parent
    paths = catalog_paths(locales_dir)
    problems: list[Problem] = []
    try:
        variants = load_variants(locales_dir)
    except (yaml.YAMLError, OSError, KeyError, TypeError, AttributeError) as exc:
        variants = {}
        problems.append(
            Problem(
                _display(locales_dir / VARIANTS_FILE, base),
                1,
                "",
                "this list of allowed local variants cannot be read; each entry needs "
                f'"english:" and "translation:" under its language code ({exc})',
            )
        )
    checks: list[tuple[str, Severity]] = []
    for code in dict.fromkeys(languages):
        if code == SOURCE_LANGUAGE:
            continue
        if code not in paths:
            expected = _display(locales_dir / code / "LC_MESSAGES" / f"{DOMAIN}.po", base)
            problems.append(
                Problem(
                    expected,
                    1,
                    "",
                    f"LANGUAGES lists {_language_name(code)} ({code}) but this catalog does not "
                    f'exist; create it with "./helpline i18n add {code}"',
                )
            )
            continue
        checks.append((code, "error"))
    for code, path in paths.items():
        if code in languages or code == SOURCE_LANGUAGE:
            continue
        try:
            coverage = catalog_coverage(path)
        except (PoFileError, OSError, ValueError):
            coverage = None
        if coverage is not None and coverage.ratio < config.min_coverage:
            problems.append(
                Problem(
                    _display(path, base),
                    1,
                    "",
                    f"{_language_name(code)} is {coverage.ratio:.0%} translated; it appears in the "
                    f"language menu at {config.min_coverage:.0%}",
                    "warning",
                )
            )
            continue
        # A new language in the menu falls back to English where it is incomplete: not an error.
        checks.append((code, "warning"))
    for code, severity in checks:
        problems.extend(
            _check_catalog(
                texts, paths[code], code, base, severity, obsolete, variants.get(code, {})
            )
        )
    return problems


def _read_catalog(path: Path, code: str, display: str) -> Catalog | Problem:
    try:
        with path.open("rb") as handle:
            return read_po(handle, locale=code, abort_invalid=True)
    except PoFileError as exc:
        return Problem(
            display,
            exc.lineno + 1,
            "",
            f"the translation file cannot be read here ({exc.args[0].rsplit(' on ', 1)[0]}); "
            "check the quotes and the msgid/msgstr lines, or open it in Poedit",
        )
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        return Problem(display, 1, "", f"the translation file cannot be read: {exc}")


def _check_catalog(
    texts: list[_Text],
    path: Path,
    code: str,
    base: Path,
    severity: Severity,
    obsolete: bool,
    variants: Mapping[str, str],
) -> list[Problem]:
    display = _display(path, base)
    catalog = _read_catalog(path, code, display)
    if isinstance(catalog, Problem):
        return [catalog]
    language = _language_name(code)
    problems: list[Problem] = []
    first: dict[str, _Text] = {}
    for text in texts:
        first.setdefault(text.msgid, text)
    for msgid, text in first.items():
        entry = catalog.get(msgid)
        if entry is None:
            problems.append(
                Problem(
                    text.file,
                    text.line,
                    text.node,
                    f'"{_short(msgid)}" is not in {display} yet; run "./helpline i18n update", '
                    f"then translate it to {language} there",
                    severity,
                )
            )
            continue
        translation = entry.string if isinstance(entry.string, str) else "".join(entry.string or ())
        at = f"{display}:{entry.lineno}"
        if not translation:
            problems.append(
                Problem(
                    text.file,
                    text.line,
                    text.node,
                    f'"{_short(msgid)}" has no {language} translation yet; write it in the msgstr '
                    f"at {at}",
                    severity,
                )
            )
            continue
        if entry.fuzzy:
            problems.append(
                Problem(
                    text.file,
                    text.line,
                    text.node,
                    f'the {language} translation of "{_short(msgid)}" is marked fuzzy (unchecked) '
                    f'at {at}; check it, then remove the "fuzzy" mark',
                    severity,
                )
            )
            continue
        problems.extend(
            _check_translation(
                text, translation, display, entry.lineno or 1, language, variants, code
            )
        )
        problems.extend(_babel_checks(text, entry, catalog, display, language))
    if obsolete:
        for entry in catalog:
            if not entry.id or not isinstance(entry.id, str) or entry.id in first:
                continue
            node = next(
                (c.removeprefix("node ") for c in entry.auto_comments if c.startswith("node ")), ""
            )
            problems.append(
                Problem(
                    display,
                    entry.lineno or 1,
                    node,
                    "this entry translates English text that no longer exists "
                    f'("{_short(entry.id)}"); run "./helpline i18n update" to retire it',
                    "warning",
                )
            )
    return problems


def _check_translation(
    text: _Text,
    translation: str,
    display: str,
    line: int,
    language: str,
    variants: Mapping[str, str],
    code: str = "",
) -> list[Problem]:
    problems: list[Problem] = []
    changed = compare_protected(text.msgid, translation, variants)
    if changed:
        what = "; ".join(
            part
            for part in (
                f"missing in {language}: {', '.join(changed.missing)}" if changed.missing else "",
                f"not in the English: {', '.join(changed.added)}" if changed.added else "",
            )
            if part
        )
        problems.append(
            Problem(
                display,
                line,
                text.node,
                f"the {language} translation must keep every number, link, e-mail, form number "
                f'and fact id of the English exactly ({what}). English: "{text.msgid}" '
                f'{language}: "{translation}". Correct the translation; if the difference is on '
                f"purpose (a local number or page), list it in locales/{VARIANTS_FILE}",
            )
        )
    if code == "es":
        problems += content_rules.check_spanish_dollar(translation, display, line, text.node)
    if text.kind in ("message", "notice"):
        problems += content_rules.check_money(
            translation,
            display,
            line,
            text.node,
            f"the {language} translation of this message ({text.file}:{text.line})",
        )
    english, translated = _placeholders(text.msgid), _placeholders(translation)
    if english != translated:
        problems.append(
            Problem(
                display,
                line,
                text.node,
                f"the {language} translation must keep the placeholders of the English text "
                f"unchanged: English has {_names(english)}, {language} has {_names(translated)}",
            )
        )
    fix = f"shorten it in {display}:{line}"
    if text.kind == "message":
        problems += _text_length_problems(
            translation,
            display,
            line,
            text.node,
            f"the {language} translation of this message",
            fix,
        )
    elif text.kind == "label":
        problems += _label_problems(
            translation, display, line, text.node, f"the {language} button label", fix
        )
    return problems


def _babel_checks(
    text: _Text, entry: Message, catalog: Catalog, display: str, language: str
) -> list[Problem]:
    """Babel's own checks, which make ``pybabel compile`` (and so ``make catalogs``) fail."""
    problems = []
    for error in entry.check(catalog):
        problems.append(
            Problem(
                display,
                entry.lineno or 1,
                text.node,
                f'pybabel compile refuses the {language} translation ({error}). A "%" followed '
                f'by a space and a letter, as in "4% of", looks like a code to Babel: write '
                f'"percent" instead, or put the % before punctuation, as in "(4%)"',
            )
        )
    return problems


def _names(placeholders: Iterable[str]) -> str:
    names = sorted(placeholders)
    return " ".join(f"{{{name}}}" for name in names) if names else "none"
