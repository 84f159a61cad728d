"""Runs SPARQL queries in child processes that can be killed.

pyoxigraph evaluates a query in native code that Python cannot interrupt, and
an aggregate over a cross product yields nothing until it has seen it all. So
each query runs in a child process of a small pool: the child opens the store
read-only, evaluates, serializes the result (stopping at the result cap) and
sends back bytes. If the time limit passes first, the parent kills that child
and starts a fresh one: the runaway query costs one process, never a worker.
"""
from __future__ import annotations

import io
import multiprocessing
import queue
import threading
from dataclasses import dataclass

import pyoxigraph as ox


class QueryError(Exception):
    """A query the engine refused: status and message for the client."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


@dataclass(frozen=True)
class Job:
    """One query with its dataset and the formats to answer in."""
    query: str
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    results_format: str      # a QueryResultsFormat attribute name: JSON, XML, CSV, TSV
    graph_format: str        # an RdfFormat attribute name: TURTLE, N_TRIPLES, RDF_XML, JSON_LD
    max_bytes: int


class _Capped(io.RawIOBase):
    """A byte sink that refuses to grow beyond ``limit`` bytes."""

    def __init__(self, limit: int):
        self.limit, self.parts, self.size = limit, [], 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.size += len(data)
        if self.size > self.limit:
            raise OverflowError
        self.parts.append(bytes(data))
        return len(data)


def evaluate(store: ox.Store, job: Job) -> tuple[str, bytes]:
    """Run ``job`` on ``store``: ``(kind, body)`` with kind 'results' or 'graph'."""
    kwargs = {}
    if job.default_graphs:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs]
    if job.named_graphs:
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
    try:
        result = store.query(job.query, **kwargs)
    except SyntaxError as err:
        raise QueryError(400, f"malformed query: {err}") from None
    except (ValueError, OSError) as err:
        raise QueryError(400, f"query failed: {err}") from None
    out = _Capped(job.max_bytes)
    try:
        if isinstance(result, ox.QueryTriples):
            result.serialize(out, getattr(ox.RdfFormat, job.graph_format))
            kind = "graph"
        else:
            result.serialize(out, getattr(ox.QueryResultsFormat, job.results_format))
            kind = "results"
    except OverflowError:
        raise QueryError(422, f"the result is larger than the cap of {job.max_bytes} bytes; "
                              "narrow the query or add a LIMIT") from None
    except OSError as err:
        if isinstance(err.__cause__, OverflowError) or "OverflowError" in str(err):
            raise QueryError(422, f"the result is larger than the cap of {job.max_bytes} bytes; "
                                  "narrow the query or add a LIMIT") from None
        raise QueryError(400, f"query failed: {err}") from None
    return kind, b"".join(out.parts)


def _child(store_path: str, conn) -> None:
    """Child process: answer jobs until the pipe closes."""
    store = ox.Store.read_only(store_path)
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        try:
            conn.send(("ok",) + evaluate(store, job))
        except QueryError as err:
            conn.send(("error", err.status, err.message))


class _Worker:
    def __init__(self, ctx, store_path: str):
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_child, args=(store_path, child), daemon=True)
        self.process.start()
        child.close()

    def kill(self) -> None:
        self.process.kill()
        self.process.join(1)
        self.conn.close()


class QueryPool:
    """``size`` child processes over one store; ``run`` enforces the time limit."""

    def __init__(self, store_path: str, size: int = 2, timeout: float = 10.0):
        self.store_path, self.timeout = store_path, timeout
        self._ctx = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        for _ in range(size):
            self._idle.put(_Worker(self._ctx, store_path))

    def run(self, job: Job) -> tuple[str, bytes]:
        """Evaluate ``job`` in an idle child; QueryError on a bad query or the time limit."""
        try:
            worker = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            raise QueryError(503, "every query process is busy; try again shortly") from None
        try:
            worker.conn.send(job)
            if not worker.conn.poll(self.timeout):
                worker.kill()
                worker = _Worker(self._ctx, self.store_path)
                raise QueryError(503, f"the query ran longer than the time limit of "
                                      f"{self.timeout:g} s and was stopped")
            reply = worker.conn.recv()
        except (EOFError, BrokenPipeError, ConnectionResetError):
            worker.kill()
            worker = _Worker(self._ctx, self.store_path)
            raise QueryError(500, "the query process died; the query was not answered") from None
        finally:
            self._idle.put(worker)
        if reply[0] == "error":
            raise QueryError(reply[1], reply[2])
        return reply[1], reply[2]

    def close(self) -> None:
        while not self._idle.empty():
            self._idle.get_nowait().kill()


class RemoteEngine:
    """Runs jobs on a remote SPARQL store instead: its server enforces its own limits,
    ours are the HTTP time-out and the result cap."""

    def __init__(self, store):
        self.store = store

    def run(self, job: Job) -> tuple[str, bytes]:
        from graph.remote import GRAPH_TYPES, RESULT_TYPES, RemoteError
        params = [("default-graph-uri", g) for g in job.default_graphs] + \
                 [("named-graph-uri", g) for g in job.named_graphs]
        accept = f"{RESULT_TYPES[job.results_format]}, {GRAPH_TYPES[job.graph_format]}"
        try:
            ctype, body = self.store.request(job.query, accept, params, job.max_bytes)
        except RemoteError as err:
            raise QueryError(err.status, err.message) from None
        return ("graph" if ctype in GRAPH_TYPES.values() else "results"), body

    def close(self) -> None:
        """Nothing to stop: the remote server owns its processes."""
