"""Content negotiation over :data:`server.formats.FORMATS`.

Werkzeug parses the Accept header and picks the best offer; we first strip
media-type parameters other than q (Werkzeug matches them exactly, so
``text/turtle; charset=utf-8`` or a JSON-LD ``profile`` would match nothing)
and read the JSON-LD profile ourselves. See research/linked-data.md §7.
"""
from __future__ import annotations

from collections.abc import Sequence

from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header, parse_options_header

from .formats import JSONLD, JSONLD_PROFILES, Format


class NotAcceptable(Exception):
    """No offered representation is acceptable."""


def negotiate(accept: str | None, offers: Sequence[Format]) -> tuple[Format, str | None]:
    """Pick ``(format, jsonld_form)`` for an Accept header; raise NotAcceptable."""
    parsed = parse_accept_header(accept or "", MIMEAccept)
    if not parsed:
        return offers[0], None
    bare = MIMEAccept([(value.split(";", 1)[0].strip().lower(), q) for value, q in parsed])
    # Primary types first, aliases after: a wildcard such as application/* must pick
    # a format by its real name (ld+json), never through an alias (x-turtle).
    by_type = {f.media_type: f for f in offers} | {a: f for f in offers for a in f.aliases}
    best = bare.best_match(list(by_type))
    if best is None:
        raise NotAcceptable()
    fmt = by_type[best]
    return fmt, jsonld_form(parsed) if fmt is JSONLD else None


def jsonld_form(parsed: MIMEAccept) -> str | None:
    """The first JSON-LD form named by a ``profile`` parameter we know, else None."""
    for value, q in parsed:
        media_type, options = parse_options_header(value)
        if media_type.lower() in ("application/ld+json", "application/json") and q > 0:
            for uri in options.get("profile", "").split():
                if uri in JSONLD_PROFILES:
                    return JSONLD_PROFILES[uri]
    return None


def form_from_param(value: str | None) -> str | None:
    """A JSON-LD form from a ``?profile=`` query parameter (URI or short name)."""
    if not value:
        return None
    return JSONLD_PROFILES.get(value) or (value if value in ("expanded", "compacted", "flattened") else None)
