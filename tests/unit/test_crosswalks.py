"""The harvesting crosswalks (oai_dc, MARCXML, MODS): valid against the official schemas, offline, and right.

The schemas are verbatim copies in ``tests/schemas/`` (see its README). libxml2
refuses the official MODS 3.8 schema ("Duplicate attribute use 'IDREF'":
``accessConditionDefinition`` re-adds ``IDAttributeGroup``, which its base type
already has), so lxml gets a copy with that one redundant reference removed in
memory, and xmlschema checks against the verbatim file as well.
"""
from __future__ import annotations

import dataclasses
import hashlib
import re
from pathlib import Path

import pytest
import xmlschema
from lxml import etree

from graph.authority import Authority
from graph.crosswalk_dc import oai_dc
from graph.crosswalk_marc import marc21
from graph.crosswalk_mods import mods
from graph.model import build_graph
from graph.records import Agent, Record, records
from graph.tal import parse_corpus

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "tests" / "schemas"
BASE = "http://localhost:8080/"
SEED = "victor-serge-letter-to-emile-armand"
NS = {"oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/", "dc": "http://purl.org/dc/elements/1.1/",
      "marc": "http://www.loc.gov/MARC21/slim", "mods": "http://www.loc.gov/mods/v3",
      "xsi": "http://www.w3.org/2001/XMLSchema-instance"}
STAMP = "2026-01-02T03:04:05Z"


def person(slug: str, name: str, birth=None, death=None, *same_as: str) -> Agent:
    return Agent(name, f"{BASE}id/person/{slug}", birth, death, tuple(same_as))


CRAFTED = Record(
    key="text/les-egares", kind="text", uri=f"{BASE}id/text/les-egares", doc=f"{BASE}doc/text/les-egares",
    title="Les Égarés", title_lang="fr", subtitle=None,
    creators=(person("emile-armand", "Émile Armand", "1872-03-26", "1962-02-19", "http://viaf.org/viaf/1"),
              person("severine", "Séverine"), person("zoe-d-ollon", "Zoé d’Ollon", "1901")),
    recipients=(), translators=(person("anders-orsted", "Anders Ørsted"),),
    date=None, language="fr", original_language=None, original=None, translation=None,
    publisher=None, rights=None, source=None, relations=(),
    notes=("Signée « E. A. » & <scellée>\x0b,\n  pliée en deux", "Deuxième note."))


class Offline(etree.Resolver):
    """Refuses anything but a local file, so that no schema import can reach the network."""

    def resolve(self, url, pubid, context):
        if re.match(r"[a-z][a-z0-9+.-]*://", url or "") and not url.startswith("file:"):
            raise AssertionError(f"schema import would fetch {url}")
        return None


def lxml_schema(name: str, patch=None) -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(Offline())
    doc = etree.parse(str(SCHEMAS / name), parser)
    if patch:
        patch(doc)
    return etree.XMLSchema(doc)


def drop_duplicate_idref(doc) -> None:
    xs = {"xs": "http://www.w3.org/2001/XMLSchema"}
    (ref,) = doc.xpath("//xs:complexType[@name='accessConditionDefinition']"
                       "//xs:attributeGroup[@ref='IDAttributeGroup']", namespaces=xs)
    ref.getparent().remove(ref)


@pytest.fixture(scope="module")
def schemas():
    return {"dc": lxml_schema("oai_dc.xsd"), "marc": lxml_schema("MARC21slim.xsd"),
            "mods": lxml_schema("mods-3-8.xsd", drop_duplicate_idref)}


@pytest.fixture(scope="module")
def seed() -> dict[str, Record]:
    g = build_graph(parse_corpus(ROOT / "corpus"), Authority(ROOT / "corpus" / "authority.toml"), BASE)
    found = {r.kind: r for r in records(g, BASE)}
    assert sorted(found) == ["letter", "text"]
    return found


def marc(record: Record, datestamp: str | None = STAMP) -> etree._Element:
    return marc21(record, control_number=f"epistola-{record.slug}", organization="XxEpi", datestamp=datestamp)


