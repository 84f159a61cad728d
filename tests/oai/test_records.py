"""Formats, records and identifiers: harvest.md rows T19–T30 and T53."""
from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from lxml import etree

from .conftest import S4, SEED, oai_id
from .support import FORMATS, NS, OAI_DC, DC, OAI_IDENTIFIER, SECONDS, XSI, call, header_facts

SEED_LETTER, SEED_TEXT = f"letter/{SEED}", f"text/{SEED}"


# --- T19–T21: ListMetadataFormats --------------------------------------------------------------

def _formats(reply) -> dict[str, tuple[str, str]]:
    return {f.findtext("oai:metadataPrefix", namespaces=NS):
            (f.findtext("oai:schema", namespaces=NS), f.findtext("oai:metadataNamespace", namespaces=NS))
            for f in reply.root.iterfind("oai:ListMetadataFormats/oai:metadataFormat", NS)}


def test_T19_list_metadata_formats(repo):
    offered = _formats(call(repo.url, {"verb": "ListMetadataFormats"}))
    assert offered == FORMATS                      # oai_dc, marc21 and mods with the exact URLs
    for key in (SEED_LETTER, SEED_TEXT):
        per_item = _formats(call(repo.url, {"verb": "ListMetadataFormats", "identifier": oai_id(key)}))
        assert per_item == FORMATS


@pytest.mark.parametrize("identifier", [oai_id("letter/no-such-letter"), "oai:example.org:letter/" + SEED,
                                        "not an identifier", oai_id(SEED_LETTER).upper(), oai_id("")])
def test_T20_list_metadata_formats_of_unknown_item_is_idDoesNotExist(repo, identifier):
    r = call(repo.url, {"verb": "ListMetadataFormats", "identifier": identifier})
    assert r.codes == {"idDoesNotExist"}
    assert r.request.get("identifier") == identifier       # not a badArgument: attributes stay


def test_T21_list_metadata_formats_of_deleted_item_is_noMetadataFormats(repo):
    for key in repo.deleted:
        r = call(repo.url, {"verb": "ListMetadataFormats", "identifier": oai_id(key)})
        assert r.codes == {"noMetadataFormats"}, (key, r.errors)


# --- T22–T27: GetRecord ----------------------------------------------------------------------

def _start_tag(body: bytes, qname: bytes) -> bytes:
    match = re.search(rb"<" + re.escape(qname) + rb"[\s>][^>]*>", body)
    assert match, f"no <{qname.decode()}> start tag"
    return match.group()


def test_T22_getrecord_oai_dc(repo):
    r = call(repo.url, {"verb": "GetRecord", "identifier": oai_id(SEED_LETTER), "metadataPrefix": "oai_dc"})
    (record,) = r.records()
    identifier, datestamp, sets, deleted = header_facts(record.find("oai:header", NS))
    assert (identifier, deleted) == (oai_id(SEED_LETTER), False)
    assert SECONDS.fullmatch(datestamp)
    assert "type:letter" in sets
    (dc,) = record.find("oai:metadata", NS)
    assert dc.tag == f"{{{OAI_DC}}}dc"
    assert dc.get(f"{{{XSI}}}schemaLocation").split() == [OAI_DC, FORMATS["oai_dc"][0]]
    tag = _start_tag(r.body, b"oai_dc:dc")                 # declared on the payload's root itself
    assert f'xmlns:oai_dc="{OAI_DC}"'.encode() in tag
    assert f'xmlns:dc="{DC}"'.encode() in tag
    assert f'xmlns:xsi="{XSI}"'.encode() in tag, \
        f"the oai_dc:dc root does not declare xmlns:xsi (T22, harvest.md §1.9): {tag.decode()}"
    assert record.find("oai:about", NS) is None
    assert [el.text for el in dc.iterfind("dc:title", NS)] == ["Letter to Emile Armand"]
    assert any(c.startswith("Serge, Victor") for c in (el.text for el in dc.iterfind("dc:creator", NS)))
    assert f"{repo.url}id/{SEED_LETTER}" in [el.text for el in dc.iterfind("dc:identifier", NS)]
    assert "1917-03-19" in [el.text for el in dc.iterfind("dc:date", NS)]


