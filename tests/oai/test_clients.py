"""Full harvests with the harvesters libraries use: Sickle (GET and POST) and pyoai (POST and GET).

Over the paged repository (7 records a page): every list must come out with
no duplicates and no gaps, equal to the unpaged list of a second server over
the same build; and each library must see the OAI errors (HTTP 200) as its own
exceptions.
"""
from __future__ import annotations

import datetime as dt

import oaipmh.client
import oaipmh.metadata
import pytest
from lxml import etree
from oaipmh import error as oai_error
from oaipmh.client import Client
from oaipmh.metadata import MetadataRegistry, oai_dc_reader
from sickle import Sickle
from sickle import oaiexceptions

from .conftest import S1, S3, SEED, oai_id
from .support import FORMATS, call, header_facts, utc

SEED_LETTER = f"letter/{SEED}"


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch):
    """Both libraries read proxy settings from the environment: keep 127.0.0.1 direct."""
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


def reference(repo, verb: str, prefix: str) -> list[tuple]:
    """(identifier, datestamp, sets, deleted) of every header, from the unpaged server."""
    r = call(repo.full, {"verb": verb, "metadataPrefix": prefix})
    assert r.token is None
    return [header_facts(h) for h in r.headers_()]


def _stamp(value) -> str:
    return value if isinstance(value, str) else value.strftime("%Y-%m-%dT%H:%M:%SZ")


# --- Sickle -----------------------------------------------------------------------------------

@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("prefix", sorted(FORMATS))
def test_sickle_list_records(repo, prefix, method):
    sickle = Sickle(f"{repo.url}oai", http_method=method, timeout=30)
    got, titles = [], 0
    for record in sickle.ListRecords(metadataPrefix=prefix):
        h = record.header
        got.append((h.identifier, h.datestamp, tuple(h.setSpecs), h.deleted))
        if not record.deleted:
            assert record.metadata, h.identifier
            titles += bool(record.metadata.get("title") or record.metadata.get("titleInfo")
                           or record.metadata.get("datafield"))
    assert len(got) == len({g[0] for g in got})
    assert got == reference(repo, "ListRecords", prefix)
    assert titles == sum(1 for g in got if not g[3])


def test_sickle_oai_dc_values(repo):
    sickle = Sickle(f"{repo.url}oai", timeout=30)
    record = sickle.GetRecord(identifier=oai_id(SEED_LETTER), metadataPrefix="oai_dc")
    assert record.metadata["title"] == ["Letter to Emile Armand"]
    assert any(c.startswith("Serge, Victor") for c in record.metadata["creator"])
    assert "1917-03-19" in record.metadata["date"]


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sickle_list_identifiers(repo, method):
    sickle = Sickle(f"{repo.url}oai", http_method=method, timeout=30)
    got = [(h.identifier, h.datestamp, tuple(h.setSpecs), h.deleted)
           for h in sickle.ListIdentifiers(metadataPrefix="oai_dc")]
    assert got == reference(repo, "ListIdentifiers", "oai_dc")
    deleted = [g for g in got if g[3]]
    assert {g[0] for g in deleted} == {oai_id(k) for k in repo.deleted}


def test_sickle_selective_and_other_verbs(repo):
    sickle = Sickle(f"{repo.url}oai", timeout=30)
    identify = sickle.Identify()
    assert identify.granularity == "YYYY-MM-DDThh:mm:ssZ" and identify.deletedRecord == "persistent"
    assert {f.metadataPrefix for f in sickle.ListMetadataFormats()} == set(FORMATS)
    assert {"type", "type:letter", "type:text"} <= {s.setSpec for s in sickle.ListSets()}
    since = [h.identifier for h in sickle.ListIdentifiers(metadataPrefix="oai_dc", **{"from": S3})]
    assert set(since) == {oai_id(repo.edited)} | {oai_id(k) for k in repo.deleted}
    letters = {h.identifier for h in sickle.ListIdentifiers(metadataPrefix="mods", set="type:letter")}
    assert letters and all(":letter/" in i for i in letters)


def test_sickle_sees_oai_errors(repo):
    sickle = Sickle(f"{repo.url}oai", timeout=30)
    with pytest.raises(oaiexceptions.IdDoesNotExist):
        sickle.GetRecord(identifier=oai_id("letter/none"), metadataPrefix="oai_dc")
    with pytest.raises(oaiexceptions.CannotDisseminateFormat):
        sickle.GetRecord(identifier=oai_id(SEED_LETTER), metadataPrefix="nope")
    with pytest.raises(oaiexceptions.NoRecordsMatch):
        next(iter(sickle.ListRecords(metadataPrefix="oai_dc", **{"from": "2099-01-01"})))
    with pytest.raises(oaiexceptions.BadArgument):
        next(iter(sickle.ListRecords(metadataPrefix="oai_dc", **{"from": "2026-13-01"})))
    with pytest.raises(oaiexceptions.BadResumptionToken):
        next(iter(sickle.ListRecords(resumptionToken="garbage")))


