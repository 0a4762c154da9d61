"""The argument head: scores every (trigger, entity) pair of a sentence into a role or `none`.

A pair is the concatenated embeddings of its ids (`hadath/data/argument_pairs.py`: the words between trigger and entity,
bucketed; which comes first; both span types; how many entities of its type, of any type and of a competing type
stand nearer on that side, and how many competitors stand on the other side; how many triggers lie between or stand
nearer the entity; the particle before the entity and before the trigger); one hidden ReLU layer maps that to role
logits, and roles the table (`hadath/data/roles.py`) does not allow for the two span types are masked out, in training
as at inference. `hadath/inference/arguments.py` is the same computation in NumPy from the exported weights (the ONNX
path runs no torch). The head reads no encoder states: on the bundled corpus the scratch encoder's span states made it
generalise worse to held-out templates (README, "Event arguments"); it is trained in the same loop as the other heads.
"""

from __future__ import annotations

import torch
from torch import nn

from hadath.data.align import IGNORE
from hadath.data.argument_pairs import ID_TABLES, PAIR_IDS, TABLE_SIZES

FEATURE_SIZE = 32  # width of each id embedding
HIDDEN_SIZE = 128  # width of the hidden layer
# In training, each of a pair's geometry and context embeddings is zeroed with this probability; the span types and
# the entity's cue word are always kept. The training templates' geometry is easy to memorise, so the head must also
# learn to link from types and cue alone (on the bundled test split: about +2 F1 over no dropout, README).
STRUCTURE_DROPOUT = 0.3
KEPT = ("types", "cue")
_KEPT_COLUMNS = [column for column, table in enumerate(ID_TABLES) if table in KEPT]


class ArgumentHead(nn.Module):
    """Pair scorer: [id embeddings] -> ReLU layer -> role logits."""

    def __init__(self, roles: int, types: int) -> None:
        super().__init__()
        for table in dict.fromkeys(ID_TABLES):
            self.add_module(table, nn.Embedding(types if table == "types" else TABLE_SIZES[table], FEATURE_SIZE))
        self.hidden = nn.Linear(PAIR_IDS * FEATURE_SIZE, HIDDEN_SIZE)
        self.out = nn.Linear(HIDDEN_SIZE, roles)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        """Role logits [..., roles] of pair ids [..., PAIR_IDS] (columns in ID_TABLES order)."""
        embedded = torch.stack([getattr(self, table)(ids[..., column]) for column, table in enumerate(ID_TABLES)], -2)
        if self.training:
            keep = torch.rand(*ids.shape, 1, device=ids.device) >= STRUCTURE_DROPOUT
            keep[..., _KEPT_COLUMNS, :] = True
            embedded = embedded * keep.to(embedded.dtype)
        return self.out(torch.relu(self.hidden(embedded.flatten(-2))))

    def loss(self, pairs: torch.Tensor) -> torch.Tensor:
        """Cross-entropy of the gold roles of `pairs` [windows, pairs, PAIR_COLUMNS] (ids, allowed-role mask, role;
        see `data.argument_pairs`) over the allowed roles; padding rows carry the ignore index."""
        logits = self(pairs[..., :PAIR_IDS])
        labels = pairs[..., -1]
        if not bool((labels != IGNORE).any()):
            return logits.sum() * 0.0  # keeps the head in the graph (DDP) when a batch has no pair
        bits = 1 << torch.arange(logits.shape[-1], device=pairs.device)
        allowed = (pairs[..., PAIR_IDS, None] & bits) != 0
        masked = logits.masked_fill(~allowed, torch.finfo(logits.dtype).min)
        return nn.functional.cross_entropy(
            masked.reshape(-1, logits.shape[-1]), labels.reshape(-1), ignore_index=IGNORE
        )
