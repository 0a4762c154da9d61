"""A trigger's attributes at inference: the attribute head's per-word logits pooled over the trigger, in NumPy.

The graph (PyTorch or ONNX) gives every word the logits of every attribute's values side by side
(`hadath/models/factuality.py`); the mean over a trigger's words, one softmax per attribute, gives the value of each and
its probability. The same function scores decoded triggers (predict, serve) and gold ones (evaluate). A model trained
with cue features (`model.factuality_cues`) first gets its learned cue scores added to each word's logits
(`with_cue_scores`), by the cue classes standing before the word.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np

from hadath.data.factuality import Factuality, is_reported
from hadath.data.factuality_cues import word_cues


class PredictedFactuality(NamedTuple):
    """A trigger's attributes, the probability of each chosen value, and whether the event is reported."""

    factuality: Factuality
    scores: dict[str, float]

    @property
    def reported(self) -> bool:
        """Positive, asserted, specific and not future (`hadath/data/factuality.py`)."""
        return is_reported(self.factuality)

    def record(self) -> dict[str, object]:
        """The fields `hadath predict` adds to an event: `attributes`, `attribute_scores`, `reported`."""
        scores = {name: round(score, 4) for name, score in self.scores.items()}
        return {"attributes": self.factuality.as_dict(), "attribute_scores": scores, "reported": self.reported}


def only_reported(record: dict[str, Any]) -> dict[str, Any]:
    """A `hadath predict` record with only its reported events (their arguments go with them)."""
    return {**record, "events": [event for event in record["events"] if event.get("reported")]}


def with_cue_scores(word_logits: np.ndarray, words: Sequence[str], cue_scores: np.ndarray) -> np.ndarray:
    """A sentence's per-word attribute logits [words, values] plus each word's cue classes times the head's learned
    cue scores [cue classes, values]."""
    cues = np.asarray(word_cues(words), dtype=np.float64).reshape(len(words), cue_scores.shape[0])
    return (word_logits + cues @ cue_scores).astype(word_logits.dtype)


def trigger_factuality(
    word_logits: np.ndarray, start: int, end: int, attributes: dict[str, list[str]]
) -> PredictedFactuality:
    """The attributes of the trigger over words [start, end) from the sentence's per-word logits [words, values]."""
    pooled = word_logits[start:end].mean(0)
    values, scores, offset = {}, {}, 0
    for name, choices in attributes.items():
        logits = pooled[offset : offset + len(choices)]
        offset += len(choices)
        shifted = np.exp(logits - logits.max())
        probabilities = shifted / shifted.sum()
        best = int(probabilities.argmax())
        values[name], scores[name] = choices[best], float(probabilities[best])
    return PredictedFactuality(Factuality(**values), scores)
