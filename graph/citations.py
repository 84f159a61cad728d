"""Citations of letters and texts: BibTeX, CSL-JSON and RIS, written from catalog records.

As DOI content negotiation offers them, so that reference managers (Zotero,
JabRef, EndNote) can cite a letter from its URI.
"""
from __future__ import annotations

import json

from .records import Agent, Record

#: extension → media type
MEDIA_TYPES = {"bib": "application/x-bibtex", "csl.json": "application/vnd.citationstyles.csl+json",
               "ris": "application/x-research-info-systems"}


def _name(agent: Agent) -> dict:
    given, _, family = agent.name.rpartition(" ")
    return {"family": family, "given": given} if given else {"literal": agent.name}


def _date_parts(iso: str | None) -> dict | None:
    return {"date-parts": [[int(p) for p in iso.split("-")]]} if iso else None


def csl(record: Record) -> dict:
    """One CSL-JSON item (a letter is a ``personal_communication``)."""
    item = {"id": record.key, "type": "personal_communication" if record.recipients else "article",
            "title": record.title, "URL": record.uri, "language": record.language,
            "author": [_name(a) for a in record.creators],
            "recipient": [_name(a) for a in record.recipients],
            "translator": [_name(a) for a in record.translators],
            "issued": _date_parts(record.date), "publisher": record.publisher and record.publisher.name,
            "genre": "Letter" if record.recipients else None,
            "note": "; ".join(record.notes) or None}
    if record.source:
        item["references"] = f"First published in: {_source_text(record)}"
    return {k: v for k, v in item.items() if v not in (None, [], "")}


def _source_text(record: Record) -> str:
    s = record.source
    authors = ", ".join(a.name for a in s.authors)
    return f"{authors}, “{s.title},” {s.periodical}" + (f", no. {s.number}" if s.number else "") + \
        (f" ({s.year})" if s.year else "")


def _bib_escape(text: str) -> str:
    return "".join("\\" + c if c in "{}%&$#_" else c for c in text)


def bibtex(record: Record) -> str:
    """A ``@misc`` entry (BibTeX has no letter type; ``note`` says what it is)."""
    fields = [("author", " and ".join(a.inverted for a in record.creators)),
              ("title", record.title + (f": {record.subtitle}" if record.subtitle else "")),
              ("date", record.date), ("year", record.date[:4] if record.date else None),
              ("translator", " and ".join(a.inverted for a in record.translators)),
              ("publisher", record.publisher and record.publisher.name),
              ("language", record.language), ("url", record.uri),
              ("note", ("Letter to " + ", ".join(a.name for a in record.recipients)) if record.recipients
               else None),
              ("addendum", f"First published in: {_source_text(record)}" if record.source else None)]
    body = ",\n".join(f"  {k} = {{{_bib_escape(v)}}}" for k, v in fields if v)
    return f"@misc{{{record.key.replace('/', ':')},\n{body}\n}}\n"


def ris(record: Record) -> str:
    """An RIS record (``TY  - PCOMM``, personal communication, for letters; ``GEN`` otherwise)."""
    lines = [("TY", "PCOMM" if record.recipients else "GEN"), ("TI", record.title)]
    lines += [("AU", a.inverted) for a in record.creators]
    lines += [("A2", a.inverted) for a in record.recipients]
    lines += [("A4", a.inverted) for a in record.translators]
    if record.date:
        y, *rest = record.date.split("-")
        lines += [("PY", y), ("DA", "/".join([y] + rest + [""] * (3 - len(rest)))[:10])]
    lines += [("LA", record.language), ("PB", record.publisher and record.publisher.name),
              ("UR", record.uri), ("N1", f"First published in: {_source_text(record)}" if record.source else None)]
    lines += [("N1", n) for n in record.notes]
    return "".join(f"{tag}  - {value}\r\n" for tag, value in lines if value) + "ER  - \r\n"


def render(record: Record) -> dict[str, bytes]:
    """Every citation format of a record, as bytes."""
    return {"bib": bibtex(record).encode(), "csl.json": json.dumps(csl(record), ensure_ascii=False,
                                                                   indent=2).encode(),
            "ris": ris(record).encode()}
