"""Documents + authority file → one rdflib Graph (pure: no I/O, no network)."""
from __future__ import annotations

from collections.abc import Callable, Iterable

from rdflib import Graph

from .agents import World
from .authority import Authority
from .document import Document
from .namespaces import PREFIXES
from .works import Works


def new_graph() -> Graph:
    """An empty graph with our prefixes bound (and none of rdflib's defaults)."""
    g = Graph(bind_namespaces="none")
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    return g


def build_graph(docs: Iterable[Document], authority: Authority, base: str,
                progress: Callable[[int], None] | None = None) -> Graph:
    """Model every document and the world they share."""
    g = new_graph()
    g.bind("epi", f"{base}vocab#")
    works = Works(World(g, base, authority))
    for i, doc in enumerate(docs, start=1):
        works.add(doc)
        if progress:
            progress(i)
    return g
