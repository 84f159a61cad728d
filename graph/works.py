"""Letters and texts: the French original and the English translation, side by side.

A corpus document becomes a *text* (what the corpus publishes: its words, its
translator, its publisher, where it was retrieved) and, when the authority file
says it is a letter, a *letter* (the work: sender, recipient, date sent,
original language, where it was first printed). Every statement a catalog or a
search engine needs is made in DCMI Terms and in schema.org.
"""
from __future__ import annotations

import re

from rdflib import BNode, Literal, URIRef

from .agents import World
from .document import Document
from .errors import CorpusError
from .markup import plain
from .namespaces import DCMITYPE, DCTERMS, MARCREL, PROV, RDF, RDFS, SDO, SKOS, epi, language_uri
from .terms import date, text, thing_iri

# "Yours, V. S. le Retif": a closing of at most four words, a comma, the signature.
_SIGNATURE = re.compile(r"(?:[A-Z][\w’']*)(?:\s+[\w’']+){0,3},\s+(?P<name>[^,]{2,60})")


def signature(body: str) -> str | None:
    """The name a letter is signed with, from its last paragraph, if it has one."""
    last = [p for p in body.split("\n\n") if p.strip()][-1:]
    found = _SIGNATURE.fullmatch(plain(last[0])) if last else None
    return found["name"].strip() if found else None


