"""Scores: entity-level micro P/R/F1 exactly as conlleval counts (seqeval default mode), strict IOB2 scores,
SemEval-2013 partial-match scores, bootstrap intervals, and multi-label sentence scores.

Every span figure of a layer comes from one reading of each sentence's spans (`span_scores`), linear in sentence
length; the figures equal seqeval's (tests/test_metrics.py checks both modes against it).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from hadath.data.schemes import TagSpan, spans_from_tags
from hadath.evaluation.bootstrap import reported_interval
from hadath.evaluation.error_analysis import confusion_matrix, kind_counts, match_spans, semeval_scores
from hadath.evaluation.span_scores import TypeCounts, micro_prf, prf, strict_iob2_spans


def _round(value: float) -> float:
    return round(float(value), 6)


def _per_type(counts: TypeCounts) -> dict[str, dict[str, Any]]:
    """seqeval's report rows: P/R/F1 and gold support of every type seen in gold or predictions."""
    rows = {}
    for name in counts.types():
        precision, recall, f1 = prf(counts.correct[name], counts.predicted[name], counts.gold[name])
        rows[name] = {"precision": precision, "recall": recall, "f1": f1, "support": counts.gold[name]}
    return rows


def _macro_f1(rows: dict[str, dict[str, Any]]) -> float:
    """Mean F1 over the types seen in gold or predictions (0 when there are none; seqeval would give NaN)."""
    scores = [row["f1"] for row in rows.values()]
    return _round(float(np.mean(scores))) if scores else 0.0


def _counted(
    gold: Sequence[Sequence[TagSpan]], predicted: Sequence[Sequence[TagSpan]]
) -> tuple[TypeCounts, np.ndarray]:
    """Per-type counts over the corpus, and per sentence (correct, predicted, gold) for the bootstrap."""
    counts = TypeCounts()
    rows = [counts.add(g, p) for g, p in zip(gold, predicted, strict=True)]
    return counts, np.array(rows, dtype=np.int64).reshape(len(rows), 3)


def sentence_counts(gold: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]]) -> np.ndarray:
    """Per sentence: (exactly matching spans, predicted spans, gold spans), spans read as conlleval reads them."""
    return _counted([spans_from_tags(g) for g in gold], [spans_from_tags(p) for p in predicted])[1]


def strict_metrics(gold: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]]) -> dict[str, Any]:
    """seqeval strict mode with IOB2: a span needs a B- and ill-formed I- runs count for nothing."""
    counts = _counted([strict_iob2_spans(g) for g in gold], [strict_iob2_spans(p) for p in predicted])[0]
    precision, recall, f1 = micro_prf(counts)
    return {
        "precision": _round(precision),
        "recall": _round(recall),
        "f1": _round(f1),
        "macro_f1": _macro_f1(_per_type(counts)),
        "support": sum(counts.gold.values()),
    }


def layer_metrics(gold: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]]) -> dict[str, Any]:
    """Scores of one tag layer: conlleval micro P/R/F1 with a per-type table, macro F1, its 95% bootstrap interval,
    strict IOB2 scores, SemEval-2013 partial-match scores and span error counts."""
    gold_spans, predicted_spans = [spans_from_tags(g) for g in gold], [spans_from_tags(p) for p in predicted]
    counts, per_sentence = _counted(gold_spans, predicted_spans)
    matches = [match_spans(g, p) for g, p in zip(gold_spans, predicted_spans, strict=True)]
    kinds = kind_counts(matches)
    rows = _per_type(counts)
    precision, recall, f1 = micro_prf(counts)
    return {
        "precision": _round(precision),
        "recall": _round(recall),
        "f1": _round(f1),
        "per_type": {
            name: {**row, **{k: _round(row[k]) for k in ("precision", "recall", "f1")}} for name, row in rows.items()
        },  # fmt: skip
        "macro_f1": _macro_f1(rows),
        "f1_ci95": reported_interval(per_sentence),
        "strict": strict_metrics(gold, predicted),
        "partial": semeval_scores(kinds),
        "errors": {"counts": kinds, "confusion": confusion_matrix(matches)},
    }


def _prf(true_positive: float, predicted: float, actual: float) -> tuple[float, float, float]:
    precision = true_positive / predicted if predicted else 0.0
    recall = true_positive / actual if actual else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def label_metrics(gold: np.ndarray, scores: np.ndarray, names: Sequence[str], threshold: float) -> dict[str, Any]:
    """Multi-label sentence classification: micro and macro P/R/F1 and a per-label table at `threshold`."""
    predicted = scores >= threshold
    truth = gold.astype(bool)
    per_label = {}
    for index, name in enumerate(names):
        tp = float((predicted[:, index] & truth[:, index]).sum())
        p, r, f = _prf(tp, float(predicted[:, index].sum()), float(truth[:, index].sum()))
        per_label[name] = {
            "precision": _round(p),
            "recall": _round(r),
            "f1": _round(f),
            "support": int(truth[:, index].sum()),
        }
    p, r, f = _prf(float((predicted & truth).sum()), float(predicted.sum()), float(truth.sum()))
    macro = float(np.mean([row["f1"] for row in per_label.values()])) if per_label else 0.0
    # Per sentence: labels both predicted and gold, predicted, gold — the bootstrap resamples these rows.
    counts = np.stack([(predicted & truth).sum(axis=1), predicted.sum(axis=1), truth.sum(axis=1)], axis=1)
    return {
        "precision": _round(p),
        "recall": _round(r),
        "f1": _round(f),
        "macro_f1": _round(macro),
        "threshold": threshold,
        "per_type": per_label,
        "f1_ci95": reported_interval(counts.astype(np.int64)),
    }


def tune_threshold(gold: np.ndarray, scores: np.ndarray) -> float:
    """The decision threshold in 0.05..0.95 with the best micro F1 (ties go to the one nearest 0.5)."""
    candidates = sorted(np.round(np.arange(0.05, 0.96, 0.05), 2), key=lambda t: abs(t - 0.5))
    truth = gold.astype(bool)

    def micro_f1(threshold: float) -> float:
        predicted = scores >= threshold
        return _prf(float((predicted & truth).sum()), float(predicted.sum()), float(truth.sum()))[2]

    return float(max(candidates, key=micro_f1))