# --- pyoai ------------------------------------------------------------------------------------

class _Evaluator:
    """``etree.XPathEvaluator`` with the ``evaluate`` alias pyoai 2.5 calls and lxml 6 removed."""

    def __init__(self, *args, **kwargs):
        self._evaluate = etree.XPathEvaluator(*args, **kwargs)

    def __call__(self, *args, **kwargs):
        return self._evaluate(*args, **kwargs)

    evaluate = __call__


class _Etree:
    """lxml.etree as pyoai's modules see it, but for XPathEvaluator (client side only)."""
    XPathEvaluator = _Evaluator

    def __getattr__(self, name):
        return getattr(etree, name)


@pytest.fixture(autouse=True)
def _pyoai_on_lxml6(monkeypatch):
    if not hasattr(etree.XPathEvaluator(etree.XML("<a/>")), "evaluate"):
        monkeypatch.setattr(oaipmh.client, "etree", _Etree())
        monkeypatch.setattr(oaipmh.metadata, "etree", _Etree())


def pyoai(repo, get: bool = False) -> Client:
    registry = MetadataRegistry()
    registry.registerReader("oai_dc", oai_dc_reader)
    return Client(f"{repo.url}oai", registry, force_http_get=get)


@pytest.mark.parametrize("get", [False, True], ids=["POST", "GET"])
def test_pyoai_list_records(repo, get):
    client = pyoai(repo, get)
    client.updateGranularity()                     # raises on a non-standard granularity
    got = []
    for header, metadata, _ in client.listRecords(metadataPrefix="oai_dc"):
        got.append((header.identifier(), _stamp(header.datestamp()), tuple(header.setSpec()), header.isDeleted()))
        if header.isDeleted():
            assert metadata is None
        else:
            assert metadata.getField("title"), header.identifier()
            assert metadata.getField("identifier")
    assert len(got) == len({g[0] for g in got})
    assert got == reference(repo, "ListRecords", "oai_dc")


def test_pyoai_list_identifiers_and_other_verbs(repo):
    client = pyoai(repo)
    identify = client.identify()
    assert identify.baseURL() == f"{repo.url}oai"
    assert identify.granularity() == "YYYY-MM-DDThh:mm:ssZ"
    assert identify.earliestDatestamp() == utc(S1).replace(tzinfo=None)
    assert identify.deletedRecord() == "persistent"
    got = [(h.identifier(), _stamp(h.datestamp()), tuple(h.setSpec()), h.isDeleted())
           for h in client.listIdentifiers(metadataPrefix="oai_dc")]
    assert got == reference(repo, "ListIdentifiers", "oai_dc")
    assert {f[0]: (f[1], f[2]) for f in client.listMetadataFormats()} == FORMATS
    assert {"type", "type:letter", "type:text"} <= {s[0] for s in client.listSets()}
    header, metadata, _ = client.getRecord(identifier=oai_id(SEED_LETTER), metadataPrefix="oai_dc")
    assert metadata.getField("title") == ["Letter to Emile Armand"]
    since = {h.identifier() for h in client.listIdentifiers(metadataPrefix="oai_dc",
                                                            from_=utc(S3).replace(tzinfo=None))}
    assert since == {oai_id(repo.edited)} | {oai_id(k) for k in repo.deleted}
    until = {h.identifier() for h in client.listIdentifiers(metadataPrefix="oai_dc",
                                                            until=dt.datetime(2026, 1, 31))}
    assert until == {oai_id(k) for k, s in repo.stamps.items() if s <= "2026-01-31T00:00:00Z"}


def test_pyoai_sees_oai_errors(repo):
    client = pyoai(repo)
    with pytest.raises(oai_error.IdDoesNotExistError):
        client.getRecord(identifier=oai_id("letter/none"), metadataPrefix="oai_dc")
    with pytest.raises(oai_error.NoRecordsMatchError):
        list(client.listIdentifiers(metadataPrefix="oai_dc", from_=dt.datetime(2099, 1, 1)))
    with pytest.raises(oai_error.CannotDisseminateFormatError):
        list(client.listRecords(metadataPrefix="nope"))
    with pytest.raises(oai_error.NoMetadataFormatsError):
        client.listMetadataFormats(identifier=oai_id(sorted(repo.deleted)[0]))
