"""Calibration of span scores: does a predicted span scored 0.8 turn out right 80% of the time?

A predicted span is right when a gold span has the same words and type (the strict match that F1 counts). Spans are
put in equal-width score bins; the expected calibration error (ECE) is the share-weighted mean gap between each bin's
mean score and its share of right spans."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from hadath.data.schemes import TagSpan, spans_from_tags

BINS = 10


def span_outcomes(
    gold_tags: Sequence[Sequence[str]], predicted_tags: Sequence[Sequence[str]], scores: Sequence[Sequence[float]]
) -> tuple[list[float], list[bool]]:
    """Every predicted span's score and whether it matches a gold span exactly."""
    confidences, correct = [], []
    for gold, predicted, sentence_scores in zip(gold_tags, predicted_tags, scores, strict=True):
        gold_spans = set(spans_from_tags(gold, "IOB2"))
        spans: list[TagSpan] = spans_from_tags(predicted, "IOB2")
        for span, score in zip(spans, sentence_scores, strict=True):
            confidences.append(float(score))
            correct.append(span in gold_spans)
    return confidences, correct


def calibration(confidences: Sequence[float], correct: Sequence[bool], bins: int = BINS) -> dict[str, Any]:
    """ECE over predicted spans and the reliability table (per bin: score range, count, mean score, accuracy)."""
    score = np.clip(np.asarray(confidences, dtype=np.float64), 0.0, 1.0)
    hit = np.asarray(correct, dtype=np.float64)
    index = np.minimum((score * bins).astype(int), bins - 1)
    table, ece = [], 0.0
    for b in range(bins):
        members = index == b
        count = int(members.sum())
        if not count:
            continue
        mean_score, accuracy = float(score[members].mean()), float(hit[members].mean())
        ece += count / len(score) * abs(mean_score - accuracy)
        table.append({"low": b / bins, "high": (b + 1) / bins, "count": count,
                      "mean_score": round(mean_score, 4), "accuracy": round(accuracy, 4)})  # fmt: skip
    return {"ece": round(ece, 4), "spans": len(score), "bins": table}
