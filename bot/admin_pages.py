"""The admin pages' HTML templates (Jinja2, autoescaped), for ``bot.admin``.

A module of their own, imported by the first admin page shown: a start that serves people and
no admin page neither imports Jinja2 nor compiles these.
"""

from __future__ import annotations

from jinja2 import Environment

__all__ = ["LOGIN", "PAGE", "STATS"]

_ENVIRONMENT = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)

PAGE = _ENVIRONMENT.from_string(
    """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }} · helpline admin</title>
<style>
body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #222; }
table { border-collapse: collapse; margin: 0 0 2rem; }
th, td { border: 1px solid #ccc; padding: .25rem .6rem; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
nav a { margin-right: 1rem; }
.note { color: #555; max-width: 45rem; }
pre { background: #f6f6f6; padding: 1rem; overflow: auto; }
</style></head><body>
<nav>{% for label, href in links %}<a href="{{ href }}">{{ label }}</a>{% endfor %}
<form method="post" action="/admin/logout" style="display:inline"><button>Log out</button></form>
</nav>
<h1>{{ title }}</h1>
{{ body }}
</body></html>
"""
)

STATS = _ENVIRONMENT.from_string(
    """<p class="note">Counts only: the helpline keeps no row about any person, no times of day
and no paths. {{ total }} screens shown in all.</p>
<p class="note">Only days that have ended (UTC) are shown, and a counter below {{ min_count }} on
its day is left out, so no count here can follow one person while they use the helpline.</p>
<h2>Where people stop (estimate)</h2>
<p class="note">"Went on" shares each next screen's visits among the screens that lead to it.
A high share that stopped on a menu or a question may mean it is unclear. Screens with no
next screen end a path; stopping there is expected.</p>
<table><tr><th>screen</th><th>title</th><th>shown</th><th>went on (est.)</th><th>stopped</th></tr>
{% for row in drops %}
<tr><td>{{ row.node }}</td><td>{{ titles.get(row.node, "(no longer in the content)") }}</td>
<td class="n">{{ row.views }}</td>
{% if row.rate is none %}<td class="n">–</td><td>end of a path</td>
{% else %}<td class="n">{{ "%.0f"|format(row.onward) }}</td>
<td class="n">{{ "%.0f%%"|format(row.rate * 100) }}</td>{% endif %}</tr>
{% endfor %}
</table>
{% macro totals(name, items) %}
<table><tr><th>{{ name }}</th><th>shown</th></tr>
{% for key, count in items %}
<tr><td>{{ key }}</td><td class="n">{{ count }}</td></tr>
{% endfor %}
</table>
{% endmacro %}
<h2>By language</h2>
{{ totals("language", locales) }}
<h2>By channel</h2>
{{ totals("channel", channels) }}
<h2>By day</h2>
{{ totals("day", days) }}
<h2>All counters</h2>
<table><tr><th>day</th><th>channel</th><th>language</th><th>screen</th><th>count</th></tr>
{% for key, count in rows %}
<tr><td>{{ key[0].isoformat() }}</td><td>{{ key[1] }}</td><td>{{ key[2] }}</td>
<td>{{ key[3] }}</td><td class="n">{{ count }}</td></tr>
{% endfor %}
</table>
"""
)


LOGIN = _ENVIRONMENT.from_string(
    """{% if problem %}<p class="note"><strong>{{ problem }}</strong></p>{% endif %}
<form method="post" action="/admin/login">
<p><label>Admin token <input type="password" name="token" autocomplete="current-password"
required></label></p>
<p><button type="submit">Log in</button></p>
</form>
<p class="note">The token is sent once, in this form; the browser keeps only a login cookie
(HttpOnly) for 8 hours. Scripts can send <code>Authorization: Bearer</code> instead.</p>
"""
)
