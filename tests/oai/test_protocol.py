"""OAI-PMH 2.0 envelope, transport and request checking: harvest.md rows T1–T18, X1, X2.

Each test is named after its row in shared/research/harvest.md §2; every
response is validated against OAI-PMH.xsd by ``support.call``.
"""
from __future__ import annotations

import datetime as dt
import gzip
import re
from concurrent.futures import ThreadPoolExecutor

import pytest

from .conftest import S1, oai_id
from lxml import etree

from .support import NS, OAI, OAI_ID, SECONDS, XSI, assert_valid, call, oai_schema, session, utc

DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>'
SEED_LETTER = "letter/victor-serge-letter-to-emile-armand"


# --- T1, T2, T3: envelope and transport --------------------------------------------------

def test_T01_identify_is_utf8_text_xml_with_declaration_and_schema_location(repo):
    r = call(repo.url, {"verb": "Identify"})
    media, _, charset = r.headers["Content-Type"].partition(";")
    assert media.strip() == "text/xml"
    assert charset.strip().lower().replace('"', "") == "charset=utf-8"
    assert r.body.startswith(DECLARATION)
    assert r.root.tag == f"{{{OAI}}}OAI-PMH"
    assert r.root.nsmap.get("xsi") == XSI
    assert r.root.get(f"{{{XSI}}}schemaLocation").split() == [OAI, "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"]


POST_CASES = [
    {"verb": "Identify"},
    {"verb": "ListMetadataFormats"},
    {"verb": "ListSets"},
    {"verb": "GetRecord", "identifier": oai_id(SEED_LETTER), "metadataPrefix": "oai_dc"},
    {"verb": "ListIdentifiers", "metadataPrefix": "mods", "set": "type:letter"},
    {"verb": "ListRecords", "metadataPrefix": "marc21", "from": "2026-01-01"},
    {"verb": "ListRecords"},                                   # an error
    {"verb": "Frobnicate"},                                    # another
]


@pytest.mark.parametrize("params", POST_CASES, ids=lambda p: "-".join(p.values())[:40])
def test_T02_post_form_answers_as_get(repo, params):
    got, posted = call(repo.url, params), call(repo.url, params, method="POST")
    assert posted.headers["Content-Type"] == got.headers["Content-Type"]
    assert posted.without_date() == got.without_date()


def test_T02_post_with_a_resumption_token(repo):
    first = call(repo.url, {"verb": "ListRecords", "metadataPrefix": "oai_dc"}, method="POST")
    token = first.token.text
    by_get = call(repo.url, {"verb": "ListRecords", "resumptionToken": token})
    by_post = call(repo.url, {"verb": "ListRecords", "resumptionToken": token}, method="POST")
    assert by_post.without_date() == by_get.without_date()
    assert by_post.records()


