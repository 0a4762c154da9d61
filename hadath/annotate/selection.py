"""Choosing N of a pool too large to hold: the N most uncertain (a bounded heap), a seeded random N (a reservoir),
and N spread over the encoder's sentence embeddings (greedy farthest-point among the most uncertain candidates).
Near-duplicates (`duplicate_key`) never enter twice: the first one met stays."""

from __future__ import annotations

import heapq
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

# Two candidates whose embeddings are closer than this (cosine) say the same thing: the second is dropped.
DUPLICATE_SIMILARITY = 0.98


@dataclass
class Candidate:
    """One pool sentence: where it came from, its text, near-duplicate key, uncertainty and pre-annotation."""

    order: int
    where: str
    text: str
    key: str
    uncertainty: float = 0.0
    record: dict[str, Any] = field(default_factory=dict)


class MostUncertain:
    """The `size` most uncertain candidates offered so far (the earlier one on a tie), in O(size) memory."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._heap: list[tuple[float, int, Candidate]] = []
        self._keys: set[str] = set()
        self.duplicates = 0

    def offer(self, candidate: Candidate) -> None:
        """Keep the candidate if it is among the most uncertain and no near-duplicate of it is kept."""
        if candidate.key in self._keys:
            self.duplicates += 1
            return
        item = (candidate.uncertainty, -candidate.order, candidate)
        if len(self._heap) < self.size:
            heapq.heappush(self._heap, item)
        elif item[:2] > self._heap[0][:2]:
            self._keys.discard(heapq.heapreplace(self._heap, item)[2].key)
        else:
            return
        self._keys.add(candidate.key)

    def best(self) -> list[Candidate]:
        """The kept candidates, most uncertain first."""
        return [item[2] for item in sorted(self._heap, key=lambda item: item[:2], reverse=True)]


class Reservoir:
    """A seeded uniform sample of `size` distinct (by key) candidates from a stream of unknown length."""

    def __init__(self, size: int, seed: int) -> None:
        self.size = size
        self.random = random.Random(seed)
        self.kept: list[Candidate] = []
        self._keys: set[str] = set()
        self.seen = 0
        self.duplicates = 0

    def offer(self, candidate: Candidate) -> None:
        """Algorithm R over the candidates whose near-duplicate is not already kept."""
        if candidate.key in self._keys:
            self.duplicates += 1
            return
        self.seen += 1
        if len(self.kept) < self.size:
            self.kept.append(candidate)
            self._keys.add(candidate.key)
            return
        slot = self.random.randrange(self.seen)
        if slot < self.size:
            self._keys.discard(self.kept[slot].key)
            self.kept[slot] = candidate
            self._keys.add(candidate.key)


def spread(embeddings: np.ndarray, uncertainties: Sequence[float], count: int) -> list[int]:
    """Indexes of `count` rows picked greedily: the most uncertain first, then each time the row farthest (cosine)
    from every row picked so far; rows within `DUPLICATE_SIMILARITY` of a picked row are never picked. Distances
    are taken about the rows' mean: mean-pooled encoder states share a large common direction that would make every
    pair look alike."""
    if not len(embeddings):
        return []
    centred = embeddings - embeddings.mean(axis=0, keepdims=True)
    norms = np.linalg.norm(centred, axis=1, keepdims=True)
    unit = centred / np.maximum(norms, 1e-12)
    order = np.asarray(uncertainties, dtype=np.float64)
    picked = [int(np.argmax(order))]
    closest = unit @ unit[picked[0]]  # each row's highest similarity to a picked row
    while len(picked) < count:
        distance = np.where(closest >= DUPLICATE_SIMILARITY, -np.inf, 1.0 - closest)
        distance[picked] = -np.inf
        best = int(np.argmax(distance + 1e-9 * order))  # on a tie, the more uncertain
        if not np.isfinite(distance[best]):
            break
        picked.append(best)
        closest = np.maximum(closest, unit @ unit[best])
    return picked
