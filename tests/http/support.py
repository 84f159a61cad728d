"""Helpers for the HTTP suite: real clients (requests, rdflib, pyld) against a real server.

Nothing here talks to any host but the server under test: the JSON-LD document
loader refuses every other host, and the requests session ignores proxy settings
from the environment.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

import rdflib
import requests
from pyld import jsonld

from tests.conftest import SEED

# --- the seed's things (SPEC, "Identifiers") -----------------------------------

LETTER = f"letter/{SEED}"
TEXT = f"text/{SEED}"
SERGE = "person/victor-serge"
ARMAND = "person/emile-armand"
THINGS = (
    LETTER,
    TEXT,
    SERGE,
    ARMAND,
    "person/mitchell-abidor",
    "person/jean-maitron",
    "article/de-kibaltchiche-a-victor-serge",
    "periodical/le-mouvement-social",
    "issue/le-mouvement-social-47",
    "organization/the-anarchist-library",
    "organization/marxists-internet-archive",
    "periodical/par-dela-la-melee",
    "organization/editions-ouvrieres",
)

# --- representations (SPEC, "Representations of /doc/…") -----------------------

JSONLD_NS = "http://www.w3.org/ns/json-ld#"
RDF_EXTS = {  # extension → (media type, rdflib parser name; None: JSON-LD via pyld)
    "ttl": ("text/turtle", "turtle"),
    "jsonld": ("application/ld+json", None),
    "rdf": ("application/rdf+xml", "xml"),
    "nt": ("application/n-triples", "nt"),
}
ALL_EXTS = {**{e: t for e, (t, _) in RDF_EXTS.items()}, "html": "text/html"}
RDF_PARSERS = {t: p for t, p in RDF_EXTS.values()}

FIREFOX = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
CHROME = ("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
          "image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7")
SAFARI = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
# raptor's rapper 2.0.14, as quoted in zazukoians/trifid-ld#25 (it let HTML win over Turtle there)
RAPPER = ("application/rdf+xml, text/rdf;q=0.6, application/n-triples, text/plain;q=0.1, "
          "text/turtle, application/x-turtle, application/turtle, text/n3;q=0.3, "
          "text/rdf+n3;q=0.3, application/rdf+n3;q=0.3, application/x-trig, "
          "application/rss;q=0.8, application/rss+xml;q=0.8, text/rss;q=0.8, "
          "application/xml;q=0.3, text/xml;q=0.3, application/atom+xml;q=0.3, "
          "text/html;q=0.2, application/xhtml+xml;q=0.4, text/html;q=0.6, "
          "application/xhtml+xml;q=0.8, text/x-nquads, */*;q=0.1")
# TriplyDB's importer (RDARegistry/RDA-Vocabularies#180)
TRIPLY = ("application/trig, application/n-quads, application/n-triples;q=0.9, text/turtle;q=0.9, "
          "application/x-turtle;q=0.9, text/rdf+n3;q=0.9, application/ld+json;q=0.85, "
          "application/rdf+xml;q=0.8, text/plain;q=0.8, */*;q=0.7")
# OWL API / Protégé (perma-id/w3id.org#1842)
OWLAPI = "application/rdf+xml, application/xml; q=0.7, text/xml; q=0.6, text/plain; q=0.1, */*; q=0.09"


def profile(form: str) -> str:
    return f'application/ld+json; profile="{JSONLD_NS}{form}"'


_NAMED = {None: "no-accept", FIREFOX: "firefox", CHROME: "chrome", SAFARI: "safari", RAPPER: "rapper",
          TRIPLY: "triplydb", OWLAPI: "owlapi"}


def accept_id(accept) -> str:
    """A readable test id for an Accept header."""
    if accept in _NAMED:
        return _NAMED[accept]
    if isinstance(accept, str) and accept.startswith("application/ld+json; profile=") and JSONLD_NS in accept:
        return "jsonld-" + accept.split("#", 1)[1].rstrip('"')
    return str(accept)


def case_id(path: str, accept) -> str:
    """A readable test id for a (path, Accept) case."""
    return f"/{path} {accept_id(accept)}"


# --- HTTP -----------------------------------------------------------------------

def session() -> requests.Session:
    s = requests.Session()
    s.trust_env = False          # no proxy from the environment between us and 127.0.0.1
    return s


_HTTP = session()


def get(url: str, accept: str | None = None, method: str = "GET", **kw) -> requests.Response:
    """One request, never following redirects; ``accept=None`` sends no Accept header at all."""
    headers = dict(kw.pop("headers", {}) or {})
    # requests adds "Accept: */*" by default: None removes the header altogether.
    headers.setdefault("Accept", accept)
    headers.setdefault("Accept-Encoding", "identity")
    return _HTTP.request(method, url, headers=headers, allow_redirects=False, timeout=10, **kw)


def mime(response_or_value) -> str:
    """The bare media type of a response (or a Content-Type value), lower-case."""
    value = response_or_value if isinstance(response_or_value, str) else \
        response_or_value.headers.get("Content-Type", "")
    return value.split(";", 1)[0].strip().lower()


def params(content_type: str) -> dict[str, str]:
    """The parameters of a Content-Type value (profile, charset …)."""
    out = {}
    for part in content_type.split(";")[1:]:
        if "=" in part:
            k, v = part.split("=", 1)
            out[k.strip().lower()] = v.strip().strip('"')
    return out


def tokens(header: str | None) -> set[str]:
    """A comma-separated header (Vary, Allow, Expose-Headers) as a lower-case set."""
    return {t.strip().lower() for t in (header or "").split(",") if t.strip()}


@dataclass(frozen=True)
class Link:
    target: str
    rel: str
    type: str | None = None
    attrs: dict = field(default_factory=dict, compare=False, hash=False)


_LINK = re.compile(r'<([^>]*)>((?:\s*;\s*[\w*-]+\s*=\s*(?:"[^"]*"|[^;,]*))*)')
_PARAM = re.compile(r';\s*([\w*-]+)\s*=\s*("([^"]*)"|[^;,]*)')


def links(response: requests.Response) -> list[Link]:
    """Every link-value of the Link header(s), one per rel (RFC 8288)."""
    raw = ", ".join(response.raw.headers.getlist("Link")) if hasattr(response.raw, "headers") \
        else response.headers.get("Link", "")
    out = []
    for m in _LINK.finditer(raw):
        attrs = {}
        for p in _PARAM.finditer(m.group(2)):
            attrs[p.group(1).lower()] = p.group(3) if p.group(3) is not None else p.group(2).strip()
        for rel in attrs.get("rel", "").split():
            out.append(Link(m.group(1), rel.lower(), attrs.get("type"), attrs))
    return out


def rel(response: requests.Response, name: str) -> list[Link]:
    return [link for link in links(response) if link.rel == name]


# --- RDF --------------------------------------------------------------------------

def loader(allowed_base: str, fetches: list | None = None, headers: dict | None = None):
    """A pyld document loader that fetches from our server only and refuses every other host."""
    netloc = urlsplit(allowed_base).netloc

    def load(url, options=None):
        if fetches is not None:
            fetches.append(url)
        if urlsplit(url).netloc != netloc:
            raise jsonld.JsonLdError(f"test loader refuses to fetch {url}: not {netloc}",
                                     "loading document failed", code="loading document failed")
        r = get(url, "application/ld+json, application/json;q=0.9", headers=headers)
        if r.status_code != 200:
            raise jsonld.JsonLdError(f"{url} answered {r.status_code}", "loading document failed",
                                     code="loading document failed")
        return {"contentType": mime(r), "contextUrl": None, "documentUrl": url, "document": r.json()}
    return load


def refuse_all(url, options=None):
    raise jsonld.JsonLdError(f"test loader refuses to fetch {url}", "loading document failed",
                             code="loading document failed")


def clear_pyld_caches() -> None:
    """pyld keeps resolved contexts in a process-wide cache: clear it to see every fetch."""
    for name in ("_resolved_context_cache", "_inverse_context_cache"):
        cache = getattr(jsonld, name, None)
        if cache is not None:
            cache.clear()


def jsonld_graph(doc, document_loader) -> rdflib.Graph:
    """JSON-LD → RDF with pyld (its own context resolution), then into rdflib."""
    nquads = jsonld.to_rdf(doc, {"format": "application/n-quads", "documentLoader": document_loader})
    graph = rdflib.Graph()
    graph.parse(data=nquads, format="nt")
    return graph


def rdf_graph(body: bytes, media_type: str, base: str) -> rdflib.Graph:
    """Parse a response body in an RDF format (JSON-LD through pyld, fetching only from ``base``)."""
    if media_type in ("application/ld+json", "application/json"):
        import json
        return jsonld_graph(json.loads(body), loader(base))
    graph = rdflib.Graph()
    graph.parse(data=body, format=RDF_PARSERS[media_type], publicID=base)
    return graph


# --- HTML -------------------------------------------------------------------------

class Page(HTMLParser):
    """The parts of an HTML page the tests look at."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.links: list[dict] = []            # <link …> attributes
        self.anchors: list[tuple[str, str]] = []  # (href, text)
        self.scripts: list[tuple[dict, str]] = []  # (attributes, content)
        self.title = ""
        self.h1 = ""
        self.text_parts: list[str] = []
        self._stack: list[str] = []
        self._anchor: list | None = None
        self._script: list | None = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        if tag == "link":
            self.links.append(attrs)
            return
        if tag in ("meta", "br", "img", "input", "hr"):
            return
        self._stack.append(tag)
        if tag == "a":
            self._anchor = [attrs.get("href", ""), ""]
        elif tag == "script":
            self._script = [attrs, ""]

    def handle_endtag(self, tag):
        if tag in self._stack:
            while self._stack and self._stack.pop() != tag:
                pass
        if tag == "a" and self._anchor is not None:
            self.anchors.append((self._anchor[0], self._anchor[1].strip()))
            self._anchor = None
        elif tag == "script" and self._script is not None:
            self.scripts.append((self._script[0], self._script[1]))
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            self._script[1] += data
            return
        if "title" in self._stack:
            self.title += data
        if "h1" in self._stack:
            self.h1 += data
        if "style" not in self._stack and "head" not in self._stack:
            self.text_parts.append(data)
        if self._anchor is not None:
            self._anchor[1] += data

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.text_parts).split())

    def jsonld_scripts(self) -> list[str]:
        return [body for attrs, body in self.scripts if attrs.get("type", "").split(";")[0].strip()
                == "application/ld+json"]
