"""Stateless OAI-PMH resumption tokens: URL-safe, tamper-evident, shared by all workers.

A token is ``base64url(JSON) "." base64url(HMAC-SHA256[:12])`` — only the
characters ``[A-Za-z0-9_.-]``, which no harvester mis-encodes. The key belongs
to the build being served, so a token works in any worker and after a
restart, for as long as that build is served; anything else that arrives as a
token is rejected (badResumptionToken), never a 500.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json


class BadToken(Exception):
    """Not a token this build issued."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def encode(state: dict, key: bytes) -> str:
    """A token carrying ``state`` (a small JSON object)."""
    payload = json.dumps(state, separators=(",", ":"), sort_keys=True).encode()
    return f"{_b64(payload)}.{_b64(hmac.new(key, payload, hashlib.sha256).digest()[:12])}"


def decode(token: str, key: bytes) -> dict:
    """The state inside ``token``; BadToken if it is malformed or was not signed with ``key``."""
    try:
        body, signature = token.split(".")
        payload = _unb64(body)
        expected = hmac.new(key, payload, hashlib.sha256).digest()[:12]
        if not hmac.compare_digest(expected, _unb64(signature)):
            raise BadToken("signature does not match")
        state = json.loads(payload)
    except (ValueError, binascii.Error, UnicodeDecodeError) as err:
        raise BadToken(str(err)) from None
    if not isinstance(state, dict):
        raise BadToken("not a token")
    return state
