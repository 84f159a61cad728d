"""``/oai``: OAI-PMH 2.0 — six verbs over GET and POST, errors as HTTP 200 with ``<error>``.

Metadata (oai_dc, marc21, mods) was rendered by the build; this module checks
requests, pages through the build's records and writes the envelope.
"""
from __future__ import annotations

import re
import secrets

from flask import Blueprint, Response, current_app, request
from lxml import etree

from graph.harvest import FORMATS

from .oai_protocol import GRANULARITY, OaiError, bounds, check, now, valid_setspec
from .oai_tokens import BadToken, decode, encode
from .resources import publisher

bp = Blueprint("oai", __name__)
OAI = "http://www.openarchives.org/OAI/2.0/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
OAI_ID = "http://www.openarchives.org/OAI/2.0/oai-identifier"
DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
_NONCE = secrets.token_hex(8)
_MARK = re.compile(rb"@@metadata-" + _NONCE.encode() + rb"-\d+@@")


def E(tag: str, text: str | None = None, ns: str = OAI, **attrs) -> etree._Element:
    el = etree.Element(f"{{{ns}}}{tag}", {k: v for k, v in attrs.items() if v is not None})
    el.text = text
    return el


def sub(parent, tag: str, text: str | None = None, **attrs) -> etree._Element:
    el = E(tag, text, **attrs)
    parent.append(el)
    return el