class Works:
    """Adds a document's text and letter to the graph."""

    def __init__(self, world: World):
        self.w, self.g, self.auth = world, world.g, world.auth
        self.epi = epi(world.base)

    def add(self, doc: Document) -> URIRef:
        """Model one document; returns the text's URI."""
        entry = self.auth.get("texts", doc.slug)
        lang_fact = entry.get("language") or self.auth.default_language
        lang = lang_fact.value if lang_fact else None
        text_iri = self._text(doc, lang)
        if "kind" in entry and entry["kind"].value == "letter":
            letter = self._letter(doc, entry, lang)
            self._link_translation(doc, letter, text_iri)
            self._mentions(doc, entry, letter, lang)
        self.w._sourced(text_iri, entry.values())
        return text_iri

    def _titles(self, iri: URIRef, doc: Document, lang: str | None) -> None:
        g = self.g
        for p in (DCTERMS.title, SDO.name):
            g.add((iri, p, text(doc.title, lang)))
        g.add((iri, RDFS.label, Literal(doc.title)))

    def _creators(self, iri: URIRef, doc: Document) -> list[URIRef]:
        agents = [self.w.person(name) for name in doc.authors]
        for agent in agents:
            for p in (DCTERMS.creator, SDO.author, MARCREL.aut):
                self.g.add((iri, p, agent))
        return agents

    def _language(self, iri: URIRef, lang: str | None) -> None:
        if lang:
            self.g.add((iri, DCTERMS.language, language_uri(lang)))
            self.g.add((iri, SDO.inLanguage, Literal(lang)))

    def _text(self, doc: Document, lang: str | None) -> URIRef:
        g, iri = self.g, thing_iri(self.w.base, "text", doc.slug)
        for t in (SDO.CreativeWork, DCMITYPE.Text):
            g.add((iri, RDF.type, t))
        self._titles(iri, doc, lang)
        if doc.subtitle:
            for p in (DCTERMS.alternative, SDO.alternativeHeadline):
                g.add((iri, p, text(doc.subtitle, lang)))
        self._creators(iri, doc)
        self._language(iri, lang)
        g.add((iri, SDO.text, text(doc.body, lang)))
        if doc.rights:
            g.add((iri, DCTERMS.rights, text(doc.rights, lang)))
            g.add((iri, SDO.copyrightNotice, text(doc.rights, lang)))
        if publisher := self.auth.organization_for(doc.library_url) or doc.library:
            agent = self.w.organization(publisher)
            for p in (DCTERMS.publisher, SDO.publisher, MARCREL.pbl):
                g.add((iri, p, agent))
        if url := self.auth.get("texts", doc.slug).get("url"):
            g.add((iri, SDO.url, URIRef(url.value)))
        self._provenance(iri, doc, lang)
        return iri

    def _provenance(self, iri: URIRef, doc: Document, lang: str | None) -> None:
        """Where the text was retrieved, when, who translated it, and unknown lines."""
        g, e = self.g, self.epi
        if r := doc.retrieved:
            if r.url:
                g.add((iri, PROV.wasDerivedFrom, URIRef(r.url)))
                g.add((iri, e.retrievedFrom, URIRef(r.url)))
            if org := self.auth.organization_for(r.url or r.source):
                g.add((iri, SDO.provider, self.w.organization(org)))
            g.add((iri, e.retrievedOn, date(r.date)))
        if t := doc.translation:
            for name in t.translators:
                agent = self.w.person(name)
                for p in (SDO.translator, MARCREL.trl, DCTERMS.contributor):
                    g.add((iri, p, agent))
            if org := self.auth.organization_for(t.venue_url or t.venue):
                g.add((iri, e.translatedFor, self.w.organization(org)))
            elif t.venue:
                g.add((iri, SKOS.note, text(f"Translated for {t.venue}", lang)))
        if doc.printed_in:
            g.add((iri, DCTERMS.source, self.w.article(doc.printed_in)))
        for note in doc.notes:
            g.add((iri, SKOS.note, text(note.text, lang)))

    def _letter(self, doc: Document, entry: dict, lang: str | None) -> URIRef:
        g, iri = self.g, thing_iri(self.w.base, "letter", doc.slug)
        for t in (SDO.Message, DCMITYPE.Text):
            g.add((iri, RDF.type, t))
        self._titles(iri, doc, lang)
        for agent in self._creators(iri, doc):
            g.add((iri, SDO.sender, agent))
        for name in entry["recipients"].value if "recipients" in entry else []:
            agent = self.w.person(name)
            g.add((iri, SDO.recipient, agent))
            g.add((iri, MARCREL.rcp, agent))
        if doc.date and (sent := date(doc.date)):
            for p in (DCTERMS.date, DCTERMS.created, SDO.dateCreated, SDO.dateSent):
                g.add((iri, p, sent))
        original = entry.get("original_language")
        self._language(iri, original.value if original else lang)
        if (name := signature(doc.body)):
            g.add((iri, self.epi.signature, Literal(name)))
        if doc.printed_in:
            article = self.w.article(doc.printed_in)
            g.add((iri, self.epi.firstPublishedIn, article))
            g.add((iri, DCTERMS.isReferencedBy, article))
        return iri

    def _link_translation(self, doc: Document, letter: URIRef, text_iri: URIRef) -> None:
        g = self.g
        if doc.translation:
            g.add((letter, SDO.workTranslation, text_iri))
            g.add((text_iri, SDO.translationOfWork, letter))
        else:
            g.add((text_iri, SDO.exampleOfWork, letter))
            g.add((letter, SDO.workExample, text_iri))
        g.add((text_iri, DCTERMS.isVersionOf, letter))
        g.add((letter, DCTERMS.hasVersion, text_iri))

    def _mentions(self, doc: Document, entry: dict, letter: URIRef, lang: str | None) -> None:
        """What the letter mentions; each quote must occur verbatim in the body.

        A named periodical keeps the text's wording as a hidden (variant) label;
        an unidentified thing ("the letter from Toulouse") becomes a blank node
        carrying only the words that name it.
        """
        g = self.g
        for fact in entry.get("mentions", []):
            m, quote = fact.value, text(fact.value["quote"], lang)
            if m["quote"] not in doc.body:
                raise CorpusError(self.auth.path, None, f"texts {doc.slug!r}: mention "
                                  f"{m['quote']!r} does not occur in {doc.path}")
            if "periodical" in m:
                target = self.w.periodical(m["periodical"])
                g.add((target, SKOS.hiddenLabel, quote))
            else:
                target = BNode()
                g.add((target, RDF.type, SDO.Message if m.get("kind") == "letter" else SDO.Thing))
                g.add((target, SDO.name, quote))
            g.add((letter, SDO.mentions, target))
