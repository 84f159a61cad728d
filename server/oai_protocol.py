"""OAI-PMH 2.0 request rules (§3.3, §3.6, §4): which arguments each verb takes, and dates.

Pure functions over the request's arguments: they return the parsed request or
raise :class:`OaiError` with the code the protocol gives for the condition.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
#: verb → (required, optional, exclusive)
VERBS = {
    "Identify": ((), (), None),
    "ListMetadataFormats": ((), ("identifier",), None),
    "ListSets": ((), (), "resumptionToken"),
    "GetRecord": (("identifier", "metadataPrefix"), (), None),
    "ListIdentifiers": (("metadataPrefix",), ("from", "until", "set"), "resumptionToken"),
    "ListRecords": (("metadataPrefix",), ("from", "until", "set"), "resumptionToken"),
}
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_SECONDS = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
_SETSPEC = re.compile(r"[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*")


class OaiError(Exception):
    """One or more OAI-PMH errors: ``[(code, message), …]``."""

    def __init__(self, *errors: tuple[str, str]):
        super().__init__("; ".join(m for _, m in errors))
        self.errors = list(errors)

    @property
    def codes(self) -> list[str]:
        return [c for c, _ in self.errors]


@dataclass(frozen=True)
class OaiRequest:
    """A request whose verb and arguments passed the protocol's rules."""
    verb: str
    args: dict[str, str]


def check(multi) -> OaiRequest:
    """Check a request's arguments (a werkzeug MultiDict) against the verb's rules."""
    verbs = multi.getlist("verb")
    if len(verbs) != 1:
        raise OaiError(("badVerb", "the verb argument is missing" if not verbs else "the verb is repeated"))
    verb = verbs[0]
    if verb not in VERBS:
        raise OaiError(("badVerb", f"{verb!r} is not an OAI-PMH verb"))
    required, optional, exclusive = VERBS[verb]
    args, problems = {}, []
    for name in multi:
        if name == "verb":
            continue
        values = multi.getlist(name)
        if len(values) > 1:
            problems.append(f"the argument {name} is repeated")
        elif name not in required + optional + ((exclusive,) if exclusive else ()):
            problems.append(f"{verb} does not take the argument {name}")
        elif values[0] == "":
            problems.append(f"the argument {name} is empty")
        else:
            args[name] = values[0]
    if exclusive and exclusive in args and len(args) > 1:
        problems.append(f"{exclusive} is exclusive: no other argument may come with it")
    elif not (exclusive and exclusive in args):
        problems += [f"{verb} requires the argument {n}" for n in required if n not in args]
    if problems:
        raise OaiError(*[("badArgument", p) for p in problems])
    return OaiRequest(verb, args)


def bounds(args: dict[str, str]) -> tuple[str | None, str | None]:
    """``from`` and ``until`` as inclusive seconds bounds; badArgument when illegal (§3.3.1)."""
    parsed = {k: _parse(k, args[k]) for k in ("from", "until") if k in args}
    if len({len(args[k]) for k in parsed}) > 1:
        raise OaiError(("badArgument", "from and until must have the same granularity"))
    since = parsed.get("from")
    until = parsed.get("until")
    if since and until and since > until:
        raise OaiError(("badArgument", "from is later than until"))
    if until and _DAY.fullmatch(args["until"]):
        until = until.replace("T00:00:00Z", "T23:59:59Z")
    return since, until


def _parse(name: str, value: str) -> str:
    """A from/until value as ``YYYY-MM-DDThh:mm:ssZ``."""
    try:
        if _DAY.fullmatch(value):
            return dt.date.fromisoformat(value).isoformat() + "T00:00:00Z"
        if _SECONDS.fullmatch(value):
            dt.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ")
            return value
    except ValueError:
        pass
    raise OaiError(("badArgument", f"{name}={value!r} is not a date of the form YYYY-MM-DD or {GRANULARITY}"))


def valid_setspec(spec: str) -> bool:
    """Whether ``spec`` has setSpec syntax (colon-separated unreserved characters)."""
    return bool(_SETSPEC.fullmatch(spec))


def now() -> str:
    """The current UTC time at seconds granularity."""
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