@bp.route("/oai", methods=["GET", "POST"])
def endpoint() -> Response:
    """Dispatch one OAI-PMH request; every outcome is HTTP 200 with a valid document."""
    started = now()
    params = request.form if request.method == "POST" else request.args
    root = etree.Element(f"{{{OAI}}}OAI-PMH", nsmap={None: OAI, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{OAI} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd")
    sub(root, "responseDate", started)
    echo = sub(root, "request", f"{publisher().base}oai")
    splices: dict[str, bytes] = {}
    try:
        req = check(params)
        for name, value in params.items(multi=False):
            echo.set(name, value)
        root.append(VIEWS[req.verb](req.args, splices))
    except OaiError as err:
        if {"badVerb", "badArgument"} & set(err.codes):
            echo.attrib.clear()      # §3.2: no attributes when the request itself is illegal
        for code, message in err.errors:
            sub(root, "error", message, code=code)
    xml = splice(DECLARATION + etree.tostring(root, encoding="UTF-8"), splices)
    return Response(xml, content_type="text/xml; charset=UTF-8")


def records():
    return publisher().oai


def identifier(key: str) -> str:
    return f"oai:{records().domain}:{key}"


def key_of(oai_id: str) -> str | None:
    prefix = f"oai:{records().domain}:"
    return oai_id[len(prefix):] if oai_id.startswith(prefix) else None


def identify(args) -> etree._Element:
    pub, recs = publisher(), records()
    el = E("Identify")
    sub(el, "repositoryName", pub.manifest.get("title") or "epistola")
    sub(el, "baseURL", f"{pub.base}oai")
    sub(el, "protocolVersion", "2.0")
    sub(el, "adminEmail", pub.manifest["contact"])
    sub(el, "earliestDatestamp", recs.earliest or pub.manifest["modified"])
    sub(el, "deletedRecord", "persistent")
    sub(el, "granularity", GRANULARITY)
    description = sub(el, "description")
    oid = etree.Element(f"{{{OAI_ID}}}oai-identifier", nsmap={None: OAI_ID})
    oid.set(f"{{{XSI}}}schemaLocation", f"{OAI_ID} http://www.openarchives.org/OAI/2.0/oai-identifier.xsd")
    for tag, text in (("scheme", "oai"), ("repositoryIdentifier", recs.domain), ("delimiter", ":"),
                      ("sampleIdentifier", identifier(recs.sample or "letter/sample"))):
        oid.append(E(tag, text, ns=OAI_ID))
    description.append(oid)
    return el


def list_metadata_formats(args) -> etree._Element:
    if "identifier" in args:
        header = _header_or_error(args["identifier"])
        if header.deleted:
            raise OaiError(("noMetadataFormats", f"{args['identifier']} is deleted: no format is available"))
    el = E("ListMetadataFormats")
    for prefix, (schema, namespace) in FORMATS.items():
        fmt = sub(el, "metadataFormat")
        sub(fmt, "metadataPrefix", prefix)
        sub(fmt, "schema", schema)
        sub(fmt, "metadataNamespace", namespace)
    return el


def list_sets(args) -> etree._Element:
    if "resumptionToken" in args:
        raise OaiError(("badResumptionToken", "ListSets is never split: no token was issued"))
    el = E("ListSets")
    for spec, name in records().sets.items():
        s = sub(el, "set")
        sub(s, "setSpec", spec)
        sub(s, "setName", name)
    return el


def _header_or_error(oai_id: str):
    key = key_of(oai_id)
    header = records().header(key) if key else None
    if header is None:
        raise OaiError(("idDoesNotExist", f"{oai_id!r} is not an identifier of this repository"))
    return header


def _check_prefix(prefix: str) -> None:
    if prefix not in FORMATS:
        raise OaiError(("cannotDisseminateFormat",
                        f"{prefix!r} is not offered; formats: {', '.join(FORMATS)}"))


def get_record(args, splices: dict[str, bytes]) -> etree._Element:
    errors = []
    try:
        header = _header_or_error(args["identifier"])
    except OaiError as err:
        errors += err.errors
    try:
        _check_prefix(args["metadataPrefix"])
    except OaiError as err:
        errors += err.errors
    if errors:
        raise OaiError(*errors)
    el = E("GetRecord")
    el.append(_record(header, splices, records().metadata([header.key], args["metadataPrefix"])))
    return el


def _header_el(header) -> etree._Element:
    el = E("header", status="deleted" if header.deleted else None)
    sub(el, "identifier", identifier(header.key))
    sub(el, "datestamp", header.datestamp)
    for spec in header.sets:
        sub(el, "setSpec", spec)
    return el


def _record(header, splices: dict[str, bytes], metadata: dict[str, bytes]) -> etree._Element:
    """A record; its metadata is spliced in later as the build's bytes (see :func:`splice`)."""
    el = E("record")
    el.append(_header_el(header))
    if not header.deleted:                 # §2.5.1: a deleted record has no metadata
        mark = f"@@metadata-{_NONCE}-{len(splices)}@@"   # the nonce: no request text can forge a mark
        splices[mark] = metadata[header.key]
        sub(el, "metadata", mark)
    return el


def splice(xml: bytes, splices: dict[str, bytes]) -> bytes:
    """Put each record's stored metadata bytes where its mark stands.

    Appending parsed elements instead would let lxml drop the payload's own
    namespace declarations (xmlns:xsi), which harvesters cutting it out need.
    """
    if not splices:
        return xml
    return _MARK.sub(lambda m: splices[m.group(0).decode()], xml)     # one pass over the page


def _list(verb: str, args, splices: dict[str, bytes]) -> etree._Element:
    """ListIdentifiers and ListRecords: filter, page, and issue a token when there is more."""
    recs = records()
    if "resumptionToken" in args:
        try:
            state = decode(args["resumptionToken"], recs.secret)
        except BadToken:
            raise OaiError(("badResumptionToken", "this resumptionToken was not issued here")) from None
        if state.get("verb") != verb:
            raise OaiError(("badResumptionToken", f"this resumptionToken belongs to {state.get('verb')}"))
        prefix, since, until, spec = state["p"], state["f"], state["u"], state["s"]
        after, cursor = tuple(state["a"]), state["c"]
    else:
        prefix, spec, after, cursor = args["metadataPrefix"], args.get("set"), None, 0
        since, until = _selective(args, prefix, spec)
    size = int(current_app.config["OAI_PAGE_SIZE"])
    headers = recs.page(after, size + 1, since, until, spec)
    more, headers = len(headers) > size, headers[:size]
    if not headers:
        if after is None:
            raise OaiError(("noRecordsMatch", "no record matches these arguments"))
        raise OaiError(("badResumptionToken", "nothing is left after this resumptionToken"))
    el = E(verb)
    if verb == "ListIdentifiers":
        for h in headers:
            el.append(_header_el(h))
    else:
        metadata = recs.metadata([h.key for h in headers if not h.deleted], prefix)
        for h in headers:
            el.append(_record(h, splices, metadata))
    if more or after is not None:
        total = str(recs.count(since, until, spec))
        token = encode({"verb": verb, "p": prefix, "f": since, "u": until, "s": spec,
                        "a": [headers[-1].datestamp, headers[-1].key], "c": cursor + len(headers)},
                       recs.secret) if more else None
        sub(el, "resumptionToken", token, completeListSize=total, cursor=str(cursor))
    return el


def _selective(args, prefix: str, spec: str | None) -> tuple[str | None, str | None]:
    """Check from/until, set and metadataPrefix together, reporting every error."""
    errors, since, until = [], None, None
    try:
        since, until = bounds(args)
    except OaiError as err:
        errors += err.errors
    if spec is not None and not valid_setspec(spec):
        errors.append(("badArgument", f"set={spec!r} is not a setSpec"))
    try:
        _check_prefix(prefix)
    except OaiError as err:
        errors += err.errors
    if errors:
        raise OaiError(*errors)
    return since, until


VIEWS = {
    "Identify": lambda args, splices: identify(args),
    "ListMetadataFormats": lambda args, splices: list_metadata_formats(args),
    "ListSets": lambda args, splices: list_sets(args),
    "GetRecord": get_record,
    "ListIdentifiers": lambda args, splices: _list("ListIdentifiers", args, splices),
    "ListRecords": lambda args, splices: _list("ListRecords", args, splices),
}