WRITERS = {"dc": oai_dc, "marc": marc, "mods": mods}
VARIANTS = {"crafted": CRAFTED,
            "crafted-letter": dataclasses.replace(CRAFTED, kind="letter", date="1917-03", language="eo",
                                                  title_lang=None, recipients=CRAFTED.creators[1:]),
            "crafted-untitled": dataclasses.replace(CRAFTED, title=None, creators=(), language=None,
                                                    notes=(), date="1917")}


def all_records(seed) -> dict[str, Record]:
    return {**seed, **VARIANTS}


def values(element, path: str) -> list[str]:
    return [str(v) for v in element.xpath(path, namespaces=NS)]


def field(record_xml, tag: str, ind2: str | None = None) -> list[dict[str, list[str]]]:
    """Each datafield ``tag`` as {code: [values]}, plus "ind" = [ind1 + ind2]."""
    out = []
    for f in record_xml.xpath(f"marc:datafield[@tag='{tag}']", namespaces=NS):
        if ind2 is None or f.get("ind2") == ind2:
            subfields = {"ind": [f.get("ind1") + f.get("ind2")]}
            for s in f:
                subfields.setdefault(s.get("code"), []).append(s.text)
            out.append(subfields)
    return out


def control(record_xml, tag: str) -> str | None:
    found = values(record_xml, f"marc:controlfield[@tag='{tag}']/text()")
    return found[0] if found else None


# --- schemas ---------------------------------------------------------------

def test_schema_copies_are_byte_identical_to_the_readme_sums():
    table = re.findall(r"^\| `([^`]+)` \|.*\| `([0-9a-f]{32})`", (SCHEMAS / "README.md").read_text(), re.M)
    assert len(table) == 10
    for name, md5 in table:
        assert hashlib.md5((SCHEMAS / name).read_bytes()).hexdigest() == md5, name


def test_no_schema_points_at_the_network():
    for path in SCHEMAS.glob("*.xsd"):
        locations = re.findall(r'<xs:(?:import|include)[^>]*schemaLocation="([^"]+)"', path.read_text())
        assert all("://" not in loc for loc in locations), (path.name, locations)


@pytest.mark.parametrize("fmt", WRITERS)
def test_every_record_validates(fmt, seed, schemas):
    for name, record in all_records(seed).items():
        element = WRITERS[fmt](record)
        assert schemas[fmt].validate(element), (name, schemas[fmt].error_log)


def test_mods_validates_against_the_verbatim_schema_too(seed):
    schema = xmlschema.XMLSchema(str(SCHEMAS / "mods-3-8.xsd"), allow="local")
    for name, record in all_records(seed).items():
        schema.validate(etree.tostring(mods(record)).decode())


def test_marc_without_datestamp_validates(seed, schemas):
    for record in all_records(seed).values():
        assert schemas["marc"].validate(marc(record, None)), schemas["marc"].error_log


# --- determinism -------------------------------------------------------------

@pytest.mark.parametrize("fmt", WRITERS)
def test_same_record_same_bytes(fmt, seed):
    for record in all_records(seed).values():
        assert etree.tostring(WRITERS[fmt](record)) == etree.tostring(WRITERS[fmt](record))
        assert etree.tostring(WRITERS[fmt](dataclasses.replace(record))) == etree.tostring(WRITERS[fmt](record))


def test_no_discontinued_relator_anywhere(seed):
    for record in all_records(seed).values():
        for writer in WRITERS.values():
            text = etree.tostring(writer(record)).decode()
            assert "clb" not in text and "collaborator" not in text


# --- oai_dc ------------------------------------------------------------------

