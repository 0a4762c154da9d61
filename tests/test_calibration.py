"""Span-score calibration: ECE and reliability bins from predicted spans matched strictly against gold."""

from __future__ import annotations

import pytest

from hadath.evaluation.calibration import calibration, span_outcomes


def test_outcomes_match_spans_strictly_and_keep_scores() -> None:
    gold = [["B-PER", "I-PER", "O", "B-LOC"]]
    predicted = [["B-PER", "I-PER", "O", "B-ORG"]]
    assert span_outcomes(gold, predicted, [[0.9, 0.4]]) == ([0.9, 0.4], [True, False])


def test_ece_is_the_weighted_gap_per_bin() -> None:
    # bin 0.9-1.0: scores 0.95, 0.95 with one right (gap 0.45); bin 0.2-0.3: 0.25 right (gap 0.75)
    result = calibration([0.95, 0.95, 0.25], [True, False, True])
    assert result["ece"] == pytest.approx(2 / 3 * 0.45 + 1 / 3 * 0.75, abs=1e-4)
    assert [(b["low"], b["count"], b["accuracy"]) for b in result["bins"]] == [(0.2, 1, 1.0), (0.9, 2, 0.5)]
    assert calibration([1.0, 0.0], [True, False])["ece"] == 0.0  # perfectly calibrated extremes
