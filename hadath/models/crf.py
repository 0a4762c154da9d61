"""A linear-chain CRF over word-level emissions, trained jointly with the encoder.

Transitions the tag scheme forbids get a fixed large penalty during training, so the CRF never learns to rely on
them; decoding (NumPy, hadath/models/decoding.py) forbids them outright and adds the learned scores.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import numpy as np
import torch
from torch import nn

from hadath.models.decoding import ChainScores, TransitionConstraints

FORBIDDEN = -1e4
Function = TypeVar("Function", bound=Callable[..., Any])


def eager(function: Function) -> Function:
    """Left out of `torch.compile` (`training.torch_compile`): a loop or shapes that change with every batch would
    be compiled again for nearly each one. The encoder before it is what is compiled."""
    return cast(Function, torch.compiler.disable(function))


class LinearChainCRF(nn.Module):
    """Start, transition and end scores for one tag layer, with the negative log-likelihood of gold paths."""

    start_penalty: torch.Tensor
    transition_penalty: torch.Tensor
    end_penalty: torch.Tensor

    def __init__(self, constraints: TransitionConstraints) -> None:
        super().__init__()
        size = len(constraints.labels)
        self.start = nn.Parameter(torch.zeros(size))
        self.transitions = nn.Parameter(torch.zeros(size, size))
        self.end = nn.Parameter(torch.zeros(size))
        penalty = lambda allowed: torch.where(torch.as_tensor(np.array(allowed)), 0.0, FORBIDDEN)  # noqa: E731
        self.register_buffer("start_penalty", penalty(constraints.start), persistent=False)
        self.register_buffer("transition_penalty", penalty(constraints.transitions), persistent=False)
        self.register_buffer("end_penalty", penalty(constraints.end), persistent=False)

    def _scores(self) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        return (self.start + self.start_penalty, self.transitions + self.transition_penalty,
                self.end + self.end_penalty)  # fmt: skip

    @eager  # its loop would be unrolled into one graph per sentence length
    def nll(self, emissions: torch.Tensor, tags: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Negative log-likelihood of `tags` [B, T] under `emissions` [B, T, L], per word (so its scale matches the
        token-level cross-entropy of the other heads); `mask` marks real words, left-aligned, >= 1 per row."""
        start, transitions, end = self._scores()
        emissions = emissions.float()
        batch = torch.arange(emissions.shape[0], device=emissions.device)
        # A window that opens on a tag the scheme forbids at a start (I-X) continues a sentence cut by the
        # previous window: its first word may take any tag, so the start penalty is lifted for that row only.
        continues = self.start_penalty[tags[:, 0]] < 0
        start = torch.where(continues.unsqueeze(1), self.start.unsqueeze(0), start.unsqueeze(0))
        maskf = mask.float()
        gold = start[batch, tags[:, 0]] + emissions[batch, 0, tags[:, 0]]
        alpha = start + emissions[:, 0]
        for step in range(1, emissions.shape[1]):
            on = maskf[:, step]
            gold = gold + on * (transitions[tags[:, step - 1], tags[:, step]] + emissions[batch, step, tags[:, step]])
            candidate = torch.logsumexp(alpha.unsqueeze(2) + transitions.unsqueeze(0), dim=1) + emissions[:, step]
            alpha = torch.where(mask[:, step : step + 1], candidate, alpha)
        last = tags[batch, mask.long().sum(1) - 1]
        gold = gold + end[last]
        log_partition = torch.logsumexp(alpha + end, dim=1)
        return (log_partition - gold).sum() / mask.sum().clamp(min=1)

    def chain_scores(self) -> ChainScores:
        """The learned scores as NumPy arrays for decoding."""
        return ChainScores(
            self.start.detach().cpu().double().numpy(),
            self.transitions.detach().cpu().double().numpy(),
            self.end.detach().cpu().double().numpy(),
        )


@eager  # shapes that depend on the labels
def pack_words(logits: torch.Tensor, labels: torch.Tensor, ignore: int) -> tuple[torch.Tensor, ...]:
    """Left-align the labelled (first-subword) positions of each row: emissions [B, W, L], tags [B, W], mask [B, W];
    rows without any labelled position are dropped."""
    word_mask = labels != ignore
    keep = word_mask.any(1)
    logits, labels, word_mask = logits[keep], labels[keep], word_mask[keep]
    lengths = word_mask.sum(1)
    width = int(lengths.max()) if lengths.numel() else 0
    order = torch.argsort((~word_mask).to(torch.int8), dim=1, stable=True)[:, :width]
    emissions = logits.gather(1, order.unsqueeze(-1).expand(-1, -1, logits.shape[-1]))
    mask = torch.arange(width, device=labels.device).unsqueeze(0) < lengths.unsqueeze(1)
    tags = labels.gather(1, order).masked_fill(~mask, 0)
    return emissions, tags, mask
