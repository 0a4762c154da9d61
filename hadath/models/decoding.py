"""Decoding per-word tag scores into label indices that always form a well-formed tag sequence.

This module owns the transition rules of each tag scheme as boolean masks and the constrained Viterbi search
over them. It is plain NumPy on purpose: ONNX Runtime and PyTorch inference both call it, so they decode
identically.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from hadath.data.schemes import Scheme, canonical_scheme, scheme_prefixes, split_tag

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


def _frozen_bool(values: Any, shape: tuple[int, ...], name: str) -> BoolArray:
    array = np.array(values, dtype=np.bool_)
    if array.shape != shape:
        raise ValueError(f"{name} has shape {array.shape}, expected {shape}")
    array.setflags(write=False)
    return array


@dataclass(frozen=True, eq=False)
class TransitionConstraints:
    """Which labels may start a sequence, follow one another, and end a sequence."""

    labels: tuple[str, ...]
    start: BoolArray
    transitions: BoolArray
    end: BoolArray

    def __post_init__(self) -> None:
        labels = tuple(self.labels)
        if not labels:
            raise ValueError("constraints need at least one label")
        count = len(labels)
        # Frozen copies: a shared constraints object must not change under a decoder that is using it.
        object.__setattr__(self, "labels", labels)
        object.__setattr__(self, "start", _frozen_bool(self.start, (count,), "start"))
        object.__setattr__(self, "transitions", _frozen_bool(self.transitions, (count, count), "transitions"))
        object.__setattr__(self, "end", _frozen_bool(self.end, (count,), "end"))


def _parse_label(label: str, scheme: Scheme) -> tuple[str, str]:
    prefix, type_ = split_tag(label)
    if scheme == "IO" and prefix == "":
        prefix = "I"
    if prefix != "O" and prefix not in scheme_prefixes(scheme):
        raise ValueError(f"label {label!r} is not a {scheme} tag")
    return prefix, type_


def _may_start(prefix: str, scheme: Scheme) -> bool:
    if scheme == "IOB2":
        return prefix != "I"
    if scheme == "IOB1":
        return prefix != "B"
    if scheme == "BIOES":
        return prefix in ("O", "B", "S")
    return True


def _may_end(prefix: str, scheme: Scheme) -> bool:
    return prefix in ("O", "E", "S") if scheme == "BIOES" else True


def _may_follow(previous: tuple[str, str], current: tuple[str, str], scheme: Scheme) -> bool:
    (prev_prefix, prev_type), (prefix, type_) = previous, current
    continues = prev_prefix in ("B", "I") and prev_type == type_
    if scheme == "IOB2":
        return prefix != "I" or continues
    if scheme == "IOB1":
        # IOB1 writes B- only to split a span from a touching one of the same type.
        return prefix != "B" or continues
    if scheme == "BIOES":
        if prev_prefix in ("B", "I"):
            return prefix in ("I", "E") and continues
        return prefix in ("O", "B", "S")
    return True


def build_constraints(labels: Sequence[str], scheme: Scheme = "IOB2") -> TransitionConstraints:
    """The transition rules of `scheme` over `labels` (in model output order)."""
    scheme = canonical_scheme(scheme)
    if len(set(labels)) != len(labels):
        raise ValueError(f"duplicate labels in {list(labels)}")
    parsed = [_parse_label(label, scheme) for label in labels]
    return TransitionConstraints(
        labels=tuple(labels),
        start=np.array([_may_start(prefix, scheme) for prefix, _ in parsed], dtype=np.bool_),
        transitions=np.array(
            [[_may_follow(previous, current, scheme) for current in parsed] for previous in parsed],
            dtype=np.bool_,
        ).reshape(len(parsed), len(parsed)),
        end=np.array([_may_end(prefix, scheme) for prefix, _ in parsed], dtype=np.bool_),
    )


def _as_scores(scores: npt.ArrayLike, label_count: int | None = None) -> FloatArray:
    array = np.asarray(scores, dtype=np.float64)
    if array.ndim != 2:
        raise ValueError(f"scores must be [words, labels], got shape {array.shape}")
    if label_count is not None and array.shape[1] != label_count:
        raise ValueError(f"scores have {array.shape[1]} labels, constraints have {label_count}")
    if np.isnan(array).any():
        raise ValueError("scores contain NaN")
    return array


def argmax_decode(scores: npt.ArrayLike) -> IntArray:
    """The best label per word, ignoring transition rules."""
    best: IntArray = np.argmax(_as_scores(scores), axis=-1).astype(np.int64)
    return best


@dataclass(frozen=True)
class ChainScores:
    """Learned start, transition and end scores of a linear-chain CRF, added to the emissions when decoding."""

    start: FloatArray
    transitions: FloatArray
    end: FloatArray


def _lattice_scores(
    scores: npt.ArrayLike, constraints: TransitionConstraints, chain: ChainScores | None
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Emissions, transition, start and end scores of the constrained lattice: forbidden moves are -inf, CRF `chain`
    scores added when given. Shared by Viterbi and forward–backward so both decode the same lattice."""
    emissions = _as_scores(scores, len(constraints.labels))
    # -inf scores (log of zero probability) become a huge finite penalty, so that forbidden transitions stay
    # the only true -inf and inf - inf never yields NaN; the bound keeps a sum over all words finite.
    bound = np.finfo(np.float64).max / (2 * (emissions.shape[0] + 1))
    emissions = np.clip(emissions, -bound, bound)
    transitions = np.where(constraints.transitions, 0.0, -np.inf)
    start = np.where(constraints.start, 0.0, -np.inf)
    end = np.where(constraints.end, 0.0, -np.inf)
    if chain is not None:
        transitions, start, end = transitions + chain.transitions, start + chain.start, end + chain.end
    return emissions, transitions, start, end


