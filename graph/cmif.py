"""The letters as a CMIF 1.1 file (TEI ``correspDesc``) for correspSearch.

``date/@when`` changes only when the file's content does: the build compares
a hash of the content (without the date) with the previous build's.
"""
from __future__ import annotations

import hashlib
import uuid

from lxml import etree

from .records import Agent, Record

TEI = "http://www.tei-c.org/ns/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


def _el(parent, tag: str, text: str | None = None, **attrs) -> etree._Element:
    el = etree.SubElement(parent, f"{{{TEI}}}{tag}", {k: v for k, v in attrs.items() if v})
    el.text = text
    return el


def _person(parent, agent: Agent) -> None:
    refs = " ".join([agent.uri, *(u for u in agent.same_as if u.startswith("http"))])
    _el(parent, "persName", agent.inverted, ref=refs)


def cmif(letters: list[Record], *, url: str, base: str, title: str, editor: str, email: str,
         licence: str, when: str) -> etree._Element:
    """The CMIF document: one ``correspDesc`` per letter, sent and received."""
    root = etree.Element(f"{{{TEI}}}TEI", nsmap={None: TEI})
    file_desc = _el(_el(root, "teiHeader"), "fileDesc")
    title_stmt = _el(file_desc, "titleStmt")
    _el(title_stmt, "title", title)
    _el(_el(title_stmt, "editor", editor), "email", email)
    pub = _el(file_desc, "publicationStmt")
    _el(_el(pub, "publisher"), "ref", title, target=base)
    _el(pub, "idno", url, type="url")
    _el(pub, "date", when=when)
    _el(_el(pub, "availability"), "licence", "CC0 1.0" if "zero" in licence else "CC BY 4.0", target=licence)
    bibl_id = "b" + uuid.uuid5(uuid.NAMESPACE_URL, url).hex
    bibl = _el(_el(file_desc, "sourceDesc"), "bibl", f"{title}, {base}", type="online")
    bibl.set(XML_ID, bibl_id)
    profile = _el(root[0], "profileDesc")
    for letter in letters:
        desc = _el(profile, "correspDesc", ref=letter.uri, source=f"#{bibl_id}")
        sent = _el(desc, "correspAction", type="sent")
        for agent in letter.creators or (Agent("Unknown", ""),):
            _person(sent, agent)
        if letter.date:
            _el(sent, "date", when=letter.date)
        received = _el(desc, "correspAction", type="received")
        for agent in letter.recipients or (Agent("Unknown", ""),):
            _person(received, agent)
    _el(_el(_el(root, "text"), "body"), "p")
    return root


def render(letters: list[Record], previous: dict | None, now: str, **kwargs) -> tuple[bytes, dict]:
    """The file's bytes and its state ``{hash, when}``, keeping the old date if nothing changed."""
    probe = etree.tostring(cmif(letters, when="", **kwargs), encoding="UTF-8")
    digest = hashlib.sha256(probe).hexdigest()
    when = previous["when"] if previous and previous.get("hash") == digest else now
    body = b'<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(cmif(letters, when=when, **kwargs),
                                                                       encoding="UTF-8")
    return body, {"hash": digest, "when": when}
