"""Temperature scaling of span scores, fitted on dev after training (`evaluation.calibrate`).

One temperature per tag layer divides its word log-probabilities (and a CRF's transition scores) before the
marginals are computed (`hadath/inference/layer_scores.py`): above 1 an overconfident model's span scores come down,
below 1 an underconfident one's go up, and the decoded tags stay as they are. The temperature minimises the negative
log-likelihood of "this predicted span is right" over the dev spans (the outcomes the ECE bins), searched on a
log-spaced grid and then refined around the best point; nothing is fitted where dev predicts no span.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from hadath.config import Switch
from hadath.data.sentence import Sentence
from hadath.evaluation.calibration import calibration, span_outcomes
from hadath.inference.layer_scores import LayerScores, decode_path, path_scores
from hadath.inference.metadata import ModelMetadata
from hadath.inference.tagger import Tagger
from hadath.models.decoding import TransitionConstraints

# The rule for `calibrate: auto`: a layer whose dev span-score ECE is above this gets a temperature.
AUTO_ECE = 0.05
GRID = np.exp(np.linspace(np.log(0.25), np.log(8.0), 21))  # ratio 1.19 between neighbours
REFINE_STEPS = 12
EPSILON = 1e-6


def span_nll(scores: Sequence[float], correct: Sequence[bool]) -> float:
    """Mean binary negative log-likelihood of the span outcomes under their scores."""
    p = np.clip(np.asarray(scores, dtype=np.float64), EPSILON, 1.0 - EPSILON)
    hit = np.asarray(correct, dtype=np.float64)
    return float(-np.mean(hit * np.log(p) + (1.0 - hit) * np.log(1.0 - p)))


def fit_temperature(scores_at: Callable[[float], Sequence[float]], correct: Sequence[bool]) -> float:
    """The temperature whose span scores (`scores_at(t)`) give `correct` the lowest NLL: the best of `GRID`, then a
    golden-section search between its neighbours (the NLL is unimodal in log t for a single span's score)."""
    if not len(correct):
        return 1.0
    losses = [span_nll(scores_at(float(t)), correct) for t in GRID]
    best = int(np.argmin(losses))
    low, high = np.log(GRID[max(best - 1, 0)]), np.log(GRID[min(best + 1, len(GRID) - 1)])
    ratio = (np.sqrt(5.0) - 1.0) / 2.0

    def loss(log_t: float) -> float:
        return span_nll(scores_at(float(np.exp(log_t))), correct)

    for _ in range(REFINE_STEPS):
        left, right = high - ratio * (high - low), low + ratio * (high - low)
        if loss(left) <= loss(right):
            high = right
        else:
            low = left
    return round(float(np.exp((low + high) / 2.0)), 4)


@dataclass
class LayerCalibration:
    """What the fit saw on dev for one layer: the temperature and the span-score ECE at 1 and at it."""

    temperature: float
    dev_ece_before: float
    dev_ece_after: float
    dev_spans: int


def calibrate_layers(
    tagger: Tagger, dev: Sequence[Sentence], switch: Switch, batch_size: int = 64
) -> dict[str, LayerCalibration]:
    """Per tag layer annotated on dev, the fitted temperature (1 where `switch` says not to fit) and dev ECEs."""
    if switch is False or not dev:
        return {}
    metadata = tagger.metadata
    annotated = {layer for sentence in dev for layer in sentence.layers}
    layers = [layer for layer in metadata.labels.layers if layer in annotated]
    decoded: dict[str, list[LayerScores]] = {layer: [] for layer in layers}
    for scores in tagger.layer_scores(dev, batch_size):  # one forward pass; each temperature only re-decodes
        for layer in layers:
            path = decode_path(metadata, tagger.constraints[layer], layer, scores[layer])
            decoded[layer].append(LayerScores(scores[layer], path))
    fits = {}
    for layer in layers:
        gold = [sentence.tags(layer) for sentence in dev]
        fits[layer] = calibrate_layer(metadata, tagger.constraints[layer], layer, gold, decoded[layer], switch=switch)
    return fits


def calibrate_layer(
    metadata: ModelMetadata,
    constraints: TransitionConstraints,
    layer: str,
    gold: Sequence[Sequence[str]],
    decoded: Sequence[LayerScores],
    *,
    switch: Switch,
) -> LayerCalibration:
    """One layer's fit from its decoded dev sentences (word scores and path at temperature 1) and their gold tags."""
    names = metadata.labels.layers[layer]
    predicted = [[names[int(i)] for i in sentence.path] for sentence in decoded]

    def outcomes(temperature: float) -> tuple[list[float], list[bool]]:
        # A sentence decoded all `O` (label 0) has no span to score at any temperature: skip its lattice.
        per_sentence = [
            path_scores(metadata, constraints, layer, LayerScores(s.matrix, s.path, temperature))[1]
            if s.path.any() else [] for s in decoded
        ]  # fmt: skip
        return span_outcomes(gold, predicted, per_sentence)

    before, correct = outcomes(1.0)
    ece_before = calibration(before, correct)["ece"]
    fit = switch is True or (switch == "auto" and ece_before > AUTO_ECE)
    temperature = fit_temperature(lambda t: outcomes(t)[0], correct) if fit else 1.0
    ece_after = calibration(outcomes(temperature)[0], correct)["ece"] if fit else ece_before
    return LayerCalibration(temperature, ece_before, ece_after, len(correct))