def test_dc_letter(seed):
    letter, dc = seed["letter"], oai_dc(seed["letter"])
    assert dc.tag == f"{{{NS['oai_dc']}}}dc" and dc.nsmap == {"oai_dc": NS["oai_dc"], "dc": NS["dc"], "xsi": NS["xsi"]}
    assert dc.get(f"{{{NS['xsi']}}}schemaLocation") == \
        "http://www.openarchives.org/OAI/2.0/oai_dc/ http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
    assert values(dc, "dc:identifier/text()") == [letter.uri] == [f"{BASE}id/letter/{SEED}"]
    assert values(dc, "dc:creator/text()") == ["Serge, Victor, 1890-1947"]
    assert values(dc, "dc:contributor/text()") == ["Armand, E., 1872-1962 (addressee)"]
    assert values(dc, "dc:date/text()") == ["1917-03-19"]
    assert values(dc, "dc:type/text()") == ["Text"]
    assert values(dc, "dc:language/text()") == ["fr"]
    assert values(dc, "dc:title/@xml:lang") == ["en"]
    assert values(dc, "dc:source/text()") == \
        ["Jean Maitron, “De Kibaltchiche à Victor Serge”, Le Mouvement Social, no. 47 (April-June 1964)"]
    relations = values(dc, "dc:relation/text()")
    assert relations[0] == f"{BASE}id/text/{SEED}"
    assert relations[-1] == f"{BASE}id/article/de-kibaltchiche-a-victor-serge"


def test_dc_text(seed):
    text, dc = seed["text"], oai_dc(seed["text"])
    assert values(dc, "dc:title/text()") == \
        ["Letter to Emile Armand", "I have lost the sectarian intransigence of the past."]
    assert values(dc, "dc:contributor/text()") == ["Armand, E., 1872-1962 (addressee)", "Abidor, Mitchell (translator)"]
    assert values(dc, "dc:publisher/text()") == ["The Anarchist Library"]
    assert values(dc, "dc:rights/text()") == ["Anti-Copyright"]
    assert values(dc, "dc:language/text()") == ["en"]
    relations = values(dc, "dc:relation/text()")
    assert relations[0] == f"{BASE}id/letter/{SEED}" and set(text.relations) < set(relations)
    assert f"{BASE}id/article/de-kibaltchiche-a-victor-serge" in relations


def test_dc_values_are_plain_strings(seed):
    for record in all_records(seed).values():
        dc = oai_dc(record)
        for element in dc:
            assert len(element) == 0 and element.text == element.text.strip()
            assert set(element.attrib) <= {"{http://www.w3.org/XML/1998/namespace}lang"}


def test_dc_crafted():
    dc = oai_dc(CRAFTED)
    assert values(dc, "dc:creator/text()") == ["Armand, Émile, 1872-1962", "Séverine", "d’Ollon, Zoé, 1901-"]
    assert values(dc, "dc:contributor/text()") == ["Ørsted, Anders (translator)"]
    assert values(dc, "dc:description/text()") == \
        ["Signée « E. A. » & <scellée> , pliée en deux", "Deuxième note."]
    assert values(dc, "dc:date") == values(dc, "dc:source") == values(dc, "dc:relation") == []


# --- MARCXML -----------------------------------------------------------------

def test_marc_letter(seed):
    rec = marc(seed["letter"])
    assert values(rec, "marc:leader/text()") == ["00000ntm a22000007i 4500"]
    assert control(rec, "001") == f"epistola-{SEED}" and control(rec, "003") == "XxEpi"
    assert field(rec, "100") == [{"ind": ["1 "], "a": ["Serge, Victor,"], "d": ["1890-1947,"], "e": ["author."],
                                  "4": ["aut"], "1": list(seed["letter"].creators[0].same_as)}]
    (armand,) = field(rec, "700")
    assert armand["a"] == ["Armand, E.,"] and armand["e"] == ["addressee."] and armand["4"] == ["rcp"]
    assert field(rec, "245")[0]["a"] == ["Letter to Emile Armand."] and field(rec, "245")[0]["ind"] == ["10"]
    assert field(rec, "264") == [{"ind": [" 0"], "c": ["1917 March 19."]}]
    assert field(rec, "655")[0] == {"ind": [" 7"], "a": ["Personal correspondence."], "2": ["lcgft"]}
    assert field(rec, "546")[0]["a"] == ["In French."] and field(rec, "041") == []
    assert field(rec, "767")[0]["o"] == [f"{BASE}id/text/{SEED}"]
    assert field(rec, "786") == [{"ind": ["0 "], "t": ["Le Mouvement Social."], "g": ["no. 47 (1964)"],
                                  "o": [f"{BASE}id/article/de-kibaltchiche-a-victor-serge"]}]
    assert field(rec, "856", "0")[0]["u"] == [seed["letter"].uri, seed["letter"].doc]


