"""Helpers of the OAI-PMH suite: one way to ask, and every answer checked against the official schemas.

Every response any test reads goes through :func:`call`, which sends the
request (GET or POST), parses the body and validates it against the verbatim
``OAI-PMH.xsd`` in ``tests/schemas/`` — with the oai_dc, oai-identifier,
MARCXML and MODS schemas mapped to their local copies, so that the strict
``##other`` wildcards of ``<metadata>`` and ``<description>`` validate the
payloads too — and then validates each metadata payload again on its own,
against its own schema. Nothing is ever fetched from the network.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlencode

import requests
import xmlschema
from lxml import etree

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"
OAI = "http://www.openarchives.org/OAI/2.0/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
OAI_ID = "http://www.openarchives.org/OAI/2.0/oai-identifier"
MARC = "http://www.loc.gov/MARC21/slim"
MODS = "http://www.loc.gov/mods/v3"
TEI = "http://www.tei-c.org/ns/1.0"
NS = {"oai": OAI, "oai_dc": OAI_DC, "dc": DC, "id": OAI_ID, "marc": MARC, "mods": MODS, "xsi": XSI,
      "tei": TEI}

#: metadataPrefix → (schema URL, namespace) as harvest.md §1.9 / §7 and the guidelines give them
FORMATS = {
    "oai_dc": ("http://www.openarchives.org/OAI/2.0/oai_dc.xsd", OAI_DC),
    "marc21": ("http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd", MARC),
    "mods": ("http://www.loc.gov/standards/mods/v3/mods-3-8.xsd", MODS),
}
#: the schema file of each payload namespace, in tests/schemas/
PAYLOAD_SCHEMAS = {OAI_DC: "oai_dc.xsd", MARC: "MARC21slim.xsd", MODS: "mods-3-8.xsd"}

SECONDS = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
TOKEN_ALPHABET = re.compile(r"[A-Za-z0-9._~-]+")
#: oai-identifier.xsd's pattern for oai-identifierType (guidelines-oai-identifier §2)
OAI_IDENTIFIER = re.compile(r"oai:[a-zA-Z][a-zA-Z0-9\-]*(\.[a-zA-Z][a-zA-Z0-9\-]*)+:"
                            r"[a-zA-Z0-9\-_\.!~\*'\(\);/\?:@&=\+$,%]+")


def _load(name: str, locations=None) -> xmlschema.XMLSchema:
    """A schema from tests/schemas/, refusing any import that would leave the directory."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")           # a failed import must not pass silently
        return xmlschema.XMLSchema(str(SCHEMAS / name), locations=locations, allow="local")


@lru_cache(maxsize=None)
def oai_schema() -> xmlschema.XMLSchema:
    """OAI-PMH.xsd with the payload and description schemas mapped to the local copies."""
    return _load("OAI-PMH.xsd", locations=[(OAI_DC, "oai_dc.xsd"), (OAI_ID, "oai-identifier.xsd"),
                                          (MARC, "MARC21slim.xsd"), (MODS, "mods-3-8.xsd")])


@lru_cache(maxsize=None)
def payload_schema(namespace: str) -> xmlschema.XMLSchema:
    return _load(PAYLOAD_SCHEMAS[namespace])


_VALID: set[bytes] = set()


def assert_valid(root: etree._Element, body: bytes) -> None:
    """The whole response against OAI-PMH.xsd, then each payload against its own schema.

    A body already found valid (the same bytes but for responseDate) is not validated again.
    """
    digest = hashlib.sha256(re.sub(rb"<responseDate>[^<]*</responseDate>", b"", body)).digest()
    if digest in _VALID:
        return
    errors = list(oai_schema().iter_errors(root))
    assert not errors, f"not valid against OAI-PMH.xsd: {errors[0]}\n{body[:2000]!r}"
    for payload in root.iterfind("oai:*/oai:record/oai:metadata/*", NS):
        namespace = etree.QName(payload).namespace
        assert namespace in PAYLOAD_SCHEMAS, f"payload in an unexpected namespace {namespace}"
        errors = list(payload_schema(namespace).iter_errors(payload))
        assert not errors, f"payload not valid against {PAYLOAD_SCHEMAS[namespace]}: {errors[0]}"
    _VALID.add(digest)


