"""The build's record output: MARC dating by placeholder equals rendering with the datestamp."""
from __future__ import annotations

import pytest
from lxml import etree

from graph.authority import Authority
from graph.crosswalk_marc import marc21
from graph.harvest import _dated, render
from graph.model import build_graph
from graph.records import records
from graph.tal import parse_corpus
from tests.conftest import CORPUS

BASE = "http://localhost:8080/"


@pytest.mark.parametrize("index", [0, 1])
@pytest.mark.parametrize("stamp", ["2026-11-27T23:35:53Z", "1999-01-02T03:04:05Z"])
def test_placeholder_dating_equals_direct_rendering(index, stamp):
    record = records(build_graph(parse_corpus(CORPUS), Authority(CORPUS / "authority.toml"), BASE), BASE)[index]
    direct = etree.tostring(marc21(record, control_number=record.key, organization="example.org",
                                   datestamp=stamp), encoding="utf-8")
    assert _dated(render(record, "example.org")["marc21"], stamp) == direct
    assert stamp.replace("-", "").replace(":", "").replace("T", "")[:14].encode() in direct


def test_a_changed_record_keeps_its_entry_date_but_gets_a_new_datestamp():
    from graph.ledger import carry
    first = carry({}, {"k": ("h1", ["type:letter"])}, "2026-01-01T00:00:00Z")
    second = carry(first, {"k": ("h2", ["type:letter"])}, "2026-02-01T00:00:00Z")
    assert (second["k"].created, second["k"].datestamp) == ("2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z")
    marc = _dated(b'<controlfield tag="005">10000101000000.0</controlfield><controlfield tag="008">000101s1917',
                  second["k"].datestamp, second["k"].created)
    assert marc == (b'<controlfield tag="005">20260201000000.0</controlfield>'
                    b'<controlfield tag="008">260101s1917')
