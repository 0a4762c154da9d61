"""Bootstrap over sentences: 95% intervals for a micro F1 and the paired test behind `hadath compare`.

Everything works on per-sentence counts `(true positives, predicted, gold)`, so a resample is one integer matrix
product instead of re-scoring tag sequences thousands of times.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SAMPLES = 1000
SEED = 20130614  # fixed so metrics.json is reproducible run to run
# Below this many sentences a resampled interval says nothing (one sentence gives a zero-width one): not reported.
MIN_CI_SENTENCES = 20
TOO_FEW = "n/a (too few sentences)"


def f1_from_counts(totals: np.ndarray) -> np.ndarray:
    """Micro F1 from summed `(tp, predicted, gold)` counts on the last axis (0 when nothing is predicted or gold)."""
    tp, predicted, gold = totals[..., 0], totals[..., 1], totals[..., 2]
    denominator = predicted + gold
    return np.divide(2.0 * tp, denominator, out=np.zeros_like(tp, dtype=float), where=denominator > 0)


def resample_weights(sentences: int, samples: int, seed: int) -> np.ndarray:
    """How often each sentence is drawn in each resample: `(samples, sentences)` rows summing to `sentences`."""
    rng = np.random.default_rng(seed)
    if sentences == 0:
        return np.zeros((samples, 0), dtype=np.int64)
    return rng.multinomial(sentences, np.full(sentences, 1.0 / sentences), size=samples)


def f1_interval(counts: np.ndarray, samples: int = SAMPLES, seed: int = SEED) -> tuple[float, float]:
    """Percentile bootstrap 95% interval of the micro F1 over `counts`, one `(tp, predicted, gold)` row a sentence."""
    weights = resample_weights(len(counts), samples, seed)
    scores = f1_from_counts((weights @ counts).astype(float))
    low, high = np.percentile(scores, [2.5, 97.5]) if len(scores) else (0.0, 0.0)
    return round(float(low), 6), round(float(high), 6)


def reported_interval(counts: np.ndarray) -> list[float] | None:
    """`f1_interval` as metrics.json holds it: None below `MIN_CI_SENTENCES` sentences."""
    return list(f1_interval(counts)) if len(counts) >= MIN_CI_SENTENCES else None


def interval_text(interval: list[float] | None) -> str:
    """`95% CI 0.8012–0.8433`, or why there is none."""
    return f"95% CI {interval[0]:.4f}–{interval[1]:.4f}" if interval else f"95% CI {TOO_FEW}"


@dataclass(frozen=True)
class PairedResult:
    """F1 of two systems on the same sentences, their difference (B − A), its interval and two-sided p-value."""

    f1_a: float
    f1_b: float
    delta: float
    low: float
    high: float
    p_value: float
    samples: int


def paired_bootstrap(
    counts_a: np.ndarray, counts_b: np.ndarray, samples: int = SAMPLES, seed: int = SEED
) -> PairedResult:
    """Paired bootstrap: both systems see the same resampled sentences each round.

    The p-value tests "no difference" by centring the resampled differences on zero (Berg-Kirkpatrick et al.
    2012): it is the share of rounds whose difference strays from the observed one by at least the observed size.
    """
    if counts_a.shape != counts_b.shape:
        raise ValueError(f"paired bootstrap needs the same sentences: {counts_a.shape} vs {counts_b.shape}")
    f1_a = float(f1_from_counts(counts_a.sum(axis=0).astype(float)))
    f1_b = float(f1_from_counts(counts_b.sum(axis=0).astype(float)))
    delta = f1_b - f1_a
    weights = resample_weights(len(counts_a), samples, seed)
    deltas = f1_from_counts((weights @ counts_b).astype(float)) - f1_from_counts((weights @ counts_a).astype(float))
    extreme = int(np.sum(np.abs(deltas - delta) >= abs(delta) - 1e-12))
    low, high = np.percentile(deltas, [2.5, 97.5])
    return PairedResult(f1_a, f1_b, delta, float(low), float(high), (extreme + 1) / (samples + 1), samples)
