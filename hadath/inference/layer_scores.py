"""A tag layer's word scores → its decoded path, each word's tag probability and each decoded span's probability.

The one place tag and span scores are computed: predict, evaluate, serve and Ray (through `Tagger`) and the
calibration fit (`hadath/evaluation/temperature.py`) all call `path_scores`, so a fitted temperature means the same
thing everywhere, for a PyTorch and an ONNX model alike.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hadath.data.schemes import spans_from_tags
from hadath.inference.metadata import ModelMetadata
from hadath.models.decoding import (
    TransitionConstraints,
    argmax_decode,
    build_lattice,
    independent_span_probability,
    tempered,
    viterbi_decode,
)


@dataclass(frozen=True)
class LayerScores:
    """One sentence's word log-probabilities [words, tags] for a layer, its decoded path and the temperature."""

    matrix: np.ndarray
    path: np.ndarray
    temperature: float = 1.0


def decode_path(
    metadata: ModelMetadata, constraints: TransitionConstraints, layer: str, matrix: np.ndarray
) -> np.ndarray:
    """The label index of every word: argmax, or the best path the constraints (and the CRF's scores) allow.

    The path never depends on the temperature: dividing every path's score by one positive number keeps the best."""
    if not len(matrix):
        return np.zeros(0, dtype=np.int64)
    if metadata.decoding == "argmax":
        return argmax_decode(matrix)
    return viterbi_decode(matrix, constraints, metadata.chain(layer) if metadata.decoding == "crf" else None)


def path_scores(
    metadata: ModelMetadata, constraints: TransitionConstraints, layer: str, scores: LayerScores
) -> tuple[np.ndarray, list[float]]:
    """Each word's probability of its tag on the path and each decoded span's (in `spans_from_tags` order).

    argmax: per-word softmax probabilities; viterbi and crf: marginals from forward–backward over the same
    constrained lattice (with the CRF's learned transition scores for crf) that the search walks. Both at the
    temperature of `scores` (tags and CRF transitions divided by it)."""
    if not len(scores.matrix):
        return np.zeros(0), []
    names = metadata.labels.layers[layer]
    inside = {name[2:]: i for i, name in enumerate(names) if name.startswith("I-")}
    path = scores.path
    rows = np.arange(len(path))
    spans = spans_from_tags([names[int(i)] for i in path], "IOB2")
    chain = metadata.chain(layer) if metadata.decoding == "crf" else None
    matrix, chain = tempered(scores.matrix, chain, scores.temperature)
    if metadata.decoding == "argmax":
        word = np.exp(matrix[rows, path])
        return word, [independent_span_probability(matrix, path, s.start, s.end, inside.get(s.label))
                      for s in spans]  # fmt: skip
    lattice = build_lattice(matrix, constraints, chain)
    word = lattice.tag_marginals()[rows, path]
    return word, [lattice.span_probability(s.start, s.end, int(path[s.start]), inside.get(s.label))
                  for s in spans]  # fmt: skip
