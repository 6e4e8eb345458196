"""Words that say little about the topic of a question, in Spanish and English.

They are ignored when deciding which screen a message asks for ("¿qué es el asilo?" is about
"asilo"), but a keyword made only of such words is still matched as written. The lists are
short on purpose and written for this helpline: "no", "cuando" or "need" carry no topic here.
Words are in normalised form (no accents, lower case).
"""

from __future__ import annotations

__all__ = ["ENGLISH", "SPANISH", "STOPWORDS"]

_SPANISH = """
a al algo algun alguna alguien ante asi bien cada como con cual cuales cualquier cuando cuanto
cuantos de del dejar dice digame disculpe donde el ella ellos en entre era es esa ese eso esos
esta estan estar este esto estos estoy fue fui ha hace hacer hago han hay he hola la las le les
lo los mas me mi mis mucho muy nada necesito ni no nos nosotros o otra otro para pero poder
por porfavor porque pregunta preguntar puede pueden puedo pues que quiero quisiera saber se
sea ser si sin sobre soy su sus tambien tan tanto te tengo tiene tienen todo tu tus u un una
uno unos unas usted ustedes va vamos van ya yo informacion info favor bueno buenas ok okay
"""

_ENGLISH = """
a about am an and any anything are as at be been but by can could did do does doing for from
get got had has have he her hi his how i if in info information into is it its just know me
my need no not of on or our please she should so some tell than that the their them there
they this to us want was we were what when where which who why will with would yes you your
hello hey ok okay thanks
"""

SPANISH: frozenset[str] = frozenset(_SPANISH.split())
ENGLISH: frozenset[str] = frozenset(_ENGLISH.split())
STOPWORDS: frozenset[str] = SPANISH | ENGLISH
