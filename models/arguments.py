"""The argument head: scores every (trigger, entity) pair of a sentence into a role or `none`.

A pair is the mean of each span's word-piece states, their product, and embeddings of the words between them
(bucketed) and of which comes first; one hidden ReLU layer maps that to role logits. `inference/arguments.py` is
the same computation in NumPy from the exported weights (the ONNX path runs no torch).
"""

from __future__ import annotations

import torch
from torch import nn

from hadath.data.align import IGNORE
from hadath.data.argument_pairs import DISTANCE_EDGES

FEATURE_SIZE = 32  # width of the distance and order embeddings


class ArgumentHead(nn.Module):
    """Pair scorer: [trigger; entity; trigger*entity; distance; order] -> ReLU layer -> role logits."""

    def __init__(self, hidden: int, roles: int) -> None:
        super().__init__()
        self.distance = nn.Embedding(len(DISTANCE_EDGES), FEATURE_SIZE)
        self.order = nn.Embedding(2, FEATURE_SIZE)
        self.hidden = nn.Linear(3 * hidden + 2 * FEATURE_SIZE, hidden)
        self.out = nn.Linear(hidden, roles)

    def forward(
        self, trigger: torch.Tensor, entity: torch.Tensor, distance: torch.Tensor, order: torch.Tensor
    ) -> torch.Tensor:
        """Role logits [pairs, roles] of span vectors [pairs, hidden] and their geometry ids [pairs]."""
        features = torch.cat([trigger, entity, trigger * entity, self.distance(distance), self.order(order)], -1)
        return self.out(torch.relu(self.hidden(features)))

    def loss(self, hidden: torch.Tensor, pairs: torch.Tensor) -> torch.Tensor:
        """Cross-entropy of the gold roles of `pairs` [windows, pairs, 7] (see `data.argument_pairs`) over
        `hidden` [windows, length, hidden]; padding rows carry the ignore index."""
        trigger = span_means(hidden, pairs[..., 0], pairs[..., 1])
        entity = span_means(hidden, pairs[..., 2], pairs[..., 3])
        logits = self(trigger, entity, pairs[..., 4], pairs[..., 5])
        labels = pairs[..., 6]
        if not bool((labels != IGNORE).any()):
            return logits.sum() * 0.0  # keeps the head in the graph (DDP) when a batch has no pair
        return nn.functional.cross_entropy(
            logits.reshape(-1, logits.shape[-1]), labels.reshape(-1), ignore_index=IGNORE
        )


def span_means(hidden: torch.Tensor, start: torch.Tensor, end: torch.Tensor) -> torch.Tensor:
    """Mean of `hidden` [windows, length, size] over [start, end) per (window, pair): [windows, pairs, size]."""
    summed = torch.cat([torch.zeros_like(hidden[:, :1]), hidden.cumsum(1)], 1)
    size = hidden.shape[-1]

    def at(index: torch.Tensor) -> torch.Tensor:
        return summed.gather(1, index.unsqueeze(-1).expand(-1, -1, size))

    count = (end - start).clamp(min=1).unsqueeze(-1).to(hidden.dtype)
    return (at(end) - at(start)) / count
