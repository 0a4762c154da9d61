"""Sentences that differ only in what a reader would not count as different: diacritics, tatweel, invisible marks,
punctuation, digits, spacing. Annotating two of them teaches the model nothing the first did not."""

from __future__ import annotations

import hashlib
import unicodedata

from hadath.data.words import INVISIBLE

TATWEEL = "\u0640"


def duplicate_key(text: str) -> str:
    """The same key for two near-duplicate texts (a short hash of the text with all of the above removed)."""
    kept = []
    for char in unicodedata.normalize("NFKC", text):
        category = unicodedata.category(char)
        if char.isspace():
            kept.append(" ")
        elif char in INVISIBLE or char == TATWEEL or category.startswith(("M", "P", "C")):
            continue
        else:
            kept.append("0" if category == "Nd" else char.casefold())
    folded = " ".join("".join(kept).split())
    return hashlib.sha1(folded.encode("utf-8")).hexdigest()[:16]