@dataclass
class Reply:
    """One OAI-PMH response, parsed and already validated."""
    status: int
    headers: dict
    body: bytes
    root: etree._Element
    params: list = field(default_factory=list)

    @property
    def response_date(self) -> str:
        return self.root.findtext("oai:responseDate", namespaces=NS)

    @property
    def request(self) -> etree._Element:
        return self.root.find("oai:request", NS)

    @property
    def errors(self) -> list[tuple[str, str]]:
        return [(e.get("code"), e.text or "") for e in self.root.iterfind("oai:error", NS)]

    @property
    def codes(self) -> set[str]:
        return {code for code, _ in self.errors}

    @property
    def verb(self) -> etree._Element | None:
        """The verb element (``<ListRecords>`` …), or None for an error response."""
        return next((el for el in self.root if etree.QName(el).localname not in
                     ("responseDate", "request", "error")), None)

    def headers_(self) -> list[etree._Element]:
        """Every ``<header>`` of a GetRecord, ListRecords or ListIdentifiers response."""
        return self.root.xpath("oai:*/oai:header | oai:*/oai:record/oai:header", namespaces=NS)

    def records(self) -> list[etree._Element]:
        return self.root.xpath("oai:*/oai:record", namespaces=NS)

    @property
    def token(self) -> etree._Element | None:
        return self.root.find("oai:*/oai:resumptionToken", NS)

    def identifiers(self) -> list[str]:
        return [h.findtext("oai:identifier", namespaces=NS) for h in self.headers_()]

    def text(self, path: str) -> str | None:
        return self.root.findtext(path, namespaces=NS)

    def without_date(self) -> bytes:
        """The body with the responseDate blanked (for byte-for-byte comparisons)."""
        return re.sub(rb"<responseDate>[^<]*</responseDate>", b"<responseDate/>", self.body)


def session() -> requests.Session:
    s = requests.Session()
    s.trust_env = False          # no proxy from the environment between us and 127.0.0.1
    return s


_SESSION = session()


def call(base: str, params=(), method: str = "GET", headers: dict | None = None,
         validate: bool = True) -> Reply:
    """Send one OAI-PMH request to ``{base}oai``.

    ``params`` is a dict, a list of (name, value) pairs (to repeat a name), or a
    query string sent exactly as given. Asserts a well-formed, schema-valid body.
    """
    query = params if isinstance(params, str) else urlencode(
        list(params.items()) if isinstance(params, dict) else list(params))
    url = f"{base}oai"
    if method == "GET":
        r = _SESSION.get(f"{url}?{query}" if query else url, headers=headers, timeout=30)
    else:
        r = _SESSION.post(url, data=query.encode("ascii"), timeout=30,
                          headers={"Content-Type": "application/x-www-form-urlencoded", **(headers or {})})
    assert r.status_code == 200, f"{method} {url}?{query}: HTTP {r.status_code} (X1: always 200)\n{r.text[:500]}"
    root = etree.fromstring(r.content, etree.XMLParser(resolve_entities=False, no_network=True))
    if validate:
        assert_valid(root, r.content)
    return Reply(r.status_code, r.headers, r.content, root,
                 params if not isinstance(params, str) else [])


def harvest(base: str, params: dict, method: str = "GET", max_pages: int = 1000) -> list[Reply]:
    """Every page of a list request, following resumptionTokens (checked on the way)."""
    pages = [call(base, {**params}, method)]
    seen = set()
    while pages[-1].token is not None and (pages[-1].token.text or "").strip():
        token = pages[-1].token.text
        assert token not in seen, f"the token {token} came back: a harvester would loop forever"
        seen.add(token)
        verb = params["verb"]
        pages.append(call(base, {"verb": verb, "resumptionToken": token}, method))
        assert not pages[-1].errors, pages[-1].errors
        assert len(pages) <= max_pages
    return pages


def header_facts(header: etree._Element) -> tuple[str, str, tuple[str, ...], bool]:
    """(identifier, datestamp, setSpecs, deleted) of a header element."""
    return (header.findtext("oai:identifier", namespaces=NS), header.findtext("oai:datestamp", namespaces=NS),
            tuple(s.text for s in header.iterfind("oai:setSpec", NS)), header.get("status") == "deleted")


def utc(stamp: str) -> dt.datetime:
    return dt.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc)


def stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
