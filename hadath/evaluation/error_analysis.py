"""Span-level error analysis: matching gold and predicted spans, SemEval-2013 partial-match scores, error kinds,
a type confusion matrix and examples.

Gold and predicted spans are matched one to one: exact boundaries first, then overlapping pairs by largest overlap.
Each pair (or lone span) gets one kind:

- `correct`: same boundaries, same type
- `type`: same boundaries, another type (a type confusion)
- `boundary`: overlapping, same type, other boundaries
- `boundary_type`: overlapping, other boundaries and another type
- `missed`: a gold span no prediction overlaps
- `spurious`: a predicted span no gold span overlaps (or a second prediction on an already matched gold span)
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from hadath.data.schemes import TagSpan, spans_from_tags

KINDS = ("correct", "type", "boundary", "boundary_type", "missed", "spurious")
NONE = "∅"  # the confusion matrix's row/column for "no span on this side"


@dataclass(frozen=True)
class SpanMatch:
    """A matched gold/predicted pair, or a lone span (the other side None), with its error kind."""

    kind: str
    gold: TagSpan | None
    predicted: TagSpan | None


def _overlap(a: TagSpan, b: TagSpan) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def _pair_kind(gold: TagSpan, predicted: TagSpan) -> str:
    same_bounds = (gold.start, gold.end) == (predicted.start, predicted.end)
    same_type = gold.label == predicted.label
    if same_bounds:
        return "correct" if same_type else "type"
    return "boundary" if same_type else "boundary_type"


def match_spans(gold: Sequence[TagSpan], predicted: Sequence[TagSpan]) -> list[SpanMatch]:
    """One-to-one matching of one sentence's spans (exact boundaries first, then largest overlap), in
    O((n + k) log n) for n spans and k overlapping pairs (k < n for the disjoint spans of one tag sequence)."""
    used_gold: Counter[_Key] = Counter()
    used_predicted: Counter[_Key] = Counter()
    matches: list[SpanMatch] = []
    bounds = {(span.start, span.end): span for span in gold}
    for span in predicted:
        partner = bounds.pop((span.start, span.end), None)
        if partner is not None:
            matches.append(SpanMatch(_pair_kind(partner, span), partner, span))
            used_gold[_key(partner)] += 1
            used_predicted[_key(span)] += 1
    free_gold, free_predicted = _unused(gold, used_gold), _unused(predicted, used_predicted)
    left_gold, left_predicted = Counter(map(_key, free_gold)), Counter(map(_key, free_predicted))
    pairs = sorted(_overlapping_pairs(free_gold, free_predicted), key=lambda item: (-item[0], item[1], item[2]))
    for _, g, p in pairs:
        if left_gold[_key(g)] and left_predicted[_key(p)]:
            matches.append(SpanMatch(_pair_kind(g, p), g, p))
            left_gold[_key(g)] -= 1
            left_predicted[_key(p)] -= 1
            used_gold[_key(g)] += 1
            used_predicted[_key(p)] += 1
    matches.extend(SpanMatch("missed", g, None) for g in _unused(gold, used_gold))
    matches.extend(SpanMatch("spurious", None, p) for p in _unused(predicted, used_predicted))
    return matches


# Spans are counted by this plain tuple: a TagSpan's generated __hash__ costs several times a tuple's, and one
# sentence of a million words has hundreds of thousands of spans.
_Key = tuple[int, int, str]


def _key(span: TagSpan) -> _Key:
    return span.start, span.end, span.label


def _unused(spans: Sequence[TagSpan], used: Counter[_Key]) -> list[TagSpan]:
    """`spans` in order without the first `used[s]` copies of each span `s` (what repeated list.remove leaves)."""
    skip = Counter(used)
    kept = []
    for span in spans:
        key = _key(span)
        if skip[key]:
            skip[key] -= 1
        else:
            kept.append(span)
    return kept


def _overlapping_pairs(gold: Sequence[TagSpan], predicted: Sequence[TagSpan]) -> list[tuple[int, TagSpan, TagSpan]]:
    """(overlap, gold, predicted) for every pair that shares a position, by a sweep over span starts: each span
    meets only the other side's spans still open where it starts."""
    events = sorted([(g.start, 0, i) for i, g in enumerate(gold)] + [(p.start, 1, i) for i, p in enumerate(predicted)])
    sides = (gold, predicted)
    open_spans: tuple[list[tuple[int, int]], list[tuple[int, int]]] = ([], [])  # heaps of (end, index) per side
    pairs: list[tuple[int, TagSpan, TagSpan]] = []
    for start, side, index in events:
        span = sides[side][index]
        if span.end <= span.start:
            continue  # an empty span overlaps nothing
        other = open_spans[1 - side]
        while other and other[0][0] <= start:
            heapq.heappop(other)
        for _, partner in other:
            other_span = sides[1 - side][partner]
            g, p = (span, other_span) if side == 0 else (other_span, span)
            pairs.append((_overlap(g, p), g, p))
        heapq.heappush(open_spans[side], (span.end, index))
    return pairs


