"""Selective harvesting by date and by set: harvest.md rows T31–T44.

The ``repo`` fixture has records stamped S1 < S2 < S3 < S4 (see conftest), so
every bound below separates records that are in from records that are out.
"""
from __future__ import annotations

import datetime as dt

import pytest

from .conftest import S1, S2, S3, S4, oai_id
from .support import NS, call, header_facts, stamp, utc

VERBS = ["ListIdentifiers", "ListRecords"]


def listed(repo, **args) -> dict[str, tuple]:
    """identifier → (datestamp, sets, deleted) of one unpaged list, or {} for noRecordsMatch."""
    r = call(repo.full, {"verb": args.pop("verb", "ListIdentifiers"), "metadataPrefix": "oai_dc", **args})
    if r.errors:
        assert r.codes == {"noRecordsMatch"}, r.errors
        return {}
    facts = [header_facts(h) for h in r.headers_()]
    assert len({f[0] for f in facts}) == len(facts)
    return {f[0]: f[1:] for f in facts}


def expected(repo, low: str | None = None, high: str | None = None) -> set[str]:
    return {oai_id(k) for k, s in repo.stamps.items() if (low is None or s >= low) and (high is None or s <= high)}


def shift(moment: str, seconds: int) -> str:
    return stamp(utc(moment) + dt.timedelta(seconds=seconds))


# --- dates -------------------------------------------------------------------------------------

@pytest.mark.parametrize("verb", VERBS)
@pytest.mark.parametrize("moment", [S1, S2, S3, S4])
def test_T31_day_bounds_are_inclusive(repo, verb, moment):
    day = moment[:10]
    got = listed(repo, verb=verb, **{"from": day, "until": day})
    assert set(got) == expected(repo, f"{day}T00:00:00Z", f"{day}T23:59:59Z") != set()
    assert all(s[0] == moment for s in got.values())


def test_T31_day_ranges(repo):
    assert set(listed(repo, **{"from": S2[:10]})) == expected(repo, S2)
    assert set(listed(repo, until=S3[:10])) == expected(repo, None, S3)
    assert set(listed(repo, **{"from": S2[:10], "until": S3[:10]})) == expected(repo, S2, S3)
    day_after = (utc(S2) + dt.timedelta(days=1)).strftime("%Y-%m-%d")
    assert set(listed(repo, **{"from": day_after, "until": S3[:10]})) == expected(repo, S3, S3)


@pytest.mark.parametrize("verb", VERBS)
@pytest.mark.parametrize("moment", [S1, S2, S3, S4])
def test_T32_seconds_bounds_are_inclusive(repo, verb, moment):
    exact = listed(repo, verb=verb, **{"from": moment, "until": moment})
    assert set(exact) == expected(repo, moment, moment) != set()
    after = listed(repo, verb=verb, **{"from": shift(moment, 1)})
    assert not set(after) & set(exact)
    before = listed(repo, verb=verb, until=shift(moment, -1))
    assert not set(before) & set(exact)
    assert set(after) | set(before) | set(exact) == expected(repo)


@pytest.mark.parametrize("pair", [("2026-02-01", "2026-01-01"), (S3, S2), (shift(S2, 1), S2)])
def test_T33_from_after_until_is_badArgument(repo, pair):
    for verb in VERBS:
        r = call(repo.url, {"verb": verb, "metadataPrefix": "oai_dc", "from": pair[0], "until": pair[1]})
        assert r.codes == {"badArgument"}, r.errors
        assert dict(r.request.attrib) == {}


@pytest.mark.parametrize("pair", [("2026-01-01", "2026-01-02T00:00:00Z"), ("2026-01-01T00:00:00Z", "2026-12-31")])
def test_T34_mixed_granularity_is_badArgument(repo, pair):
    for verb in VERBS:
        r = call(repo.url, {"verb": verb, "metadataPrefix": "oai_dc", "from": pair[0], "until": pair[1]})
        assert r.codes == {"badArgument"}, r.errors


def test_T35_seconds_granularity_is_declared_so_it_is_accepted(repo):
    """T35 is for day-granularity repositories; this one declares seconds, so seconds must work."""
    r = call(repo.url, {"verb": "Identify"})
    assert r.text("oai:Identify/oai:granularity") == "YYYY-MM-DDThh:mm:ssZ"
    got = call(repo.url, {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "from": "2026-01-01T00:00:00Z"})
    assert not got.errors


MALFORMED = ["2026-13-01", "2026-02-30", "2026-01-01T00:00:00", "2026-01-01T00:00:00.5Z", "2026-01-01T00:00Z",
             "2026-01-01T24:00:00Z", "2026-01-01t00:00:00z", "2026-01-01T00:00:00+00:00", "2026", "2026-01",
             "26-01-01", "2026-1-1", " 2026-01-01", "2026-01-01 ", "yesterday", "2026-01-01T00:00:40.",
             "２０２６-01-01"]


@pytest.mark.parametrize("name", ["from", "until"])
@pytest.mark.parametrize("value", MALFORMED)
def test_T36_malformed_date_is_badArgument(repo, name, value):
    r = call(repo.url, {"verb": "ListRecords", "metadataPrefix": "oai_dc", name: value})
    assert r.codes == {"badArgument"}, (value, r.errors)
    assert dict(r.request.attrib) == {}


@pytest.mark.parametrize("name", ["from", "until", "set"])
def test_T36_empty_argument_is_badArgument(repo, name):
    r = call(repo.url, f"verb=ListIdentifiers&metadataPrefix=oai_dc&{name}=")
    assert r.codes == {"badArgument"}, r.errors


