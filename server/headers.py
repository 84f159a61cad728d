"""Response headers shared by every view: Link (alternates, Signposting), caching, CORS."""
from __future__ import annotations

from flask import Response, request

from .formats import FORMATS, Format
from .publisher import Representation, Thing

ABOUT_PAGE = "https://schema.org/AboutPage"
EXPOSED = "Link, ETag, Location, Content-Location, Content-Type, Vary, Last-Modified"


def link(target: str, rel: str, media_type: str | None = None) -> str:
    """One RFC 8288 link-value."""
    return f'<{target}>; rel="{rel}"' + (f'; type="{media_type}"' if media_type else "")


def alternates(doc: str, formats=FORMATS) -> list[str]:
    """``alternate`` links to every fixed representation of a document."""
    return [link(f"{doc}.{f.ext}", "alternate", f.media_type) for f in formats]


def signposting(thing: Thing, doc: str) -> list[str]:
    """FAIR Signposting: cite-as, describedby, type, author, license."""
    links = [link(thing.iri, "cite-as")]
    links += [link(f"{doc}.{f.ext}", "describedby", f.media_type) for f in FORMATS if f.is_rdf]
    links += [link(ABOUT_PAGE, "type")] + [link(t, "type") for t in thing.types]
    links += [link(a, "author") for a in thing.authors]
    links += [link(lic, "license") for lic in thing.licenses]
    return links


def send(rep: Representation, *, links: list[str], location: str | None, negotiated: bool,
         last_modified, max_age: int) -> Response:
    """A 200 (or 304) response for a representation, with every header SPEC names."""
    response = Response(rep.body, content_type=rep.content_type)
    response.set_etag(rep.etag)
    response.last_modified = last_modified
    response.cache_control.public = True
    response.cache_control.max_age = max_age
    if location:
        response.headers["Content-Location"] = location
    if negotiated:
        response.vary.add("Accept")
    if links:
        response.headers["Link"] = links if isinstance(links, str) else ", ".join(links)
    response = response.make_conditional(request)
    del response.headers["Date"]     # make_conditional adds one; the HTTP server sends its own
    return response


def add_cors(response: Response) -> Response:
    """CORS for every response: any origin, no credentials, our headers readable."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = EXPOSED
    return response


def preflight() -> Response | None:
    """Answer a CORS preflight (OPTIONS with Access-Control-Request-Method) with 204."""
    if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
        response = Response(status=204)
        response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = request.headers.get(
            "Access-Control-Request-Headers", "Accept, Content-Type")
        response.headers["Access-Control-Max-Age"] = "86400"
        return response
    return None


def pick_format(ext: str | None, offers) -> Format | None:
    """The fixed format named by a suffix or ``?format=``, None if there is none."""
    return next((f for f in offers if f.ext == ext), None)