@pytest.mark.parametrize("prefix", sorted(FORMATS))
@pytest.mark.parametrize("key", [SEED_LETTER, SEED_TEXT])
def test_T22_getrecord_every_format_has_namespace_and_schema_location(repo, prefix, key):
    """§3.4: the payload root declares its namespace and names the advertised schema URL."""
    schema, namespace = FORMATS[prefix]
    r = call(repo.url, {"verb": "GetRecord", "identifier": oai_id(key), "metadataPrefix": prefix})
    (record,) = r.records()
    (payload,) = record.find("oai:metadata", NS)
    assert etree.QName(payload).namespace == namespace
    location = payload.get(f"{{{XSI}}}schemaLocation").split()
    assert dict(zip(location[::2], location[1::2])).get(namespace) == schema
    prefix_of = {v: k for k, v in payload.nsmap.items()}[namespace]
    tag = _start_tag(r.body, (f"{prefix_of}:" if prefix_of else "").encode() + etree.QName(payload).localname.encode())
    assert f'xmlns{":" + prefix_of if prefix_of else ""}="{namespace}"'.encode() in tag


@pytest.mark.parametrize("identifier", [oai_id("letter/no-such-letter"), "oai:example.org:" + SEED_LETTER,
                                        "letter/" + SEED, "oai:epistola.localhost:"])
def test_T23_getrecord_unknown_identifier_is_idDoesNotExist(repo, identifier):
    params = {"verb": "GetRecord", "identifier": identifier, "metadataPrefix": "oai_dc"}
    r = call(repo.url, params)
    assert r.codes == {"idDoesNotExist"}
    assert dict(r.request.attrib) == params                # a well-formed request: attributes stay


@pytest.mark.parametrize("prefix", ["nope", "OAI_DC", "marc", "all"])
def test_T24_getrecord_unknown_format_is_cannotDisseminateFormat(repo, prefix):
    params = {"verb": "GetRecord", "identifier": oai_id(SEED_LETTER), "metadataPrefix": prefix}
    r = call(repo.url, params)
    assert r.codes == {"cannotDisseminateFormat"}
    assert dict(r.request.attrib) == params


def test_T24_unknown_format_and_identifier_report_both(repo):
    r = call(repo.url, {"verb": "GetRecord", "identifier": oai_id("letter/none"), "metadataPrefix": "nope"})
    assert r.codes == {"cannotDisseminateFormat", "idDoesNotExist"}


@pytest.mark.parametrize("prefix", sorted(FORMATS))
def test_T25_getrecord_of_deleted_record_is_a_header_only(repo, prefix):
    for key in repo.deleted:
        r = call(repo.url, {"verb": "GetRecord", "identifier": oai_id(key), "metadataPrefix": prefix})
        assert not r.errors, r.errors
        (record,) = r.records()
        header = record.find("oai:header", NS)
        assert header.get("status") == "deleted"
        assert header.findtext("oai:datestamp", namespaces=NS) == S4       # the deletion time
        assert record.find("oai:metadata", NS) is None
        assert record.find("oai:about", NS) is None


