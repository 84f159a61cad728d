"""Record → MODS 3.8, after LoC's DC→MODS mapping and research/harvest.md §5.

Names carry their URI (``valueURI``) and MARC relator code and term. The
source article is the host of whatever it printed: the letter itself, or, for
a translation, the original (``relatedItem type="original"``, which then holds
the host chain article → periodical, the issue as ``part/detail``). Other
copies are ``relatedItem type="otherVersion"`` with their URL.
"""
from __future__ import annotations

from lxml import etree

from .records import LANGUAGES, Agent, Record, Source
from .xmlutil import XLINK, XML_LANG, is_correspondence, language_note, root, sub

MODS = "http://www.loc.gov/mods/v3"
SCHEMA_LOCATION = f"{MODS} http://www.loc.gov/standards/mods/v3/mods-3-8.xsd"
_ROLES = {"aut": "author", "rcp": "addressee", "trl": "translator"}


def _m(parent: etree._Element, name: str, text: str | None = None, /, **attrib: str) -> etree._Element:
    return sub(parent, f"{{{MODS}}}{name}", text, **attrib)


def mods(record: Record) -> etree._Element:
    """The ``mods:mods`` element of ``record``, top-level elements in MODS's customary order."""
    m = root(f"{{{MODS}}}mods", {"mods": MODS, "xlink": XLINK}, SCHEMA_LOCATION, version="3.8")
    _title(m, record.title, record.subtitle, record.title_lang)
    for i, agent in enumerate(record.creators):
        _name(m, agent, "aut", primary=i == 0)
    for code, agents in (("rcp", record.recipients), ("trl", record.translators)):
        for agent in agents:
            _name(m, agent, code)
    _m(m, "typeOfResource", "text", **({"manuscript": "yes"} if record.kind == "letter" else {}))
    if is_correspondence(record):
        _m(m, "genre", "Personal correspondence", authority="lcgft")
    _origin(m, record)
    _language(m, record.language)
    for note in record.notes:
        _m(m, "note", note)
    if language_note(record):
        _m(m, "note", language_note(record), type="language")
    _related(m, record)
    _m(m, "identifier", record.uri, type="uri")
    _m(_m(m, "location"), "url", record.doc, usage="primary")
    if record.rights:
        _m(m, "accessCondition", record.rights, type="use and reproduction")
    return m


def _title(parent: etree._Element, title: str | None, subtitle: str | None, lang: str | None) -> None:
    info = _m(parent, "titleInfo", **({XML_LANG: lang} if lang and title else {}))
    _m(info, "title", title or "[Untitled]")
    if subtitle:
        _m(info, "subTitle", subtitle)


def _name(parent: etree._Element, agent: Agent, code: str | None, primary: bool = False) -> None:
    attrib = {"type": "personal", "valueURI": agent.uri, **({"usage": "primary"} if primary else {})}
    name = _m(parent, "name", **attrib)
    _m(name, "namePart", agent.inverted)
    if agent.dates:
        _m(name, "namePart", agent.dates, type="date")
    if code:
        role = _m(name, "role")
        _m(role, "roleTerm", code, authority="marcrelator", type="code")
        _m(role, "roleTerm", _ROLES[code], authority="marcrelator", type="text")
    for uri in agent.same_as:
        _m(name, "nameIdentifier", uri, type="uri")


def _origin(parent: etree._Element, record: Record) -> None:
    """The making (the date) and, apart, the publication (the publisher): not the same event."""
    if record.date:
        origin = _m(parent, "originInfo", eventType="production")
        _m(origin, "dateCreated", record.date, encoding="w3cdtf", keyDate="yes")
    if record.publisher:
        _m(_m(parent, "originInfo", eventType="publication"), "publisher", record.publisher.name)


def _language(parent: etree._Element, code: str | None) -> None:
    if code in LANGUAGES:
        _m(_m(parent, "language"), "languageTerm", LANGUAGES[code][0], type="code", authority="iso639-2b")
    elif code:
        _m(_m(parent, "language"), "languageTerm", code, type="code", authority="rfc5646")


def _related(parent: etree._Element, record: Record) -> None:
    printed = parent
    if record.original:
        printed = _link(parent, "original", record.original, "Original")
        _language(printed, record.original_language)
    if record.translation:
        _link(parent, "otherVersion", record.translation, "Translation")
    if record.source:
        _host(printed, record.source)
    for url in record.relations:
        item = _m(parent, "relatedItem", type="otherVersion", displayLabel="Related version")
        _m(_m(item, "location"), "url", url)


def _link(parent: etree._Element, kind: str, uri: str, label: str) -> etree._Element:
    item = _m(parent, "relatedItem", type=kind, displayLabel=label, **{f"{{{XLINK}}}href": uri})
    _m(item, "identifier", uri, type="uri")
    return item


def _host(parent: etree._Element, source: Source) -> None:
    """relatedItem host: the article (title, authors, URI), itself in the periodical's issue."""
    article = _m(parent, "relatedItem", type="host")
    if source.title:
        _title(article, source.title, None, source.lang)
    for agent in source.authors:
        _name(article, agent, "aut")
    _m(article, "identifier", source.uri, type="uri")
    if not (source.periodical or source.number or source.year):
        return
    periodical = _m(article, "relatedItem", type="host")
    if source.periodical:
        _title(periodical, source.periodical, None, None)
    _m(periodical, "genre", "periodical", authority="marcgt")
    part = _m(periodical, "part")
    if source.number:
        _m(_m(part, "detail", type="issue"), "number", source.number)
    if source.year:
        _m(part, "date", source.year, encoding="w3cdtf")
