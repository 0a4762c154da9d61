"""Linking triggers to entities at inference: the argument head's pair scorer in NumPy, from its exported weights.

The same function serves the PyTorch and the ONNX model directories (the ONNX path imports no torch): each (trigger,
entity) pair of a sentence gets its ids from `hadath/data/argument_pairs.py`, exactly as in training, and the role with
the highest probability among those `hadath/data/roles.py` allows for its trigger and entity types, or none. A head that
reads span states (`model.argument_states`) adds the mean of the network's `argument_states` output over the
trigger's pieces (first half) and the entity's (second half), from the per-word sums the Tagger collects.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from hadath.data.argument_pairs import ID_TABLES, allowed_roles, pair_ids
from hadath.data.roles import NO_ROLE
from hadath.data.schemes import TagSpan

if TYPE_CHECKING:  # inference reads the trained head's state dict; it never imports torch for it
    from hadath.models.arguments import ArgumentHead

# The argument head's weights beside an ONNX graph (a PyTorch directory keeps them in hadath_heads.safetensors).
ARGUMENT_WEIGHTS = "arguments.safetensors"
WEIGHT_NAMES = (
    *(f"{table}.weight" for table in dict.fromkeys(ID_TABLES)),
    *("hidden.weight", "hidden.bias", "out.weight", "out.bias"),
)


class PredictedArgument(NamedTuple):
    """A link the head predicts: trigger and entity word spans, the role and its probability."""

    trigger: TagSpan
    entity: TagSpan
    role: str
    score: float


@dataclass(frozen=True)
class WordStates:
    """One sentence's `argument_states` per word: the sum over the word's pieces [words, width] and their count."""

    sums: np.ndarray
    counts: np.ndarray

    def span_mean(self, span: TagSpan) -> np.ndarray:
        """The mean projected state over every piece of the span's words."""
        pieces = max(float(self.counts[span.start : span.end].sum()), 1.0)
        return np.asarray(self.sums[span.start : span.end].sum(0) / pieces, dtype=np.float32)


@dataclass(frozen=True)
class ArgumentScorer:
    """The pair scorer's weights (as in `hadath/models/arguments.py`), the role names of its outputs and its span types,
    and whether it reads span states."""

    weights: dict[str, np.ndarray]
    roles: list[str]
    types: list[str]
    uses_states: bool = False

    @classmethod
    def from_head(cls, head: ArgumentHead, roles: Sequence[str], types: Sequence[str]) -> ArgumentScorer:
        """From a trained `ArgumentHead` (a torch module; read through its state dict)."""
        state = head.state_dict()
        weights = {name: state[name].detach().float().cpu().numpy() for name in WEIGHT_NAMES}
        return cls(weights, list(roles), list(types), head.span is not None)

    @classmethod
    def from_file(
        cls, path: Path, roles: Sequence[str], types: Sequence[str], uses_states: bool = False
    ) -> ArgumentScorer:
        """From `arguments.safetensors` beside an ONNX graph."""
        from safetensors.numpy import load_file

        if not path.is_file():
            raise FileNotFoundError(f"{path}: missing — the model has an argument head; re-run `hadath export --onnx`")
        weights = {k: v.astype(np.float32) for k, v in load_file(str(path)).items()}
        missing = [name for name in WEIGHT_NAMES if name not in weights]
        if missing:
            raise ValueError(
                f"{path}: no {', '.join(missing)} — the argument head was exported by an older Hadath; retrain it"
            )
        return cls(weights, list(roles), list(types), uses_states)

    def save(self, path: Path) -> None:
        """Write the weights as safetensors (NumPy, no torch)."""
        from safetensors.numpy import save_file

        save_file({name: np.ascontiguousarray(value) for name, value in self.weights.items()}, str(path))

    def logits(self, ids: np.ndarray, pooled: np.ndarray | None = None) -> np.ndarray:
        """Role logits [pairs, roles] of pair ids [pairs, PAIR_IDS] (ID_TABLES order), plus with span states the
        pairs' pooled projections [pairs, 2 × hidden], as the torch head computes them."""
        w = self.weights
        embedded = [w[f"{table}.weight"][ids[:, column]] for column, table in enumerate(ID_TABLES)]
        hidden = np.concatenate(embedded, -1) @ w["hidden.weight"].T + w["hidden.bias"]
        if pooled is not None:
            width = hidden.shape[-1]
            hidden = hidden + pooled[:, :width] + pooled[:, width:]
        hidden = np.maximum(hidden, 0.0)
        return np.asarray(hidden @ w["out.weight"].T + w["out.bias"], dtype=np.float32)

    def link(
        self,
        words: Sequence[str],
        triggers: Sequence[TagSpan],
        entities: Sequence[TagSpan],
        states: WordStates | None = None,
    ) -> list[PredictedArgument]:
        """The predicted arguments among all (trigger, entity) pairs of one sentence (its words and spans; with span
        states, the sentence's `WordStates` too)."""
        pairs = [(t, e) for t in triggers for e in entities]
        if not pairs:
            return []
        if self.uses_states and states is None:
            raise ValueError("this argument head reads span states: pass the sentence's predicted `argument_states`")
        type_index = {name: i for i, name in enumerate(self.types)}
        ids = [pair_ids(words, t, e, (triggers, entities), type_index) for t, e in pairs]
        pooled = None
        if self.uses_states and states is not None:
            width = states.sums.shape[-1] // 2
            pooled = np.stack([np.concatenate([states.span_mean(t)[:width], states.span_mean(e)[width:]])
                               for t, e in pairs])  # fmt: skip
        logits = self.logits(np.asarray(ids, dtype=np.int64), pooled)
        bits = 1 << np.arange(len(self.roles))
        allowed = np.array([allowed_roles(t.label, e.label, self.roles) for t, e in pairs])[:, None] & bits != 0
        # Softmax over the allowed roles only, as in training.
        masked = np.where(allowed, logits, -np.inf)
        shifted = np.exp(masked - masked.max(-1, keepdims=True))
        probabilities = shifted / shifted.sum(-1, keepdims=True)
        found = []
        for (t, e), row in zip(pairs, probabilities, strict=True):
            best = int(row.argmax())
            if self.roles[best] != NO_ROLE:
                found.append(PredictedArgument(t, e, self.roles[best], float(row[best])))
        return found