def viterbi_decode(
    scores: npt.ArrayLike, constraints: TransitionConstraints, chain: ChainScores | None = None
) -> IntArray:
    """The highest-scoring label path (sum of `scores` [words, labels], plus CRF `chain` scores when given) that
    the constraints allow."""
    emissions, transition_penalty, start_penalty, end_penalty = _lattice_scores(scores, constraints, chain)
    steps, label_count = emissions.shape
    if steps == 0:
        return np.zeros(0, dtype=np.int64)
    best = emissions[0] + start_penalty
    backpointers = np.zeros((steps, label_count), dtype=np.int64)
    columns = np.arange(label_count)
    for step in range(1, steps):
        candidates = best[:, None] + transition_penalty
        backpointers[step] = np.argmax(candidates, axis=0)
        best = candidates[backpointers[step], columns] + emissions[step]
    best = best + end_penalty
    last = int(np.argmax(best))
    if best[last] == -np.inf:
        # Only a label set without a free label (such as O) can make every path invalid.
        return argmax_decode(scores)
    path = np.empty(steps, dtype=np.int64)
    path[-1] = last
    for step in range(steps - 1, 0, -1):
        path[step - 1] = backpointers[step, path[step]]
    return path


@dataclass(frozen=True)
class Lattice:
    """Forward and backward log-sums over the paths the constraints allow (a CRF's distribution over label paths,
    or, without chain scores, the per-word distributions renormalised over well-formed paths).

    `alpha[t, j]`: log-sum of path prefixes ending in label j at word t (emission of t included);
    `beta[t, j]`: log-sum of the continuations after word t from label j (end score included)."""

    emissions: FloatArray
    transitions: FloatArray
    alpha: FloatArray
    beta: FloatArray
    log_z: float

    def tag_marginals(self) -> FloatArray:
        """P(label j at word t) for every word and label, [words, labels]."""
        return np.exp(self.alpha + self.beta - self.log_z)

    def span_probability(self, start: int, end: int, begin: int, inside: int | None) -> float:
        """P(words start..end-1 carry exactly one span: label `begin` then `inside`, and word `end` does not
        continue it) — the marginal probability that the decoded span is in the sequence, boundaries included."""
        if not np.isfinite(self.log_z) or (inside is None and end - start > 1):
            return 0.0
        score = self.alpha[start, begin]
        previous = begin
        for step in range(start + 1, end):
            assert inside is not None
            score = score + self.transitions[previous, inside] + self.emissions[step, inside]
            previous = inside
        if end == len(self.emissions):
            tail = self.beta[end - 1, previous]
        else:
            following = self.transitions[previous] + self.emissions[end] + self.beta[end]
            if inside is not None:
                following = np.delete(following, inside)  # the next word must not continue the span
            tail = np.logaddexp.reduce(following) if following.size else -np.inf
        return float(np.exp(min(score + tail - self.log_z, 0.0)))


def build_lattice(
    scores: npt.ArrayLike, constraints: TransitionConstraints, chain: ChainScores | None = None
) -> Lattice:
    """Forward–backward over the constrained lattice of `scores` [words, labels] (plus CRF `chain` scores)."""
    emissions, transitions, start, end = _lattice_scores(scores, constraints, chain)
    steps = emissions.shape[0]
    alpha = np.empty_like(emissions)
    beta = np.empty_like(emissions)
    if steps == 0:
        return Lattice(emissions, transitions, alpha, beta, 0.0)
    alpha[0] = start + emissions[0]
    for step in range(1, steps):
        alpha[step] = np.logaddexp.reduce(alpha[step - 1][:, None] + transitions, axis=0) + emissions[step]
    beta[-1] = end
    for step in range(steps - 2, -1, -1):
        beta[step] = np.logaddexp.reduce(transitions + (emissions[step + 1] + beta[step + 1])[None, :], axis=1)
    return Lattice(emissions, transitions, alpha, beta, float(np.logaddexp.reduce(alpha[-1] + end)))


def tempered(
    scores: npt.ArrayLike, chain: ChainScores | None, temperature: float
) -> tuple[FloatArray, ChainScores | None]:
    """Temperature scaling of a layer's scores: the log-probabilities [words, labels] divided by `temperature` and
    renormalised per word, and the CRF `chain` scores divided by it too. The best path is unchanged (every path's
    score is divided by the same positive number); only the probabilities flatten (> 1) or sharpen (< 1)."""
    array = _as_scores(scores)
    if temperature == 1.0:
        return array, chain
    scaled = array / temperature
    scaled = scaled - np.logaddexp.reduce(scaled, axis=-1, keepdims=True)
    if chain is not None:
        chain = ChainScores(chain.start / temperature, chain.transitions / temperature, chain.end / temperature)
    return scaled, chain


def independent_span_probability(
    scores: npt.ArrayLike, path: Sequence[int] | IntArray, start: int, end: int, inside: int | None
) -> float:
    """For argmax decoding, where words are tagged independently: the product of the decoded tags' probabilities
    over the span, times the probability that the next word does not continue it (`inside`, its I- label).
    `scores` are log-probabilities [words, labels]."""
    probabilities = np.exp(_as_scores(scores))
    value = float(np.prod(probabilities[np.arange(start, end), np.asarray(path)[start:end]]))
    if end < len(probabilities) and inside is not None:
        value *= float(1.0 - probabilities[end, inside])
    return min(max(value, 0.0), 1.0)