def test_T26_deletions_are_declared(repo):
    """T26 (deletedRecord=no ⇒ never status="deleted"): this repository shows deletions, so it must not say no."""
    declared = call(repo.url, {"verb": "Identify"}).text("oai:Identify/oai:deletedRecord")
    listed = call(repo.full, {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"})
    shown = [h for h in listed.headers_() if h.get("status") == "deleted"]
    assert shown, "the fixture removed a text: its records must show as deleted"
    assert declared == "persistent"
    for h in listed.headers_():
        assert h.get("status") in (None, "deleted")


@pytest.mark.parametrize("encoded", [
    "identifier=oai%3Aepistola.localhost%3A{type}%2F{slug}",
    "identifier=oai%3aepistola.localhost%3a{type}%2f{slug}",
    "identifier=oai:epistola.localhost:{type}/{slug}",
])
def test_T27_percent_encoded_identifier_is_the_same_record(repo, encoded):
    raw = call(repo.url, {"verb": "GetRecord", "identifier": oai_id(SEED_LETTER), "metadataPrefix": "oai_dc"})
    query = "verb=GetRecord&metadataPrefix=oai_dc&" + encoded.format(type="letter", slug=SEED)
    expected = etree.tostring(raw.verb)
    r = call(repo.url, query)
    assert not r.errors
    assert etree.tostring(r.verb) == expected
    post = call(repo.url, query, method="POST")
    assert etree.tostring(post.verb) == expected


def test_T27_identifier_is_decoded_exactly_once(repo):
    """A double-encoded identifier is another (unknown) identifier, not the same one."""
    twice = quote(quote(oai_id(SEED_LETTER), safe=""), safe="")
    r = call(repo.url, f"verb=GetRecord&metadataPrefix=oai_dc&identifier={twice}")
    assert r.codes == {"idDoesNotExist"}


# --- T28–T30: whole lists ------------------------------------------------------------------------

@pytest.mark.parametrize("prefix", sorted(FORMATS))
def test_T28_listrecords_every_record_complete(repo, prefix):
    r = call(repo.full, {"verb": "ListRecords", "metadataPrefix": prefix})
    assert r.token is None
    facts = {}
    for record in r.records():
        identifier, datestamp, sets, deleted = header_facts(record.find("oai:header", NS))
        assert SECONDS.fullmatch(datestamp), datestamp
        assert identifier not in facts
        facts[identifier] = datestamp
        metadata = record.find("oai:metadata", NS)
        if deleted:
            assert metadata is None
        else:
            assert metadata is not None and len(metadata) == 1
            assert etree.QName(metadata[0]).namespace == FORMATS[prefix][1]
    expected = {oai_id(k): s for k, s in repo.stamps.items()}
    assert facts == expected


@pytest.mark.parametrize("prefix", sorted(FORMATS))
def test_T29_listidentifiers_same_headers_as_listrecords(repo, prefix):
    records = call(repo.full, {"verb": "ListRecords", "metadataPrefix": prefix})
    headers = call(repo.full, {"verb": "ListIdentifiers", "metadataPrefix": prefix})
    assert not headers.records()
    assert [header_facts(h) for h in headers.headers_()] == [header_facts(h) for h in records.headers_()]
    assert len(headers.headers_()) == len(repo.stamps)


@pytest.mark.parametrize("verb", ["ListRecords", "ListIdentifiers"])
@pytest.mark.parametrize("prefix", ["nope", "oai-dc", "MODS"])
def test_T30_list_unknown_format_is_cannotDisseminateFormat(repo, verb, prefix):
    params = {"verb": verb, "metadataPrefix": prefix}
    r = call(repo.url, params)
    assert r.codes == {"cannotDisseminateFormat"}
    assert dict(r.request.attrib) == params


# --- T53: identifiers ---------------------------------------------------------------------------

def test_T53_identifiers_are_oai_identifiers_same_across_formats(repo):
    lists = {p: call(repo.full, {"verb": "ListIdentifiers", "metadataPrefix": p}).identifiers() for p in FORMATS}
    assert lists["oai_dc"] == lists["marc21"] == lists["mods"]
    for identifier in lists["oai_dc"]:
        assert OAI_IDENTIFIER.fullmatch(identifier), identifier
        assert not re.search(r"%(?![0-9A-F]{2})", identifier), f"lowercase or broken escape in {identifier}"
        assert re.fullmatch(r"oai:epistola\.localhost:(letter|text)/[a-z0-9][a-z0-9-]*", identifier), identifier
    assert oai_id(SEED_LETTER) in lists["oai_dc"] and oai_id(SEED_TEXT) in lists["oai_dc"]