def test_marc_text(seed):
    rec = marc(seed["text"])
    assert values(rec, "marc:leader/text()") == ["00000nam a22000007i 4500"]
    assert field(rec, "041") == [{"ind": ["1 "], "a": ["eng"], "h": ["fre"]}]
    roles = {f["4"][0]: (f["a"][0], f["e"][0]) for f in field(rec, "700")}
    assert roles == {"rcp": ("Armand, E.,", "addressee."), "trl": ("Abidor, Mitchell,", "translator.")}
    assert field(rec, "245")[0]["a"] == ["Letter to Emile Armand :"]
    assert field(rec, "245")[0]["b"] == ["I have lost the sectarian intransigence of the past."]
    assert field(rec, "264") == [{"ind": [" 1"], "b": ["The Anarchist Library."]}]
    assert field(rec, "336") == [{"ind": ["  "], "a": ["text"], "b": ["txt"], "2": ["rdacontent"]}]
    assert field(rec, "500")[0]["a"] == ["Source: Jean Maitron, “De Kibaltchiche à Victor Serge”, "
                                         "Le Mouvement Social, no. 47 (April-June 1964)."]
    assert field(rec, "540")[0]["a"] == ["Anti-Copyright."]
    assert field(rec, "546")[0]["a"] == ["In English, translated from French."]
    assert field(rec, "765")[0]["o"] == [f"{BASE}id/letter/{SEED}"]
    related = field(rec, "856", "2")
    assert [f["u"] for f in related] == [[u] for u in seed["text"].relations]
    assert all(f["3"] == ["Related version"] for f in related)


@pytest.mark.parametrize("kind, lang, form", [("letter", "fre", " "), ("text", "eng", "o")])
def test_marc_008(seed, kind, lang, form):
    value = control(marc(seed[kind]), "008")
    assert len(value) == 40
    assert value[0:6] == "260102" and value[6] == "s" and value[7:11] == "1917" and value[11:15] == "    "
    assert value[15:18] == "xx " and value[23] == form and value[33] == "i"
    assert value[35:38] == lang and value[38:40] == " d"


def test_marc_005_iff_datestamp(seed):
    for record in all_records(seed).values():
        assert control(marc(record), "005") == "20260102030405.0"
        assert control(marc(record, None), "005") is None
        assert control(marc(record, None), "008")[0:6] == "      "
        assert len(control(marc(record, None), "008")) == 40


@pytest.mark.parametrize("bad", ["2026-01-02", "2026-01-02T03:04:05+00:00", "2026-01-02T03:04:05.1Z"])
def test_marc_refuses_a_malformed_datestamp(seed, bad):
    with pytest.raises(ValueError):
        marc(seed["text"], bad)


def test_marc_crafted():
    rec = marc(CRAFTED)
    assert field(rec, "100")[0]["a"] == ["Armand, Émile,"] and field(rec, "100")[0]["1"] == ["http://viaf.org/viaf/1"]
    authors = [f for f in field(rec, "700") if f["4"] == ["aut"]]
    assert [(f["ind"], f["a"], f.get("d")) for f in authors] == \
        [(["0 "], ["Séverine,"], None), (["1 "], ["d’Ollon, Zoé,"], ["1901-"])]
    assert field(rec, "700")[-1]["a"] == ["Ørsted, Anders,"] and field(rec, "700")[-1]["4"] == ["trl"]
    assert field(rec, "245")[0]["ind"] == ["14"] and field(rec, "245")[0]["a"] == ["Les Égarés."]
    value = control(rec, "008")
    assert value[6:15] == "nuuuuuuuu" and value[33] == "|" and value[35:38] == "fre"
    assert [f["a"] for f in field(rec, "500")] == \
        [["Signée « E. A. » & <scellée> , pliée en deux."], ["Deuxième note."]]
    assert field(rec, "264") == field(rec, "786") == field(rec, "041") == field(rec, "655") == []


def test_marc_crafted_variants():
    letter = marc(VARIANTS["crafted-letter"])
    assert control(letter, "008")[6:15] == "s1917    " and control(letter, "008")[35:38] == "und"
    assert field(letter, "264")[0]["c"] == ["1917 March."] and field(letter, "245")[0]["ind"] == ["10"]
    untitled = marc(VARIANTS["crafted-untitled"])
    assert field(untitled, "245") == [{"ind": ["00"], "a": ["[Untitled]."]}] and field(untitled, "100") == []


