"""Corpus statistics for `hadath data stats`: sentences, tokens, spans per layer and type, nesting depth, and length
percentiles in words and (for a given tokenizer) in subwords, with how many sequences exceed the model maximum."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from hadath.data.align import word_pieces
from hadath.data.encode import special_ids
from hadath.data.normalize import NormalizerSettings
from hadath.data.sentence import Sentence, layer_family


def _percentiles(values: Sequence[int]) -> dict[str, int]:
    ordered = sorted(values)
    if not ordered:
        return {}
    return {f"p{q}": ordered[min(len(ordered) - 1, (len(ordered) * q) // 100)] for q in (50, 90, 99, 100)}


def _nesting_depth(sentences: Sequence[Sentence]) -> dict[str, int]:
    depth: dict[str, int] = {}
    for sentence in sentences:
        counts = Counter(layer_family(layer) for layer, spans in sentence.layers.items() if spans)
        for family, count in counts.items():
            depth[family] = max(depth.get(family, 0), count)
    return dict(sorted(depth.items()))


def corpus_stats(sentences: Sequence[Sentence]) -> dict[str, Any]:
    """Counts a user checks before training."""
    per_layer: Counter[str] = Counter()
    per_type: dict[str, Counter[str]] = {}
    labels: Counter[str] = Counter()
    for sentence in sentences:
        for layer, spans in sentence.layers.items():
            per_layer[layer] += len(spans)
            per_type.setdefault(layer, Counter()).update(span.label for span in spans)
        labels.update(sentence.labels)
    lengths = [len(sentence.word_offsets) for sentence in sentences]
    return {
        "sentences": len(sentences),
        "tokens": sum(lengths),
        "spans_per_layer": dict(sorted(per_layer.items())),
        "spans_per_type": {layer: dict(sorted(c.items())) for layer, c in sorted(per_type.items())},
        "nesting_depth": _nesting_depth(sentences),
        "sentence_labels": dict(sorted(labels.items())),
        "words_per_sentence": _percentiles(lengths),
    }


def subword_stats(
    sentences: Sequence[Sentence], tokenizer: Any, settings: NormalizerSettings, max_length: int
) -> dict[str, Any]:
    """Subwords per sentence (special tokens included, as the encoder sees them) and how many exceed `max_length`
    (those are split into overlapping windows at training and prediction time, never truncated)."""
    pieces = word_pieces(sentences, tokenizer, settings)
    before, after = special_ids(tokenizer)
    lengths = [sum(len(word) for word in sentence) + len(before) + len(after) for sentence in pieces.pieces]
    return {
        "subwords_per_sentence": _percentiles(lengths),
        "max_length": max_length,
        "sequences_over_max_length": sum(length > max_length for length in lengths),
        "words_without_subwords": pieces.stats.placeholder_words,
    }
