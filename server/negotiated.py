"""One negotiated response for any graph document: a thing's, the dataset's, the vocabulary's."""
from __future__ import annotations

from collections.abc import Callable

from flask import Response, abort, current_app, request

from .conneg import NotAcceptable, form_from_param, negotiate
from graph import documents

from .formats import HTML, JSONLD, Format, content_type
from .headers import pick_format, send
from .publisher import Publisher, representation


def respond(pub: Publisher, key: str, doc: str, ext: str | None, offers: tuple[Format, ...],
            links: list[str], triples: Callable[[], list], html: Callable[[], str],
            suffixes: bool = True, other: Callable[[Format], bytes] | None = None) -> Response:
    """Negotiate (or take the suffix / ``?format=``), render once, send with all headers.

    ``suffixes``: whether ``{doc}.{ext}`` URLs exist (else Content-Location uses ``?format=``).
    ``other``: bytes of the offered formats that are neither RDF nor HTML (citations).
    """
    ext = ext or request.args.get("format")
    if ext:
        fmt = pick_format(ext, offers)
        if fmt is None:
            abort(404, f"No representation '.{ext}' here; offered: "
                       + ", ".join(f".{f.ext} ({f.media_type})" for f in offers))
        form, negotiated = form_from_param(request.args.get("profile")), False
    else:
        try:
            fmt, form = negotiate(request.headers.get("Accept"), offers)
        except NotAcceptable:
            return not_acceptable(offers, links)
        negotiated = True

    def make():
        if fmt is HTML:
            return representation(html().encode(), content_type(fmt))
        if fmt.ox_format is None and fmt is not JSONLD:
            return representation(other(fmt), content_type(fmt))
        profile = (form or "compacted") if fmt is JSONLD else None
        body = pub.documents.get(key, fmt.ext) if fmt.ext in documents.FORMATS else None
        if body is None or pub.store_is_remote:
            body = pub.serializer.rdf(triples(), fmt, form)
        return representation(body, content_type(fmt, profile))

    rep = pub.render((key, fmt.ext, form), make)
    fixed = f"{doc}.{fmt.ext}" if suffixes else f"{doc}?format={fmt.ext}"
    if form and form != "compacted":         # the fixed URL of a JSON-LD form names it
        fixed += f"{'&' if '?' in fixed else '?'}profile={form}"
    return send(rep, links=links, location=fixed if negotiated else None,
                negotiated=negotiated, last_modified=pub.modified,
                max_age=current_app.config["MAX_AGE"])


def not_acceptable(offers: tuple[Format, ...], links: list[str]) -> Response:
    """406 listing every media type we offer (also as Link alternates)."""
    offered = "\n".join(f"  {f.media_type}  (.{f.ext})" for f in offers)
    response = Response(f"406 Not Acceptable: none of the media types in your Accept header "
                        f"is offered here. Offered:\n{offered}\n", status=406,
                        content_type="text/plain; charset=utf-8")
    response.vary.add("Accept")
    response.headers["Link"] = ", ".join(links)
    return response
