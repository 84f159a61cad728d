"""Datestamps that harvesters can trust, carried from one build to the next.

The ledger maps each record key to the hash of its metadata (all formats),
the datestamp of the last change and whether it is deleted. A rebuild keeps a
record's datestamp when its hash is unchanged, stamps ``now`` when it changed
or appeared, and turns a record that left the corpus into a deleted one
(stamped with the deletion time) — for good: a deleted record stays in the
ledger forever (OAI-PMH ``deletedRecord=persistent``).

>>> first = carry({}, {"a": ("h1", ["s"])}, "2026-01-01T00:00:00Z")
>>> first["a"].datestamp
'2026-01-01T00:00:00Z'
>>> carry(first, {"a": ("h1", ["s"])}, "2026-02-02T00:00:00Z")["a"].datestamp
'2026-01-01T00:00:00Z'
>>> gone = carry(first, {}, "2026-03-03T00:00:00Z")["a"]
>>> (gone.deleted, gone.datestamp)
(True, '2026-03-03T00:00:00Z')
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from pathlib import Path

LEDGER = "oai-ledger.json"


@dataclass(frozen=True)
class Entry:
    """One record's state: metadata hash, last change, deletion, set membership, first entry."""
    hash: str
    datestamp: str
    deleted: bool
    sets: tuple[str, ...]
    created: str = ""


def carry(previous: dict[str, Entry], current: dict[str, tuple[str, list[str]]], now: str) -> dict[str, Entry]:
    """The new ledger: ``current`` maps each key to (metadata hash, sets)."""
    ledger = {}
    for key, (digest, sets) in current.items():
        old = previous.get(key)
        unchanged = old is not None and not old.deleted and old.hash == digest and old.sets == tuple(sets)
        ledger[key] = old if unchanged else Entry(digest, now, False, tuple(sets), old.created if old else now)
    for key, old in previous.items():
        if key not in current:
            ledger[key] = old if old.deleted else replace(old, datestamp=now, deleted=True, hash="")
    return dict(sorted(ledger.items()))


def load(build_dir: Path) -> dict[str, Entry]:
    """The ledger of a previous build, or an empty one."""
    path = build_dir / LEDGER
    if not path.exists():
        return {}
    raw = json.loads(path.read_text(encoding="utf-8"))
    return {k: Entry(v["hash"], v["datestamp"], v["deleted"], tuple(v["sets"]), v.get("created") or v["datestamp"])
            for k, v in raw.items()}


def save(ledger: dict[str, Entry], build_dir: Path) -> None:
    """Write the ledger (sorted, stable) into a build directory."""
    data = {k: {**asdict(e), "sets": list(e.sets)} for k, e in ledger.items()}
    (build_dir / LEDGER).write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
