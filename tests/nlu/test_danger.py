"""Danger first: every category of ``flows/nlu/danger.yaml`` in both languages, stories and
questions that are not alarms, fear alone, and a danger file that cannot break safety."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest

from bot.engine.types import Match
from bot.nlu.danger import DangerDetector, PatternError, load_patterns, parse_patterns
from bot.nlu.matcher import DANGER_CHECK, EMERGENCY, TextMatcher
from bot.nlu.normalize import tokens
from bot.settings import REPO_ROOT

CATEGORIES = {
    "danger_now": [
        # asking for someone to come, fire, forced entry, surrounded, shooting nearby
        ("manden a la policia por favor", "es"),
        ("nos van a quemar la casa esta noche", "es"),
        ("tumbaron la puerta y ya estan adentro", "es"),
        ("they said they are coming tonight for us", "en"),
        ("pay by tomorrow or they will kill my son", "en"),
        ("estan rodeando la casa con camionetas", "es"),
        ("se oyen disparos muy cerca", "es"),
        ("please send help fast", "en"),
        ("someone is breaking into our apartment", "en"),
        ("they kicked the door and are inside", "en"),
        ("me quieren matar los del cartel q hago", "es"),
        ("nos van a matar", "es"),
        ("they are going to kill us", "en"),
        ("someone is banging on my door", "en"),
        ("they slid a paper under our door that says we know where you live", "en"),
    ],
    "outside": [
        ("estan afuera de mi casa", "es"),
        ("two men are outside my door", "en"),
    ],
    "hunted": [
        ("me estan siguiendo desde la parada", "es"),
        ("ya saben donde vivo", "es"),
        ("los halcones me ubicaron", "es"),
        ("they found me", "en"),
        ("a car is watching my house", "en"),
        ("unos tipos vinieron preguntando por mi al trabajo", "es"),
        ("some men came asking about us at the store", "en"),
        ("el hombre que me amenazo vive en la misma ciudad que yo", "es"),
        ("the gang member who threatened me is here in the same city", "en"),
        # stalked, recognised, found again far from home
        ("una troca sin placas anda dando vueltas por mi cuadra", "es"),
        ("el pandillero me reconocio en el albergue", "es"),
        ("a car with no plates keeps driving around our block", "en"),
    ],
    "kidnapping": [
        ("levantaron a mi hermano", "es"),
        ("me quieren levantar", "es"),
        ("secuestardo", "es"),
        ("my daughter was kidnapped", "en"),
        ("they are asking for ransom for my dad", "en"),
        # held for money, without the words "rescate" or "secuestro"
        ("nos tienen en una bodega y piden dinero para soltarnos", "es"),
        ("quieren pisto para soltar a mi primo", "es"),
        ("they want money to let us go", "en"),
    ],
    "taken": [
        ("se llevaron a mi hijo en una camioneta", "es"),
        ("they took my wife this morning", "en"),
        ("a mi hermana la subieron a un taxi a la fuerza", "es"),
        ("a man dragged her into his truck", "en"),
    ],
    "armed": [
        ("hay hombres armados en la esquina", "es"),
        ("traen cuernos de chivo", "es"),
        ("men with guns outside", "en"),
        ("they are shooting", "en"),
        ("mi ex llego con un machete", "es"),
        ("oimos disparos en la calle", "es"),
        ("nos tienen rodeados los de la pandilla", "es"),
        ("we hear gunshots outside", "en"),
        ("a man with a machete is at the door", "en"),
    ],
    "locked_in": [
        ("el patron no me deja salir", "es"),
        ("me quitaron el pasaporte y me obligan a trabajar", "es"),
        ("they locked us in a house", "en"),
        ("he took my passport and wont let me leave", "en"),
        ("nos tienen atados en una bodega", "es"),
        ("they tied us up in a basement", "en"),
        ("me tienen en un cuarto y no se donde estoy", "es"),
        ("they are keeping us in a warehouse", "en"),
        # controlled by whoever brought them: phones taken, work without pay, sexual exploitation
        ("la señora nos quito los celulares y no nos paga", "es"),
        ("a mi prima la obligan a estar con hombres", "es"),
        ("the man keeps my papers and I have to work for him", "en"),
        ("he does not let her leave the apartment", "en"),
    ],
    "violence_now": [
        ("mi esposo me esta golpeando", "es"),
        ("estoy herida", "es"),
        ("my husband is hitting me", "en"),
        ("im bleeding", "en"),
        # a child abused now
        ("su tio la manosea y esta solo con ella", "es"),
        ("my neighbor is touching my daughter", "en"),
    ],
    "route": [
        ("estamos perdidos en el monte y ya no tenemos agua", "es"),
        ("vamos en la caja de un trailer y no podemos respirar", "es"),
        ("se lo esta llevando el rio a mi primo", "es"),
        ("we ran out of water in the desert", "en"),
        ("we are trapped in a container and cant breathe", "en"),
        ("the baby is not breathing", "en"),
        ("se nos acabo el agua y el niño ya no responde", "es"),
        ("my friend passed out and is unconscious", "en"),
    ],
    "suicide": [
        ("nadie me va a extrañar si me muero", "es"),
        ("nobody would miss me anyway", "en"),
        ("quiero suisidarme", "es"),
        ("quisiera dejar de existir", "es"),
        ("me tome un monton de pastillas hace rato", "es"),
        ("i took a handful of pills", "en"),
        ("ya no quiero vivir", "es"),
        ("todos estarian mejor sin mi", "es"),
        ("quisiera dormir y no despertar", "es"),
        ("i want to kill myself", "en"),
        ("everyone would be better off without me", "en"),
        ("i cant go on anymore", "en"),
        ("para que sigo viviendo asi", "es"),
        ("que sentido tiene vivir asi", "es"),
        ("voy a tomarme todas mis pastillas de una vez", "es"),
        ("theres no point in living like this", "en"),
        ("im going to take all these pills", "en"),
        ("me voy a dormir para siempre", "es"),
        ("todo seria mas facil si yo no estuviera", "es"),
        ("tell my kids i am sorry", "en"),
        # wished death on deportation, and the means kept: not a question about return
        ("si me deportan prefiero morirme, tengo unas pastillas escondidas", "es"),
        ("if they send me back i would rather die", "en"),
        ("not sure how much longer i can do this", "en"),
        ("been thinking about ending it", "en"),
        # the means at hand, a burden, a goodbye
        ("ya compre el veneno", "es"),
        ("ya no voy a molestar a nadie", "es"),
        ("i have my pills here and i'm ready", "en"),
        ("i wrote goodbye to my kids", "en"),
        ("they would all be better without me", "en"),
    ],
}

NOT_DANGER = [
    "que es el asilo",
    "the cartel threatened me last year, can I get asylum?",
    "me secuestraron en 2019 y me escape, puedo pedir asilo",
    "i was kidnapped back in 2020, does that help my case",
    "si me deportan me van a matar, puedo pedir asilo?",
    "if i go back they will kill me, what protection is there",
    "mataron a mi hermano y vine para aca",
    "ice se llevo a mi esposo, donde lo busco",
    "is it dangerous to go to court",
    "es peligroso ir a la corte",
    "busco trabajo de limpieza",
    "el juez me encontro culpable, puedo apelar",
    "me encontre un abogado en houston",
    "me agarraron en la frontera y me deportaron, puedo volver a pedir asilo",
    "mi abogado esta aqui en la misma ciudad",
    "tengo que tomar mis pastillas para la presion, afecta mi caso",
    "mi caso no aparece en el sistema desde que me mude",
    "me dijeron que regresan los documentos en un mes",
    "en 2018 me asaltaron con un cuchillo, cuenta para el asilo",
    "cuanto cobran de fianza para soltar a mi esposo de migracion",
    "los pandilleros se metieron a mi casa y por eso me vine, puedo pedir asilo",
    "they kidnapped me in mexico on the way here, can i get asylum",
    "me perdi en el desierto cuando cruce en 2019, eso afecta mi caso",
    "por mis ideas politicas me atacaron",
    "they broke into my house back home, does that help my case",
    "i took my pills this morning, can i still go to court",
    "que tengo que hacer para que me suelten de la detencion de ice",
    # the news and how things are somewhere: conditions, not a cry for help
    "hay muchas balaceras en reynosa ahorita segun las noticias, es seguro cruzar",
    "i saw on the news there is shooting in haiti again, do haitians get asylum",
    "en mi pueblo hay balaceras, eso cuenta para el asilo",
    # immigration at the door is the detained-relative screen; a song is not a cry for help
    "la migra esta afuera de mi casa, que hago",
    "ICE is outside my building, do i have to open",
    "como se llama el corrido que dice me andan buscando los de la sierra",
    "what is that movie where the cartel kidnaps the girl",
    # what to write in the application, whether it counts: questions about the case
    "el notario quiere que escriba que me secuestraron, eso sirve para el asilo",
    "my friend said to write that i was kidnapped on the form, should i",
    # a verb's tense is not a typo: "mataron" (they killed) is not "mataran" (they will kill)
    "a mi me amenazaron y me mataron a mi hermano, puedo pedir asilo",
    # deadlines of the case are not a deadline to pay or else
    "me dieron hasta el viernes para entregar los papeles de la corte",
    "tengo hasta mañana para mandar la forma del asilo",
    "can i file by friday or is it too late",
    "estoy nerviosa por mi corte del lunes, que llevo",
    # a lookout's job told as the reason to flee
    "trabajaba de halcon a fuerzas, me obligaron de morro, eso me quita el chance de asilo?",
]


@pytest.fixture(scope="module")
def detector() -> DangerDetector:
    return DangerDetector.from_flows_dir(REPO_ROOT / "flows")


@pytest.mark.parametrize(
    ("category", "text"),
    [(category, text) for category, rows in CATEGORIES.items() for text, _ in rows],
)
def test_each_category_in_both_languages(
    detector: DangerDetector, category: str, text: str
) -> None:
    hit = detector.find(tokens(text))
    assert hit is not None and hit.category == category and hit.goto == EMERGENCY


def test_the_examples_cover_both_languages() -> None:
    for rows in CATEGORIES.values():
        assert {lang for _, lang in rows} == {"es", "en"}


@pytest.mark.parametrize("text", [t for rows in CATEGORIES.values() for t, _ in rows])
@pytest.mark.parametrize("locale", ["es", "en"])
def test_danger_goes_to_emergency_in_any_locale(
    matcher: TextMatcher, text: str, locale: str
) -> None:
    found = matcher.match(text, locale)
    assert found == Match(node=EMERGENCY, confidence=1.0, language=found.language, danger=True)


@pytest.mark.parametrize("text", NOT_DANGER)
def test_questions_and_stories_are_not_alarms(matcher: TextMatcher, text: str) -> None:
    found = matcher.match(text, "es")
    assert not (found.danger and found.node == EMERGENCY)


@pytest.mark.parametrize("text", ["tengo miedo", "tengo mucho miedo", "I am scared", "im afraid"])
def test_fear_alone_asks_whether_in_danger_now(matcher: TextMatcher, text: str) -> None:
    found = matcher.match(text, "es")
    assert found.node == DANGER_CHECK and found.danger


def test_fear_with_a_question_gets_the_question(matcher: TextMatcher) -> None:
    found = matcher.match("tengo miedo de regresar a mi pais, puedo pedir asilo?", "es")
    assert not found.danger
    assert "asylum" in {matcher.topics[n] for n in (found.node, *found.candidates) if n}


def test_danger_wins_over_a_topic_in_the_same_message(matcher: TextMatcher) -> None:
    assert matcher.match("asilo", "es").node == "asylum"
    assert matcher.match("asilo, me quieren matar", "es").danger


def test_the_floor_holds_without_the_file(tmp_path: Path) -> None:
    """A flows folder without the danger file still alarms on the plainest words."""
    detector = DangerDetector.from_flows_dir(tmp_path)
    assert "me quieren matar" in detector
    assert "i want to kill myself" in detector
    assert "que es el asilo" not in detector


def test_an_ngo_can_add_a_phrase(tmp_path: Path) -> None:
    (tmp_path / "nlu").mkdir()
    (tmp_path / "nlu" / "danger.yaml").write_text(
        "categories:\n  - id: local\n    phrases:\n      es: [me anda cazando el|la mara*]\n",
        encoding="utf-8",
    )
    detector = DangerDetector.from_flows_dir(tmp_path)
    assert "me anda cazando la maras" in detector


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("categories: nope", '"categories:"'),
        ("categories:\n  - phrases: {es: [x]}\n", '"id"'),
        ("categories:\n  - id: a\n    phrases: {es: [me*]}\n", "4 letters"),
        ("categories:\n  - id: a\n    quiet_by: [past]\n    phrases: {es: [x]}\n", "quiet"),
        ("categories:\n  - id: a\n    colour: red\n    phrases: {es: [x]}\n", "unknown field"),
    ],
)
def test_a_broken_file_is_an_error_with_its_line(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "nlu").mkdir()
    (tmp_path / "nlu" / "danger.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(PatternError) as error:
        load_patterns(tmp_path)
    assert message in str(error.value)
    assert "danger.yaml:" in str(error.value)


def test_parse_rejects_a_phrase_of_only_a_wildcard() -> None:
    with pytest.raises(PatternError):
        parse_patterns({"categories": [{"id": "a", "phrases": {"es": ["*"]}}]})


def test_phrases_reached_through_their_anchor_are_those_found_by_trying_every_phrase(
    detector: DangerDetector,
) -> None:
    """Indexing a phrase by one word must lose no match: on every labelled message, the phrases
    found equal those found by trying each phrase at every position."""
    from bot.nlu.danger import _fits, _PhraseSet
    from bot.nlu.evaluate import read_rows

    phrases = detector._phrases
    data = REPO_ROOT / "tests" / "data"
    texts = [
        r.text for name in ("nlu_eval.tsv", "nlu_eval_held.tsv") for r in read_rows(data / name)
    ]
    texts += [t for rows in CATEGORIES.values() for t, _ in rows] + NOT_DANGER
    reached = 0
    for text in texts:
        lookups = detector._lookups(tokens(text))
        every = [
            phrase
            for phrase in phrases.phrases
            if any(
                _fits(phrase.slots[0], lookup) and _PhraseSet._rest(phrase, lookups, p)
                for p, lookup in enumerate(lookups)
            )
        ]
        assert phrases.found(lookups) == every, text
        reached += bool(every)
    assert reached > 100  # the comparison saw many messages with phrases, not only empty ones


def test_a_typo_can_raise_an_alarm_but_never_quiet_one() -> None:
    """ "sola" is one letter from "solia" (used to, a word of the past); read as a typo it quieted
    a woman held against her will. Words that quiet must be written as they are."""
    detector = DangerDetector.from_flows_dir(REPO_ROOT / "flows")
    assert detector.check(tokens("me quitaron los papeles y no me dejan salir sola"))
    assert not detector.check(tokens("solia no me dejaban salir, eso sirve para mi caso"))


def test_a_word_of_the_past_quiets_only_what_is_near_it() -> None:
    """When they arrived, said at the start of a long message, is not when the danger is."""
    detector = DangerDetector.from_flows_dir(REPO_ROOT / "flows")
    filler = "tengo una pregunta sobre el permiso de trabajo y sobre la corte de mi esposo " * 2
    assert not detector.check(tokens("en 2019 el patron no nos deja salir, eso cuenta"))
    assert detector.check(tokens(f"llegue hace dos meses, {filler} y el patron no nos deja salir"))


def test_the_news_quiets_even_beside_a_word_of_now() -> None:
    detector = DangerDetector.from_flows_dir(REPO_ROOT / "flows")
    assert not detector.check(tokens("ahorita en las noticias hay balaceras en culiacan"))
    assert detector.check(tokens("ahorita hay balaceras afuera de mi casa"))
    assert detector.check(tokens("hay mucha balacera ahorita en mi calle"))


def test_the_classifier_alone_does_not_alarm_on_two_or_three_words(matcher: TextMatcher) -> None:
    """Chatter this short gave the emergency class half the vote ("mande foto")."""
    import bot.nlu.matcher as module

    floor_only = copy.copy(matcher)
    floor_only.danger = DangerDetector.from_flows_dir(None)
    text = "nos andan cazando"
    assert len(tokens(text)) < module.CLASSIFIER_ALARM_WORDS
    assert not floor_only.match(text, "es").danger
    assert floor_only.match("nos andan cazando en el monte", "es").danger


def test_the_tense_of_a_verb_is_not_a_typo() -> None:
    patterns = parse_patterns({"categories": [{"id": "x", "phrases": {"es": ["me mataran"]}}]})
    detector = DangerDetector(patterns)
    assert detector.check(tokens("me mataran"))
    assert detector.check(tokens("me matarab"))  # a typo
    assert not detector.check(tokens("me mataron"))
    assert not detector.check(tokens("me mataban"))
    assert DangerDetector(
        parse_patterns({"categories": [{"id": "x", "phrases": {"es": ["me venden"]}}]})
    ).check(tokens("me venden")) and not DangerDetector(
        parse_patterns({"categories": [{"id": "x", "phrases": {"es": ["me venden"]}}]})
    ).check(tokens("me puede vender una bicicleta"))


def test_a_last_vowel_that_makes_another_word_is_not_a_typo() -> None:
    """ "corte" (court) read as a typo of "corto" (I cut myself) sent a question about free
    lawyers to the emergency screen; "me golpeo" (he hit me, past) read as "me golpea"."""
    phrases = {"es": ["me corto", "me golpea", "me tienen encerrado"]}
    detector = DangerDetector(parse_patterns({"categories": [{"id": "x", "phrases": phrases}]}))
    assert not detector.check(tokens("no tengo dinero y ya me toca corte"))
    assert not detector.check(tokens("el ejercito me golpeo alla"))
    assert detector.check(tokens("me corto los brazos"))
    assert detector.check(tokens("mi esposo me golpea"))
    assert detector.check(tokens("me tienen encerrada"))  # a and o: a woman, not another word
    assert detector.check(tokens("me golpeaa"))  # a typo


def test_buying_shoes_near_here_is_not_shots_fired() -> None:
    """ "shoes near" is one letter from "shots near": a phrase of a common word and a typo."""
    detector = DangerDetector.from_flows_dir(REPO_ROOT / "flows")
    assert not detector.check(tokens("do you know where i can buy cheap shoes near here"))


def test_they_are_here_said_alone_is_a_cry_for_help(matcher: TextMatcher) -> None:
    """ "estan aqui" alone is someone who found the person; with a question it is not
    ("mis hijos estan aqui conmigo, los puedo incluir?", unseen set V)."""
    for text in ("estan aqui", "ahi vienen", "they are here"):
        found = matcher.match(text, "es")
        assert (found.node, found.danger) == (EMERGENCY, True), text
    found = matcher.match(
        "q pasa con mis hijos si pido asilo los puedo incluir? ellos estan aqui", "es"
    )
    assert not found.danger


@pytest.mark.parametrize(
    "text",
    [
        "se metieron a mi casa y estamos escondidos en el baño",
        "nos andan cazando en el monte",
        "they found me and are outside",
    ],
)
def test_the_classifier_alarms_on_its_own_where_no_phrase_does(
    matcher: TextMatcher, text: str
) -> None:
    """The second net: with only the built-in floor of phrases (no ``danger.yaml``), cries for
    help that the floor does not know still get the emergency screen, from the classifier's
    emergency class. At its earlier threshold (0.8) it raised no alarm on any evaluation row."""
    floor_only = copy.copy(matcher)
    floor_only.danger = DangerDetector.from_flows_dir(None)
    assert floor_only.danger.find(tokens(text)) is None
    found = floor_only.match(text, "es")
    assert found.danger and found.node == EMERGENCY


CRIES_MISSED_ONCE = [
    # P, Q, S: followed, found, waiting outside
    "someones following my moms car rn same truck for 20 min",
    "the gang members from my country find me here in boston",
    "they wait near my work every day",
    "los del cartel estan esperando afuera de mi trabajo",
    # Z, AA: a partner in the next room; Portuguese
    "hes in the next room i can hear him yelling he broke my phone what do i do",
    "ola eles estao aqui na porta, la gente que me ameacava no brasil, me acharam, ajuda",
    # AD, AE, AF
    "el jefe de plaza me mando mensaje q ya sabe donde vivo aca en dallas",
    "client just got a text with a picture of her kid at school from the gang",
    "been giving my stuff away this week. wont need it",
    "ya compre las pastillas mañana es mi corte y no pienso ir a ningun lado",
    "ayer me corte las venas",
    "a man asking for her, he's still parked across the street",
    # AG, AI, AJ: suicide in the third person, a threat inside detention
    "got a msg right now saying they know my kids school and they will pick them up today",
    "my brother called from detention, said hes gonna hang himself before the plane",
    "my cellie got a shank and says im next bc i snitched",
    "the dude who threatened me in Honduras is literally here at my job today staring at me",
    # AL, AM: "back in zacatecas" is a place, not the past
    "the contractor keeps our ids in his truck, he dont pay us full and he said he will call the people back in zacatecas to go to our moms house",
    "theres a car outside again",
    "i took a lot of my meds",
    "the guy from the gang is sitting in the car across the street for 2 hours now",
    # AP, AQ: suicide asked as a question
    "q pasa si me mato, mi familia cobraria algo? ya estoy cansado de todo",
    "tired of everything. wrote letters for my kids. just tell me how the asylum works for them if im gone",
    # AS-BR: farewells, a deadline to pay or else, followed or found now
    "este es mi ultimo mensaje, gracias por nada, adios",
    "perdonenme, es mi ultimo mensaje, digan a mis hijos q los quise mucho",
    "ya no vuelvo a escribir cuiden a mis hijos adios",
    "Quiero saber sobre la apelacion, pero antes les digo que mañana ya no voy a estar",
    "tell my mom i love her. sorry for everything. this my last message",
    "maybe everybody would be happier if I just disappear",
    "he took like a whole bottle of something, he's slurring, what do i do",
    "piden piso pal viernes o queman el puesto d mi jefa",
    "el maje q cobra el piso dice q tengo hasta hoy a las 10 pa pagar o me quiebran",
    "dicen que si no deposito hoy antes de las 8 le cortan un dedo a mi papa",
    "they said pay the cuota by midnight or they burn my moms pupuseria",
    "un carro gris lleva como 4 cuadras detras de mi desde q sali de clases, q hago",
    "me llego un dm con mi direccion de aqui de nola y decia ya te ubicamos",
    "me tocan la ventana en la noche, es el hombre otra vez",
    # BS-CD: phonetic spelling, a bridge, someone taken minutes ago
    "ya me allaron los de la mara saben donde bibo aora",
    "me kitaron el pasaporte y disen ke debo el biaje no puedo irme de aki",
    "mi cyaan tek it nuh more, mi gonna jump off di overpass",
    "ayudenme x favor me quieren llevar",
    # CE-CP: telegraphic Spanish, lookouts watching now, a farewell
    "yo no querer vivir mas",
    "yo no oir pero ver sombra ventana. alguien querer entrar",
    "hay halcones vigilando la casa desde ayer",
    "no tengo ganas de amanecer mañana",
    "hearing shots outside like really close, not fireworks",
    # DC-DN: leaving this world, a rope bought, taken unless deeds are handed over
    "ya me quiero ir de este mundo",
    "turning 18 was supposed to be good. now no home no family no nothing. i bought rope today",
    "no le veo caso a seguir. cada dia peor",
    "fijese que la maña me dio hasta el domingo pa entregar las escrituras o se lo llevan a el",
    # DO-EB: pills taken, held for ransom ("privado"), self-harm told by a friend, things given away
    "tome muchas pastillas",
    "LO TIENEN PRIBADO AMI IJO PIDEN DINERO",
    "Una muchacha dice que se quiere cortar y trae una navaja en la bolsa.",
    "ya regale mis erramientas, ya no ocupo nada",
    "Hermana, ya regale mi ropa y mi biblia, ya estoy lista para irme con el Señor",
    # EC-EP: cutting again; a truck parked outside for an hour (now, though "used to")
    "me estoy cortando otra vez y no puedo parar",
    "i'm cutting again and its bad this time",
    "bro theres a truck parked outside our trailer for like an hour and my mom says its the guy who used to collect the renta in choloma",
    # EQ-FD: harm to oneself, said with «hacer daño»
    "Me quiero hacer daño, no puedo dejar de pensar en eso.",
    "Señores, ya nada vale la pena. Perdonen la molestia de este viejo.",
    # FE-FR: Kriol English, held by the people who brought her, telegraphic Spanish, things given away
    "mi lil girl neva reach home fram school an one man sen mi picture a har inna car",
    "My student says the people who brought her across are keeping her at a house in Phoenix, they take her money and won't let her leave.",
    "cuerda comprar hoy. decidido",
    "i give my things away today. no need anymore",
    "cuñado borracho pegar hermana ahora, niños ahi, yo llegar no poder",
    # phrases once written with a multi-word alternative
    "deje todo listo para mis hijos",
    "i gave away all my stuff",
    "they are holding her for ransom",
    # phrases once written with a multi-word alternative ("nadie se daria|va a dar cuenta")
    "nadie se daria cuenta",
    "send an ambulance",
    "the river is carrying my son",
    "i wrote a letter to my kids",
    # V: held now, though asking about the case; "back home" is a place
    "estoy trabajando sin pago, el señor se quedo con mis papeles y no me deja salir, tambien queria preguntar si eso cuenta para asilo",
    "the boss took my passport and my family back home pays if i leave. we sleep locked in",
    # FS-GF: hanging said as a plan, a deadline to pay, a razor kept, a threat in a cell
    "me voy a colgar",
    "ME DIJERON KE SI NO JUNTO EL DINERO PA MANANA YA SAVEN LO KE PASA",
    "me dieron hasta el domingo para regresarme con el o le hacen algo a mi familia alla",
    "tengo una navaja de rasurar guardada, ya lo decidi",
    "me dijeron que me van a violar en la regadera si no les doy lo de la comisaria",
    "they keep my passport and wont let me go",
    # GG-GT: fragments sent one by one, a deadline by text, held "whispering", running now
    "lo vienen siguiendo",
    "piden 5 mil pa soltarlo",
    "pa q sigo",
    "Me llegó un mensaje de un número de Tamaulipas: tengo hasta mañana a las doce para "
    "depositar diez mil dólares o van contra mi madre, que vive conmigo aquí en El Paso.",
    "i give my things to my friend. my phone after this is for my mama. bye everybody",
    "one of our guys never came back, he called from an unknown number whispering hes in a "
    "house with other men and they wont let them leave",
    "mi tio cruzo la semana pasada y el coyote lo tiene encerrado en una casa en Phoenix, no lo "
    "dejan salir y piden mas dinero",
    "ayuda me escape del carro de los que me levantaron estoy corriendo y me andan buscando",
    # GU-HH: Portuguese and portunol, hiding, a deadline relayed, letters, pills, a last talk
    "o homem que eu devo dinheiro ta aqui na porta com outros dois, falou que hoje eu pago ou "
    "nao saio vivo",
    "ate sexta tenho que pagar 2 mil o eles vao vir atras de mim e da minha esposa",
    "a mulher que me trouxe pra ca tirou meu passaporte e me obriga a trabalhar sem pagar",
    "pra que continuar. nao tem mais sentido nada. amanha nao quero acordar",
    "tengo un cuchillo na mao e to pensando em acabar com tudo hoje",
    "ja dei minhas coisas pro meu colega de quarto. fala pra minha mae no brasil que amo ela",
    "estoy escondida, entraron",
    "pt received a text: pay $3000 by friday or they go after his mom. he's shaking",
    "pt wrote letters to each of his kids and asked me to mail them 'after'",
    "un hermano se tomo todas las pastillas del frasco, esta medio dormido",
    "no voy a estar mañana pa la corte ni pa nada.bye bro",
    "Esta es probablemente mi última conversación con alguien. Cuiden a la gente.",
    "ya nada tiene caso",
    # HI-HV: captivity said in the present with how long it has lasted; third person; code
    "Estoy encerrado en un cuarto, el patron me quito el pasaporte, no me deja salir y no me paga desde hace meses.",
    "La duena de la casa donde trabajo de cuidador no me deja salir hace 2 semanas y me amenaza con llamar a ICE si me voy",
    "dice mi abuela que ya no quiere vivir, que se quiere ir con mi abuelo. im scared shes serious",
    "He dejado mis papeles en orden y una carta para mis hijos. Solo queria despedirme de alguien antes de irme.",
    "balazos afuera",
    "mensaje llegar: sabemos donde vives, hoy vamos. pandilla. miedo mucho",
    "yo regalar cosas mias amigos. carta escribir familia. ya terminar",
]
"""Cries for help that the detector missed on the first reading of an unseen check set (or
that a phrase written with a multi-word alternative never matched): each is now a phrase."""

QUESTIONS_THAT_ALARMED_ONCE = [
    # EC-EP: "a burden" of proof
    "Pt is past the filing window for asylum. Is there a protection with a higher burden of proof?",
    # P, Q, S: a threat told as the past, what the judge did not believe, the border's cells
    "my ex husband said he would kill me if i left, i left anyway, is that asylum",
    "me negaron el caso, se puede apelar? el juez no me creyo lo del secuestro",
    "mi hijo esta en la hielera, se lo llevaron ayer en la frontera",
    # "me tuvo encerrada" and "last yr" tell the past
    "el hombre q me tuvo encerrada en veracruz trabaja para la maña, eso cuenta para asilo",
    "cartel kidnapped me last yr is that torture for CAT",
    # AC-AF: a rumour, someone taken long ago, a move already made
    "me llego un audio q dice q desde hoy ya no hay asilo para nadie",
    "which one is easier to win, asylum or cat, they took my dad and we never saw him again",
    "me mude a otro estado xq me encontraron los de alla, tengo q avisar el cambio de direccion?",
    "can i still get withholding if the gang will kill me in tela",
    "no tengo dinero y ya me toca corte",
    # AG-AJ: "shot" is not "shots", getting up, the detainee locator, a joke
    "left Honduras 2019 after the gang shot up my moms pupuseria, can i still apply",
    "im moving next month what do i need to do with my case",
    "el primer año no podia ni levantarme de la cama de la depresion, todavia puedo pedir asilo",
    "detainee locator says no match for my son but i know they have him",
    "my boss is gonna kill me if im late again lol what time is it in texas",
    # AK-AN: childhood, a mother dying far away, a threat that was the reason to come
    "MS-13 shot at our house in San Pedro Sula when i was little. is that enough for asylum?",
    "my mom is dying in guatemala, can i go see her while my asylum is pending",
    "mi mama se esta muriendo en el salvador y quiero ir a verla, si salgo pierdo el asilo?",
    "we had to move fast bc my ex found us. how do i update my address for my case",
    "i was deported before and came back bc they were gonna kill me, can i get withholding",
    # U-X: what the judge will ask, which protection fits, a hypothetical return
    "IF THE JUDGE ASK ME ABOUT THE MEN WHO KIDNAPPED ME WHAT DO I SAY",
    "en la corte me van a preguntar de cuando me secuestraron en mexico?",
    "cual es mejor asilo o lo de tortura? me secuestraron en tamaulipas y no se cual me toca",
    "i moved because my boss was threatening me, do i tell immigration my new address",
    "if they will kill me in mexico which protection is easier to get",
    # FS-GF: one's own passport, "looked" is no "locked", kidnapped long ago
    "should i take my passport to court",
    "how do we keep my moms documents safe, like should i scan them",
    "a lawyer mentioned it to a family Im helping and they looked at me like I would know",
    "nos tuvieron secuestrados en reynosa 2 semanas, y por eso no aplique dentro del año",
    # GG-GT: a blessing, a detention center, bread, «quedar», «habían», letters still coming,
    # a mother dying far away, survivors, a move already made, giving up on the case
    "buenas tardes que la sangre de Cristo la cubra mire el juez me cambió la fecha otra vez",
    "My cousin is being held at the El Paso processing center. Can I visit him?",
    "anybody know where to buy good cassava bread in the Bronx, the real ereba",
    "ya se quiere regresar a Guatemala, como le hace si tiene corte pendiente, no quiere quedar mal",
    "cuando llegue a la corte ya habian llamado mi nombre, me cerraron el caso?",
    "si me cambio de casa y no aviso que pasa, me siguen llegando las cartas a la direccion vieja?",
    "mi mama se esta muriendo en tegucigalpa, puedo viajar a verla si tengo el asilo pendiente",
    "Where can a trafficking survivor get a free lawyer in LA?",
    "hay organizaciones que den asesoria legal gratis a personas que sobrevivieron un secuestro?",
    "how do I update my address with the immigration court, we moved after the break-in",
    "el interprete no traducia bien lo que yo decia del secuestro, puedo quejarme o pedir otro?",
    "ya no quiero seguir con el caso, me quiero regresar a mi rancho, como le hago",
    # GU-HH: «amados hermanos» is no «armados»; a father dying far away; giving up the case
    "Amados hermanos, que es eso del withholding of removal que le menciono el juez?",
    "His dad is dying in Mexico. Can he travel while his asylum case is pending?",
    "para que continuar con el caso si ya me negaron",
    # HI-HV: real words one letter from a danger word; the past, a return, the case
    "me negaron ayer, los 30 dias cuentan desde la audiencia o desde q me llegue el papel",
    "VI EN LAS NOTICIAS DE UNA SEÑORA DE MICHOACAN QUE LE DIERON ASILO, PUEDEN CONTARME DE ESOS CASOS",
    "dice mi abuela que la policia alla la golpeo y la tuvo encerrada dos dias, si eso cuenta para la convencion contra la tortura",
    "En el camino por Mexico la maña nos secuestro en Tapachula y pagamos rescate, eso cuenta pal asilo? eso ya paso",
    "En el Combinado del Este me daban golpes todos los dias por preso politico, eso es tortura pal CAT?",
    "My friend's mother is dying in Honduras. If she goes back to see her, what happens to her asylum case?",
    "MI MAMA SE ESTA MURIENDO EN GUERRERO, SI VOY A VERLA PIERDO MI CASO DE ASILO?",
    "me dieron hasta el viernes para entregar los papeles de la corte",
    # HW-IJ: a kidnapping that ended, «hace» by ear, immigration at the river and the bridge,
    # a dying grandmother said "now", a verb one letter from «tocan», what to tell the judge
    "me vine en marzo del 2022 porque secuestraron a mi hijo y lo soltaron despues que pagamos, y apenas ahora me entero del asilo, ya se me paso el año?",
    "a mi nieto lo levantaron ase dos años y lo soltaron, lo puedo poner en mi aplicacion de asilo?",
    "a mi hermano lo agarro la migra cruzando el rio, como se donde lo tienen?",
    "en el puente a mi hijo de 17 lo separaron de mi y se lo llevaron los de CBP, donde lo tienen?",
    "agarraron a mi esposo y a mi hijo tambien se lo llevaron, dicen que a un albergue de niños, como lo saco",
    "ICE picked up her husband this morning at his job, she has called everywhere and has two babies. How do we find out where he is being held?",
    "I left Honduras because the gang wanted me dead, but now my grandma is dying. If I go see her what happens to my case?",
    "her mom is dying in Honduras, if she travels to see her mom what happens to her asylum case?",
    "no meti nada porque estuve en el hospital, eso sirve como excusa para el plazo o no lo toman en cuenta?",
    "my court is march 3, do i tell the judge about the gang that shot at me back home or just my lawyer?",
]
"""Ordinary questions that raised a false alarm on the first reading of an unseen check set."""


@pytest.mark.parametrize("text", CRIES_MISSED_ONCE)
def test_cries_missed_once_are_caught(detector: DangerDetector, text: str) -> None:
    assert detector.check(tokens(text))


@pytest.mark.parametrize("text", QUESTIONS_THAT_ALARMED_ONCE)
def test_questions_that_alarmed_once_are_not_alarms(detector: DangerDetector, text: str) -> None:
    assert not detector.check(tokens(text))


@pytest.mark.parametrize(
    "text", ["tengo mucho miedo senorita", "ando con un miedo q no se me quita", "puta tengo miedo"]
)
def test_fear_the_classifier_ranks_as_fear_asks_the_danger_question(
    matcher: TextMatcher, text: str
) -> None:
    """The danger question's own screen was taken for a topic that outranked it (unseen round
    AS-BR): these got buttons instead of «¿Está en peligro ahora mismo?»."""
    found = matcher.match(text, "es")
    assert (found.node, found.danger) == (DANGER_CHECK, True)


def test_fear_beside_a_cry_for_help_does_not_hold_back_the_alarm(matcher: TextMatcher) -> None:
    """Fear asks first only when it says nothing more; here the classifier hears someone found
    (no phrase of ``danger.yaml`` but "shaking", a word of fear, is in it)."""
    text = "One of our guests got a message with a photo of the shelter, they found her. She's shaking."
    hit = matcher.danger.find(tokens(text))
    assert hit is not None and hit.goto == DANGER_CHECK
    found = matcher.match(text, "en")
    assert (found.node, found.danger) == (EMERGENCY, True)


def test_digits_before_a_star_are_a_year(detector: DangerDetector) -> None:
    """ "in 20*" (the past) had read "in culiacan 20 min ago" as a year and quieted a kidnapping
    twenty minutes old (unseen set CA); "in 2019" still tells the past."""
    assert detector.check(tokens("they took my brother in culiacan 20 min ago, levanton, help"))
    assert detector.check(tokens("in reynosa 20 men with guns took my brother, levanton"))
    assert not detector.check(tokens("they kidnapped me in 2019, can i get asylum"))


def test_a_word_of_the_screens_is_no_typo_of_a_danger_word(matcher: TextMatcher) -> None:
    """ "pending" is one letter from "ending" ("ending it"): the screens use it, so it is a
    word, not a typo (unseen set CJ). A plural is still the word ("peligros")."""
    question = "can my grandparents fly to Puerto Rico while the case is pending? it counts"
    assert DangerDetector.from_flows_dir(REPO_ROOT / "flows").check(tokens(question))
    assert not matcher.danger.check(tokens(question))
    assert matcher.danger.check(tokens("estamos en peligros ahorita"))


def test_the_file_names_the_quiet_lists_of_the_classifiers_vote(tmp_path: Path) -> None:
    """An editor can choose what holds back the classifier's own alarm (``classifier_quiet_by``
    in ``danger.yaml``); a name that is no quiet list is an error with its line."""
    text = (REPO_ROOT / "flows" / "nlu" / "danger.yaml").read_text(encoding="utf-8")
    story = tokens("me secuestraron en 2019 y me escape")
    assert DangerDetector.from_flows_dir(REPO_ROOT / "flows").quiet(story)
    (tmp_path / "nlu").mkdir()
    narrower = text.replace(
        "classifier_quiet_by: [past, return, news, conditions, case, joke]",
        "classifier_quiet_by: [news]",
    )
    assert narrower != text
    (tmp_path / "nlu" / "danger.yaml").write_text(narrower, encoding="utf-8")
    assert not DangerDetector.from_flows_dir(tmp_path).quiet(story)
    wrong = text.replace("classifier_quiet_by: [past,", "classifier_quiet_by: [pasado,")
    (tmp_path / "nlu" / "danger.yaml").write_text(wrong, encoding="utf-8")
    with pytest.raises(PatternError, match='classifier_quiet_by "pasado"'):
        load_patterns(tmp_path)


def test_words_spelled_right_are_no_typo_of_a_phrase_word(tmp_path: Path) -> None:
    """«una vecina me contó» matched "me corto" twice in the eighth session's unseen rounds; a
    word an editor lists under ``spelled_right`` is never read as another word's typo, while
    a real typo still is, and a phrase there is an error with its line."""
    story = tokens("una vecina me conto que le dieron asilo")
    assert DangerDetector.from_flows_dir(REPO_ROOT / "flows").find(story) is None
    text = (REPO_ROOT / "flows" / "nlu" / "danger.yaml").read_text(encoding="utf-8")
    (tmp_path / "nlu").mkdir()
    without = re.sub(r"(?m)^  es: \[conto, .*\]$", "  es: []", text, count=1)
    assert without != text
    (tmp_path / "nlu" / "danger.yaml").write_text(without, encoding="utf-8")
    found = DangerDetector.from_flows_dir(tmp_path).find(story)
    assert found is not None and found.phrase == "me corto"
    assert DangerDetector.from_flows_dir(REPO_ROOT / "flows").check(tokens("me korto los brazos"))
    wrong = text.replace("  es: [conto,", "  es: [me conto,")
    (tmp_path / "nlu" / "danger.yaml").write_text(wrong, encoding="utf-8")
    with pytest.raises(PatternError, match="must be one word"):
        load_patterns(tmp_path)


def test_a_persecutor_named_lifts_the_quiet_of_detention(detector: DangerDetector) -> None:
    """ICE outside the house is the detained-relative screen; the cartel outside, beside a
    brother in detention, is a cry for help (unseen set GD): the ``detained`` list does not
    hold beside one of its ``unless`` phrases."""
    assert not detector.check(tokens("la migra esta afuera de mi casa"))
    assert detector.check(
        tokens(
            "me acaban de hablar los del cartel, dicen que estan afuera de mi casa y que "
            "saben que mi hermano esta detenido, que hago"
        )
    )


def test_an_unless_list_is_read_from_the_file(tmp_path: Path) -> None:
    """Without its ``unless`` phrases the detention list quiets the cartel's threat too; an
    ``unless`` that is no language list is an error with its line."""
    text = (REPO_ROOT / "flows" / "nlu" / "danger.yaml").read_text(encoding="utf-8")
    threat = tokens("los del cartel estan afuera de mi casa y mi hermano esta detenido")
    assert DangerDetector.from_flows_dir(REPO_ROOT / "flows").check(threat)
    (tmp_path / "nlu").mkdir()
    start = text.index("    unless:\n")
    end = text.index("\n    es:", start)
    without = text[:start] + text[end + 1 :]
    (tmp_path / "nlu" / "danger.yaml").write_text(without, encoding="utf-8")
    assert not DangerDetector.from_flows_dir(tmp_path).check(threat)
    wrong = text[:start] + "    unless: cartel\n" + text[end + 1 :]
    (tmp_path / "nlu" / "danger.yaml").write_text(wrong, encoding="utf-8")
    with pytest.raises(PatternError, match="under a language code"):
        load_patterns(tmp_path)


def test_a_word_spelled_right_is_never_another_with_a_letter_more(
    detector: DangerDetector,
) -> None:
    """«me diga, a mi hermano…» had matched «digan a mi hermano» (a farewell): «diga» is in
    ``spelled_right``, which holds even for a letter more or less at the end."""
    question = tokens("le pido de favor me diga, a mi hermano lo agarro inmigracion")
    assert not detector.check(question)
    assert detector.check(tokens("diganle a mi mama que la quiero"))


def test_giving_up_alone_is_a_cry_for_help_and_on_the_case_a_question(
    detector: DangerDetector,
) -> None:
    """«ya no quiero seguir» said alone may be the last thing someone writes; said of the case
    («seguir con el caso», «seguir peleando el caso») it asks how to leave it (``giving_up``,
    quieted by the case only)."""
    assert detector.check(tokens("ya no quiero seguir"))
    assert detector.check(tokens("ya no quiero seguir, perdonenme"))
    assert not detector.check(tokens("ya no quiero seguir peleando el caso, quiero irme"))


@pytest.mark.parametrize("text", ["me golpearon", "nos pegaron", "they beat me"])
def test_a_phrase_sent_alone_is_an_alarm_however_sure_the_classifier(
    matcher: TextMatcher, text: str
) -> None:
    """A fragment that is nothing but a phrase of ``arrived`` (set GJ's mother sent «me
    golpearon» alone) asks nothing else, though the classifier reads the CAT screen in it."""
    found = matcher.match(text, "es")
    assert found.danger and found.node == EMERGENCY


@pytest.mark.parametrize(
    "text", ["me golpearon en 2019, puedo pedir asilo", "they beat me back home, can i get asylum"]
)
def test_the_same_phrase_in_a_question_is_no_alarm(matcher: TextMatcher, text: str) -> None:
    found = matcher.match(text, "es")
    assert not (found.danger and found.node == EMERGENCY)


def test_captivity_said_in_the_present_is_not_quieted_by_how_long_it_lasted(
    detector: DangerDetector,
) -> None:
    assert detector.check(tokens("no me dejan salir hace 3 meses"))
    assert detector.check(tokens("estamos encerrados desde hace dos semanas"))
    assert not detector.check(tokens("me tuvieron encerrado hace 2 años, puedo pedir asilo"))


@pytest.mark.parametrize(
    "text",
    [
        "a mi primo lo soltaron pero a mi hermano todavia lo tienen y piden rescate",
        "me soltaron pero dicen que si hablo me van a matar",
        "they released my brother but they still have my son",
    ],
)
def test_a_release_never_quiets_someone_still_held_or_a_threat(
    detector: DangerDetector, text: str
) -> None:
    """«lo soltaron» quiets a kidnapping that ended (round HW-IJ), not one beside it that has
    not, nor a threat, which alarms through its own phrase."""
    assert detector.check(tokens(text))


@pytest.mark.parametrize(
    "text",
    [
        "me viene siguiendo un muchacho, es uno que vi alla en mi pueblo con los malos",
        "a guy is following me, one i saw back home with the gang, i am hiding in a store",
    ],
)
def test_where_someone_was_seen_before_is_no_past(detector: DangerDetector, text: str) -> None:
    """«allá en mi pueblo» and "back home" were tried as words of the past on round HW-IJ:
    they silenced someone followed now by a man from home, so they are not."""
    assert detector.check(tokens(text))
