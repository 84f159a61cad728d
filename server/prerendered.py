"""Read access to a build's pre-rendered documents (``documents.sqlite``, see graph/documents.py)."""
from __future__ import annotations

import sqlite3
import threading
from pathlib import Path


class Documents:
    """A build's pre-rendered documents (``documents.sqlite``): bytes by (IRI, extension)."""

    def __init__(self, path: Path):
        self.path = path
        self._local = threading.local()

    def get(self, iri: str, ext: str) -> bytes | None:
        db = getattr(self._local, "db", None)
        if db is None:
            if not self.path.exists():
                return None
            db = self._local.db = sqlite3.connect(f"file:{self.path}?mode=ro&immutable=1", uri=True,
                                                  check_same_thread=False)
        row = db.execute("SELECT body FROM documents WHERE iri = ? AND ext = ?", (iri, ext)).fetchone()
        return row[0] if row else None
