"""Slugs: lower-case ASCII words joined by ``-`` (accents folded: Émile → emile).

>>> slugify("Émile Armand")
'emile-armand'
>>> slugify("De Kibaltchiche à Victor Serge")
'de-kibaltchiche-a-victor-serge'
>>> slugify("Le Mouvement Social", "47")
'le-mouvement-social-47'
"""
from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")


def slugify(*parts: str) -> str:
    """Fold accents, lower-case and join the words of ``parts`` with ``-``."""
    text = " ".join(parts)
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NON_WORD.sub("-", folded.lower()).strip("-")
