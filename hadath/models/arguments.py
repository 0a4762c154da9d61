"""The argument head: scores every (trigger, entity) pair of a sentence into a role or `none`.

A pair is the concatenated embeddings of its ids (`hadath/data/argument_pairs.py`: the words between trigger and entity,
bucketed; which comes first; both span types; how many entities of its type, of any type and of a competing type
stand nearer on that side, and how many competitors stand on the other side; how many triggers lie between or stand
nearer the entity; the particle before the entity and before the trigger); one hidden ReLU layer maps that to role
logits, and roles the table (`hadath/data/roles.py`) does not allow for the two span types are masked out, in training
as at inference. `hadath/inference/arguments.py` is the same computation in NumPy from the exported weights (the ONNX
path runs no torch). By default the head reads no encoder states: on the bundled corpus the scratch encoder's span
states made it generalise worse to held-out templates (README, "Event arguments"); it is trained in the same loop as the
other heads.

With `model.argument_states: true` the hidden layer also reads the mean encoder state of the trigger's pieces and of
the entity's. The hidden layer is linear in them, and a mean commutes with a linear map, so the model projects every
piece's state once (`span`, output `argument_states`: [batch, length, 2 × HIDDEN_SIZE], the trigger's half then the
entity's) and a pair adds the mean projection over its spans' pieces: the graph needs no pair input, and NumPy pools
the per-piece output over any decoded or gold span, as for the attribute head.
"""

from __future__ import annotations

import torch
from torch import nn

from hadath.data.align import IGNORE
from hadath.data.argument_pairs import ID_TABLES, PAIR_IDS, SPAN_COLUMNS, TABLE_SIZES

FEATURE_SIZE = 32  # width of each id embedding
HIDDEN_SIZE = 128  # width of the hidden layer
# In training, each of a pair's geometry and context embeddings is zeroed with this probability; the span types and
# the entity's cue word are always kept. The training templates' geometry is easy to memorise, so the head must also
# learn to link from types and cue alone (on the bundled test split: about +2 F1 over no dropout, README).
STRUCTURE_DROPOUT = 0.3
KEPT = ("types", "cue")
_KEPT_COLUMNS = [column for column, table in enumerate(ID_TABLES) if table in KEPT]


class ArgumentHead(nn.Module):
    """Pair scorer: [id embeddings] (+ pooled span states) -> ReLU layer -> role logits."""

    def __init__(self, roles: int, types: int, state_size: int = 0) -> None:
        super().__init__()
        for table in dict.fromkeys(ID_TABLES):
            self.add_module(table, nn.Embedding(types if table == "types" else TABLE_SIZES[table], FEATURE_SIZE))
        self.hidden = nn.Linear(PAIR_IDS * FEATURE_SIZE, HIDDEN_SIZE)
        self.out = nn.Linear(HIDDEN_SIZE, roles)
        # The hidden layer's weights over [trigger's mean state; entity's mean state], applied to every piece.
        self.span = nn.Linear(state_size, 2 * HIDDEN_SIZE, bias=False) if state_size else None

    def forward(self, ids: torch.Tensor, pooled: torch.Tensor | None = None) -> torch.Tensor:
        """Role logits [..., roles] of pair ids [..., PAIR_IDS] (columns in ID_TABLES order), plus with span states
        the pairs' pooled projections [..., 2 × HIDDEN_SIZE] (`pool_spans`)."""
        embedded = torch.stack([getattr(self, table)(ids[..., column]) for column, table in enumerate(ID_TABLES)], -2)
        if self.training:
            keep = torch.rand(*ids.shape, 1, device=ids.device) >= STRUCTURE_DROPOUT
            keep[..., _KEPT_COLUMNS, :] = True
            embedded = embedded * keep.to(embedded.dtype)
        hidden = self.hidden(embedded.flatten(-2))
        if pooled is not None:
            hidden = hidden + pooled[..., :HIDDEN_SIZE] + pooled[..., HIDDEN_SIZE:]
        return self.out(torch.relu(hidden))

    def loss(self, pairs: torch.Tensor, projected: torch.Tensor | None = None) -> torch.Tensor:
        """Cross-entropy of the gold roles of `pairs` [windows, pairs, PAIR_COLUMNS] (ids, piece ranges, allowed-role
        mask, role; see `data.argument_pairs`) over the allowed roles; padding rows carry the ignore index. With span
        states, `projected` is the `argument_states` output of the same windows."""
        ranges = pairs[..., PAIR_IDS : PAIR_IDS + SPAN_COLUMNS]
        pooled = pool_spans(projected, ranges) if projected is not None else None
        logits = self(pairs[..., :PAIR_IDS], pooled)
        labels = pairs[..., -1]
        if not bool((labels != IGNORE).any()):
            return logits.sum() * 0.0  # keeps the head in the graph (DDP) when a batch has no pair
        bits = 1 << torch.arange(logits.shape[-1], device=pairs.device)
        allowed = (pairs[..., -2, None] & bits) != 0
        masked = logits.masked_fill(~allowed, torch.finfo(logits.dtype).min)
        return nn.functional.cross_entropy(
            masked.reshape(-1, logits.shape[-1]), labels.reshape(-1), ignore_index=IGNORE
        )


def pool_spans(projected: torch.Tensor, ranges: torch.Tensor) -> torch.Tensor:
    """Per pair, the mean of the trigger half of `projected` [windows, length, 2 × HIDDEN_SIZE] over the trigger's
    piece range and of the entity half over the entity's (`ranges` [windows, pairs, 4]: start, end of each), side by
    side [windows, pairs, 2 × HIDDEN_SIZE]: prefix sums, so every pair costs two lookups per span."""
    sums = nn.functional.pad(projected.cumsum(1), (0, 0, 1, 0))  # sums[:, i] = sum of positions < i
    halves = []
    for half, (start, end) in enumerate(((0, 1), (2, 3))):
        part = sums[..., half * HIDDEN_SIZE : (half + 1) * HIDDEN_SIZE]
        index = ranges[..., [start, end]].clamp(0, part.shape[1] - 1)
        gathered = [torch.gather(part, 1, index[..., k, None].expand(-1, -1, HIDDEN_SIZE)) for k in (0, 1)]
        count = (index[..., 1] - index[..., 0]).clamp(min=1).unsqueeze(-1).to(part.dtype)
        halves.append((gathered[1] - gathered[0]) / count)
    return torch.cat(halves, -1)
