"""The authority file (``corpus/authority.toml``): facts the texts do not carry.

Entries are keyed by the names the texts use and matched by slug, so that
"Émile Armand" and "Emile Armand" find the same person. Every fact must name a
source declared under ``[sources]``; the loader refuses the file otherwise,
pointing at the offending line.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from .errors import CorpusError
from .slugs import slugify

SECTIONS = ("texts", "persons", "periodicals", "organizations")
PLAIN_KEYS = {"hosts"}            # keys whose values are not facts


@dataclass(frozen=True)
class Fact:
    """One value with the key of the source that vouches for it."""
    value: Any
    source: str
    lang: str | None = None


def _line_of(text: str, *needles: str) -> int | None:
    """First line containing the last needle after the previous ones, for error messages."""
    pos = 0
    for needle in needles:
        found = text.find(needle, pos)
        if found < 0:
            return None
        pos = found
    return text.count("\n", 0, pos) + 1


class Authority:
    """Read-only view over the authority file, with every fact checked for a source."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._text = self.path.read_text(encoding="utf-8") if self.path.exists() else ""
        try:
            data = tomllib.loads(self._text)
        except tomllib.TOMLDecodeError as err:
            found = re.search(r"\(at line (\d+), column \d+\)", str(err))
            raise CorpusError(self.path, int(found[1]) if found else None, f"not valid TOML: {err}") from None
        self.sources: dict[str, dict] = data.get("sources", {})
        self.dataset: dict[str, str] = data.get("dataset", {})
        defaults = self._entry("defaults", "", data.get("defaults", {}))
        self.default_language = defaults.get("language")
        self.sections = {s: {slugify(k): self._entry(s, k, v) for k, v in data.get(s, {}).items()}
                         for s in SECTIONS}
        self._keys = {s: {slugify(k): k for k in data.get(s, {})} for s in SECTIONS}
        self._hosts = {h: k for k, v in data.get("organizations", {}).items() for h in v.get("hosts", [])}

    def _entry(self, section: str, key: str, raw: dict) -> dict[str, Any]:
        """Turn ``{value, source}`` tables into Facts, refusing unsourced facts."""
        return {name: ([self._fact(section, key, name, v) for v in value] if isinstance(value, list)
                       else self._fact(section, key, name, value))
                if name not in PLAIN_KEYS else value
                for name, value in raw.items()}

    def _fact(self, section: str, key: str, name: str, raw: Any) -> Fact:
        line = lambda: _line_of(self._text, f"[{section}", key, name)   # only wanted for errors
        if not isinstance(raw, dict) or "source" not in raw:
            raise CorpusError(self.path, line(), f"{section} {key!r}: {name} has no source "
                              "(write it as {{ value = …, source = \"KEY\" }})")
        if raw["source"] not in self.sources:
            raise CorpusError(self.path, line(), f"{section} {key!r}: {name} cites unknown source "
                              f"{raw['source']!r}; declare it under [sources]")
        value = raw.get("value", {k: v for k, v in raw.items() if k not in ("source", "lang")})
        return Fact(value, raw["source"], raw.get("lang"))

    def get(self, section: str, name: str) -> dict[str, Any]:
        """The entry for ``name`` in ``section`` (matched by slug), or an empty dict."""
        return self.sections[section].get(slugify(name), {})

    def key(self, section: str, name: str) -> str | None:
        """The spelling the authority file uses for ``name``, if it has an entry."""
        return self._keys[section].get(slugify(name))

    def organization_for(self, url_or_host: str | None) -> str | None:
        """Name of the organization whose host a colophon URL or label points at."""
        if not url_or_host:
            return None
        host = urlparse(url_or_host).hostname or url_or_host.split("/")[0]
        return self._hosts.get(host.lower())

    def source_url(self, key: str) -> str | None:
        """The web address of a declared source, if it has one."""
        return self.sources.get(key, {}).get("url")
