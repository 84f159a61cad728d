"""Parser for The Anarchist Library's plain-text export layout.

The layout, top to bottom::

    # Title
    **Subtitle**                (optional)
    Author[, Author …]          (optional)
    Date                        (optional)
    body …
    The Anarchist Library
    Anti-Copyright              (the rights line)
    Author / Title / Subtitle / Date   (the colophon repeats the header)
    Retrieved on DATE from SOURCE
    From AUTHOR, “TITLE,” in *PERIODICAL*, no. N, DATE.
    Translated for VENUE by TRANSLATOR.
    **[library address](url)**

Known colophon sentences become structured data; every other colophon line or
sentence is kept verbatim as a :class:`Note`. Structural faults raise
:class:`CorpusError` with file and line.
"""
from __future__ import annotations

import re
from pathlib import Path

from .dates import parse_date
from .document import Document, Note, PrintSource, Retrieval, Translation
from .errors import CorpusError
from .markup import LINK, link, plain, unquote
from .slugs import slugify

MARKER = "The Anarchist Library"
_AUTHOR_SPLIT = re.compile(r"\s*(?:,|&|\band\b)\s*")
_ADDRESS = re.compile(r"\*\*(\[[^\]]*\]\([^)]+\))\*\*")
_SUBTITLE = re.compile(r"\*\*(.+)\*\*")
# A sentence ends at a line end, or where the next known sentence starts.
_END = r"(?=[ \t]*(?:\n|$)|\s+(?:Retrieved on|From|Translated)\s)"
_SOURCE = r"(?:\[[^\]]*\]\([^)\s]+\)|\S+)"
_RETRIEVED = re.compile(rf"Retrieved\s+on\s+(?P<date>.+?)\s+from\s+(?P<src>{_SOURCE})\.?{_END}", re.S)
_FROM = re.compile(
    r"From\s+(?P<authors>[^,“\"]+?),\s+[“\"](?P<title>.+?),?[”\"],?\s+in\s+\*(?P<periodical>[^*]+)\*"
    r"(?:,\s+no\.\s+(?P<number>[\w-]+))?(?:,\s+(?P<date>[^.]+?))?\." + _END, re.S)
_TRANSLATED = re.compile(
    rf"Translated\s+(?:for\s+(?P<venue>{_SOURCE})\s+)?by\s+(?P<translators>.+?)\.{_END}", re.S)
_SENTENCE_START = re.compile(r"(?<=\s)(?:Retrieved\s+on|From|Translated)\s")


def split_names(text: str) -> tuple[str, ...]:
    """Split an author line into names: commas, ``&`` and ``and`` separate them."""
    return tuple(n for n in (plain(p) for p in _AUTHOR_SPLIT.split(plain(text))) if n)


