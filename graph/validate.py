"""Check a graph against ``vocab/shapes.ttl`` with pyshacl."""
from __future__ import annotations

import multiprocessing

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


class Background:
    """Runs :func:`check` in a forked process while the build writes its files.

    The graph is inherited (copy-on-write), not pickled; only the report comes
    back. ``result()`` waits and raises :class:`ShapeError` on a violation.
    """

    def __init__(self, graph: Graph):
        ctx = multiprocessing.get_context("fork")
        self._conn, child = ctx.Pipe(duplex=False)
        self._process = ctx.Process(target=self._run, args=(graph, child), daemon=True)
        self._process.start()
        child.close()

    @staticmethod
    def _run(graph: Graph, conn) -> None:
        try:
            check(graph)
            conn.send(None)
        except ShapeError as err:
            conn.send(str(err))
        except Exception as err:                        # report, never hang the parent
            conn.send(f"the shape check itself failed: {err!r}")

    def result(self) -> None:
        try:
            report = self._conn.recv()
        except EOFError:
            report = "the shape check process died"
        self._process.join()
        if report is not None:
            raise ShapeError(report)

    def cancel(self) -> None:
        if self._process.is_alive():
            self._process.kill()
        self._process.join()
