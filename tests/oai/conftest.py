"""Fixtures of the OAI-PMH and CMIF suite.

``repo``: a synthetic corpus of 40 texts plus the seed letter (about 75 records)
built four times into the same directory with fixed stamps, so that the
repository has a history a harvester can select on:

====  ======================  ==============================================
S1    2026-01-05T08:00:00Z    first build, without three of the texts
S2    2026-02-10T13:45:30Z    the three held-back texts are added
S3    2026-03-15T09:15:00Z    one letter's text gets a colophon note line
S4    2026-04-20T17:05:59Z    one letter's text is removed from the corpus
====  ======================  ==============================================

It is served twice from that one build: ``repo.url`` pages every 7 records
(and its base URI is that server's URL), ``repo.full`` answers every list in
one page (the reference for "no gaps, no duplicates").

``seed``: the real corpus through ``build_on_port`` (one page; CMIF).
``history``: a fresh corpus and build directory per test, rebuilt at will.
"""
from __future__ import annotations

import shutil
import threading
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from bench.synthetic import generate
from graph.build import build
from server import create_app
from tests.conftest import CORPUS, SEED, LiveServer, build_on_port, free_port

S1, S2, S3, S4 = ("2026-01-05T08:00:00Z", "2026-02-10T13:45:30Z", "2026-03-15T09:15:00Z",
                  "2026-04-20T17:05:59Z")
PAGE = 7
NOTE = "A colophon note line added for the test."
DOMAIN = "epistola.localhost"


def serve(build_dir: Path, port: int | None = None, **settings) -> LiveServer:
    """The real app over ``build_dir`` on 127.0.0.1 (on ``port`` if given, else a free one)."""
    app = create_app({"BUILD": str(build_dir), "RELOAD_INTERVAL": 0, **settings})
    server = LiveServer.__new__(LiveServer)
    server.app, server.oxigraph = app, None
    server.httpd = make_server("127.0.0.1", port or 0, app, threaded=True)
    server.url = f"http://127.0.0.1:{server.httpd.server_port}/"
    # a short poll interval: stop() returns at once instead of after half a second
    server.thread = threading.Thread(target=server.httpd.serve_forever, kwargs={"poll_interval": 0.02},
                                     daemon=True)
    server.thread.start()
    return server


def letters_of(corpus: Path) -> set[str]:
    """Slugs the authority file declares letters (each gives a letter/ and a text/ record)."""
    texts = tomllib.loads((corpus / "authority.toml").read_text(encoding="utf-8")).get("texts", {})
    return {slug for slug, entry in texts.items() if entry.get("kind", {}).get("value") == "letter"}


def keys_of(slug: str, letters: set[str]) -> set[str]:
    return {f"text/{slug}"} | ({f"letter/{slug}"} if slug in letters else set())


def add_note(path: Path, note: str = NOTE) -> None:
    """Add a colophon line (a skos:note of the text) just before the library's address."""
    text = path.read_text(encoding="utf-8")
    marker = "\n\n**[theanarchistlibrary.org]"
    assert marker in text, path
    path.write_text(text.replace(marker, f"  \n{note}{marker}", 1), encoding="utf-8")


def oai_id(key: str) -> str:
    return f"oai:{DOMAIN}:{key}"


@dataclass
class Repo:
    url: str                       # paged every PAGE records; base URI == this URL
    full: str                      # the same build, every list in one page
    build: Path
    corpus: Path
    keys: dict[str, set[str]]      # stamp → keys first stamped then (S4: the deleted ones)
    edited: str                    # the key whose metadata changed at S3
    removed_slug: str
    stamps: dict[str, str] = field(default_factory=dict)   # key → expected datestamp

    @property
    def deleted(self) -> set[str]:
        return self.keys[S4]


