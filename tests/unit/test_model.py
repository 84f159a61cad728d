"""The model, asked with SPARQL over the built store (the embedded pyoxigraph store)."""
from __future__ import annotations

import json

import pytest
from rdflib import Graph

import vocab
from graph.authority import Authority
from graph.errors import ShapeError
from graph.model import build_graph
from graph.namespaces import PREFIXES, SDO
from graph.store import EmbeddedStore
from graph.tal import parse_corpus
from graph.validate import check
from tests.conftest import CORPUS, SEED

B = "http://localhost:8080/"
LETTER, TEXT = f"<{B}id/letter/{SEED}>", f"<{B}id/text/{SEED}>"
PREFIX = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


@pytest.fixture(scope="module")
def store(built):
    return EmbeddedStore(built / "store")


def ask(store, body: str) -> bool:
    return store.query(PREFIX + f"ASK {{ {body} }}")


def select(store, query: str) -> list[tuple]:
    return [tuple(term.value if term is not None else None for term in row)
            for row in store.query(PREFIX + query)]


def test_letter_date_is_a_typed_date(store):
    assert select(store, f"SELECT ?d WHERE {{ {LETTER} schema:dateSent ?d }}") == [("1917-03-19",)]
    assert ask(store, f'{LETTER} schema:dateSent "1917-03-19"^^xsd:date ; dcterms:date "1917-03-19"^^xsd:date')


def test_letter_sender_creator_recipient_language(store):
    serge, armand = f"<{B}id/person/victor-serge>", f"<{B}id/person/emile-armand>"
    assert ask(store, f"{LETTER} schema:sender {serge} ; dcterms:creator {serge} ; schema:author {serge} ; "
                      f"marcrel:aut {serge} ; schema:recipient {armand} ; marcrel:rcp {armand}")
    assert ask(store, f'{LETTER} schema:inLanguage "fr" ; dcterms:language '
                      f'<http://id.loc.gov/vocabulary/iso639-1/fr>')
    assert ask(store, f'{LETTER} <{B}vocab#signature> "V. S. le Retif"')


def test_text_translator_language_and_work(store):
    abidor = f"<{B}id/person/mitchell-abidor>"
    assert ask(store, f"{TEXT} schema:translator {abidor} ; marcrel:trl {abidor} ; "
                      f"schema:translationOfWork {LETTER} . {LETTER} schema:workTranslation {TEXT}")
    assert ask(store, f'{TEXT} schema:inLanguage "en" ; dcterms:language <http://id.loc.gov/vocabulary/iso639-1/en>')
    assert ask(store, f'{TEXT} dcterms:rights "Anti-Copyright"@en ; '
                      f'<{B}vocab#retrievedOn> "2022-10-28"^^xsd:date ; '
                      f'<{B}vocab#retrievedFrom> <http://www.marxists.org> ; '
                      f'dcterms:publisher <{B}id/organization/the-anarchist-library>')
    body = select(store, f"SELECT ?t WHERE {{ {TEXT} schema:text ?t }}")[0][0]
    assert body.startswith("My Dear Armand:") and "Au-dela la melée" in body


def test_article_issue_periodical_chain(store):
    rows = select(store, f"""SELECT ?article ?issue ?number ?periodical ?title WHERE {{
        {TEXT} dcterms:source ?article . ?article schema:isPartOf ?issue ; dcterms:isPartOf ?issue .
        ?issue schema:issueNumber ?number ; schema:isPartOf ?periodical ; dcterms:isPartOf ?periodical .
        ?periodical a schema:Periodical ; dcterms:title ?title }}""")
    assert rows == [(f"{B}id/article/de-kibaltchiche-a-victor-serge", f"{B}id/issue/le-mouvement-social-47",
                     "47", f"{B}id/periodical/le-mouvement-social", "Le Mouvement Social")]
    assert ask(store, f'<{B}id/issue/le-mouvement-social-47> schema:datePublished "1964"^^xsd:gYear')
    assert ask(store, f'<{B}id/article/de-kibaltchiche-a-victor-serge> dcterms:creator <{B}id/person/jean-maitron> ;'
                      f' dcterms:title "De Kibaltchiche à Victor Serge"@fr')


