"""Hadath's text normalization written into an exported tokenizer, for programs that only read `tokenizer.json`.

Hadath normalizes each word itself (hadath/data/normalize.py, keeping offsets back into the user's text) and only then
hands it to the tokenizer. A plain transformers `pipeline` has nothing but the tokenizer, so it would feed the encoder
text it never saw in training (diacritics, tatweel, hamza forms, Indic digits, presentation forms). Export therefore
puts the same rules in front of the tokenizer's own normalizer, as `Replace` rules (the tokenizers library keeps
character offsets through them), and Hadath, loading the model, takes them off again: it has already normalized, and the
rules cost about four times the tokenization itself. Hadath normalizes word by word and the rules see the whole text, so
the two that look at a character's word (a word-final yeh, a word that would vanish) find its edges with
hadath/data/words.py's rule, written as lookarounds.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from tokenizers import Regex, normalizers

from hadath.data.normalize import (
    PERSIAN_YEH,
    TRANSPARENT,
    NormalizerSettings,
    fallback_settings,
    final_yeh,
    replacements,
)
from hadath.data.piece_tokenizer import PieceTokenizer, backend_of
from hadath.data.words import INVISIBLE, JOINERS

# Oniguruma classes for hadath/data/words.py's word rule: what separates words, and what may join two parts of one.
_SEPARATOR = r"\s\p{P}" + "".join(f"\\x{{{ord(char):x}}}" for char in sorted(INVISIBLE))
_JOINER = "[" + "".join(f"\\x{{{ord(char):x}}}" for char in sorted(JOINERS)) + "]"
_IN_WORD = f"[^{_SEPARATOR}]"


def _class(chars: set[str] | frozenset[str]) -> str:
    """An Oniguruma bracket class of these characters, as code-point ranges."""
    codes, parts = sorted(map(ord, chars)), []
    while codes:
        low = high = codes.pop(0)
        while codes and codes[0] == high + 1:
            high = codes.pop(0)
        parts.append(f"\\x{{{low:x}}}" + (f"-\\x{{{high:x}}}" if high > low else ""))
    return "[" + "".join(parts) + "]"


def _final_yeh_pattern() -> str:
    """A Persian yeh no letter or digit of its word follows (normalize._ends_word, read on the whole text)."""
    skipped = f"(?:{_class(TRANSPARENT)}|{_JOINER}(?={_IN_WORD}))"
    return f"{_class({PERSIAN_YEH})}(?!{skipped}*+[\\p{{L}}\\p{{N}}])"


def _deletion_pattern(deleted: set[str]) -> str:
    """The `deleted` characters, except inside a word that has nothing else to show (normalize.normalize_word keeps
    those whole): a word is a run of characters in a word with single joiners inside (hadath/data/words.py)."""
    in_word = {char for char in deleted if char not in INVISIBLE}
    joiners = deleted & JOINERS
    separators = deleted - in_word - joiners
    shown = f"[^{_SEPARATOR}{_class(in_word)[1:-1]}]" if in_word else _IN_WORD
    link = f"(?:{_JOINER}?{_IN_WORD})"
    cases = []
    if in_word:
        cases += [f"(?<={shown}{link}*{_JOINER}?){_class(in_word)}", f"{_class(in_word)}(?={link}*?{_JOINER}?{shown})"]
    if joiners:
        cases += [
            f"(?<={shown}{link}*){_class(joiners)}(?={_IN_WORD})",
            f"{_class(joiners)}(?=(?:{_IN_WORD}{_JOINER}?)*?{shown})",
            f"{_class(joiners)}(?!{_IN_WORD})",  # a joiner at a word's edge separates: always removed
        ]
    if separators:
        cases.append(_class(separators))
    return "|".join(cases)


@lru_cache(maxsize=8)
def _rules(settings: NormalizerSettings) -> tuple[normalizers.Normalizer, ...]:
    """Hadath's normalization as `Replace` rules over the whole text: the word-final yeh, then the deletions (kept in a
    word that would vanish; a second, smaller set where only invisible marks would go), then the substitutions."""
    rules = []
    yeh = final_yeh(settings)
    if yeh is not None:
        rules.append(normalizers.Replace(Regex(_final_yeh_pattern()), yeh))
    table, fallback = replacements(settings), replacements(fallback_settings(settings))
    deleted = {char for char, value in table.items() if not value}
    still_deleted = {char for char, value in fallback.items() if not value}
    for chars in (deleted, still_deleted if still_deleted != deleted else set()):
        if chars:
            rules.append(normalizers.Replace(Regex(_deletion_pattern(chars)), ""))
    # What survives the deletions: letters, and in a word that would vanish what its marks fall back to.
    substituted = {char: value for char, value in table.items() if value} | {
        char: value for char, value in fallback.items() if char in deleted and value and value != char
    }
    return (*rules, *_substitutions(substituted))


def _substitutions(table: dict[str, str]) -> list[normalizers.Normalizer]:
    """One `Replace` per distinct replacement, ordered so that no rule rewrites what an earlier one produced:
    Hadath's table is applied in one pass (ۃ becomes ة and stays ة even when ة itself becomes ه)."""
    sources: dict[str, list[str]] = {}
    for char, value in table.items():
        sources.setdefault(value, []).append(char)
    pending, ordered = dict(sources), []
    while pending:
        claimed = {char for chars in pending.values() for char in chars}
        # A rule may run now when what it writes is nothing a pending rule (which runs later) would rewrite.
        ready = [value for value, chars in pending.items() if not set(value) & (claimed - set(chars))]
        for value in ready or list(pending):  # a cycle cannot occur in Hadath's tables; never loop forever
            ordered.append((value, pending.pop(value)))
    return [
        normalizers.Replace(Regex("[" + "".join(re.escape(char) for char in sorted(chars)) + "]"), value)
        for value, chars in ordered
    ]


