"""The optimizer Hadath trains with: AdamW whose parameter groups learn at three rates.

A pretrained encoder is fine-tuned at 2e-5..2e-4, but the task heads and the CRF start from nothing: at the encoder's
rate a CRF's transitions barely leave zero (0.014 after 518 steps at 5e-5 on ANERcorp, so crf = argmax = viterbi)
and a head learns rare types late. So the encoder learns at `learning_rate` (lower layers at lr·decay^depth with
`layerwise_lr_decay` < 1), the heads at `head_learning_rate` and the CRF scores (and the attribute head's cue scores)
at `crf_learning_rate`; the Trainer's warmup and decay schedule scales every group alike. Biases, LayerNorm weights
and those scores are not decayed.

The update is torch's fused AdamW (the Trainer's own default, `adamw_torch_fused`): the same arithmetic as the
per-tensor loop torch picks on a CPU otherwise, in one kernel. On multilingual-e5-small, 2 cores, it took the
optimizer's share of a step from 81-107 to 45-52 ms (README, "Training speed").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import torch

from hadath.config import TrainingConfig
from hadath.models.joint import JointTagger

LAYER_INDEX = re.compile(r"\.layer\.(\d+)\.")
# The attribute head's cue scores: a few biases learnt from nothing, like the CRF's transitions (and at their rate).
CUE_SCORES = "factuality_head.cue_scores"


def _encoder_depth(name: str, layers: int) -> int | None:
    """0 for the embeddings, k+1 for encoder layer k, None for a parameter outside the encoder (a head)."""
    if not name.startswith("token_model.") or ".classifier." in name or name.startswith("token_model.classifier"):
        return None
    if ".embeddings." in name:
        return 0
    match = LAYER_INDEX.search(name)
    return int(match.group(1)) + 1 if match else layers + 1


def parameter_rates(model: JointTagger, training: TrainingConfig) -> Iterator[tuple[str, float, bool]]:
    """(name, learning rate, decayed?) for every trainable parameter."""
    layers = int(model.token_model.config.num_hidden_layers)
    for name, parameter in model.named_parameters():
        if not parameter.requires_grad:
            continue
        if name.startswith("crfs.") or name == CUE_SCORES:
            yield name, training.crf_learning_rate, False
            continue
        depth = _encoder_depth(name, layers)
        if depth is None:
            yield name, training.head_learning_rate, parameter.ndim > 1
        else:
            scale = training.layerwise_lr_decay ** (layers + 1 - min(depth, layers + 1))
            yield name, training.learning_rate * scale, parameter.ndim > 1


def build_optimizer(model: JointTagger, training: TrainingConfig) -> torch.optim.Optimizer:
    """Fused AdamW over groups of equal (rate, weight decay), from `parameter_rates`."""
    parameters = dict(model.named_parameters())
    groups: dict[tuple[float, float], list[torch.nn.Parameter]] = {}
    for name, rate, decayed in parameter_rates(model, training):
        groups.setdefault((rate, training.weight_decay if decayed else 0.0), []).append(parameters[name])
    # Every group names its own rate (so AdamW's default is never read) and the Trainer schedules the groups' rates:
    # TrainingArguments.learning_rate only labels the run in the Trainer's log.
    return torch.optim.AdamW(
        [{"params": params, "lr": rate, "weight_decay": decay} for (rate, decay), params in groups.items()],
        fused=True,
    )
