"""Corpus statistics for `hadath data stats`: sentences, tokens, spans per layer and type, nesting depth, event
attributes (every event counted, defaults where it carries none, and how many are reported), and length
percentiles in words and (for a given tokenizer) in subwords, with how many sequences exceed the model maximum.

Counts accumulate one sentence (or one chunk of sentences) at a time, so a corpus is counted as it streams by."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from hadath.data.align import word_pieces
from hadath.data.encode import special_ids
from hadath.data.factuality import ATTRIBUTES, is_reported
from hadath.data.normalize import NormalizerSettings
from hadath.data.piece_tokenizer import PieceTokenizer
from hadath.data.sentence import Sentence, layer_family

CHUNK = 2000


def _percentiles(values: Sequence[int]) -> dict[str, int]:
    ordered = sorted(values)
    if not ordered:
        return {}
    return {f"p{q}": ordered[min(len(ordered) - 1, (len(ordered) * q) // 100)] for q in (50, 90, 99, 100)}


@dataclass
class CorpusTally:
    """The counts of `corpus_stats`, added to one sentence at a time (a length is kept per sentence)."""

    per_layer: Counter[str] = field(default_factory=Counter)
    per_type: dict[str, Counter[str]] = field(default_factory=dict)
    labels: Counter[str] = field(default_factory=Counter)
    depth: dict[str, int] = field(default_factory=dict)
    lengths: list[int] = field(default_factory=list)
    attributes: dict[str, Counter[str]] = field(default_factory=lambda: {name: Counter() for name in ATTRIBUTES})
    reported: int = 0
    with_attributes: int = 0
    without_events: int = 0

    def add(self, sentence: Sentence) -> None:
        """Count one sentence."""
        for layer, spans in sentence.layers.items():
            self.per_layer[layer] += len(spans)
            self.per_type.setdefault(layer, Counter()).update(span.label for span in spans)
        families = Counter(layer_family(layer) for layer, spans in sentence.layers.items() if spans)
        for family, count in families.items():
            self.depth[family] = max(self.depth.get(family, 0), count)
        self.labels.update(sentence.labels)
        self.lengths.append(len(sentence.word_offsets))
        self._add_factuality(sentence)

    def _add_factuality(self, sentence: Sentence) -> None:
        """Count each event's attributes (defaults where it carries none) and whether it is reported."""
        triggers = [s for layer, spans in sentence.layers.items() if layer_family(layer) == "events" for s in spans]
        self.without_events += not triggers
        for trigger in triggers:
            factuality = sentence.factuality_of(trigger)
            for name, value in factuality.as_dict().items():
                self.attributes[name][value] += 1
            self.reported += is_reported(factuality)
            self.with_attributes += (trigger.start, trigger.end) in sentence.factuality

    def result(self) -> dict[str, Any]:
        """Counts a user checks before training."""
        return {
            "sentences": len(self.lengths),
            "tokens": sum(self.lengths),
            "spans_per_layer": dict(sorted(self.per_layer.items())),
            "spans_per_type": {layer: dict(sorted(c.items())) for layer, c in sorted(self.per_type.items())},
            "nesting_depth": dict(sorted(self.depth.items())),
            "sentence_labels": dict(sorted(self.labels.items())),
            "words_per_sentence": _percentiles(self.lengths),
            "sentences_without_events": self.without_events,
            "event_attributes": {
                "annotated_events": self.with_attributes,
                "reported_events": self.reported,
                **{
                    name: {value: self.attributes[name][value] for value in values}
                    for name, values in ATTRIBUTES.items()
                },
            },
        }


def corpus_stats(sentences: Iterable[Sentence]) -> dict[str, Any]:
    """Counts a user checks before training."""
    tally = CorpusTally()
    for sentence in sentences:
        tally.add(sentence)
    return tally.result()


def subword_stats(
    sentences: Iterable[Sentence], tokenizer: PieceTokenizer, settings: NormalizerSettings, max_length: int
) -> dict[str, Any]:
    """Subwords per sentence (special tokens included, as the encoder sees them) and how many exceed `max_length`
    (those are split into overlapping windows at training and prediction time, never truncated); tokenized in
    chunks of `CHUNK` sentences."""
    before, after = special_ids(tokenizer)
    lengths: list[int] = []
    placeholders = 0
    stream = iter(sentences)
    while chunk := list(islice(stream, CHUNK)):
        pieces = word_pieces(chunk, tokenizer, settings)
        lengths += [sum(len(word) for word in s) + len(before) + len(after) for s in pieces.pieces]
        placeholders += pieces.stats.placeholder_words
    return {
        "subwords_per_sentence": _percentiles(lengths),
        "max_length": max_length,
        "sequences_over_max_length": sum(length > max_length for length in lengths),
        "words_without_subwords": placeholders,
    }
