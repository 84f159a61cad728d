"""Datestamps and deletions across rebuilds (harvest.md §1.3, §1.5; rows T17, T21, T25, T41, T42, T48).

A record's datestamp must change when, and only when, its metadata changes
(in any format); a text that leaves the corpus leaves a deleted record behind
for good (``deletedRecord=persistent``). The model (graph/records.py) decides
which records a corpus edit touches: a text gives a ``text/`` record, and a
text the authority file calls a letter also a ``letter/`` record; the text
record carries the letter's date and recipients, the letter record neither the
body nor the colophon notes.
"""
from __future__ import annotations

import json
import re

import pytest
from lxml import etree

from .conftest import SEED, T1, T2, T3, T4, add_note, letters_of, oai_id
from .support import FORMATS, NS, call, harvest, header_facts



def snapshot(h) -> dict[str, dict]:
    """key → datestamp, deleted, sets and the metadata bytes of each format, as harvested."""
    out: dict[str, dict] = {}
    prefix_len = len(oai_id(""))
    for prefix in FORMATS:
        for page in harvest(h.url, {"verb": "ListRecords", "metadataPrefix": prefix}):
            for record in page.records():
                identifier, datestamp, sets, deleted = header_facts(record.find("oai:header", NS))
                entry = out.setdefault(identifier[prefix_len:], {"datestamp": datestamp, "deleted": deleted,
                                                                 "sets": sets})
                assert (entry["datestamp"], entry["deleted"], entry["sets"]) == (datestamp, deleted, sets)
                metadata = record.find("oai:metadata", NS)
                entry[prefix] = None if metadata is None else etree.tostring(metadata[0])
    return out


def content(entry: dict) -> tuple:
    """The metadata of a record, without what only restates its datestamp (MARC 005, 008/00-05)."""
    marc = entry["marc21"]
    if marc is not None:
        marc = re.sub(rb'(<marc:controlfield tag="005">)[^<]*', rb"\1", marc)
        marc = re.sub(rb'(<marc:controlfield tag="008">)\d{6}', rb"\1", marc)
    return entry["oai_dc"], marc, entry["mods"], entry["sets"]


def ledger(h) -> bytes:
    return (h.out / "oai-ledger.json").read_bytes()


def identifiers_lists(h) -> dict[str, list]:
    return {p: [header_facts(x) for page in harvest(h.url, {"verb": "ListIdentifiers", "metadataPrefix": p})
                for x in page.headers_()] for p in FORMATS}


# --- no change ---------------------------------------------------------------------------------

@pytest.mark.parametrize("which", ["history", "small"])
def test_rebuild_without_change_keeps_every_datestamp(request, which):
    h = request.getfixturevalue(which)
    before = (ledger(h), identifiers_lists(h), snapshot(h))
    h.build(T2)
    after = (ledger(h), identifiers_lists(h), snapshot(h))
    assert after[0] == before[0]                          # the ledger, byte for byte
    assert after[1] == before[1]                          # ListIdentifiers in every format
    assert after[2] == before[2]                          # every record, MARC 005 included
    assert {e["datestamp"] for e in after[2].values()} == {T1}
    assert call(h.url, {"verb": "Identify"}).text("oai:Identify/oai:earliestDatestamp") == T1
    r = call(h.url, {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "from": T2})
    assert r.codes == {"noRecordsMatch"}


# --- edits -------------------------------------------------------------------------------------

TEXT = f"texts/{SEED}.txt"
AUTHORITY = "authority.toml"
EDITS = {
    # what changes in the corpus → which of the seed's records must get a new datestamp
    "body word": (TEXT, "I thank them.", "I thank them warmly.", set()),
    "retrieval date (not in any record)": (TEXT, "Retrieved on 28<sup>th</sup>", "Retrieved on 29<sup>th</sup>", set()),
    "colophon note (the text's own)": (TEXT, None, None, {"text"}),
    "subtitle (the text's own)": (TEXT, "the sectarian intransigence of the past.”**",
                                  "the intransigence of the past.”**", {"text"}),
    "date of the letter (shown by both)": (TEXT, "19 March 1917", "20 March 1917", {"letter", "text"}),
    "authority: recipient's birth date (both name him)": (AUTHORITY, 'birth_date = { value = "1872-03-26"',
                                                          'birth_date = { value = "1871-03-26"', {"letter", "text"}),
    "authority: letter's language (both)": (AUTHORITY, 'original_language = { value = "fr"',
                                            'original_language = { value = "de"', {"letter", "text"}),
    "authority: translator's description (in no record)": (AUTHORITY, 'description = { value = "Brooklyn-based',
                                                           'description = { value = "A Brooklyn-based', set()),
}


@pytest.mark.parametrize("edit", list(EDITS))
def test_edit_changes_exactly_the_records_whose_metadata_changed(history, edit):
    path, old, new, kinds = EDITS[edit]
    before = snapshot(history)
    if old is None:
        add_note(history.corpus / path)
    else:
        history.replace(history.corpus / path, old, new)
    history.build(T2)
    after = snapshot(history)
    assert set(after) == set(before) == {f"letter/{SEED}", f"text/{SEED}"}
    stamped = {k for k in after if after[k]["datestamp"] != before[k]["datestamp"]}
    assert stamped == {f"{kind}/{SEED}" for kind in kinds}
    assert all(after[k]["datestamp"] == T2 for k in stamped)
    changed = {k for k in after if content(after[k]) != content(before[k])}
    assert stamped == changed, "a datestamp must change exactly when the record's metadata does"
    for k in stamped:                                            # MARC 005 follows the datestamp
        assert b'<marc:controlfield tag="005">20260202020000' in after[k]["marc21"]
    since = call(history.url, {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "from": T2})
    if stamped:
        assert set(since.identifiers()) == {oai_id(k) for k in stamped}
    else:
        assert since.codes == {"noRecordsMatch"}