def pipeline_normalizer(settings: NormalizerSettings, original: Any) -> Any:
    """Hadath's rules, then the tokenizer's own normalizer (`original`, possibly None)."""
    return normalizers.Sequence([*_rules(settings), *([original] if original is not None else [])])


@contextmanager
def pipeline_normalization(tokenizer: PieceTokenizer, settings: NormalizerSettings) -> Iterator[None]:
    """While inside, the tokenizer carries Hadath's rules in front of its own normalizer (to be saved that way);
    a tokenizer without a `tokenizers` backend, or that carries them already, is left alone."""
    backend = backend_of(tokenizer)
    if backend is None or not replacements(settings) or _own_normalizer(backend, settings) is not None:
        yield
        return
    original = backend.normalizer
    backend.normalizer = pipeline_normalizer(settings, original)
    try:
        yield
    finally:
        backend.normalizer = original if original is not None else normalizers.Sequence([])


def remove_pipeline_normalizer(tokenizer: PieceTokenizer, settings: NormalizerSettings) -> None:
    """Take Hadath's rules off a tokenizer that carries them (as exported); leave any other tokenizer alone."""
    backend = backend_of(tokenizer)
    if backend is None:
        return
    own = _own_normalizer(backend, settings)
    if own is not None:
        backend.normalizer = own


def _own_normalizer(backend: Any, settings: NormalizerSettings) -> Any:
    """The tokenizer's own normalizer when its current one is exactly Hadath's rules in front of it, else None."""
    current = backend.normalizer
    if not isinstance(current, normalizers.Sequence):
        return None
    rules = len(_rules(settings))
    count = len(current)
    if count not in (rules, rules + 1):
        return None
    original = current[rules] if count == rules + 1 else None
    if current.__getstate__() != pipeline_normalizer(settings, original).__getstate__():
        return None
    return original if original is not None else normalizers.Sequence([])
