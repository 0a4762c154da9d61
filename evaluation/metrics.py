"""Scores: entity-level micro P/R/F1 exactly as conlleval counts (seqeval default mode), strict IOB2 scores,
SemEval-2013 partial-match scores, bootstrap intervals, and multi-label sentence scores."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
from seqeval.metrics import classification_report, f1_score, precision_score, recall_score
from seqeval.scheme import IOB2

from hadath.data.schemes import spans_from_tags
from hadath.evaluation.bootstrap import reported_interval
from hadath.evaluation.error_analysis import confusion_matrix, kind_counts, match_layer, semeval_scores


def _round(value: float) -> float:
    return round(float(value), 6)


def _macro_f1(report: dict[str, Any]) -> float:
    """Mean F1 over the types seen in gold or predictions (0 when there are none; seqeval would give NaN)."""
    scores = [row["f1-score"] for name, row in report.items() if not name.endswith(" avg")]
    return _round(float(np.mean(scores))) if scores else 0.0


def sentence_counts(gold: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]]) -> np.ndarray:
    """Per sentence: (exactly matching spans, predicted spans, gold spans), spans read as conlleval reads them."""
    counts = np.zeros((len(gold), 3), dtype=np.int64)
    for row, (gold_tags, predicted_tags) in enumerate(zip(gold, predicted, strict=True)):
        gold_spans, predicted_spans = set(spans_from_tags(gold_tags)), set(spans_from_tags(predicted_tags))
        counts[row] = (len(gold_spans & predicted_spans), len(predicted_spans), len(gold_spans))
    return counts


def strict_metrics(gold: list[list[str]], predicted: list[list[str]]) -> dict[str, Any]:
    """seqeval strict mode with IOB2: a span needs a B- and ill-formed I- runs count for nothing."""
    with warnings.catch_warnings():
        # seqeval averages an empty list (NumPy warns) when strict mode finds no span at all; _macro_f1 gives 0.
        warnings.simplefilter("ignore", RuntimeWarning)
        report = classification_report(gold, predicted, mode="strict", scheme=IOB2, output_dict=True, zero_division=0)
    micro = report["micro avg"]
    return {
        "precision": _round(micro["precision"]),
        "recall": _round(micro["recall"]),
        "f1": _round(micro["f1-score"]),
        "macro_f1": _macro_f1(report),
        "support": int(micro["support"]),
    }


def layer_metrics(gold: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]]) -> dict[str, Any]:
    """Scores of one tag layer: conlleval micro P/R/F1 with a per-type table, macro F1, its 95% bootstrap interval,
    strict IOB2 scores, SemEval-2013 partial-match scores and span error counts."""
    gold_lists, predicted_lists = [list(s) for s in gold], [list(s) for s in predicted]
    report = classification_report(gold_lists, predicted_lists, output_dict=True, zero_division=0)
    matches = match_layer(gold_lists, predicted_lists)
    kinds = kind_counts(matches)
    per_type = {
        name: {
            "precision": _round(row["precision"]),
            "recall": _round(row["recall"]),
            "f1": _round(row["f1-score"]),
            "support": int(row["support"]),
        }
        for name, row in sorted(report.items())
        if not name.endswith(" avg")
    }
    return {
        "precision": _round(precision_score(gold_lists, predicted_lists, zero_division=0)),
        "recall": _round(recall_score(gold_lists, predicted_lists, zero_division=0)),
        "f1": _round(f1_score(gold_lists, predicted_lists, zero_division=0)),
        "per_type": per_type,
        "macro_f1": _macro_f1(report),
        "f1_ci95": reported_interval(sentence_counts(gold_lists, predicted_lists)),
        "strict": strict_metrics(gold_lists, predicted_lists),
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
