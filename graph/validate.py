"""Check a graph against ``vocab/shapes.ttl`` with pyshacl."""
from __future__ import annotations

from pyshacl import validate
from rdflib import Graph

import vocab

from .errors import ShapeError

_SHAPES: Graph | None = None


def shapes() -> Graph:
    """The SHACL shapes graph, parsed once."""
    global _SHAPES
    if _SHAPES is None:
        _SHAPES = Graph().parse(data=vocab.SHAPES.read_text(encoding="utf-8"), format="turtle")
    return _SHAPES


def check(graph: Graph) -> None:
    """Raise :class:`ShapeError` with pyshacl's readable report if ``graph`` violates a shape."""
    conforms, _, report = validate(graph, shacl_graph=shapes(), inference="none",
                                   advanced=False, allow_warnings=True)
    if not conforms:
        raise ShapeError(f"the graph does not conform to vocab/shapes.ttl:\n{report}")
