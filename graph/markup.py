"""The little Markdown and HTML that The Anarchist Library's export uses.

>>> plain("Retrieved on 28<sup>th</sup> October from [www.marxists.org](http://www.marxists.org)")
'Retrieved on 28th October from www.marxists.org'
>>> plain("**“I have lost the sectarian intransigence of the past.”**")
'“I have lost the sectarian intransigence of the past.”'
>>> link("[marxists.org](http://marxists.org)")
('marxists.org', 'http://marxists.org')
"""
from __future__ import annotations

import re

LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]+)\)")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_)(\S(?:.*?\S)?)\1")
_TAG = re.compile(r"</?(?:sup|sub|em|strong|i|b|span)[^>]*>", re.I)


def plain(text: str) -> str:
    """Text without Markdown links, emphasis or inline tags; whitespace collapsed."""
    text = LINK.sub(r"\1", text)
    text = _TAG.sub("", text)
    previous = None
    while previous != text:
        previous, text = text, _EMPHASIS.sub(r"\2", text)
    return " ".join(text.split())


def link(text: str) -> tuple[str, str | None]:
    """``(label, url)`` of a Markdown link, or ``(plain text, None)``."""
    found = LINK.fullmatch(text.strip())
    if found:
        return plain(found.group(1)), found.group(2)
    return plain(text), None


def unquote(text: str) -> str:
    """Strip one pair of surrounding quotation marks (straight or typographic)."""
    text = text.strip()
    if len(text) >= 2 and text[0] in "“\"«‘'" and text[-1] in "”\"»’'":
        return text[1:-1].strip()
    return text
