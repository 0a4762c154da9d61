"""The attribute head: for every event trigger, its polarity, modality, genericity and tense
(`hadath/data/factuality.py`).

One hidden ReLU layer reads a trigger word's encoder state, the element-wise maximum of the states of the `WINDOW`
pieces before it (where the cues stand: لم، لن، نفى، هدد، سوف، قد، إذا، لو ...; a maximum keeps one cue's features
where a mean over the window would dilute them) and the mean state of its window (the sentence's context), and
one classifier per attribute reads that layer. The head scores every piece; a trigger's scores are the mean of its
words' (lead pieces') scores, and nearly every trigger is one word. So the graph carries one small per-piece output
(`logits_factuality`, every attribute's values side by side) and the pooling over a decoded or gold trigger, and the
softmax per attribute, run in NumPy (`hadath/inference/factuality.py`), the same for a PyTorch and an ONNX model
directory.

With `cues` (`model.factuality_cues`), the head also learns one score per cue class (negation, modal, future: the
cue rules' own lexicon, `hadath/data/factuality_cues.py`) and attribute value, added to the logits of every word that
cue class stands before; they start from the cue rules (`cue_prior`) and training moves them. Those scores are not
part of the graph: like the CRF's transitions they are saved in hadath.json and added in NumPy, so an exported graph
and its inputs are the same with cues or without.

Most events are positive, asserted and specific: the loss weighs each value by the square root of its inverse
frequency among the training triggers (`value_weights`), so the rare values are learnt instead of never predicted.
"""

from __future__ import annotations

import torch
from torch import nn

from hadath.data.align import IGNORE

# Pieces before a trigger whose states the head reads: a cue and the words between it and the trigger
# (`لم يسجل أي [هجوم]` is 3 words, 4-6 pieces).
WINDOW = 8
HIDDEN_SIZE = 128


def window_before(hidden: torch.Tensor, width: int = WINDOW) -> torch.Tensor:
    """Per position, the element-wise maximum of the states of the `width` positions before it (zeros before the
    start). Padding lies after every real piece, so a real piece's window holds real pieces only."""
    length = hidden.shape[1]
    padded = nn.functional.pad(hidden, (0, 0, width, 0))
    # Slices by the (symbolic) length keep the exported graph's length dynamic, where a pooling op fixes it.
    return torch.stack([padded[:, width - k : width - k + length] for k in range(1, width + 1)]).amax(0)


def value_weights(counts: list[list[int]]) -> list[list[float]]:
    """Per attribute, each value's loss weight from its training count, sqrt(total / (values * count)); 1 if unseen."""
    weights = []
    for row in counts:
        total = sum(row)
        weights.append([(total / (len(row) * n)) ** 0.5 if n and total else 1.0 for n in row])
    return weights


class FactualityHead(nn.Module):
    """[piece state; mean of the pieces before it; mean of the window] -> ReLU layer -> every attribute's logits."""

    def __init__(
        self,
        hidden: int,
        sizes: list[int],
        weights: list[list[float]] | None = None,
        *,
        dropout: float = 0.1,
        cues: list[list[float]] | None = None,
    ) -> None:
        super().__init__()
        self.sizes = list(sizes)
        # [cue classes, every attribute's values], from their values before training (`cues`): trained here, exported
        # to hadath.json; None without cues.
        self.cue_scores = nn.Parameter(torch.tensor(cues, dtype=torch.float)) if cues else None
        self.dropout = nn.Dropout(dropout)
        self.hidden = nn.Linear(3 * hidden, HIDDEN_SIZE)
        self.out = nn.Linear(HIDDEN_SIZE, sum(self.sizes))
        # Training-only: not weights of the model, so not saved with it.
        self.value_weights = weights

    def forward(self, hidden: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        """Logits [batch, length, sum of the attributes' value counts] for every piece."""
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        context = (hidden * mask).sum(1, keepdim=True) / mask.sum(1, keepdim=True).clamp(min=1.0)
        features = torch.cat([hidden, window_before(hidden), context.expand_as(hidden)], dim=-1)
        return self.out(self.dropout(torch.relu(self.hidden(self.dropout(features)))))

    def cue_logits(self, cues: torch.Tensor) -> torch.Tensor:
        """The learned cue scores of each piece [batch, length, values] from its cue classes [batch, length, cues]."""
        assert self.cue_scores is not None, "the head was built without cues"
        return cues.to(self.cue_scores.dtype) @ self.cue_scores

    def loss(self, logits: torch.Tensor, labels: torch.Tensor, cues: torch.Tensor | None = None) -> torch.Tensor:
        """Mean over the attributes of the cross-entropy summed over the trigger pieces (`labels` [batch, length,
        attributes], IGNORE on every other piece) per window of the batch; with `cues` (a head built with cues) the
        cue scores are added to the logits first. A batch holds few triggers: a mean over
        each process's own triggers would weigh them unlike one process with the same global batch (DDP averages
        the processes' gradients); a sum per window does not."""
        if cues is not None and self.cue_scores is not None:
            logits = logits + self.cue_logits(cues)
        losses = []
        for index, chunk in enumerate(torch.split(logits, self.sizes, dim=-1)):
            target = labels[..., index].reshape(-1)
            if not bool((target != IGNORE).any()):
                losses.append(chunk.sum() * 0.0)  # keeps the head in the graph (DDP) when a batch has no trigger
                continue
            weight = None
            if self.value_weights is not None:
                weight = torch.tensor(self.value_weights[index], dtype=chunk.dtype, device=chunk.device)
            summed = nn.functional.cross_entropy(
                chunk.reshape(-1, chunk.shape[-1]), target, weight=weight, ignore_index=IGNORE, reduction="sum"
            )
            losses.append(summed / labels.shape[0])
        return torch.stack(losses).mean()