@pytest.fixture(scope="session")
def repo(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("oai-repo")
    corpus = generate(tmp / "corpus", 40)
    letters = letters_of(corpus)
    slugs = sorted(p.stem for p in (corpus / "texts").glob("*.txt") if p.stem != SEED)
    letter_slugs = [s for s in slugs if s in letters]
    essays = [s for s in slugs if s not in letters]
    assert len(letter_slugs) >= 4 and essays, "the synthetic corpus needs letters and other texts"
    held = letter_slugs[:2] + essays[:1]
    edited_slug, removed_slug = letter_slugs[2], letter_slugs[3]

    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    out = tmp / "build"
    aside = tmp / "aside"
    aside.mkdir()
    for slug in held:
        shutil.move(corpus / "texts" / f"{slug}.txt", aside / f"{slug}.txt")
    build(corpus, out, base, now=S1)
    for slug in held:
        shutil.move(aside / f"{slug}.txt", corpus / "texts" / f"{slug}.txt")
    build(corpus, out, base, now=S2)
    add_note(corpus / "texts" / f"{edited_slug}.txt")
    build(corpus, out, base, now=S3)
    (corpus / "texts" / f"{removed_slug}.txt").unlink()
    build(corpus, out, base, now=S4)

    every = set().union(*(keys_of(s, letters) for s in slugs + [SEED]))
    added = set().union(*(keys_of(s, letters) for s in held))
    edited = f"text/{edited_slug}"          # a note is the text's own; the letter is untouched
    deleted = keys_of(removed_slug, letters)
    assert len(deleted) == 2
    keys = {S2: added, S3: {edited}, S4: deleted}
    keys[S1] = every - added - {edited} - deleted
    stamps = {k: s for s, ks in keys.items() for k in ks}
    paged = serve(out, port, OAI_PAGE_SIZE=PAGE)
    full = serve(out, OAI_PAGE_SIZE=100000)
    yield Repo(paged.url, full.url, out, corpus, keys, edited, removed_slug, stamps)
    paged.stop()
    full.stop()


@pytest.fixture(scope="session")
def seed(tmp_path_factory):
    """The real corpus (the seed letter and its translation) built for and served on a port."""
    server = build_on_port(tmp_path_factory.mktemp("oai-seed"), CORPUS)
    yield server
    server.stop()


#: stamps of the rebuild tests; ``history`` and ``small`` come already built at T1
T1, T2, T3, T4, T5 = (f"2026-0{m}-0{m}T0{m}:00:00Z" for m in range(1, 6))


class History:
    """A corpus of one's own, built again and again into one directory, served live."""

    def __init__(self, tmp: Path, corpus: Path, built: Path, **settings):
        self.corpus = tmp / "corpus"
        shutil.copytree(corpus, self.corpus)
        self.out = tmp / "build"
        shutil.copytree(built, self.out, symlinks=True)
        self.server = serve(self.out, **settings)

    base = "http://epistola.test/"      # not the server's URL: these tests never dereference

    def build(self, now: str) -> dict:
        return build(self.corpus, self.out, self.base, now=now, oai_domain=DOMAIN)

    @property
    def url(self) -> str:
        return self.server.url

    def text(self, slug: str = SEED) -> Path:
        return self.corpus / "texts" / f"{slug}.txt"

    def replace(self, path: Path, old: str, new: str) -> None:
        content = path.read_text(encoding="utf-8")
        assert old in content, (path, old)
        path.write_text(content.replace(old, new, 1), encoding="utf-8")

    def stop(self) -> None:
        self.server.stop()


def _built_at_t1(tmp: Path, corpus: Path) -> Path:
    out = tmp / "build"
    build(corpus, out, History.base, now=T1, oai_domain=DOMAIN)
    return out


@pytest.fixture(scope="session")
def seed_t1(tmp_path_factory) -> Path:
    return _built_at_t1(tmp_path_factory.mktemp("oai-seed-t1"), CORPUS)


@pytest.fixture
def history(tmp_path, seed_t1):
    """The real corpus (one letter: two records), built at T1, to edit and rebuild at will."""
    h = History(tmp_path, CORPUS, seed_t1)
    yield h
    h.stop()


@pytest.fixture(scope="session")
def small_corpus(tmp_path_factory) -> tuple[Path, Path]:
    """A synthetic corpus of 6 texts and the seed letter (a dozen records), and its build at T1."""
    tmp = tmp_path_factory.mktemp("oai-small")
    corpus = generate(tmp / "corpus", 6)
    return corpus, _built_at_t1(tmp, corpus)


@pytest.fixture
def small(tmp_path, small_corpus):
    """``small_corpus`` built at T1, served 3 records a page, to edit and rebuild at will."""
    h = History(tmp_path, *small_corpus, OAI_PAGE_SIZE=3)
    yield h
    h.stop()
