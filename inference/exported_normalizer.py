"""Hadath's text normalization written into an exported tokenizer, for programs that only read `tokenizer.json`.

Hadath normalizes each word itself (data/normalize.py, keeping offsets back into the user's text) and only then hands
it to the tokenizer. A plain transformers `pipeline` has nothing but the tokenizer, so it would feed the encoder text
it never saw in training (diacritics, tatweel, hamza forms, Indic digits, presentation forms). Export therefore puts
the same character table in front of the tokenizer's own normalizer, as `Replace` rules (the tokenizers library keeps
character offsets through them), and Hadath, loading the model, takes them off again: it has already normalized, and
the rules cost about four times the tokenization itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from tokenizers import Regex, normalizers

from hadath.data.normalize import NormalizerSettings, replacements


@lru_cache(maxsize=8)
def _rules(settings: NormalizerSettings) -> tuple[normalizers.Normalizer, ...]:
    """One `Replace` per distinct replacement, ordered so that no rule rewrites what an earlier one produced:
    Hadath's table is applied in one pass (ۃ becomes ة and stays ة even when ة itself becomes ه)."""
    sources: dict[str, list[str]] = {}
    for char, value in replacements(settings).items():
        sources.setdefault(value, []).append(char)
    pending, ordered = dict(sources), []
    while pending:
        claimed = {char for chars in pending.values() for char in chars}
        # A rule may run now when what it writes is nothing a pending rule (which runs later) would rewrite.
        ready = [value for value, chars in pending.items() if not set(value) & (claimed - set(chars))]
        for value in ready or list(pending):  # a cycle cannot occur in Hadath's tables; never loop forever
            ordered.append((value, pending.pop(value)))
    return tuple(
        normalizers.Replace(Regex("[" + "".join(re.escape(char) for char in sorted(chars)) + "]"), value)
        for value, chars in ordered
    )


def pipeline_normalizer(settings: NormalizerSettings, original: Any) -> Any:
    """Hadath's rules, then the tokenizer's own normalizer (`original`, possibly None)."""
    return normalizers.Sequence([*_rules(settings), *([original] if original is not None else [])])


def _backend(tokenizer: Any) -> Any:
    """The `tokenizers.Tokenizer` behind a transformers fast tokenizer or Hadath's LightTokenizer."""
    return getattr(tokenizer, "backend_tokenizer", None) or getattr(tokenizer, "backend", None)


@contextmanager
def pipeline_normalization(tokenizer: Any, settings: NormalizerSettings) -> Iterator[None]:
    """While inside, the tokenizer carries Hadath's rules in front of its own normalizer (to be saved that way);
    a tokenizer without a `tokenizers` backend, or that carries them already, is left alone."""
    backend = _backend(tokenizer)
    if backend is None or not replacements(settings) or _own_normalizer(backend, settings) is not None:
        yield
        return
    original = backend.normalizer
    backend.normalizer = pipeline_normalizer(settings, original)
    try:
        yield
    finally:
        backend.normalizer = original if original is not None else normalizers.Sequence([])


def remove_pipeline_normalizer(tokenizer: Any, settings: NormalizerSettings) -> None:
    """Take Hadath's rules off a tokenizer that carries them (as exported); leave any other tokenizer alone."""
    backend = _backend(tokenizer)
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
