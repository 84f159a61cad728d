"""``/cmif.xml``: the letters as CMIF 1.1 for correspSearch (harvest.md §4).

correspSearch's harvester checks HEAD → 200, well-formedness, ``idno`` equal to
the registered URL, validity against the CMIF RELAX NG schema, and a newer
``date/@when`` before it stores a new version; lxml runs the RNG but not the
embedded Schematron, so rules E0001–E0004 of cmif.sch are checked here by hand.
"""
from __future__ import annotations

import re

import pytest
from lxml import etree

from .conftest import NOTE, SEED, T1, T2, add_note
from .support import NS, SCHEMAS, TEI, call, session

XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
LICENCES = {"https://creativecommons.org/licenses/by/4.0/", "https://creativecommons.org/publicdomain/zero/1.0/"}
CMIF_DATE = re.compile(r"\d{4}(-\d\d(-\d\d)?)?")


@pytest.fixture(scope="module")
def rng() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(SCHEMAS / "cmi-customization.rng"), etree.XMLParser(no_network=True)))


def fetch(url: str):
    r = session().get(f"{url}cmif.xml", timeout=30)
    assert r.status_code == 200, r.status_code
    return r, etree.fromstring(r.content, etree.XMLParser(resolve_entities=False, no_network=True))


def check(root, rng, url: str) -> None:
    """Everything correspSearch and the CMIF rules require of one file."""
    assert rng.validate(root.getroottree()), rng.error_log
    assert root.tag == f"{{{TEI}}}TEI"
    assert root.findtext("tei:teiHeader/tei:fileDesc/tei:publicationStmt/tei:idno[@type='url']",
                         namespaces=NS) == f"{url}cmif.xml"
    when = root.find("tei:teiHeader/tei:fileDesc/tei:publicationStmt/tei:date", NS).get("when")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", when), when
    licence = root.find(".//tei:publicationStmt/tei:availability/tei:licence", NS)
    assert licence.get("target") in LICENCES
    assert root.findtext("tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title", namespaces=NS).strip()
    assert "@" in root.findtext(".//tei:titleStmt/tei:editor/tei:email", namespaces=NS)
    (bibl,) = root.iterfind(".//tei:sourceDesc/tei:bibl", NS)
    assert bibl.get("type") in ("print", "online") and bibl.get(XML_ID)
    for desc in root.iterfind(".//tei:profileDesc/tei:correspDesc", NS):
        assert desc.get("source") == "#" + bibl.get(XML_ID)
        actions = [a.get("type") for a in desc.iterfind("tei:correspAction", NS)]
        assert "sent" in actions and "received" in actions                      # E0001, E0002
        for action in desc.iterfind("tei:correspAction", NS):
            assert action.find("tei:persName", NS) is not None or action.find("tei:orgName", NS) is not None
            for date in action.iterfind("tei:date", NS):                         # E0004
                values = [date.get(a) for a in ("when", "from", "to", "notBefore", "notAfter") if date.get(a)]
                assert values and all(CMIF_DATE.fullmatch(v) for v in values), date.attrib
            for name in action.iterfind("tei:persName", NS):
                for ref in (name.get("ref") or "").split():
                    assert re.match(r"https?://\S+$", ref), ref
    body = root.find("tei:text/tei:body", NS)
    assert body is not None and not "".join(body.itertext()).strip()


def when_of(root) -> str:
    return root.find("tei:teiHeader/tei:fileDesc/tei:publicationStmt/tei:date", NS).get("when")


def test_cmif_is_valid_and_names_its_own_url(seed, rng):
    r, root = fetch(seed.url)
    assert r.headers["Content-Type"].split(";")[0].strip() in ("application/xml", "text/xml", "application/tei+xml")
    assert r.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    check(root, rng, seed.url)