T03_CASES = [
    {"verb": "Identify"},
    {"verb": "ListSets"},
    {"verb": "GetRecord", "identifier": oai_id(SEED_LETTER), "metadataPrefix": "mods"},
    {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "from": "2026-01-01", "until": "2026-12-31",
     "set": "type"},
    {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2999-01-01"},        # noRecordsMatch
    {"verb": "GetRecord", "identifier": "oai:nowhere.example:x", "metadataPrefix": "oai_dc"},
]


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("params", T03_CASES, ids=lambda p: "-".join(p.values())[:40])
def test_T03_response_date_now_and_request_echo(repo, params, method):
    before = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    r = call(repo.url, params, method=method)
    after = dt.datetime.now(dt.timezone.utc)
    assert SECONDS.fullmatch(r.response_date), r.response_date
    assert before - dt.timedelta(seconds=1) <= utc(r.response_date) <= after + dt.timedelta(seconds=1)
    base_url = call(repo.url, {"verb": "Identify"}).text("oai:Identify/oai:baseURL")
    assert r.request.text == base_url
    assert dict(r.request.attrib) == params


def test_T04_non_ascii_as_utf8_never_named_entities(repo):
    pages = [call(repo.full, {"verb": "ListRecords", "metadataPrefix": p}) for p in ("oai_dc", "marc21", "mods")]
    for page in pages:
        assert "É".encode() in page.body or "é".encode() in page.body, "the corpus has accented names"
        entities = {m.group() for m in re.finditer(rb"&[A-Za-z][A-Za-z0-9]*;", page.body)}
        assert entities <= {b"&amp;", b"&lt;", b"&gt;", b"&quot;", b"&apos;"}, entities
    names = " ".join(page.body.decode("utf-8") for page in pages)
    assert "Élisée" in names or "Émile" in names or "Sébastien" in names


def test_T05_identity_unless_compression_is_advertised(repo):
    s = session()
    plain = s.get(f"{repo.url}oai", params={"verb": "Identify"}, headers={"Accept-Encoding": "identity"},
                  stream=True)
    assert plain.status_code == 200 and "Content-Encoding" not in plain.headers
    assert plain.raw.read().startswith(DECLARATION)          # the bytes on the wire, undecoded
    identify = call(repo.url, {"verb": "Identify"})
    advertised = {c.text for c in identify.root.iterfind("oai:Identify/oai:compression", NS)}
    assert "identity" not in advertised                      # §3.1.3: identity is never listed
    gz = s.get(f"{repo.url}oai", params={"verb": "Identify"}, headers={"Accept-Encoding": "gzip"}, stream=True)
    raw = gz.raw.read()
    if "gzip" in advertised:
        assert gz.headers.get("Content-Encoding") in (None, "gzip")
        if gz.headers.get("Content-Encoding") == "gzip":
            assert gzip.decompress(raw).startswith(DECLARATION)
    else:
        assert "Content-Encoding" not in gz.headers, "gzip served without <compression>gzip</compression>"
        assert raw.startswith(DECLARATION)


@pytest.mark.parametrize("accept", ["text/html", "application/json",
                                    "text/xml; charset=utf-8, application/xml; charset=utf-8"])
def test_T01_no_content_negotiation_on_the_oai_path(repo, accept):
    r = call(repo.url, {"verb": "Identify"}, headers={"Accept": accept})
    assert r.headers["Content-Type"].split(";")[0] == "text/xml"
    assert r.body.startswith(DECLARATION)


# --- T6–T15: illegal requests ------------------------------------------------------------

def _bad(repo, query, code, method="GET"):
    r = call(repo.url, query, method=method)
    assert code in r.codes, (query, r.errors)
    assert r.verb is None, "an error response carries no verb element"
    return r


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_T06_missing_verb_is_badVerb_without_request_attributes(repo, method):
    r = _bad(repo, "", "badVerb", method)
    assert dict(r.request.attrib) == {}
    r = _bad(repo, "metadataPrefix=oai_dc", "badVerb", method)
    assert dict(r.request.attrib) == {}


@pytest.mark.parametrize("verb", ["Frobnicate", "identify", "LISTRECORDS", "", "Identify "])
def test_T07_unknown_verb_is_badVerb_without_request_attributes(repo, verb):
    r = _bad(repo, {"verb": verb}, "badVerb")
    assert dict(r.request.attrib) == {}
    assert r.codes == {"badVerb"}


@pytest.mark.parametrize("query", ["verb=Identify&verb=Identify", "verb=Identify&verb=ListSets",
                                   "verb=ListRecords&verb=ListRecords&metadataPrefix=oai_dc"])
def test_T08_repeated_verb_is_badVerb(repo, query):
    r = _bad(repo, query, "badVerb")
    assert dict(r.request.attrib) == {}


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_T09_identify_with_an_argument_is_badArgument_without_attributes(repo, method):
    r = _bad(repo, "verb=Identify&x=1", "badArgument", method)
    assert dict(r.request.attrib) == {}
    assert r.codes == {"badArgument"}


@pytest.mark.parametrize("verb", ["ListRecords", "ListIdentifiers"])
def test_T10_list_without_metadataPrefix_is_badArgument(repo, verb):
    r = _bad(repo, {"verb": verb}, "badArgument")
    assert dict(r.request.attrib) == {}
    _bad(repo, {"verb": verb, "from": "2026-01-01"}, "badArgument")


@pytest.mark.parametrize("query", [
    "verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=oai_dc",
    "verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=mods",
    "verb=ListIdentifiers&metadataPrefix=oai_dc&from=2026-01-01&from=2026-01-01",
    "verb=GetRecord&identifier=x&identifier=x&metadataPrefix=oai_dc",
    "verb=ListMetadataFormats&identifier=a&identifier=a",
])
def test_T11_repeated_argument_is_badArgument(repo, query):
    r = _bad(repo, query, "badArgument")
    assert dict(r.request.attrib) == {}


@pytest.mark.parametrize("params", [
    {"verb": "ListRecords", "metadataPrefix": "oai_dc", "identifier": "x"},
    {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "identifier": oai_id(SEED_LETTER)},
    {"verb": "GetRecord", "identifier": oai_id(SEED_LETTER), "metadataPrefix": "oai_dc", "set": "type"},
    {"verb": "ListMetadataFormats", "metadataPrefix": "oai_dc"},
    {"verb": "ListSets", "metadataPrefix": "oai_dc"},
    {"verb": "ListRecords", "metadataPrefix": "oai_dc", "Set": "type"},          # names are case-sensitive
])
def test_T12_illegal_argument_is_badArgument(repo, params):
    r = _bad(repo, params, "badArgument")
    assert dict(r.request.attrib) == {}


@pytest.mark.parametrize("extra", [{"metadataPrefix": "oai_dc"}, {"set": "type"}, {"from": "2026-01-01"}])
def test_T13_resumptionToken_is_exclusive(repo, extra):
    token = call(repo.url, {"verb": "ListRecords", "metadataPrefix": "oai_dc"}).token.text
    r = _bad(repo, {"verb": "ListRecords", "resumptionToken": token, **extra}, "badArgument")
    assert dict(r.request.attrib) == {}


def test_T14_listsets_with_set_is_badArgument(repo):
    r = _bad(repo, {"verb": "ListSets", "set": "letters"}, "badArgument")
    assert dict(r.request.attrib) == {}


@pytest.mark.parametrize("params", [
    {"verb": "GetRecord", "identifier": oai_id(SEED_LETTER)},
    {"verb": "GetRecord", "metadataPrefix": "oai_dc"},
    {"verb": "GetRecord"},
])
def test_T15_getrecord_without_required_argument_is_badArgument(repo, params):
    r = _bad(repo, params, "badArgument")
    assert dict(r.request.attrib) == {}


@pytest.mark.parametrize("params", [
    {"verb": "ListRecords", "metadataPrefix": ""},
    {"verb": "GetRecord", "identifier": "", "metadataPrefix": "oai_dc"},
    {"verb": "ListMetadataFormats", "identifier": ""},
])
def test_T12_empty_argument_value_is_badArgument(repo, params):
    _bad(repo, params, "badArgument")


# --- T16–T18: Identify ---------------------------------------------------------------------

IDENTIFY_ORDER = ["repositoryName", "baseURL", "protocolVersion", "adminEmail", "earliestDatestamp",
                  "deletedRecord", "granularity", "compression", "description"]


def test_T16_identify_fields_once_each_in_schema_order(repo):
    r = call(repo.url, {"verb": "Identify"})
    names = [el.tag.split("}")[1] for el in r.root.find("oai:Identify", NS)]
    for once in ("repositoryName", "baseURL", "protocolVersion", "earliestDatestamp", "deletedRecord",
                 "granularity"):
        assert names.count(once) == 1, (once, names)
    assert names.count("adminEmail") >= 1
    assert names == sorted(names, key=IDENTIFY_ORDER.index)
    assert r.text("oai:Identify/oai:protocolVersion") == "2.0"
    assert r.text("oai:Identify/oai:baseURL") == f"{repo.url}oai"      # base URI == this server's URL
    assert r.text("oai:Identify/oai:granularity") == "YYYY-MM-DDThh:mm:ssZ"
    assert r.text("oai:Identify/oai:deletedRecord") == "persistent"
    assert r.text("oai:Identify/oai:repositoryName").strip()


def test_T17_earliest_datestamp_bounds_every_datestamp(repo):
    r = call(repo.url, {"verb": "Identify"})
    earliest = r.text("oai:Identify/oai:earliestDatestamp")
    assert SECONDS.fullmatch(earliest), earliest                 # the declared (seconds) granularity
    stamps = [h.findtext("oai:datestamp", namespaces=NS)
              for h in call(repo.full, {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"}).headers_()]
    assert all(SECONDS.fullmatch(s) for s in stamps)
    assert earliest <= min(stamps)
    assert earliest == S1                                       # the first build stamped the oldest records


def test_T18_oai_identifier_description(repo):
    r = call(repo.url, {"verb": "Identify"})
    (desc,) = r.root.iterfind("oai:Identify/oai:description/id:oai-identifier", NS)
    # the whole response was validated with oai-identifier.xsd mapped; check that it really applied
    assert oai_schema().maps.namespaces.get(OAI_ID)
    assert desc.get(f"{{{XSI}}}schemaLocation").split() == \
        [OAI_ID, "http://www.openarchives.org/OAI/2.0/oai-identifier.xsd"]
    assert desc.findtext("id:scheme", namespaces=NS) == "oai"
    assert desc.findtext("id:delimiter", namespaces=NS) == ":"
    domain = desc.findtext("id:repositoryIdentifier", namespaces=NS)
    assert domain == "epistola.localhost"                        # 127.0.0.1 is not a domain name
    ids = call(repo.full, {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"}).identifiers()
    assert all(i.split(":")[1] == domain for i in ids)
    sample = desc.findtext("id:sampleIdentifier", namespaces=NS)
    assert sample.startswith(f"oai:{domain}:")
    got = call(repo.url, {"verb": "GetRecord", "identifier": sample, "metadataPrefix": "oai_dc"})
    assert not got.errors, got.errors
    assert got.identifiers() == [sample]


# --- X1, X2: what clients need ---------------------------------------------------------------

X1_CASES = ["", "verb=Nope", "verb=Identify&verb=Identify", "verb=Identify&a=b", "verb=ListRecords",
            "verb=ListRecords&metadataPrefix=nope", "verb=ListRecords&metadataPrefix=oai_dc&from=2999-01-01",
            "verb=ListRecords&resumptionToken=garbage", "verb=GetRecord&identifier=oai:x:y&metadataPrefix=oai_dc",
            "verb=ListMetadataFormats&identifier=oai:x:y", "verb=ListSets&resumptionToken=x",
            "verb=ListRecords&metadataPrefix=oai_dc&set=no:such:set"]


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("query", X1_CASES)
def test_X1_errors_are_http_200_with_error_xml(repo, query, method):
    r = call(repo.url, query, method=method)          # call() asserts HTTP 200 and schema validity
    assert r.errors
    assert r.headers["Content-Type"].startswith("text/xml")


def test_X2_under_load_200_or_503_with_integer_retry_after(repo):
    def one(i):
        params = {"verb": "ListRecords", "metadataPrefix": ("oai_dc", "marc21", "mods")[i % 3]}
        return session().get(f"{repo.url}oai", params=params, timeout=30)

    with ThreadPoolExecutor(16) as pool:
        replies = list(pool.map(one, range(48)))
    for r in replies:
        assert r.status_code in (200, 503), r.status_code
        if r.status_code == 503:
            assert r.headers.get("Retry-After", "").isdigit(), r.headers.get("Retry-After")
        else:
            root = etree.fromstring(r.content)
            assert_valid(root, r.content)
            assert root.find("oai:ListRecords/oai:record", NS) is not None
