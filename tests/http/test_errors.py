"""Errors: a page for a browser, plain text for curl, the status a client can act on,
and never a traceback or a 5xx for a malformed request.
"""
from __future__ import annotations

import pytest

from .support import CHROME, FIREFOX, LETTER, Page, case_id, get, mime, tokens

MISSING = ["id/letter/nope", "doc/letter/nope", f"doc/{LETTER}.xyz", "label/Nobody%20Here",
           "dump/nope.nt.gz", "no/such/path"]


@pytest.mark.parametrize("path", MISSING)
@pytest.mark.parametrize("browser", [FIREFOX, CHROME], ids=["firefox", "chrome"])
def test_404_to_a_browser_is_a_page(base, path, browser):
    r = get(f"{base}{path}", browser)
    assert r.status_code == 404
    assert mime(r) == "text/html"
    page = Page(r.text)
    assert "404" in page.title or "404" in page.h1
    assert f'href="{base}"' in r.text, "no way back to the landing page"


@pytest.mark.parametrize("path", MISSING)
@pytest.mark.parametrize("accept", [None, "*/*", "text/turtle"])
def test_404_to_curl_is_plain_text(base, path, accept):
    r = get(f"{base}{path}", accept)
    assert r.status_code == 404
    assert mime(r) != "text/html"
    assert "<html" not in r.text.lower()
    assert r.text.strip()


def test_negotiated_404_varies_on_accept(base):
    """The 404 body depends on Accept (page or text) and 404s are cacheable by default
    (RFC 9110 §15.5.5), so a shared cache must be told: ``Vary: Accept``."""
    missing_vary = []
    for path in MISSING:
        html, text = get(f"{base}{path}", FIREFOX), get(f"{base}{path}", "*/*")
        assert mime(html) != mime(text), path
        missing_vary += [(path, mime(r)) for r in (html, text) if "accept" not in tokens(r.headers.get("Vary"))]
    assert not missing_vary, f"404s without Vary: Accept: {missing_vary}"


MALFORMED = [  # (path, Accept, extra headers) — none may crash the server
    ("id/letter/%00", None, {}),
    ("doc/letter/%E2%80%AE", None, {}),
    ("label/%00", None, {}),
    ("label/%FF", None, {}),
    ("label/%22)%20%7C%7C%20(%22", None, {}),
    ("label/" + "a" * 5000, None, {}),
    (f"doc/{LETTER}.", None, {}),
    (f"doc/{LETTER}?format=", None, {}),
    (f"doc/{LETTER}?format=%00", None, {}),
    (f"doc/{LETTER}?profile=%00&format=jsonld", None, {}),
    (f"doc/{LETTER}", ";;;", {}),
    (f"doc/{LETTER}", "text/turtle;q=abc", {}),
    (f"doc/{LETTER}", "text/turtle;q=2", {}),
    (f"doc/{LETTER}", "*", {}),
    (f"doc/{LETTER}", ",".join(["a/b;q=0.5"] * 500), {}),
    (f"doc/{LETTER}", 'application/ld+json;profile="', {}),
    (f"doc/{LETTER}", None, {"If-None-Match": "garbage", "If-Modified-Since": "garbage"}),
    (f"doc/{LETTER}", None, {"If-Modified-Since": "Mon, 01 Jan 3000 00:00:00 GMT"}),
    (f"doc/{LETTER}", None, {"Range": "bytes=5-2"}),
    ("dump/..%2F..%2Fmanifest.json", None, {}),
    ("dump/%00", None, {}),
]


@pytest.mark.parametrize("path, accept, headers",
                         [pytest.param(p, a, h, id=f"{case_id(p[:50], a)[:70]} {' '.join(h)}".strip())
                          for p, a, h in MALFORMED])
def test_no_crash_no_traceback(base, path, accept, headers):
    r = get(f"{base}{path}", accept, headers=headers)
    assert "Traceback" not in r.text
    assert 'File "' not in r.text
    assert r.status_code < 500, (r.status_code, r.text[:300])


NOT_IRI_SLUGS = ["id/letter/%00", "doc/letter/%00", "id/letter/a%20b", "doc/letter/a%20b",
                 "doc/letter/%3Cx%3E", "id/letter/a%22b", "doc/letter/a%7Bb%7D", "id/%20/x",
                 "doc/letter/a%5Cb", "doc/letter/a%60b", "doc/letter/a%5Eb", "doc/letter/a%7Cb"]


def test_a_slug_that_cannot_be_an_iri_is_simply_unknown(base):
    """Nothing can be known at such a URI: 404 like any unknown thing — not 500, and not a
    400 from one store back end where the other says 500."""
    answers = {path: get(f"{base}{path}", "text/turtle").status_code for path in NOT_IRI_SLUGS}
    wrong = {path: status for path, status in answers.items() if status != 404}
    assert not wrong, f"expected 404 for each, got {wrong}"


# A slug that closes the IRI and rewrites the store's query:
#   CONSTRUCT { <…/id/letter/x> ?p ?o } WHERE { ?s ?p ?o } #> ?p ?o …
INJECTIONS = [
    "x%3E%20%3Fp%20%3Fo%20%7D%20WHERE%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D%20%23",
    "x%3E%20%3Fp%20%3Fo%20%7D%20WHERE%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D%20LIMIT%201%20%23",
    "x%3E%20a%20%3Fo%20%7D%20WHERE%20%7B%20BIND(%3Curn%3Ax%3E%20AS%20%3Fo)%20%7D%20%23",
]


def test_slug_cannot_inject_into_the_store_query(base):
    """A URI path is data, never SPARQL: such a thing is unknown (404), never 200/303 with the
    store's triples re-attached to an invented IRI (nor a 500)."""
    answers = {}
    for kind in ("id", "doc"):
        for slug in INJECTIONS:
            r = get(f"{base}{kind}/letter/{slug}", "text/turtle")
            answers[f"{kind}/letter/{slug}"] = (r.status_code, len(r.content))
    wrong = {path: a for path, a in answers.items() if a[0] != 404}
    assert not wrong, f"expected 404 for each, got (status, body bytes): {wrong}"


@pytest.mark.parametrize("path", ["doc/letter/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
                                  "label/%3Cscript%3Ealert(1)%3C%2Fscript%3E"])
def test_error_page_escapes_what_it_echoes(base, path):
    r = get(f"{base}{path}", FIREFOX)
    assert r.status_code == 404
    assert "<script>alert(1)" not in r.text


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
@pytest.mark.parametrize("path", [f"doc/{LETTER}", f"id/{LETTER}"])
def test_writes_are_refused_with_allow(base, path, method):
    r = get(f"{base}{path}", None, method=method, data=b"<a> <b> <c> .",
            headers={"Content-Type": "text/turtle"})
    assert r.status_code == 405
    assert {"get", "head"} <= tokens(r.headers.get("Allow"))
    assert "Traceback" not in r.text
