"""Entity-level P/R/F1 from span lists, in one pass over the tags: the figures seqeval gives, in linear time.

seqeval's strict mode slices the tag list once per entity (quadratic in sentence length: one 200,000-token sentence
ran past two minutes) and its default mode re-reads the tags per type. Here each sentence's spans are read once
(`spans_from_tags`, conlleval's reading; `strict_iob2_spans`, seqeval's strict IOB2 reading) and counted per type
into `(true positives, predicted, gold)`; precision, recall and F1 use seqeval's own arithmetic, so the rounded
figures are identical (tests/test_metrics.py checks both modes against seqeval on random tags).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from hadath.data.schemes import TagSpan


@dataclass
class TypeCounts:
    """Per entity type: spans in both (same boundaries and type), predicted spans, gold spans."""

    correct: Counter[str] = field(default_factory=Counter)
    predicted: Counter[str] = field(default_factory=Counter)
    gold: Counter[str] = field(default_factory=Counter)

    def add(self, gold: Iterable[TagSpan], predicted: Iterable[TagSpan]) -> tuple[int, int, int]:
        """Count one sentence's spans; return its (correct, predicted, gold) totals."""
        # Plain tuples: a TagSpan's generated __hash__ costs several times a tuple's on a long sentence.
        gold_set = {(span.label, span.start, span.end) for span in gold}
        predicted_set = {(span.label, span.start, span.end) for span in predicted}
        correct = gold_set & predicted_set
        for counter, spans in ((self.gold, gold_set), (self.predicted, predicted_set), (self.correct, correct)):
            counter.update(label for label, _, _ in spans)
        return len(correct), len(predicted_set), len(gold_set)

    def types(self) -> list[str]:
        """Every type seen in gold or predictions, sorted (seqeval's report rows)."""
        return sorted(set(self.gold) | set(self.predicted))


def prf(correct: int, predicted: int, gold: int) -> tuple[float, float, float]:
    """Precision, recall and F1 computed as seqeval computes them (zero_division=0), so the floats are equal."""
    precision = correct / predicted if predicted else 0.0
    recall = correct / gold if gold else 0.0
    denominator = 1.0 * precision + recall
    f1 = (1 + 1.0) * precision * recall / denominator if denominator else 0.0
    return precision, recall, f1


def micro_prf(counts: TypeCounts) -> tuple[float, float, float]:
    """Micro-averaged precision, recall and F1 over every type."""
    return prf(sum(counts.correct.values()), sum(counts.predicted.values()), sum(counts.gold.values()))


@lru_cache(maxsize=4096)
def _strict_parts(tag: str) -> tuple[str, str]:
    # seqeval's Token: the prefix is the first character, the type the rest without its delimiter ('_' if empty).
    if tag[:1] not in ("B", "I", "O"):
        raise ValueError(f"invalid IOB2 tag {tag!r}: strict scoring needs B-, I- or O tags")
    return tag[0], tag[1:].strip("-") or "_"


def strict_iob2_spans(tags: Sequence[str]) -> list[TagSpan]:
    """The spans seqeval's strict IOB2 mode reads: a B- and the I- tags of its type that follow it; an I- that no
    B- opened belongs to no span."""
    spans: list[TagSpan] = []
    index, length = 0, len(tags)
    while index < length:
        prefix, type_ = _strict_parts(tags[index])
        if prefix != "B":
            index += 1
            continue
        end = index + 1
        while end < length and _strict_parts(tags[end]) == ("I", type_):
            end += 1
        spans.append(TagSpan(index, end, type_))
        index = end
    return spans
