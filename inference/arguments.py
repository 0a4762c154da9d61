"""Linking triggers to entities at inference: the argument head's pair scorer in NumPy, from its exported weights.

The same function serves the PyTorch and the ONNX model directories (the ONNX path imports no torch): word vectors
are the sums of each word's piece states from the encoder's `hidden` output, a span is the mean over its pieces, and
each (trigger, entity) pair gets the role with the highest probability among those `hadath/data/roles.py` allows
for its trigger and entity types, or none.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from hadath.data.argument_pairs import pair_geometry
from hadath.data.roles import NO_ROLE, role_problem
from hadath.data.schemes import TagSpan

# The argument head's weights beside an ONNX graph (a PyTorch directory keeps them in hadath_heads.safetensors).
ARGUMENT_WEIGHTS = "arguments.safetensors"
WEIGHT_NAMES = ("distance.weight", "order.weight", "hidden.weight", "hidden.bias", "out.weight", "out.bias")


class PredictedArgument(NamedTuple):
    """A link the head predicts: trigger and entity word spans, the role and its probability."""

    trigger: TagSpan
    entity: TagSpan
    role: str
    score: float


@dataclass
class WordVectors:
    """Per word of one sentence: the sum of its pieces' encoder states and how many pieces it has."""

    sums: np.ndarray  # [words, hidden]
    counts: np.ndarray  # [words]

    def span(self, span: TagSpan) -> np.ndarray:
        """Mean piece state of a word span."""
        total = float(self.counts[span.start : span.end].sum())
        return np.asarray(self.sums[span.start : span.end].sum(0) / max(total, 1.0), dtype=np.float32)


@dataclass(frozen=True)
class ArgumentScorer:
    """The pair scorer's weights (as in `models/arguments.py`) and the role names of its outputs."""

    weights: dict[str, np.ndarray]
    roles: list[str]

    @classmethod
    def from_head(cls, head: Any, roles: Sequence[str]) -> ArgumentScorer:
        """From a trained `ArgumentHead` (a torch module; read through its state dict)."""
        state = head.state_dict()
        return cls({name: state[name].detach().float().cpu().numpy() for name in WEIGHT_NAMES}, list(roles))

    @classmethod
    def from_file(cls, path: Path, roles: Sequence[str]) -> ArgumentScorer:
        """From `arguments.safetensors` beside an ONNX graph."""
        from safetensors.numpy import load_file

        if not path.is_file():
            raise FileNotFoundError(f"{path}: missing — the model has an argument head; re-run `hadath export --onnx`")
        return cls({k: v.astype(np.float32) for k, v in load_file(str(path)).items()}, list(roles))

    def save(self, path: Path) -> None:
        """Write the weights as safetensors (NumPy, no torch)."""
        from safetensors.numpy import save_file

        save_file({name: np.ascontiguousarray(value) for name, value in self.weights.items()}, str(path))

    def logits(self, trigger: np.ndarray, entity: np.ndarray, distance: np.ndarray, order: np.ndarray) -> np.ndarray:
        """Role logits [pairs, roles] of span vectors [pairs, hidden] and geometry ids [pairs] (as the torch head)."""
        w = self.weights
        features = np.concatenate(
            [trigger, entity, trigger * entity, w["distance.weight"][distance], w["order.weight"][order]], -1
        )
        hidden = np.maximum(features @ w["hidden.weight"].T + w["hidden.bias"], 0.0)
        return np.asarray(hidden @ w["out.weight"].T + w["out.bias"], dtype=np.float32)

    def link(
        self, vectors: WordVectors, triggers: Sequence[TagSpan], entities: Sequence[TagSpan]
    ) -> list[PredictedArgument]:
        """The predicted arguments among all (trigger, entity) pairs of one sentence."""
        pairs = [(t, e) for t in triggers for e in entities]
        if not pairs:
            return []
        geometry = np.array([pair_geometry((t.start, t.end), (e.start, e.end)) for t, e in pairs], dtype=np.int64)
        trigger = np.stack([vectors.span(t) for t, _ in pairs])
        entity = np.stack([vectors.span(e) for _, e in pairs])
        logits = self.logits(trigger, entity, geometry[:, 0], geometry[:, 1])
        shifted = np.exp(logits - logits.max(-1, keepdims=True))
        probabilities = shifted / shifted.sum(-1, keepdims=True)
        found = []
        for (t, e), row in zip(pairs, probabilities, strict=True):
            allowed = [i for i, r in enumerate(self.roles) if r == NO_ROLE or role_problem(t.label, e.label, r) is None]
            best = max(allowed, key=lambda i: row[i])
            if self.roles[best] != NO_ROLE:
                found.append(PredictedArgument(t, e, self.roles[best], float(row[best])))
        return found
