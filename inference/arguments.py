"""Linking triggers to entities at inference: the argument head's pair scorer in NumPy, from its exported weights.

The same function serves the PyTorch and the ONNX model directories (the ONNX path imports no torch): word vectors are
the sums of each word's piece states from the encoder's `hidden` output, a span (and the words between a trigger and an
entity) is the mean over its pieces, and each (trigger, entity) pair gets the role with the highest probability among
those `hadath/data/roles.py` allows for its trigger and entity types, or none.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from hadath.data.argument_pairs import between, pair_context, pair_geometry
from hadath.data.roles import NO_ROLE, role_problem
from hadath.data.schemes import TagSpan

# The argument head's weights beside an ONNX graph (a PyTorch directory keeps them in hadath_heads.safetensors).
ARGUMENT_WEIGHTS = "arguments.safetensors"
WEIGHT_NAMES = (
    "distance.weight", "order.weight", "types.weight", "rank.weight", "crossing.weight",
    "hidden.weight", "hidden.bias", "out.weight", "out.bias",
)  # fmt: skip


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

    def span(self, start: int, end: int) -> np.ndarray:
        """Mean piece state of words [start, end) (zeros when empty)."""
        total = float(self.counts[start:end].sum())
        return np.asarray(self.sums[start:end].sum(0) / max(total, 1.0), dtype=np.float32)


@dataclass(frozen=True)
class ArgumentScorer:
    """The pair scorer's weights (as in `models/arguments.py`), the role names of its outputs and its span types."""

    weights: dict[str, np.ndarray]
    roles: list[str]
    types: list[str]

    @classmethod
    def from_head(cls, head: Any, roles: Sequence[str], types: Sequence[str]) -> ArgumentScorer:
        """From a trained `ArgumentHead` (a torch module; read through its state dict)."""
        state = head.state_dict()
        weights = {name: state[name].detach().float().cpu().numpy() for name in WEIGHT_NAMES}
        return cls(weights, list(roles), list(types))

    @classmethod
    def from_file(cls, path: Path, roles: Sequence[str], types: Sequence[str]) -> ArgumentScorer:
        """From `arguments.safetensors` beside an ONNX graph."""
        from safetensors.numpy import load_file

        if not path.is_file():
            raise FileNotFoundError(f"{path}: missing — the model has an argument head; re-run `hadath export --onnx`")
        return cls({k: v.astype(np.float32) for k, v in load_file(str(path)).items()}, list(roles), list(types))

    def save(self, path: Path) -> None:
        """Write the weights as safetensors (NumPy, no torch)."""
        from safetensors.numpy import save_file

        save_file({name: np.ascontiguousarray(value) for name, value in self.weights.items()}, str(path))

    def logits(self, spans: np.ndarray, ids: np.ndarray) -> np.ndarray:
        """Role logits [pairs, roles] of span vectors [pairs, 3, hidden] (trigger, entity, between) and ids
        [pairs, 6] (distance bucket, order, trigger type, entity type, rank, triggers between), as the torch head
        computes them."""
        w = self.weights
        trigger, entity, middle = spans[:, 0], spans[:, 1], spans[:, 2]
        tables = ("distance", "order", "types", "types", "rank", "crossing")
        embedded = [w[f"{table}.weight"][ids[:, column]] for column, table in enumerate(tables)]
        features = np.concatenate([trigger, entity, trigger * entity, middle, *embedded], -1)
        hidden = np.maximum(features @ w["hidden.weight"].T + w["hidden.bias"], 0.0)
        return np.asarray(hidden @ w["out.weight"].T + w["out.bias"], dtype=np.float32)

    def link(
        self, vectors: WordVectors, triggers: Sequence[TagSpan], entities: Sequence[TagSpan]
    ) -> list[PredictedArgument]:
        """The predicted arguments among all (trigger, entity) pairs of one sentence."""
        pairs = [(t, e) for t in triggers for e in entities]
        if not pairs:
            return []
        type_index = {name: i for i, name in enumerate(self.types)}
        ids, spans = [], []
        for t, e in pairs:
            words = (t.start, t.end), (e.start, e.end)
            kinds = type_index.get(t.label, 0), type_index.get(e.label, 0)
            ids.append([*pair_geometry(*words), *kinds, *pair_context(t, e, triggers, entities)])
            spans.append([vectors.span(*words[0]), vectors.span(*words[1]), vectors.span(*between(*words))])
        logits = self.logits(np.asarray(spans, dtype=np.float32), np.asarray(ids, dtype=np.int64))
        shifted = np.exp(logits - logits.max(-1, keepdims=True))
        probabilities = shifted / shifted.sum(-1, keepdims=True)
        found = []
        for (t, e), row in zip(pairs, probabilities, strict=True):
            allowed = [i for i, r in enumerate(self.roles) if r == NO_ROLE or role_problem(t.label, e.label, r) is None]
            best = max(allowed, key=lambda i: row[i])
            if self.roles[best] != NO_ROLE:
                found.append(PredictedArgument(t, e, self.roles[best], float(row[best])))
        return found
