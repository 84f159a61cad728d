"""Catalog records: the works of the graph (letters and texts) as flat, crosswalk-ready data.

The harvesting formats (oai_dc, MARCXML, MODS) and CMIF are all written from
these records, so that every crosswalk reads the same facts. Nothing here is
new information: each field is read from the graph the build just made.
"""
from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, URIRef

from .namespaces import DCTERMS, OWL, RDFS, SDO, SKOS, epi

LANGUAGES = {  # ISO 639-1 → ISO 639-2/B (MARC 041/008, MODS) and English name (546)
    "fr": ("fre", "French"), "en": ("eng", "English"), "es": ("spa", "Spanish"),
    "de": ("ger", "German"), "it": ("ita", "Italian"), "ru": ("rus", "Russian"),
}


@dataclass(frozen=True)
class Agent:
    """A person or organization as a catalog names it."""
    name: str
    uri: str
    birth: str | None = None
    death: str | None = None
    same_as: tuple[str, ...] = ()

    @property
    def inverted(self) -> str:
        """"Serge, Victor" for "Victor Serge"; "Armand, E." for "E. Armand"."""
        parts = self.name.rsplit(" ", 1)
        return f"{parts[1]}, {parts[0]}" if len(parts) == 2 else self.name

    @property
    def dates(self) -> str | None:
        """"1890-1947": the years of birth and death, as MARC $d and DC names give them."""
        if not (self.birth or self.death):
            return None
        return f"{(self.birth or '')[:4]}-{(self.death or '')[:4]}"


@dataclass(frozen=True)
class Source:
    """Where a text was first printed: article → issue → periodical."""
    title: str
    lang: str | None
    authors: tuple[Agent, ...]
    periodical: str
    number: str | None
    issue_label: str | None
    year: str | None
    uri: str


@dataclass(frozen=True)
class Record:
    """One harvestable work: a letter or a text."""
    key: str                      # "letter/victor-serge-letter-to-emile-armand"
    kind: str                     # "letter" or "text"
    uri: str                      # the thing's URI (dc:identifier)
    doc: str                      # its document URL
    title: str
    title_lang: str | None
    subtitle: str | None
    creators: tuple[Agent, ...]
    recipients: tuple[Agent, ...]
    translators: tuple[Agent, ...]
    date: str | None              # ISO lexical form (1917-03-19, 1917-03 or 1917)
    language: str | None          # ISO 639-1
    original_language: str | None
    original: str | None          # the work this one translates (URI)
    translation: str | None       # the translation of this work (URI)
    publisher: Agent | None
    rights: str | None
    source: Source | None
    relations: tuple[str, ...]    # web addresses of other copies
    notes: tuple[str, ...]

    @property
    def slug(self) -> str:
        return self.key.split("/", 1)[1]


class _Reader:
    def __init__(self, g: Graph, base: str):
        self.g, self.base, self.epi = g, base, epi(base)

    def one(self, s, p) -> str | None:
        values = sorted(str(o) for o in self.g.objects(s, p))
        return values[0] if values else None

    def lang_of(self, s, p) -> str | None:
        return next((o.language for o in self.g.objects(s, p) if getattr(o, "language", None)), None)

    def agent(self, iri) -> Agent:
        g = self.g
        return Agent(self.one(iri, SKOS.prefLabel) or self.one(iri, RDFS.label) or str(iri), str(iri),
                     self.one(iri, SDO.birthDate), self.one(iri, SDO.deathDate),
                     tuple(sorted(str(o) for o in g.objects(iri, OWL.sameAs))))

    def agents(self, s, p) -> tuple[Agent, ...]:
        return tuple(self.agent(o) for o in sorted(self.g.objects(s, p)))

    def source(self, article) -> Source | None:
        if article is None:
            return None
        issue = self.g.value(article, SDO.isPartOf)
        periodical = self.g.value(issue, SDO.isPartOf) if issue is not None else None
        if periodical is None:
            periodical, issue = issue, None
        return Source(self.one(article, DCTERMS.title), self.lang_of(article, DCTERMS.title),
                      self.agents(article, DCTERMS.creator),
                      self.one(periodical, DCTERMS.title) if periodical is not None else "",
                      self.one(issue, SDO.issueNumber) if issue is not None else None,
                      self.one(issue, RDFS.label) if issue is not None else None,
                      (self.one(issue, SDO.datePublished) or "")[:4] or None if issue is not None else None,
                      str(article))

    def record(self, iri: URIRef, kind: str) -> Record:
        g, e = self.g, self.epi
        letter = g.value(iri, SDO.translationOfWork) or g.value(iri, DCTERMS.isVersionOf)
        article = g.value(iri, DCTERMS.source) or g.value(iri, e.firstPublishedIn) or \
            (g.value(g.value(iri, SDO.workTranslation), DCTERMS.source) if kind == "letter" else None)
        publisher = g.value(iri, DCTERMS.publisher)
        relations = sorted({str(o) for p in (SDO.url, e.retrievedFrom) for o in g.objects(iri, p)})
        slug = str(iri)[len(self.base) + 3:]
        return Record(
            key=slug, kind=kind, uri=str(iri), doc=f"{self.base}doc/{slug}",
            title=self.one(iri, DCTERMS.title), title_lang=self.lang_of(iri, DCTERMS.title),
            subtitle=self.one(iri, DCTERMS.alternative),
            creators=self.agents(iri, DCTERMS.creator),
            recipients=self.agents(iri, SDO.recipient) or
            (self.agents(letter, SDO.recipient) if letter is not None else ()),
            translators=self.agents(iri, SDO.translator),
            date=self.one(iri, SDO.dateSent) or (self.one(letter, SDO.dateSent) if letter is not None else None),
            language=self.one(iri, SDO.inLanguage),
            original_language=self.one(letter, SDO.inLanguage) if letter is not None else None,
            original=str(letter) if letter is not None and kind == "text" else None,
            translation=self.one(iri, SDO.workTranslation),
            publisher=self.agent(publisher) if publisher is not None else None,
            rights=self.one(iri, DCTERMS.rights), source=self.source(article),
            relations=tuple(relations), notes=tuple(sorted(str(o) for o in g.objects(iri, SKOS.note))))


def records(g: Graph, base: str) -> list[Record]:
    """Every letter and text of the graph, as records sorted by key."""
    reader = _Reader(g, base)
    found = [(s, "letter") for s in g.subjects(SDO.sender, None)] + \
            [(s, "text") for s in g.subjects(SDO.text, None)]
    unique = {str(s): (s, kind) for s, kind in found if isinstance(s, URIRef)}
    return sorted((reader.record(s, kind) for s, kind in unique.values()), key=lambda r: r.key)
