"""Splitting raw text into words with exact character offsets (punctuation apart, invisible marks as separators,
except the zero-width (non-)joiners, which belong to the word they sit inside)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

# Bidi and zero-width marks are glued to tokens in scraped Arabic text; they separate words, never belong to one.
INVISIBLE = frozenset(
    "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\u061c"
)


# ZWNJ and ZWJ shape the letters around them (Persian "می‌خواهم", Arabic typed on Persian keyboards): inside a word they
# are part of it; only at a word's edge are they separators like the other invisible marks.
JOINERS = frozenset("\u200c\u200d")


def _is_separator(char: str) -> bool:
    return char.isspace() or char in INVISIBLE


def _is_word_char(char: str) -> bool:
    return not (_is_separator(char) or _is_punctuation(char))


def _is_punctuation(char: str) -> bool:
    return unicodedata.category(char).startswith("P")


def split_words(text: str, boundaries: Iterable[int] = ()) -> list[tuple[int, int]]:
    """Word offsets in `text`: whitespace-separated runs, each punctuation mark its own word, and a cut at every
    offset in `boundaries` (annotation edges that fall inside a token, such as a clitic before a name)."""
    cuts = set(boundaries)
    offsets: list[tuple[int, int]] = []
    start: int | None = None
    for index, char in enumerate(text):
        inside = start is not None and index + 1 < len(text) and _is_word_char(text[index + 1])
        if char in JOINERS and inside and index not in cuts:
            continue  # a joiner between two letters of one word
        if _is_separator(char):
            if start is not None:
                offsets.append((start, index))
                start = None
            continue
        if _is_punctuation(char):
            if start is not None:
                offsets.append((start, index))
            offsets.append((index, index + 1))
            start = None
            continue
        if start is not None and index in cuts:
            offsets.append((start, index))
            start = index
        elif start is None:
            start = index
    if start is not None:
        offsets.append((start, len(text)))
    return offsets
