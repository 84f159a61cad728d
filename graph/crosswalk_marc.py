"""Record → MARCXML slim: the "Catalog (recommended)" column of research/harvest.md §5.

Leader: ``00000ntm a22000007i 4500`` for a letter (06 ``t``, manuscript
language material: the letter itself was never published as such) and
``00000nam a22000007i 4500`` for a text (06 ``a``); 07 ``m``, 09 ``a``
(Unicode), 17 ``7`` (minimal level: machine-made from the graph), 18 ``i``
(ISBD punctuation, which the fields carry). 008 is the Books layout, 33 ``i``
(letters) for correspondence. A translation has 041 ``1#`` (MARC's indicator
for "is a translation") and 765 to its original; the original has 767 to its
translation. The source article is 786 (data source), with a 500 citation.
Relators: aut, rcp, trl (never the discontinued ``clb``).
"""
from __future__ import annotations

import re

from lxml import etree

from .records import Agent, Record
from .xmlutil import citation, clean, is_correspondence, issue, language, language_note, root, sub

MARC = "http://www.loc.gov/MARC21/slim"
SCHEMA_LOCATION = f"{MARC} http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd"
_DATESTAMP = re.compile(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_ARTICLES = {"en": ("the ", "a ", "an "), "fr": ("le ", "la ", "les ", "l'", "l’", "un ", "une "),
             "de": ("der ", "die ", "das ", "ein ", "eine "), "es": ("el ", "la ", "los ", "las "),
             "it": ("il ", "lo ", "la ", "i ", "gli ", "le ", "l'", "l’")}

Field = tuple[str, str, str, list[tuple[str, str]]]  # tag, ind1, ind2, [(code, value)]


def marc21(record: Record, *, control_number: str, organization: str,
           datestamp: str | None) -> etree._Element:
    """The ``marc:record`` of ``record``; ``datestamp`` (``YYYY-MM-DDThh:mm:ssZ``) gives 005 and 008/00-05."""
    stamp = _parse_datestamp(datestamp)
    rec = root(f"{{{MARC}}}record", {"marc": MARC}, SCHEMA_LOCATION, type="Bibliographic")
    etree.SubElement(rec, f"{{{MARC}}}leader").text = leader(record)
    controls = [("001", clean(control_number)), ("003", clean(organization)),
                ("005", "".join(stamp) + ".0" if stamp else None), ("008", field_008(record, stamp))]
    for tag, value in controls:
        if value is not None:  # set verbatim: the blanks of 008 are data
            etree.SubElement(rec, f"{{{MARC}}}controlfield", tag=tag).text = value
    for tag, ind1, ind2, subfields in _data_fields(record, organization):
        field = sub(rec, f"{{{MARC}}}datafield", tag=tag, ind1=ind1, ind2=ind2)
        for code, value in subfields:
            sub(field, f"{{{MARC}}}subfield", value, code=code)
    return rec


def leader(record: Record) -> str:
    """24 characters; length and base address are left as zeros for the loader to compute."""
    return f"00000n{'t' if record.kind == 'letter' else 'a'}m a22000007i 4500"


def field_008(record: Record, stamp: tuple[str, ...] | None) -> str:
    """The 40 characters of 008 (Books), e.g. ``260102s1917    xx            000 i fre d``."""
    entered = "".join(stamp)[2:8] if stamp else " " * 6  # 008/00-05 takes no fill character
    year = (record.date or "")[:4]
    dates = f"s{year}    " if re.fullmatch(r"\d{4}", year) else "nuuuuuuuu"
    form = " " if record.kind == "letter" else "o"
    literary = "i" if is_correspondence(record) else "|"
    lang = (language(record.language) or ("und",))[0]
    value = f"{entered}{dates}xx {' ' * 4} {form}{' ' * 4} 000 {literary} {lang} d"
    assert len(value) == 40, value
    return value


def _parse_datestamp(datestamp: str | None) -> tuple[str, ...] | None:
    if datestamp is None:
        return None
    match = _DATESTAMP.fullmatch(datestamp)
    if match is None:
        raise ValueError(f"datestamp {datestamp!r} is not YYYY-MM-DDThh:mm:ssZ")
    return match.groups()


def _data_fields(record: Record, organization: str) -> list[Field]:
    fields = [("024", "7", " ", [("a", record.uri), ("2", "uri")]),
              ("040", " ", " ", [("a", organization), ("b", "eng"), ("c", organization)])]
    fields += _languages(record)
    creators = list(record.creators)
    if creators:
        fields.append(_name("100", creators.pop(0), "author", "aut"))
    fields += [_title(record), *_imprint(record),
               ("336", " ", " ", [("a", "text"), ("b", "txt"), ("2", "rdacontent")])]
    fields += _notes(record)
    if is_correspondence(record):
        fields.append(("655", " ", "7", [("a", "Personal correspondence."), ("2", "lcgft")]))
    fields += [_name("700", a, "author", "aut") for a in creators]
    fields += [_name("700", a, "addressee", "rcp") for a in record.recipients]
    fields += [_name("700", a, "translator", "trl") for a in record.translators]
    return fields + _links(record)


def _languages(record: Record) -> list[Field]:
    here, there = language(record.language), language(record.original_language)
    if here is None or there is None or here == there:
        return []
    return [("041", "1", " ", [("a", here[0]), ("h", there[0])])]


def _name(tag: str, agent: Agent, role: str, code: str) -> Field:
    """100/700 1# $a Serge, Victor, $d 1890-1947, $e author. $4 aut $1 <same-as URI>…"""
    parts = [("a", agent.inverted)] + ([("d", agent.dates)] if agent.dates else [])
    parts = [(c, v if v.endswith("-") else v + ",") for c, v in parts]  # open dates take no comma
    subfields = parts + [("e", role + "."), ("4", code)] + [("1", uri) for uri in agent.same_as]
    return tag, "1" if ", " in agent.inverted else "0", " ", subfields


def _title(record: Record) -> Field:
    """245 10 $a Title : $b subtitle."""
    title, subtitle = clean(record.title or "[Untitled]"), clean(record.subtitle or "")
    subfields = [("a", f"{title} :"), ("b", _period(subtitle))] if subtitle else [("a", _period(title))]
    return "245", "1" if record.creators else "0", _nonfiling(title, record.title_lang), subfields


def _nonfiling(title: str, lang: str | None) -> str:
    article = next((a for a in _ARTICLES.get(lang or "", ()) if title.lower().startswith(a)), "")
    return str(len(article)) if len(article) < 10 else "0"


def _imprint(record: Record) -> list[Field]:
    """264 #0 $c the date a letter was written; 264 #1 $b the publisher of a text."""
    fields = []
    if record.kind == "letter" and record.date:
        fields.append(("264", " ", "0", [("c", _period(_display_date(record.date)))]))
    if record.publisher:
        fields.append(("264", " ", "1", [("b", _period(record.publisher.name))]))
    return fields


def _display_date(iso: str) -> str:
    """"1917 March 19" (archival order) for 1917-03-19; "1917 March"; "1917"."""
    parts = iso.split("-")
    if len(parts) > 1 and parts[1].isdigit() and 1 <= int(parts[1]) <= 12:
        parts[1] = _MONTHS[int(parts[1]) - 1]
    return " ".join(p.lstrip("0") if i == 2 else p for i, p in enumerate(parts))


def _notes(record: Record) -> list[Field]:
    """500 notes and source, 540 rights, 546 language."""
    notes = [f"Source: {citation(record.source)}"] if record.source else []
    fields = [("500", " ", " ", [("a", _period(n))]) for n in [*record.notes, *notes] if clean(n)]
    if record.rights:
        fields.append(("540", " ", " ", [("a", _period(record.rights))]))
    note = language_note(record)
    return fields + ([("546", " ", " ", [("a", note)])] if note else [])


def _links(record: Record) -> list[Field]:
    """765/767 original or translation, 786 source, 856 40 this thing, 856 42 other copies."""
    fields = []
    if record.original:
        fields.append(("765", "0", " ", [("o", record.original)]))
    if record.translation:
        fields.append(("767", "0", " ", [("o", record.translation)]))
    if record.source:
        src = record.source
        host = [("t", _period(src.periodical or src.title or ""))] if src.periodical or src.title else []
        part = [("g", issue(src))] if issue(src) else []
        fields.append(("786", "0", " ", host + part + [("o", src.uri)]))
    fields.append(("856", "4", "0", [("u", record.uri), ("u", record.doc)]))
    return fields + [("856", "4", "2", [("3", "Related version"), ("u", u)]) for u in record.relations]


def _period(text: str) -> str:
    """``text`` with ISBD's closing full stop, unless it already ends a sentence."""
    text = clean(text)
    return text if not text or text[-1] in ".?!" else text + "."