def _paragraphs(lines: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    """Group numbered lines into blank-line-separated paragraphs."""
    paras, current = [], []
    for number, text in lines:
        if text.strip():
            current.append((number, text))
        elif current:
            paras.append(current)
            current = []
    if current:
        paras.append(current)
    return paras


def _read(path: Path) -> list[tuple[int, str]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise CorpusError(path, line, f"not UTF-8 ({err.reason} at byte {err.start})") from None
    return list(enumerate(text.splitlines(), start=1))


def _find_marker(path: Path, lines: list[tuple[int, str]]) -> int:
    """Index of the last 'The Anarchist Library' line (the one before the rights line)."""
    for i in range(len(lines) - 1, -1, -1):
        if lines[i][1].strip() == MARKER:
            return i
    raise CorpusError(path, len(lines) or None,
                      f"no '{MARKER}' line: the body's end and the colophon cannot be told apart")


def parse_file(path: str | Path) -> Document:
    """Parse one exported text into a :class:`Document`."""
    path = Path(path)
    lines = _read(path)
    marker = _find_marker(path, lines)
    paras = _paragraphs(lines[:marker])
    if not paras or not paras[0][0][1].startswith("# "):
        where = paras[0][0][0] if paras else 1
        raise CorpusError(path, where, "the first line must be the title, written '# Title'")
    if len(paras[0]) > 1:
        raise CorpusError(path, paras[0][1][0], "the title must be one line, followed by a blank line")
    title = plain(paras[0][0][1][2:])
    if not title:
        raise CorpusError(path, paras[0][0][0], "the title is empty")
    header, rest = _header(path, paras[1:])
    if not rest:
        raise CorpusError(path, lines[marker][0], "the text has no body before the colophon")
    body_first, body_last = rest[0][0][0], rest[-1][-1][0]
    body = "\n".join(text for n, text in lines if body_first <= n <= body_last)
    rights = lines[marker + 1][1].strip() if marker + 1 < len(lines) else None
    colophon = lines[marker + 2:] if rights else []
    fields = _colophon(colophon, title=title, **header)
    return Document(path=str(path), slug=slugify(" ".join(header["authors"][:1]), title),
                    title=title, body=body, body_line=body_first, library=MARKER,
                    rights=rights or None, **header, **fields)


def _header(path: Path, paras):
    """Subtitle, authors and date at the top; returns them and the body paragraphs."""
    subtitle = authors = date = None
    if paras and len(paras[0]) == 1 and (m := _SUBTITLE.fullmatch(paras[0][0][1].strip())):
        subtitle, paras = unquote(plain(m[1])), paras[1:]
    if paras and len(paras[0]) == 1 and parse_date(plain(paras[0][0][1])) is None \
            and len(paras) > 1:
        authors, paras = split_names(paras[0][0][1]), paras[1:]
    if paras and len(paras[0]) == 1 and parse_date(plain(paras[0][0][1])) and len(paras) > 1:
        date, paras = plain(paras[0][0][1]), paras[1:]
    return {"subtitle": subtitle, "authors": authors or (), "date": date}, paras


def _colophon(lines, *, title, subtitle, authors, date) -> dict:
    """Structured fields and notes from the colophon lines after the rights line."""
    expected = [", ".join(authors) if authors else None, title, subtitle, date]
    numbered = [(n, t.rstrip()) for n, t in lines if t.strip()]
    for want in expected:   # the colophon repeats the header: those lines are data
        if want is not None and numbered and _same(numbered[0][1], want):
            numbered = numbered[1:]
    fields: dict = {"notes": []}
    sentences = []
    for number, text in numbered:
        if (m := _ADDRESS.fullmatch(text.strip())) and "library_url" not in fields:
            fields["library_url"] = link(m[1])[1]
        else:
            sentences.append((number, text))
    _sentences(sentences, fields)
    fields["notes"] = tuple(fields["notes"])
    return fields


def _same(line: str, value: str) -> bool:
    return unquote(plain(line)).casefold() == unquote(plain(value)).casefold()


def _sentences(numbered: list[tuple[int, str]], fields: dict) -> None:
    """Match known sentences across line breaks; keep everything else as notes."""
    text, starts = "", []
    for number, line in numbered:
        starts.append((len(text), number))
        text += line.strip() + "\n"
    line_at = lambda pos: max((n for off, n in starts if off <= pos), default=None)
    pos = 0
    while pos < len(text):
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text):
            break
        end = _known(text, pos, line_at(pos), fields)
        if end is None:
            nxt = _SENTENCE_START.search(text, pos + 1)
            end = nxt.start() if nxt else len(text)
            fields["notes"].append(Note(text[pos:end].strip(), line_at(pos)))
        pos = end


def _known(text: str, pos: int, line: int, fields: dict) -> int | None:
    """Try each known sentence at ``pos``; store it and return its end, or None."""
    if (m := _RETRIEVED.match(text, pos)) and parse_date(m["date"]) and "retrieved" not in fields:
        label, url = link(m["src"])
        fields["retrieved"] = Retrieval(plain(m["date"]), label, url, line)
        return m.end()
    if (m := _FROM.match(text, pos)) and "printed_in" not in fields:
        fields["printed_in"] = PrintSource(
            split_names(m["authors"]), plain(m["title"]), plain(m["periodical"]),
            m["number"], " ".join(m["date"].split()) if m["date"] else None, line)
        return m.end()
    if (m := _TRANSLATED.match(text, pos)) and "translation" not in fields:
        venue, url = link(m["venue"]) if m["venue"] else (None, None)
        fields["translation"] = Translation(split_names(m["translators"]), venue, url, line)
        return m.end()
    return None


def parse_corpus(directory: str | Path) -> list[Document]:
    """Parse every ``*.txt`` under ``directory``/texts, sorted by file name."""
    return [parse_file(p) for p in sorted(Path(directory, "texts").glob("*.txt"))]


__all__ = ["parse_file", "parse_corpus", "split_names", "LINK"]
