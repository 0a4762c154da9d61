"""Corpus statistics for `hadath data stats`: sentences, words, spans per layer and type, length percentiles."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from hadath.data.sentence import Sentence


def _percentiles(values: Sequence[int]) -> dict[str, int]:
    ordered = sorted(values)
    if not ordered:
        return {}
    return {f"p{q}": ordered[min(len(ordered) - 1, (len(ordered) * q) // 100)] for q in (50, 90, 99, 100)}


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
        "words": sum(lengths),
        "spans_per_layer": dict(sorted(per_layer.items())),
        "spans_per_type": {layer: dict(sorted(c.items())) for layer, c in sorted(per_type.items())},
        "nesting_depth": max((len([k for k in s.layers if k.startswith("entities")]) for s in sentences), default=0),
        "sentence_labels": dict(sorted(labels.items())),
        "words_per_sentence": _percentiles(lengths),
    }