# --- deletions ---------------------------------------------------------------------------------

def _a_letter(h) -> str:
    return sorted(letters_of(h.corpus) - {SEED})[0]


def test_removed_text_leaves_deleted_records_for_good(small):
    slug = _a_letter(small)
    keys = {f"letter/{slug}", f"text/{slug}"}
    before = snapshot(small)
    assert keys <= set(before)
    (small.corpus / "texts" / f"{slug}.txt").unlink()
    small.build(T2)
    for stamp in (T3, T4):
        after = snapshot(small)
        assert set(after) == set(before)                   # the records stay, as deleted ones
        for key in keys:
            assert after[key]["deleted"] and after[key]["datestamp"] == T2, (key, after[key])
            assert all(after[key][p] is None for p in FORMATS)            # header only, in every format
            r = call(small.url, {"verb": "ListMetadataFormats", "identifier": oai_id(key)})
            assert r.codes == {"noMetadataFormats"}                        # T21
            for prefix in FORMATS:                                         # T25
                got = call(small.url, {"verb": "GetRecord", "identifier": oai_id(key), "metadataPrefix": prefix})
                (record,) = got.records()
                assert record.find("oai:header", NS).get("status") == "deleted"
                assert record.find("oai:header/oai:datestamp", NS).text == T2
                assert record.find("oai:metadata", NS) is None and record.find("oai:about", NS) is None
        for key in set(after) - keys:
            assert after[key] == before[key]
        deleted = call(small.url, {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": T2})   # T41
        assert {header_facts(h)[0] for h in deleted.headers_()} == {oai_id(k) for k in keys}
        assert all(h.get("status") == "deleted" for h in deleted.headers_())
        entries = json.loads(ledger(small))
        assert all(entries[k]["deleted"] and entries[k]["datestamp"] == T2 for k in keys)
        small.build(stamp)                                 # rebuilding again changes nothing
    assert call(small.url, {"verb": "Identify"}).text("oai:Identify/oai:deletedRecord") == "persistent"


def test_text_that_comes_back_is_a_live_record_again(small):
    slug = _a_letter(small)
    path = small.corpus / "texts" / f"{slug}.txt"
    kept = path.read_bytes()
    path.unlink()
    small.build(T2)
    path.write_bytes(kept)
    small.build(T3)
    after = snapshot(small)
    for key in (f"letter/{slug}", f"text/{slug}"):
        assert not after[key]["deleted"] and after[key]["datestamp"] == T3
        assert all(after[key][p] for p in FORMATS)


# --- resumption across a rebuild (§3.5.1) ---------------------------------------------------------

def test_T48_latest_token_survives_a_rebuild_without_change(small):
    """§3.5.1(1): no change in the repository ⇒ the most recent (unexpired) token gives the same batch."""
    first = call(small.url, {"verb": "ListRecords", "metadataPrefix": "oai_dc"})
    token = first.token.text
    expected = call(small.url, {"verb": "ListRecords", "resumptionToken": token})
    small.build(T2)                                        # e.g. the nightly rebuild: nothing changed
    assert ledger(small) and snapshot(small)
    again = call(small.url, {"verb": "ListRecords", "resumptionToken": token})
    assert not again.errors, f"a rebuild that changed nothing invalidated a live token: {again.errors}"
    assert again.without_date() == expected.without_date()


def test_3_5_1_token_after_a_change_never_skips_unchanged_records(small):
    """§3.5.1(2): after changes, a resumed list holds every record whose datestamp did not change
    (or the repository says badResumptionToken and the harvester starts again)."""
    whole = snapshot(small)
    first = call(small.url, {"verb": "ListRecords", "metadataPrefix": "oai_dc"})
    seen = set(first.identifiers())
    moved = sorted(k for k in whole if oai_id(k) in seen and k.startswith("letter/"))[0]
    slug = moved.split("/", 1)[1]
    section = f"[texts.{slug}]"
    authority = (small.corpus / "authority.toml").read_text(encoding="utf-8")
    start = authority.index(section)
    match = re.compile(r'original_language = \{ value = "(\w+)"').search(authority, start)
    language = "fr" if match.group(1) != "fr" else "de"
    authority = authority[:match.start(1)] + language + authority[match.end(1):]
    (small.corpus / "authority.toml").write_text(authority, encoding="utf-8")
    small.build(T2)                                        # the letter moves to the end of the order
    after = snapshot(small)
    assert after[moved]["datestamp"] == T2
    r = call(small.url, {"verb": "ListRecords", "resumptionToken": first.token.text})
    if r.codes == {"badResumptionToken"}:
        return
    assert not r.errors, r.errors
    pages = [r]
    while pages[-1].token is not None and (pages[-1].token.text or "").strip():
        pages.append(call(small.url, {"verb": "ListRecords", "resumptionToken": pages[-1].token.text}))
    for page in pages:
        seen |= set(page.identifiers())
    unchanged = {oai_id(k) for k in after if after[k]["datestamp"] == whole[k]["datestamp"]}
    assert unchanged <= seen, f"skipped: {sorted(unchanged - seen)}"
