"""The multi-seed summary: means and spreads across seeds, never one seed's figures passed off as the summary's."""

from __future__ import annotations

import pytest

from hadath.train.seeds import aggregate


def test_summary_does_not_copy_the_first_seeds_interval() -> None:
    runs = [
        {"entities": {"f1": 0.50, "f1_ci95": [0.45, 0.55], "layer": "entities"}},
        {"entities": {"f1": 0.70, "f1_ci95": [0.65, 0.75], "layer": "entities"}},
    ]
    summary = aggregate(runs)["entities"]
    assert summary["f1"] == pytest.approx(0.60)
    assert summary["std"]["f1"] == pytest.approx(0.141421, abs=1e-6)
    assert "f1_ci95" not in summary  # [0.45, 0.55] around a mean of 0.60 was possible before
    assert summary["layer"] == "entities"  # values every seed agrees on are kept
