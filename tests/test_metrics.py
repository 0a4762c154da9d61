"""Metrics: conlleval-equivalent entity F1, multi-label scores, threshold tuning."""

from __future__ import annotations

import numpy as np
import pytest

from hadath.train.metrics import label_metrics, layer_metrics, tune_threshold


def test_layer_metrics_counts_like_conlleval() -> None:
    gold = [["B-PER", "I-PER", "O", "B-LOC"], ["I-ORG", "O"]]  # stray I-ORG is an entity for conlleval
    predicted = [["B-PER", "I-PER", "O", "B-PER"], ["B-ORG", "O"]]
    metrics = layer_metrics(gold, predicted)
    # gold: PER, LOC, ORG; predicted: PER, PER, ORG -> 2 correct of 3 and 3
    assert metrics["precision"] == pytest.approx(2 / 3, abs=1e-6)
    assert metrics["recall"] == pytest.approx(2 / 3, abs=1e-6)
    assert metrics["per_type"]["LOC"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1}
    assert metrics["per_type"]["ORG"]["f1"] == 1.0


def test_label_metrics_micro_macro_and_threshold() -> None:
    gold = np.array([[1, 0], [0, 1], [1, 1]], dtype=float)
    scores = np.array([[0.9, 0.2], [0.4, 0.6], [0.7, 0.3]])
    metrics = label_metrics(gold, scores, ["A", "B"], threshold=0.5)
    # predicted: A,B,A ; gold: A,B,A+B -> tp 3, predicted 3, actual 4
    assert metrics["precision"] == 1.0 and metrics["recall"] == 0.75
    assert metrics["per_type"]["B"]["recall"] == 0.5
    assert metrics["macro_f1"] == pytest.approx((1.0 + 2 / 3) / 2, abs=1e-6)
    assert tune_threshold(gold, scores) <= 0.3
