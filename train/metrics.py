"""Scores: entity-level micro P/R/F1 exactly as conlleval counts (seqeval default mode), and multi-label scores."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from seqeval.metrics import classification_report, f1_score, precision_score, recall_score


def _round(value: float) -> float:
    return round(float(value), 6)


def layer_metrics(gold: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]]) -> dict[str, Any]:
    """Micro P/R/F1 and a per-type table for one tag layer (conlleval-equivalent: stray I- opens a span)."""
    gold_lists, predicted_lists = [list(s) for s in gold], [list(s) for s in predicted]
    report = classification_report(gold_lists, predicted_lists, output_dict=True, zero_division=0)
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
    return {
        "precision": _round(p),
        "recall": _round(r),
        "f1": _round(f),
        "macro_f1": _round(macro),
        "threshold": threshold,
        "per_type": per_label,
    }


def tune_threshold(gold: np.ndarray, scores: np.ndarray) -> float:
    """The decision threshold in 0.05..0.95 with the best micro F1 (ties go to the one nearest 0.5)."""
    candidates = sorted(np.round(np.arange(0.05, 0.96, 0.05), 2), key=lambda t: abs(t - 0.5))
    truth = gold.astype(bool)

    def micro_f1(threshold: float) -> float:
        predicted = scores >= threshold
        return _prf(float((predicted & truth).sum()), float(predicted.sum()), float(truth.sum()))[2]

    return float(max(candidates, key=micro_f1))
