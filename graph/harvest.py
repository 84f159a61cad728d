"""The build's record output: ``records.sqlite`` (OAI records, metadata, sets, citations) and the ledger.

Each record's metadata is rendered here once per format, so the OAI-PMH
server only reads bytes. Datestamps come from the ledger (see ``ledger.py``):
they change only when a record's metadata, in any format, changes.
"""
from __future__ import annotations

import hashlib
import re
import sqlite3
from pathlib import Path

from lxml import etree

from . import citations, ledger
from .crosswalk_dc import oai_dc
from .crosswalk_marc import marc21
from .crosswalk_mods import mods
from .records import LANGUAGES, Record

DATABASE = "records.sqlite"
#: metadataPrefix → (schema, namespace)
FORMATS = {
    "oai_dc": ("http://www.openarchives.org/OAI/2.0/oai_dc.xsd", "http://www.openarchives.org/OAI/2.0/oai_dc/"),
    "marc21": ("http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd", "http://www.loc.gov/MARC21/slim"),
    "mods": ("http://www.loc.gov/standards/mods/v3/mods-3-8.xsd", "http://www.loc.gov/mods/v3"),
}
KINDS = {"letter": "Letters (the works as sent)", "text": "Texts (as published in the corpus, e.g. translations)"}
_DOMAIN = re.compile(r"[a-zA-Z][a-zA-Z0-9\-]*(\.[a-zA-Z][a-zA-Z0-9\-]*)+")


def repository_domain(host: str | None) -> str:
    """The oai-identifier namespace: the base URI's host if it is a domain name, else a local one."""
    return host if host and _DOMAIN.fullmatch(host) else "epistola.localhost"


def sets_of(record: Record) -> list[str]:
    """The leaf sets a record belongs to: its kind and its language."""
    return [f"type:{record.kind}"] + ([f"language:{record.language}"] if record.language else [])


def set_names(specs) -> dict[str, str]:
    """setSpec → setName for every set in use and its parents."""
    names = {"type": "By kind of record", "language": "By language"}
    for spec in specs:
        parent, _, leaf = spec.partition(":")
        names[spec] = KINDS.get(leaf) if parent == "type" else \
            f"In {LANGUAGES.get(leaf, (None, leaf))[1]}"
    return names


def _bytes(element) -> bytes:
    return etree.tostring(element, encoding="utf-8")


#: MARC 005 and 008/00-05 are rendered with this stand-in datestamp, hashed, and only then
#: replaced by the ledger's: the hash must not depend on the datestamp it decides.
PLACEHOLDER = "1000-01-01T00:00:00Z"


def render(record: Record, domain: str) -> dict[str, bytes]:
    """The record's metadata in every format, MARC dated with :data:`PLACEHOLDER`."""
    return {"oai_dc": _bytes(oai_dc(record)),
            "marc21": _bytes(marc21(record, control_number=record.key, organization=domain,
                                    datestamp=PLACEHOLDER)),
            "mods": _bytes(mods(record))}


def _dated(marc: bytes, datestamp: str, created: str | None = None) -> bytes:
    """Put the ledger's dates where the placeholder stands: 005 the last change,
    008/00-05 the date the record was first entered."""
    digits = "".join(c for c in datestamp if c.isdigit())
    entered = "".join(c for c in (created or datestamp) if c.isdigit())
    return marc.replace(b"10000101000000.0", f"{digits}.0".encode()) \
               .replace(b'tag="008">000101', f'tag="008">{entered[2:8]}'.encode())


def write_harvest(recs: list[Record], staging: Path, domain: str, previous: Path | None, now: str) -> dict:
    """Write ``records.sqlite`` and the ledger into ``staging``; return summary facts."""
    rendered = {r.key: render(r, domain) for r in recs}
    digests = {k: hashlib.sha256(b"".join(v[p] for p in FORMATS)).hexdigest() for k, v in rendered.items()}
    old = ledger.load(previous) if previous else {}
    new = ledger.carry(old, {r.key: (digests[r.key], sets_of(r)) for r in recs}, now)
    ledger.save(new, staging)
    db = sqlite3.connect(staging / DATABASE)
    db.executescript("""
        CREATE TABLE records (key TEXT PRIMARY KEY, datestamp TEXT NOT NULL, deleted INTEGER NOT NULL,
                              sets TEXT NOT NULL);
        CREATE INDEX records_by_datestamp ON records (datestamp, key);
        CREATE TABLE membership (key TEXT NOT NULL, spec TEXT NOT NULL);
        CREATE INDEX membership_by_spec ON membership (spec, key);
        CREATE TABLE metadata (key TEXT NOT NULL, prefix TEXT NOT NULL, xml BLOB NOT NULL,
                               PRIMARY KEY (key, prefix));
        CREATE TABLE sets (spec TEXT PRIMARY KEY, name TEXT NOT NULL);
        CREATE TABLE citations (key TEXT NOT NULL, ext TEXT NOT NULL, body BLOB NOT NULL,
                                PRIMARY KEY (key, ext));""")
    by_key = {r.key: r for r in recs}
    for key, entry in new.items():
        db.execute("INSERT INTO records VALUES (?, ?, ?, ?)", (key, entry.datestamp, int(entry.deleted),
                                                               " ".join(entry.sets)))
        for spec in {s.rsplit(":", i)[0] for s in entry.sets for i in range(s.count(":") + 1)}:
            db.execute("INSERT INTO membership VALUES (?, ?)", (key, spec))
        if not entry.deleted:
            final = {**rendered[key], "marc21": _dated(rendered[key]["marc21"], entry.datestamp, entry.created)}
            for prefix, xml in final.items():
                db.execute("INSERT INTO metadata VALUES (?, ?, ?)", (key, prefix, xml))
            for ext, body in citations.render(by_key[key]).items():
                db.execute("INSERT INTO citations VALUES (?, ?, ?)", (key, ext, body))
    all_specs = {s for e in new.values() for s in e.sets}
    db.executemany("INSERT INTO sets VALUES (?, ?)", sorted(set_names(all_specs).items()))
    db.commit()
    db.close()
    stamps = [e.datestamp for e in new.values()]
    return {"domain": domain, "records": len(new), "earliest": min(stamps) if stamps else now}
