"""The argument head: scores every (trigger, entity) pair of a sentence into a role or `none`.

A pair is the mean of each span's word-piece states, their product, the mean state of the words between them, and
embeddings of the words between them (bucketed), of which comes first, of both span types, of how many same-type
entities stand nearer on that side and of how many triggers lie between; one hidden ReLU layer maps that to role
logits. `inference/arguments.py` is the same computation in NumPy from the exported weights (the
ONNX path runs no torch).
"""

from __future__ import annotations

import torch
from torch import nn

from hadath.data.align import IGNORE
from hadath.data.argument_pairs import BEFORE, CONTEXT_CAP, DISTANCE_EDGES

FEATURE_SIZE = 32  # width of the distance, order, type and context embeddings
# In training, each pair loses its span vectors with this probability: a scratch encoder memorises the training
# templates' states (train F1 1.0, new templates far lower), so the head must also learn to link from the pair's
# geometry, types and context alone.
SPAN_DROPOUT = 0.5


class ArgumentHead(nn.Module):
    """Pair scorer: [trigger; entity; trigger*entity; between; distance; order; types] -> ReLU layer -> role logits."""

    def __init__(self, hidden: int, roles: int, types: int) -> None:
        super().__init__()
        self.distance = nn.Embedding(len(DISTANCE_EDGES), FEATURE_SIZE)
        self.order = nn.Embedding(2, FEATURE_SIZE)
        self.types = nn.Embedding(types, FEATURE_SIZE)
        self.rank = nn.Embedding(CONTEXT_CAP + 1, FEATURE_SIZE)
        self.crossing = nn.Embedding(CONTEXT_CAP + 1, FEATURE_SIZE)
        self.hidden = nn.Linear(4 * hidden + 6 * FEATURE_SIZE, hidden)
        self.out = nn.Linear(hidden, roles)

    def forward(self, spans: torch.Tensor, ids: torch.Tensor) -> torch.Tensor:
        """Role logits [..., roles] of span vectors [..., 3, hidden] (trigger, entity, between) and ids [..., 6]
        (distance bucket, order, trigger type, entity type, rank, triggers between)."""
        trigger, entity, middle = spans.unbind(-2)
        embedded = [
            self.distance(ids[..., 0]),
            self.order(ids[..., 1]),
            self.types(ids[..., 2]),
            self.types(ids[..., 3]),
            self.rank(ids[..., 4]),
            self.crossing(ids[..., 5]),
        ]
        features = torch.cat([trigger, entity, trigger * entity, middle, *embedded], -1)
        return self.out(torch.relu(self.hidden(features)))

    def loss(self, hidden: torch.Tensor, pairs: torch.Tensor) -> torch.Tensor:
        """Cross-entropy of the gold roles of `pairs` [windows, pairs, 11] (see `data.argument_pairs`) over
        `hidden` [windows, length, hidden]; padding rows carry the ignore index."""
        before = pairs[..., 5] == BEFORE
        middle_start = torch.where(before, pairs[..., 3], pairs[..., 1])
        middle_end = torch.maximum(torch.where(before, pairs[..., 0], pairs[..., 2]), middle_start)
        spans = torch.stack(
            [
                span_means(hidden, pairs[..., 0], pairs[..., 1]),
                span_means(hidden, pairs[..., 2], pairs[..., 3]),
                span_means(hidden, middle_start, middle_end),
            ],
            -2,
        )
        if self.training:
            keep = torch.rand(spans.shape[:-2], device=spans.device) >= SPAN_DROPOUT
            spans = spans * keep[..., None, None].to(spans.dtype)
        logits = self(spans, pairs[..., 4:10])
        labels = pairs[..., 10]
        if not bool((labels != IGNORE).any()):
            return logits.sum() * 0.0  # keeps the head in the graph (DDP) when a batch has no pair
        flat = logits.reshape(-1, logits.shape[-1])
        return nn.functional.cross_entropy(flat, labels.reshape(-1), ignore_index=IGNORE)


def span_means(hidden: torch.Tensor, start: torch.Tensor, end: torch.Tensor) -> torch.Tensor:
    """Mean of `hidden` [windows, length, size] over [start, end) per (window, pair): [windows, pairs, size] (zeros
    for an empty range)."""
    summed = torch.cat([torch.zeros_like(hidden[:, :1]), hidden.cumsum(1)], 1)
    size = hidden.shape[-1]

    def at(index: torch.Tensor) -> torch.Tensor:
        return summed.gather(1, index.unsqueeze(-1).expand(-1, -1, size))

    count = (end - start).clamp(min=1).unsqueeze(-1).to(hidden.dtype)
    return (at(end) - at(start)) / count
