"""Reads a query's keywords before any evaluation: form, updates, SERVICE.

Parsing every query with a full SPARQL parser costs milliseconds (rdflib's
pyparsing grammar) — more than running a typical query on pyoxigraph. The
keywords that matter here can be found exactly once strings, IRIs and
comments are blanked out: ``SERVICE`` and the update operations are reserved
words that may appear nowhere else. Syntax errors are left to the engine,
which reports them with a position.

>>> form_of('PREFIX s: <http://schema.org/> SELECT * { ?s s:name "SERVICE" }')
'SELECT'
>>> forbidden('SELECT * { SERVICE <http://x/> { ?s ?p ?o } }')
'SERVICE'
>>> forbidden('SELECT ?service { ?service <http://x/SERVICE> :service } # SERVICE')
>>> forbidden('CLEAR ALL')
'CLEAR'
"""
from __future__ import annotations

import re

_LEXEMES = re.compile(r'''
      (?P<long>\'\'\'.*?\'\'\'|""".*?""")
    | (?P<short>'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<comment>\#[^\n]*)
''', re.S | re.X)
_WORD = r"(?<![\w:?$.-])({})(?![\w:-])"
_UPDATES = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")
_FORBIDDEN = re.compile(_WORD.format("|".join(("SERVICE",) + _UPDATES)), re.I)
_FORM = re.compile(_WORD.format("SELECT|CONSTRUCT|ASK|DESCRIBE"), re.I)


def blank(query: str) -> str:
    """The query with strings, IRIs and comments replaced by spaces."""
    return _LEXEMES.sub(lambda m: " " * len(m.group(0)), query)


def forbidden(query: str) -> str | None:
    """The first forbidden keyword (``SERVICE`` or an update operation), or None."""
    found = _FORBIDDEN.search(blank(query))
    return found.group(1).upper() if found else None


def form_of(query: str) -> str | None:
    """``SELECT``, ``CONSTRUCT``, ``ASK`` or ``DESCRIBE``: the query's form, if any."""
    found = _FORM.search(blank(query))
    return found.group(1).upper() if found else None