@pytest.mark.parametrize("verb", VERBS)
@pytest.mark.parametrize("args", [
    {"from": shift(S4, 1)}, {"from": "2099-01-01"}, {"until": shift(S1, -1)}, {"until": "2000-01-01"},
    {"from": shift(S3, 1), "until": shift(S4, -1)},               # between two builds
    {"from": S3, "until": S3, "set": "type:letter"},             # only a text changed at S3
])
def test_T37_empty_result_is_noRecordsMatch(repo, verb, args):
    r = call(repo.url, {"verb": verb, "metadataPrefix": "oai_dc", **args})
    assert r.codes == {"noRecordsMatch"}, r.errors
    assert r.verb is None                                 # never an empty <ListRecords/>
    assert r.request.get("verb") == verb                 # a legal request: attributes stay


# --- sets ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("spec", ["type:poem", "nosuchset", "language:xx", "type:letter:extra", "Type"])
def test_T38_unknown_set_is_noRecordsMatch(repo, spec):
    for verb in VERBS:
        r = call(repo.url, {"verb": verb, "metadataPrefix": "oai_dc", "set": spec})
        assert r.codes == {"noRecordsMatch"}, (spec, r.errors)


@pytest.mark.parametrize("spec", ["type:", ":type", "type::letter", "a b", "type/letter", "type,letter", "é"])
def test_T38_illegal_setspec_syntax_is_badArgument(repo, spec):
    r = call(repo.url, {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": spec})
    assert r.codes == {"badArgument"}, (spec, r.errors)


def test_T39_sets_exist_so_never_noSetHierarchy(repo):
    """T39 applies to repositories without sets; this one has them, so ListSets and set= work."""
    sets = call(repo.url, {"verb": "ListSets"})
    assert not sets.errors and sets.root.find("oai:ListSets/oai:set", NS) is not None
    r = call(repo.url, {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": "anything"})
    assert "noSetHierarchy" not in r.codes


def test_T40_parent_set_includes_its_children(repo):
    everything = listed(repo)
    letters = listed(repo, set="type:letter")
    texts = listed(repo, set="type:text")
    assert letters and texts and not set(letters) & set(texts)
    assert set(listed(repo, set="type")) == set(letters) | set(texts) == set(everything)
    assert all(":letter/" in i for i in letters) and all(":text/" in i for i in texts)
    languages = [s for s in _set_specs(repo) if s.startswith("language:")]
    assert len(languages) >= 2
    union = set().union(*(listed(repo, set=s) for s in languages))
    assert set(listed(repo, set="language")) == union
    for spec in ("type", "language"):
        assert set(listed(repo, verb="ListRecords", set=spec)) == set(listed(repo, set=spec))


def test_T40_set_and_dates_combine(repo):
    got = listed(repo, set="type:text", **{"from": S3, "until": S4})
    assert set(got) == {i for i in expected(repo, S3, S4) if ":text/" in i}


def test_T41_deleted_records_are_listed_in_their_range(repo):
    for verb in VERBS:
        r = call(repo.full, {"verb": verb, "metadataPrefix": "oai_dc", "from": S4[:10]})
        facts = {header_facts(h)[0]: header_facts(h) for h in r.headers_()}
        assert set(facts) == {oai_id(k) for k in repo.deleted}
        for identifier, (_, datestamp, sets, deleted) in facts.items():
            assert deleted and datestamp == S4 and sets, identifier
        for record in r.records():
            assert record.find("oai:metadata", NS) is None


def test_T42_edited_record_reappears_from_the_edit_time(repo):
    got = listed(repo, verb="ListRecords", **{"from": S3})
    assert got[oai_id(repo.edited)][0] == S3
    assert set(got) == {oai_id(repo.edited)} | {oai_id(k) for k in repo.deleted}
    letter_of_edited = oai_id(repo.edited.replace("text/", "letter/", 1))
    assert listed(repo)[letter_of_edited][0] == S1      # the letter's own metadata did not change


def _set_specs(repo) -> list[str]:
    r = call(repo.url, {"verb": "ListSets"})
    return [s.findtext("oai:setSpec", namespaces=NS) for s in r.root.iterfind("oai:ListSets/oai:set", NS)]


def test_T43_listsets(repo):
    r = call(repo.url, {"verb": "ListSets"})
    sets = list(r.root.iterfind("oai:ListSets/oai:set", NS))
    specs = [s.findtext("oai:setSpec", namespaces=NS) for s in sets]
    assert len(specs) == len(set(specs))
    assert all((s.findtext("oai:setName", namespaces=NS) or "").strip() for s in sets)
    for spec in specs:                                   # every parent of a hierarchical spec is a set too
        parts = spec.split(":")
        for i in range(1, len(parts)):
            assert ":".join(parts[:i]) in specs, spec
    assert {"type", "type:letter", "type:text"} <= set(specs)
    assert r.token is None


def test_T44_headers_list_minimal_set_membership(repo):
    specs = set(_set_specs(repo))
    for verb in VERBS:
        r = call(repo.full, {"verb": verb, "metadataPrefix": "oai_dc"})
        for h in r.headers_():
            identifier, _, sets, _ = header_facts(h)
            assert sets, identifier
            assert set(sets) <= specs, (identifier, sets)
            kind = identifier.split(":")[2].split("/")[0]
            assert f"type:{kind}" in sets, (identifier, sets)
            for s in sets:                               # minimal: no parent beside its child
                assert not any(o != s and o.startswith(s + ":") for o in sets), (identifier, sets)
    got = call(repo.url, {"verb": "GetRecord", "identifier": oai_id(repo.edited), "metadataPrefix": "mods"})
    assert "type:text" in header_facts(got.headers_()[0])[2]
