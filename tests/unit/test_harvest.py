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
