"""Read access to a build's ``oai.sqlite``: records, metadata, sets (read-only, per-thread connections)."""
from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Header:
    """What an OAI-PMH header says of a record."""
    key: str
    datestamp: str
    deleted: bool
    sets: tuple[str, ...]


class OaiRecords:
    """The records of one build."""

    def __init__(self, path: Path, domain: str, secret: str, **_):
        self.path, self.domain, self.secret = path, domain, bytes.fromhex(secret)
        self._local = threading.local()
        self.sets = dict(self._db().execute("SELECT spec, name FROM sets ORDER BY spec").fetchall())
        row = self._db().execute("SELECT MIN(datestamp) FROM records").fetchone()
        self.earliest = row[0]
        first = self._db().execute("SELECT key FROM records ORDER BY key LIMIT 1").fetchone()
        self.sample = first[0] if first else None

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(f"file:{self.path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
            self._local.db = db
        return db

    def header(self, key: str) -> Header | None:
        row = self._db().execute("SELECT key, datestamp, deleted, sets FROM records WHERE key = ?",
                                 (key,)).fetchone()
        return _header(row) if row else None

    def citation(self, key: str, ext: str) -> bytes | None:
        row = self._db().execute("SELECT body FROM citations WHERE key = ? AND ext = ?", (key, ext)).fetchone()
        return row[0] if row else None

    def metadata(self, keys: list[str], prefix: str) -> dict[str, bytes]:
        marks = ",".join("?" * len(keys))
        rows = self._db().execute(f"SELECT key, xml FROM metadata WHERE prefix = ? AND key IN ({marks})",
                                  (prefix, *keys)).fetchall()
        return dict(rows)

    def _where(self, since: str | None, until: str | None, spec: str | None) -> tuple[str, list]:
        clauses, params = [], []
        if since:
            clauses.append("r.datestamp >= ?"), params.append(since)
        if until:
            clauses.append("r.datestamp <= ?"), params.append(until)
        if spec:
            clauses.append("r.key IN (SELECT key FROM membership WHERE spec = ?)"), params.append(spec)
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def count(self, since=None, until=None, spec=None) -> int:
        where, params = self._where(since, until, spec)
        return self._db().execute(f"SELECT COUNT(*) FROM records r{where}", params).fetchone()[0]

    def page(self, after: tuple[str, str] | None, size: int, since=None, until=None,
             spec=None) -> list[Header]:
        """Up to ``size`` headers after the ``(datestamp, key)`` position ``after``.

        Keyset paging in (datestamp, key) order: a record that changes moves to
        the end of the list, so a harvest in progress never skips an unchanged one.
        """
        where, params = self._where(since, until, spec)
        if after:
            where += (" AND " if where else " WHERE ") + "(r.datestamp > ? OR (r.datestamp = ? AND r.key > ?))"
            params += [after[0], after[0], after[1]]
        rows = self._db().execute(f"SELECT key, datestamp, deleted, sets FROM records r{where} "
                                  f"ORDER BY datestamp, key LIMIT ?", (*params, size))
        return [_header(row) for row in rows]


def _header(row) -> Header:
    return Header(row[0], row[1], bool(row[2]), tuple(row[3].split()))
