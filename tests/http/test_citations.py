"""Citation formats of letters and texts (SPEC "Representations of /doc/…", last row;
research/linked-data.md §6, check 14): BibTeX, CSL-JSON, RIS — negotiated and by suffix.
"""
from __future__ import annotations

import json
import re

import pytest

from .support import LETTER, SERGE, TEXT, get, mime, rel

BIBTEX, CSL, RIS = ("application/x-bibtex", "application/vnd.citationstyles.csl+json",
                    "application/x-research-info-systems")
CITATIONS = {"bib": BIBTEX, "csl.json": CSL, "ris": RIS}


def _names(value) -> str:
    """CSL name variables as one searchable string."""
    return json.dumps(value or [], ensure_ascii=False)


def _csl_item(body: bytes) -> dict:
    doc = json.loads(body)
    items = doc if isinstance(doc, list) else [doc]
    assert len(items) == 1, f"{len(items)} CSL items"
    return items[0]


@pytest.mark.parametrize("thing", [LETTER, TEXT])
def test_citation_formats_by_accept_and_by_suffix(base, thing):
    doc = f"{base}doc/{thing}"
    problems = []
    for ext, media_type in CITATIONS.items():
        negotiated = get(doc, media_type)
        fixed = get(f"{doc}.{ext}")
        for how, r in (("Accept", negotiated), (f".{ext}", fixed)):
            if r.status_code != 200 or mime(r) != media_type:
                problems.append((how, media_type, r.status_code, r.headers.get("Content-Type")))
        if negotiated.status_code == fixed.status_code == 200 and negotiated.content != fixed.content:
            problems.append((ext, "negotiated and suffix bodies differ"))
    assert not problems, problems


def test_letter_bibtex(base):
    r = get(f"{base}doc/{LETTER}", BIBTEX)
    assert r.status_code == 200 and mime(r) == BIBTEX
    text = r.text
    assert re.match(r"\s*@misc\s*\{\s*[^,\s]+\s*,", text, re.I), text[:200]
    author = re.search(r"\bauthor\s*=\s*[{\"](.+?)[}\"]\s*,?\s*$", text, re.I | re.M)
    assert author and "Serge" in author.group(1), text
    assert re.search(r"\byear\s*=\s*[{\"]?1917", text, re.I) or \
        re.search(r"\bdate\s*=\s*[{\"]?1917-03-19", text, re.I), text


def test_letter_csl_json(base):
    r = get(f"{base}doc/{LETTER}", CSL)
    assert r.status_code == 200 and mime(r) == CSL
    item = _csl_item(r.content)
    assert "Serge" in _names(item.get("author"))
    assert "Armand" in _names(item.get("recipient"))
    issued = item.get("issued") or {}
    parts = issued.get("date-parts") or [[]]
    assert parts[0][:1] == [1917] or str(issued.get("raw", "")).startswith("1917"), issued
    assert item.get("type") in ("personal_communication", "letter"), item.get("type")


def test_text_csl_json_names_the_translator(base):
    r = get(f"{base}doc/{TEXT}", CSL)
    assert r.status_code == 200 and mime(r) == CSL
    item = _csl_item(r.content)
    assert "Serge" in _names(item.get("author"))
    assert "Abidor" in _names(item.get("translator"))


def test_letter_ris(base):
    r = get(f"{base}doc/{LETTER}", RIS)
    assert r.status_code == 200 and mime(r) == RIS
    lines = [ln.rstrip() for ln in r.text.splitlines() if ln.strip()]
    assert re.match(r"TY  - \S", lines[0]), lines[:3]
    assert any(re.match(r"AU  - .*Serge", ln) for ln in lines), lines
    assert re.match(r"ER  -", lines[-1]), lines[-3:]
    assert any(re.match(r"(PY|DA|Y1)  - 1917", ln) for ln in lines), lines


def test_letter_links_its_citation_formats(base):
    doc = f"{base}doc/{LETTER}"
    alternates = {link.target: link.type for link in rel(get(doc, "text/turtle"), "alternate")}
    for ext, media_type in CITATIONS.items():
        assert alternates.get(f"{doc}.{ext}") == media_type, alternates


def test_citations_only_for_letters_and_texts(base):
    doc = f"{base}doc/{SERGE}"
    assert get(doc, BIBTEX).status_code == 406
    assert get(f"{doc}.bib").status_code == 404
    assert not [link for link in rel(get(doc), "alternate") if link.type in CITATIONS.values()]
