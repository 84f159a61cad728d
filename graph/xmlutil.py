"""Small helpers shared by the harvesting crosswalks (oai_dc, MARCXML, MODS).

Every value goes through :func:`clean`, so the crosswalks never emit a
character XML forbids, nor a line break inside a field.

>>> from graph.records import Agent
>>> heading(Agent("Victor Serge", "u", "1890-12-30", "1947-11-17"))
'Serge, Victor, 1890-1947'
>>> heading(Agent("Mitchell Abidor", "u"))
'Abidor, Mitchell'
>>> clean(" a\\n  b\\x0c ")
'a b'
"""
from __future__ import annotations

import re

from lxml import etree

from .records import LANGUAGES, Agent, Record, Source

XSI = "http://www.w3.org/2001/XMLSchema-instance"
XLINK = "http://www.w3.org/1999/xlink"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(text: str) -> str:
    """``text`` without XML-illegal characters, its white space collapsed."""
    return " ".join(_ILLEGAL.sub(" ", text).split())


def root(tag: str, nsmap: dict[str | None, str], schema_location: str, /, **attrib: str) -> etree._Element:
    """A root element declaring ``nsmap`` and xsi, with its ``xsi:schemaLocation``."""
    element = etree.Element(tag, nsmap={**nsmap, "xsi": XSI})
    for name, value in attrib.items():
        element.set(name, value)
    element.set(f"{{{XSI}}}schemaLocation", schema_location)
    return element


def sub(parent: etree._Element, tag: str, text: str | None = None, /, **attrib: str) -> etree._Element:
    """Append ``<tag attrib…>text</tag>`` to ``parent`` (attributes in the order given)."""
    element = etree.SubElement(parent, tag)
    for name, value in attrib.items():
        element.set(name, value)
    if text is not None:
        element.text = clean(text)
    return element


def heading(agent: Agent) -> str:
    """The catalog form of a name: inverted, then the life dates if known."""
    return f"{agent.inverted}, {agent.dates}" if agent.dates else agent.inverted


def citation(source: Source) -> str:
    """Jean Maitron, “De Kibaltchiche à Victor Serge”, Le Mouvement Social, no. 47 (April-June 1964)."""
    parts = [", ".join(a.name for a in source.authors), f"“{source.title}”" if source.title else "",
             source.issue_label or issue(source, source.periodical)]
    return ", ".join(p for p in parts if p)


def issue(source: Source, prefix: str = "") -> str:
    """"Le Mouvement Social, no. 47 (1964)", or with no prefix "no. 47 (1964)"."""
    number = f"no. {source.number}" if source.number else ""
    text = ", ".join(p for p in (prefix, number) if p)
    return f"{text} ({source.year})" if source.year else text


def language(code: str | None) -> tuple[str, str] | None:
    """(ISO 639-2/B code, English name) of an ISO 639-1 code, if the table knows it."""
    return LANGUAGES.get(code) if code else None


def is_correspondence(record: Record) -> bool:
    """A letter, or a text with an addressee (a translation of a letter)."""
    return record.kind == "letter" or bool(record.recipients)


def unique(values) -> list[str]:
    """``values`` without repeats or empties, first occurrence kept."""
    return list(dict.fromkeys(v for v in values if v))


def language_note(record: Record) -> str | None:
    """"In English, translated from French." (MARC 546, MODS language note)."""
    here, there = language(record.language), language(record.original_language)
    if here is None:
        return None
    if there is None or there == here:
        return f"In {here[1]}."
    return f"In {here[1]}, translated from {there[1]}."
