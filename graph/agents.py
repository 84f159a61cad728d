"""Persons, organizations, periodicals, issues and articles: the letter's world.

Each ``ensure_*`` function adds a resource once (from the name a text uses and
the authority file's facts about it) and returns its URI.
"""
from __future__ import annotations

from rdflib import Graph, Literal, URIRef

from .authority import Authority, Fact
from .document import PrintSource
from .namespaces import DCMITYPE, DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SDO, SKOS, language_uri
from .slugs import slugify
from .terms import date, text, thing_iri


class World:
    """Adds the resources that texts share, each exactly once."""

    def __init__(self, graph: Graph, base: str, authority: Authority):
        self.g, self.base, self.auth = graph, base, authority
        self.seen: set[URIRef] = set()

    def _new(self, kind: str, name: str) -> tuple[URIRef, bool]:
        iri = thing_iri(self.base, kind, slugify(name))
        fresh = iri not in self.seen
        self.seen.add(iri)
        return iri, fresh

    def _sourced(self, iri: URIRef, facts) -> None:
        """Record the web address of every source behind ``facts`` (prov:wasDerivedFrom)."""
        for fact in facts:
            for f in fact if isinstance(fact, list) else [fact]:
                if isinstance(f, Fact) and (url := self.auth.source_url(f.source)):
                    self.g.add((iri, PROV.wasDerivedFrom, URIRef(url)))

    def _names(self, iri: URIRef, preferred: str, spelled: str, entry: dict) -> None:
        g = self.g
        for p in (RDFS.label, SKOS.prefLabel, SDO.name):
            g.add((iri, p, Literal(preferred)))
        alternates = [text(f.value, f.lang) for f in entry.get("other_names", [])]
        if spelled != preferred:
            alternates.append(Literal(spelled))
        for alt in alternates:
            g.add((iri, SKOS.altLabel, alt))
            g.add((iri, SDO.alternateName, alt))

    def _common(self, iri: URIRef, entry: dict) -> None:
        """Facts any authority entry may carry: description, identifiers, web pages."""
        g = self.g
        if d := entry.get("description"):
            g.add((iri, SDO.description, text(d.value, d.lang)))
            g.add((iri, DCTERMS.description, text(d.value, d.lang)))
        for f in entry.get("same_as", []):
            g.add((iri, OWL.sameAs, URIRef(f.value)))
            g.add((iri, SDO.sameAs, URIRef(f.value)))
        for f in entry.get("see_also", []):
            g.add((iri, RDFS.seeAlso, URIRef(f.value)))
        if u := entry.get("url"):
            g.add((iri, SDO.url, URIRef(u.value)))
            g.add((iri, FOAF.homepage, URIRef(u.value)))
        self._sourced(iri, entry.values())

    def person(self, name: str) -> URIRef:
        """The person a text names, with the authority file's facts about them."""
        iri, fresh = self._new("person", name)
        if fresh:
            entry = self.auth.get("persons", name)
            preferred = entry["name"].value if "name" in entry else name
            for t in (SDO.Person, FOAF.Person, DCTERMS.Agent):
                self.g.add((iri, RDF.type, t))
            self._names(iri, preferred, name, entry)
            for key, prop in (("birth_date", SDO.birthDate), ("death_date", SDO.deathDate)):
                if key in entry:
                    self.g.add((iri, prop, date(entry[key].value)))
            self._common(iri, entry)
        return iri

    def organization(self, name: str) -> URIRef:
        """An organization named by a colophon or by the authority file."""
        iri, fresh = self._new("organization", name)
        if fresh:
            entry = self.auth.get("organizations", name)
            for t in (SDO.Organization, FOAF.Organization, DCTERMS.Agent):
                self.g.add((iri, RDF.type, t))
            self._names(iri, self.auth.key("organizations", name) or name, name, entry)
            if "start_date" in entry:
                self.g.add((iri, SDO.foundingDate, date(entry["start_date"].value)))
            self._common(iri, entry)
        return iri

    def periodical(self, name: str) -> URIRef:
        """A periodical, with its language, dates, founder, editor and publisher."""
        iri, fresh = self._new("periodical", name)
        if not fresh:
            return iri
        g, entry = self.g, self.auth.get("periodicals", name)
        title = self.auth.key("periodicals", name) or name
        for t in (SDO.Periodical, DCMITYPE.Text):
            g.add((iri, RDF.type, t))
        lang = entry["language"].value if "language" in entry else None
        for p in (DCTERMS.title, SDO.name):
            g.add((iri, p, text(title, lang)))
        g.add((iri, RDFS.label, Literal(title)))
        if lang:
            g.add((iri, SDO.inLanguage, Literal(lang)))
            g.add((iri, DCTERMS.language, language_uri(lang)))
        for key, prop in (("start_date", SDO.startDate), ("end_date", SDO.endDate)):
            if key in entry:
                g.add((iri, prop, date(entry[key].value)))
        if f := entry.get("founder"):
            agent = self.person(f.value)
            g.add((iri, SDO.creator, agent))
            g.add((iri, DCTERMS.creator, agent))
        if f := entry.get("editor"):
            g.add((iri, SDO.editor, self.person(f.value)))
        if f := entry.get("publisher"):
            agent = self.organization(f.value)
            g.add((iri, SDO.publisher, agent))
            g.add((iri, DCTERMS.publisher, agent))
        self._common(iri, entry)
        return iri

    def issue(self, source: PrintSource) -> URIRef:
        """The issue a text was printed in: number and year, part of its periodical."""
        periodical = self.periodical(source.periodical)
        title = self.auth.key("periodicals", source.periodical) or source.periodical
        iri, fresh = self._new("issue", f"{title} {source.number}")
        if fresh:
            g = self.g
            g.add((iri, RDF.type, SDO.PublicationIssue))
            g.add((iri, SDO.issueNumber, Literal(source.number)))
            label = f"{title}, no. {source.number}" + (f" ({source.date})" if source.date else "")
            g.add((iri, RDFS.label, Literal(label)))
            g.add((iri, SDO.name, Literal(label)))
            if source.date and (d := date(source.date)):
                g.add((iri, SDO.datePublished, d))
                g.add((iri, DCTERMS.issued, d))
            g.add((iri, SDO.isPartOf, periodical))
            g.add((iri, DCTERMS.isPartOf, periodical))
            g.add((periodical, SDO.hasPart, iri))
        return iri

    def article(self, source: PrintSource) -> URIRef:
        """The article a text was first printed in, with its authors and host issue."""
        iri, fresh = self._new("article", source.title)
        if fresh:
            g = self.g
            host = self.issue(source) if source.number else self.periodical(source.periodical)
            entry = self.auth.get("periodicals", source.periodical)
            lang = entry["language"].value if "language" in entry else None
            for t in (SDO.ScholarlyArticle, DCMITYPE.Text):
                g.add((iri, RDF.type, t))
            for p in (DCTERMS.title, SDO.name):
                g.add((iri, p, text(source.title, lang)))
            g.add((iri, RDFS.label, Literal(source.title)))
            for name in source.authors:
                agent = self.person(name)
                for p in (DCTERMS.creator, SDO.author):
                    g.add((iri, p, agent))
            if source.date and (d := date(source.date)):
                g.add((iri, DCTERMS.issued, d))
                g.add((iri, SDO.datePublished, d))
            g.add((iri, SDO.isPartOf, host))
            g.add((iri, DCTERMS.isPartOf, host))
        return iri