# --- MODS --------------------------------------------------------------------

def test_mods_letter(seed):
    m = mods(seed["letter"])
    assert m.get("version") == "3.8"
    assert m.get(f"{{{NS['xsi']}}}schemaLocation") == \
        "http://www.loc.gov/mods/v3 http://www.loc.gov/standards/mods/v3/mods-3-8.xsd"
    assert values(m, "mods:name/mods:role/mods:roleTerm[@type='code']/text()") == ["aut", "rcp"]
    assert values(m, "mods:name/mods:role/mods:roleTerm[@type='text']/text()") == ["author", "addressee"]
    assert values(m, "mods:name[1]/@valueURI") == [f"{BASE}id/person/victor-serge"]
    assert values(m, "mods:name[1]/mods:namePart/text()") == ["Serge, Victor", "1890-1947"]
    assert values(m, "mods:typeOfResource/@manuscript") == ["yes"]
    assert values(m, "mods:genre[@authority='lcgft']/text()") == ["Personal correspondence"]
    assert values(m, "mods:originInfo/mods:dateCreated[@encoding='w3cdtf'][@keyDate='yes']/text()") == ["1917-03-19"]
    assert values(m, "mods:language/mods:languageTerm[@authority='iso639-2b'][@type='code']/text()") == ["fre"]
    host = "mods:relatedItem[@type='host']"
    assert values(m, f"{host}/mods:titleInfo/mods:title/text()") == ["De Kibaltchiche à Victor Serge"]
    assert values(m, f"{host}/{host}/mods:titleInfo/mods:title/text()") == ["Le Mouvement Social"]
    assert values(m, f"{host}/{host}/mods:part/mods:detail[@type='issue']/mods:number/text()") == ["47"]
    assert values(m, f"{host}/{host}/mods:part/mods:date/text()") == ["1964"]
    assert values(m, "mods:identifier[@type='uri']/text()") == [seed["letter"].uri]
    assert values(m, "mods:location/mods:url/text()") == [seed["letter"].doc]


def test_mods_text(seed):
    m = mods(seed["text"])
    assert values(m, "mods:name/mods:role/mods:roleTerm[@type='code']/text()") == ["aut", "rcp", "trl"]
    assert values(m, "mods:titleInfo/mods:subTitle/text()") == ["I have lost the sectarian intransigence of the past."]
    assert values(m, "mods:originInfo/mods:publisher/text()") == ["The Anarchist Library"]
    assert values(m, "mods:accessCondition[@type='use and reproduction']/text()") == ["Anti-Copyright"]
    original = "mods:relatedItem[@type='original']"
    assert values(m, f"{original}/mods:identifier[@type='uri']/text()") == [f"{BASE}id/letter/{SEED}"]
    assert values(m, f"{original}/mods:language/mods:languageTerm/text()") == ["fre"]
    assert values(m, f"{original}/mods:relatedItem[@type='host']/mods:identifier/text()") == \
        [f"{BASE}id/article/de-kibaltchiche-a-victor-serge"]
    assert values(m, "mods:relatedItem[@type='otherVersion']/mods:location/mods:url/text()") == \
        list(seed["text"].relations)
    assert values(m, "mods:note[@type='language']/text()") == ["In English, translated from French."]


def test_mods_crafted():
    m = mods(CRAFTED)
    assert values(m, "mods:name/mods:namePart[not(@type)]/text()") == \
        ["Armand, Émile", "Séverine", "d’Ollon, Zoé", "Ørsted, Anders"]
    assert values(m, "mods:name/mods:role/mods:roleTerm[@type='code']/text()") == ["aut", "aut", "aut", "trl"]
    assert values(m, "mods:name/@usage") == ["primary"]
    assert values(m, "mods:originInfo") == values(m, "mods:genre") == values(m, "mods:relatedItem") == []
    eo = mods(VARIANTS["crafted-letter"])
    assert values(eo, "mods:language/mods:languageTerm[@authority='rfc5646']/text()") == ["eo"]
