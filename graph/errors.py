"""Typed errors of the build: each names the file, the line and the reason."""
from __future__ import annotations


class BuildError(Exception):
    """Anything that stops a build; the message is meant for the user."""


class CorpusError(BuildError):
    """A source document or the authority file is malformed."""

    def __init__(self, path: str, line: int | None, reason: str):
        self.path, self.line, self.reason = str(path), line, reason
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {reason}")


class ShapeError(BuildError):
    """The graph violates the SHACL shapes; the message is pyshacl's report."""