def test_cmif_head_answers_200_with_the_get_headers(seed):
    s = session()
    got = s.get(f"{seed.url}cmif.xml", timeout=30)
    head = s.head(f"{seed.url}cmif.xml", timeout=30)
    assert head.status_code == 200
    assert head.content == b""
    for name in ("Content-Type", "Content-Length", "ETag", "Last-Modified", "Cache-Control"):
        assert head.headers.get(name) == got.headers.get(name), name
    assert int(head.headers["Content-Length"]) == len(got.content)


def test_cmif_seed_letter_serge_to_armand(seed):
    _, root = fetch(seed.url)
    descs = root.findall(".//tei:profileDesc/tei:correspDesc", NS)
    assert [d.get("ref") for d in descs] == [f"{seed.url}id/letter/{SEED}"]     # the letter, not its translation
    (desc,) = descs
    sent = desc.find("tei:correspAction[@type='sent']", NS)
    received = desc.find("tei:correspAction[@type='received']", NS)
    (serge,) = sent.iterfind("tei:persName", NS)
    assert serge.text == "Serge, Victor"
    assert f"{seed.url}id/person/victor-serge" in serge.get("ref").split()
    assert "http://www.wikidata.org/entity/Q362009" in serge.get("ref").split()
    assert sent.find("tei:date", NS).get("when") == "1917-03-19"
    (armand,) = received.iterfind("tei:persName", NS)
    assert armand.text == "Armand, E."
    assert f"{seed.url}id/person/emile-armand" in armand.get("ref").split()


def test_cmif_lists_every_live_letter_of_a_larger_corpus(repo, rng):
    _, root = fetch(repo.url)
    check(root, rng, repo.url)
    refs = [d.get("ref") for d in root.iterfind(".//tei:profileDesc/tei:correspDesc", NS)]
    letters = call(repo.full, {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": "type:letter"})
    live = {h.findtext("oai:identifier", namespaces=NS).split(":", 2)[2] for h in letters.headers_()
            if h.get("status") != "deleted"}
    assert len(refs) == len(set(refs))
    assert set(refs) == {f"{repo.url}id/{key}" for key in live}
    assert f"{repo.url}id/letter/{repo.removed_slug}" not in refs               # a removed letter leaves CMIF


def test_cmif_date_kept_by_a_rebuild_without_change(history, rng):
    _, first = fetch(history.url)
    check(first, rng, history.base)
    history.build(T2)
    _, second = fetch(history.url)
    assert when_of(first) == when_of(second) == T1
    assert etree.tostring(first) == etree.tostring(second)
    bibl = ".//tei:sourceDesc/tei:bibl"
    assert first.find(bibl, NS).get(XML_ID) == second.find(bibl, NS).get(XML_ID)


@pytest.mark.parametrize("edit", ["date", "recipient name"])
def test_cmif_date_bumped_by_a_rebuild_that_changes_a_letter(history, rng, edit):
    _, first = fetch(history.url)
    if edit == "date":
        history.replace(history.text(), "19 March 1917", "20 March 1917")
    else:
        history.replace(history.corpus / "authority.toml", 'name = { value = "E. Armand"',
                        'name = { value = "Ernest Armand"')
    history.build(T2)
    _, second = fetch(history.url)
    check(second, rng, history.base)
    assert when_of(first) == T1
    assert when_of(second) == T2 > when_of(first)       # compared as strings, as correspSearch does
    bibl = ".//tei:sourceDesc/tei:bibl"
    assert first.find(bibl, NS).get(XML_ID) == second.find(bibl, NS).get(XML_ID)   # the bibl id stays
    if edit == "date":
        assert second.find(".//tei:correspAction[@type='sent']/tei:date", NS).get("when") == "1917-03-20"
    else:
        assert second.findtext(".//tei:correspAction[@type='received']/tei:persName", namespaces=NS) == "Armand, Ernest"


def test_cmif_date_kept_when_only_a_text_changes(history):
    """A colophon note is the translation's, not the letter's: the CMIF content is the same."""
    add_note(history.text(), NOTE)
    history.build(T2)
    _, root = fetch(history.url)
    assert when_of(root) == T1
