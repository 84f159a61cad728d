"""What a source document says, as frozen dataclasses (no RDF here).

Every structured value keeps the line it came from, so that later stages can
report errors as ``file:line`` and nothing is lost between parse and model.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Note:
    """A colophon line or sentence kept verbatim because no rule understands it."""
    text: str
    line: int


@dataclass(frozen=True)
class Retrieval:
    """"Retrieved on DATE from SOURCE"."""
    date: str            # as written
    source: str          # label of the link, or the plain text
    url: str | None
    line: int


@dataclass(frozen=True)
class PrintSource:
    """"From AUTHOR, “TITLE,” in *PERIODICAL*, no. N, DATE."."""
    authors: tuple[str, ...]
    title: str
    periodical: str
    number: str | None
    date: str | None     # as written, e.g. "April-June 1964"
    line: int


@dataclass(frozen=True)
class Translation:
    """"Translated for VENUE by TRANSLATOR."."""
    translators: tuple[str, ...]
    venue: str | None
    venue_url: str | None
    line: int


@dataclass(frozen=True)
class Document:
    """One text of the corpus, in The Anarchist Library's export layout."""
    path: str
    slug: str
    title: str
    subtitle: str | None
    authors: tuple[str, ...]
    date: str | None
    body: str
    body_line: int
    library: str | None = None       # "The Anarchist Library"
    rights: str | None = None        # "Anti-Copyright"
    library_url: str | None = None   # the address closing the colophon
    retrieved: Retrieval | None = None
    printed_in: PrintSource | None = None
    translation: Translation | None = None
    notes: tuple[Note, ...] = field(default_factory=tuple)
