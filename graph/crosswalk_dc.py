"""Record → oai_dc: unqualified Dublin Core for OAI-PMH (plain strings, only ``xml:lang``).

Names are "Serge, Victor, 1890-1947"; recipients and translators are
contributors with the role in brackets; ``dc:identifier`` is the thing's URI
and ``dc:relation`` its original or translation, other copies and source.
"""
from __future__ import annotations

from lxml import etree

from .records import Record
from .xmlutil import XML_LANG, citation, heading, root, sub, unique

OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
SCHEMA_LOCATION = f"{OAI_DC} http://www.openarchives.org/OAI/2.0/oai_dc.xsd"


def oai_dc(record: Record) -> etree._Element:
    """The ``oai_dc:dc`` element of ``record``, elements in the order of the DC element set."""
    dc = root(f"{{{OAI_DC}}}dc", {"oai_dc": OAI_DC, "dc": DC}, SCHEMA_LOCATION)
    lang = {XML_LANG: record.title_lang} if record.title_lang else {}
    for title in unique((record.title, record.subtitle)):
        sub(dc, f"{{{DC}}}title", title, **lang)
    for name, values in _fields(record):
        for value in unique(values):
            sub(dc, f"{{{DC}}}{name}", value)
    return dc


def _fields(record: Record) -> list[tuple[str, list[str]]]:
    source = record.source
    return [
        ("creator", [heading(a) for a in record.creators]),
        ("description", list(record.notes)),
        ("publisher", [record.publisher.name] if record.publisher else []),
        ("contributor", [f"{heading(a)} (addressee)" for a in record.recipients] +
         [f"{heading(a)} (translator)" for a in record.translators]),
        ("date", [record.date]),
        ("type", ["Text"]),
        ("identifier", [record.uri]),
        ("source", [citation(source)] if source else []),
        ("language", [record.language]),
        ("relation", [record.original, record.translation, *record.relations,
                      source.uri if source else None]),
        ("rights", [record.rights]),
    ]