@pytest.mark.parametrize("dc, sdo", [("dcterms:title", "schema:name"),
                                     ("dcterms:creator", "schema:author"),
                                     ("dcterms:date", "schema:dateCreated")])
def test_both_vocabularies_carry_title_creator_date(store, dc, sdo):
    rows = select(store, f"SELECT ?a ?b WHERE {{ {LETTER} {dc} ?a ; {sdo} ?b }}")
    assert rows and all(a == b for a, b in rows)


def test_every_natural_language_literal_is_tagged(store):
    untagged = select(store, """SELECT ?s ?p WHERE { ?s ?p ?o FILTER(isLiteral(?o) && lang(?o) = ""
        && datatype(?o) = xsd:string) VALUES ?p { dcterms:title schema:text dcterms:rights
        schema:description dcterms:alternative skos:note } }""")
    assert untagged == []


def test_persons_carry_only_authority_facts(store):
    serge = f"<{B}id/person/victor-serge>"
    assert ask(store, f'{serge} schema:birthDate "1890-12-30"^^xsd:date ; schema:deathDate "1947-11-17"^^xsd:date ; '
                      f'owl:sameAs <http://www.wikidata.org/entity/Q362009> ; skos:altLabel "Le Rétif"@fr')
    armand = f"<{B}id/person/emile-armand>"
    assert select(store, f"SELECT ?l WHERE {{ {armand} skos:prefLabel ?l }}") == [("E. Armand",)]
    assert ask(store, f'{armand} skos:altLabel "Émile Armand"@fr')
    # Mitchell Abidor has no identifier anywhere; nothing is invented for him.
    assert not ask(store, f"<{B}id/person/mitchell-abidor> owl:sameAs ?x")
    # No ISSN was verified for Le Mouvement social.
    assert not ask(store, "?p schema:issn ?x")


def test_mentions(store):
    assert ask(store, f'{LETTER} schema:mentions <{B}id/periodical/par-dela-la-melee> . '
                      f'<{B}id/periodical/par-dela-la-melee> skos:hiddenLabel "Au-dela la melée"@en')
    assert ask(store, f'{LETTER} schema:mentions [ a schema:Message ; schema:name "the letter from Toulouse"@en ]')


def test_every_thing_in_the_spec_table_exists(store):
    for path in ["letter/" + SEED, "text/" + SEED, "person/victor-serge", "person/emile-armand",
                 "person/mitchell-abidor", "person/jean-maitron", "article/de-kibaltchiche-a-victor-serge",
                 "periodical/le-mouvement-social", "issue/le-mouvement-social-47",
                 "organization/the-anarchist-library", "organization/marxists-internet-archive"]:
        assert store.describe(f"{B}id/{path}"), path


def _seed_graph() -> Graph:
    return build_graph(parse_corpus(CORPUS), Authority(CORPUS / "authority.toml"), B)


def test_shapes_pass_on_the_seed():
    check(_seed_graph())


@pytest.mark.parametrize("predicate, message", [
    (SDO.recipient, "a letter needs a schema:recipient"),
    (SDO.text, "a text needs its full text"),
])
def test_a_broken_graph_fails_the_shapes(predicate, message):
    g = _seed_graph()
    g.remove((None, predicate, None))
    with pytest.raises(ShapeError) as err:
        check(g)
    assert message in str(err.value)


def test_context_agrees_with_namespaces():
    ctx = json.loads(vocab.CONTEXT.read_text())["@context"]
    assert ctx["@vocab"] == str(SDO) == "http://schema.org/"
    for prefix, ns in PREFIXES.items():
        assert ctx[prefix] == ns, prefix