def match_layer(gold: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]]) -> list[list[SpanMatch]]:
    """Per-sentence matches of two tag sequences per sentence, spans read as conlleval reads them."""
    return [match_spans(spans_from_tags(g), spans_from_tags(p)) for g, p in zip(gold, predicted, strict=True)]


def kind_counts(matches: Sequence[Sequence[SpanMatch]]) -> dict[str, int]:
    """How many matches of each kind, every kind listed."""
    counter = Counter(match.kind for sentence in matches for match in sentence)
    return {kind: counter.get(kind, 0) for kind in KINDS}


def _scheme_scores(correct: float, partial: float, possible: int, actual: int) -> dict[str, float]:
    credit = correct + 0.5 * partial
    precision = credit / actual if actual else 0.0
    recall = credit / possible if possible else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 6), "recall": round(recall, 6), "f1": round(f1, 6)}


def semeval_scores(counts: dict[str, int]) -> dict[str, dict[str, Any]]:
    """SemEval-2013 task 9.1 scores from kind counts: strict, exact (boundaries), partial (half credit), type.

    possible = gold spans, actual = predicted spans; partial counts a boundary-only overlap as half correct.
    """
    overlapping = counts["boundary"] + counts["boundary_type"]
    possible = sum(counts[k] for k in KINDS if k != "spurious")
    actual = sum(counts[k] for k in KINDS if k != "missed")
    same_bounds = counts["correct"] + counts["type"]
    schemes = {
        "strict": (counts["correct"], 0, counts["type"] + overlapping),
        "exact": (same_bounds, 0, overlapping),
        "partial": (same_bounds, overlapping, 0),
        "type": (counts["correct"] + counts["boundary"], 0, counts["type"] + counts["boundary_type"]),
    }
    result: dict[str, dict[str, Any]] = {}
    for name, (correct, partial, incorrect) in schemes.items():
        result[name] = {
            "correct": correct,
            "incorrect": incorrect,
            "partial": partial,
            "missed": counts["missed"],
            "spurious": counts["spurious"],
            "possible": possible,
            "actual": actual,
            **_scheme_scores(correct, partial, possible, actual),
        }
    return result


def confusion_matrix(matches: Sequence[Sequence[SpanMatch]]) -> dict[str, Any]:
    """Gold type (rows) × predicted type (columns) over matched pairs of any overlap; `∅` holds missed/spurious."""
    cells: Counter[tuple[str, str]] = Counter()
    for sentence in matches:
        for match in sentence:
            gold = match.gold.label if match.gold else NONE
            predicted = match.predicted.label if match.predicted else NONE
            cells[gold, predicted] += 1
    types = sorted({t for pair in cells for t in pair} - {NONE})
    labels = [*types, NONE]
    return {"labels": labels, "matrix": [[cells.get((g, p), 0) for p in labels] for g in labels]}


def _render(tokens: Sequence[str], span: TagSpan | None) -> str:
    if span is None:
        return "—"
    return f"[{' '.join(tokens[span.start : span.end])}] {span.label}"


def error_examples(
    tokens: Sequence[Sequence[str]], matches: Sequence[Sequence[SpanMatch]], per_kind: int = 5
) -> dict[str, list[dict[str, Any]]]:
    """Up to `per_kind` examples of each error kind, in corpus order: sentence index, gold and predicted text."""
    examples: dict[str, list[dict[str, Any]]] = {kind: [] for kind in KINDS if kind != "correct"}
    for index, (words, sentence) in enumerate(zip(tokens, matches, strict=True)):
        for match in sentence:
            bucket = examples.get(match.kind)
            if bucket is not None and len(bucket) < per_kind:
                bucket.append(
                    {
                        "sentence": index,
                        "gold": _render(words, match.gold),
                        "predicted": _render(words, match.predicted),
                    }
                )
    return examples


def sentence_errors(matches: Sequence[SpanMatch]) -> int:
    """Errors in one sentence: every match that is not `correct`."""
    return sum(match.kind != "correct" for match in matches)
