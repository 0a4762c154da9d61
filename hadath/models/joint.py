"""The joint tagger: one encoder, one token head per tag layer, one multi-label sentence head, and (optionally) an
argument head over (trigger, entity) pairs and an attribute head scoring each trigger's factuality.

The first layer (normally `entities`) uses the classifier of a standard `AutoModelForTokenClassification`, so the
exported checkpoint loads in a plain transformers `pipeline`; the other heads are small linear layers stored beside it.
"""

from __future__ import annotations

from typing import Any, get_args

import numpy as np
import torch
from torch import nn
from transformers import PreTrainedModel

from hadath.config import Pooling
from hadath.data.align import IGNORE
from hadath.models.arguments import ArgumentHead
from hadath.models.crf import LinearChainCRF, pack_words
from hadath.models.decoding import ChainScores, TransitionConstraints
from hadath.models.factuality import FactualityHead

POOLINGS: tuple[Pooling, ...] = get_args(Pooling)


def _hidden_size(token_model: PreTrainedModel) -> int:
    return int(token_model.config.hidden_size)


def _token_cross_entropy(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """Mean cross-entropy over the labelled pieces (IGNORE elsewhere)."""
    return nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), labels.reshape(-1), ignore_index=IGNORE)


class JointTagger(nn.Module):
    """Encoder + token heads + sentence head, trained with a weighted sum of their losses."""

    def __init__(
        self,
        token_model: PreTrainedModel,
        layers: dict[str, int],
        sentence_labels: int,
        *,
        loss_weights: dict[str, float] | None = None,
        pooling: Pooling = "mean",
        crf_constraints: dict[str, TransitionConstraints] | None = None,
        emission_loss: float = 0.0,
        argument_roles: int = 0,
        argument_types: int = 1,
        attribute_sizes: list[int] | None = None,
        attribute_weights: list[list[float]] | None = None,
        argument_states: bool = False,
        factuality_cues: list[list[float]] | None = None,
    ) -> None:
        super().__init__()
        if pooling not in POOLINGS:
            raise ValueError(f"pooling {pooling!r} — use one of: {', '.join(POOLINGS)}")
        if not hasattr(token_model, "classifier"):
            raise ValueError(f"{type(token_model).__name__} has no `classifier` head — use a BERT-family encoder")
        self.token_model = token_model
        self.layer_names = list(layers)
        self.primary_layer = self.layer_names[0]
        hidden = _hidden_size(token_model)
        config = token_model.config
        rate = getattr(config, "classifier_dropout", None) or getattr(config, "hidden_dropout_prob", None)
        self.dropout = nn.Dropout(0.1 if rate is None else float(rate))
        self.extra_heads = nn.ModuleDict({name: nn.Linear(hidden, size) for name, size in list(layers.items())[1:]})
        self.sentence_head = nn.Linear(hidden, sentence_labels) if sentence_labels else None
        self.loss_weights = loss_weights or {}
        self.pooling = pooling
        # CRFs only exist while training: their learned scores are exported to hadath.json for NumPy decoding.
        self.crfs = nn.ModuleDict({name: LinearChainCRF(c) for name, c in (crf_constraints or {}).items()})
        # Absent (no parameters, no output, no cost) unless the label space has argument roles.
        # With `argument_states` it also reads the encoder's pooled span states (hadath/models/arguments.py).
        states = hidden if argument_states else 0
        self.argument_head = ArgumentHead(argument_roles, argument_types, states) if argument_roles else None
        # Likewise unless the label space has event attributes: the value count of each, in hadath/data/factuality.py
        # order; with `factuality_cues` (their scores before training) it learns a score per cue class and value.
        self.factuality_head = (
            FactualityHead(hidden, attribute_sizes, attribute_weights, cues=factuality_cues)
            if attribute_sizes
            else None
        )
        # A token cross-entropy on a CRF layer's emission scores, so their argmax alone (what a plain transformers
        # pipeline computes from the exported checkpoint) is a tagger too, not just input to the transitions.
        self.emission_loss = emission_loss

    def crf_scores(self) -> dict[str, ChainScores]:
        """The learned transition scores of every CRF layer (what hadath.json carries for NumPy decoding)."""
        return {name: crf.chain_scores() for name, crf in self.crfs.items() if isinstance(crf, LinearChainCRF)}

    def factuality_cue_scores(self) -> np.ndarray | None:
        """The attribute head's learned cue scores [cue classes, values] (what hadath.json carries), or None."""
        head = self.factuality_head
        if head is None or head.cue_scores is None:
            return None
        return head.cue_scores.detach().cpu().double().numpy()

    def head(self, layer: str) -> nn.Module:
        """The linear head that scores one tag layer."""
        head = self.token_model.classifier if layer == self.primary_layer else self.extra_heads[layer]
        assert isinstance(head, nn.Module)
        return head

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor, **targets: Any) -> dict[str, Any]:
        """Logits of every head, and the weighted loss when targets (`labels_<layer>`, `sentence_labels`,
        `argument_pairs`, `factuality_labels` with `factuality_cues`) are given."""
        encoder = self.token_model.base_model
        hidden = encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        hidden = self.dropout(hidden)
        outputs: dict[str, Any] = {f"logits_{name}": self.head(name)(hidden) for name in self.layer_names}
        if self.sentence_head is not None:
            outputs["logits_sentence"] = self.sentence_head(self._pool(hidden, attention_mask))
        if self.factuality_head is not None:
            outputs["logits_factuality"] = self.factuality_head(hidden, attention_mask)
        if self.argument_head is not None and self.argument_head.span is not None:
            outputs["argument_states"] = self.argument_head.span(hidden)
        losses = []
        for name in self.layer_names:
            labels = targets.get(f"labels_{name}")
            if labels is not None:
                logits = outputs[f"logits_{name}"]
                crf = self.crfs[name] if name in self.crfs else None  # noqa: SIM401  (ModuleDict has no .get)
                if isinstance(crf, LinearChainCRF):
                    loss = crf.nll(*pack_words(logits, labels, IGNORE))
                    if self.emission_loss:
                        loss = loss + self.emission_loss * _token_cross_entropy(logits, labels)
                else:
                    loss = _token_cross_entropy(logits, labels)
                losses.append(self.loss_weights.get(name, 1.0) * loss)
        sentence_targets = targets.get("sentence_labels")
        if sentence_targets is not None and self.sentence_head is not None:
            loss = nn.functional.binary_cross_entropy_with_logits(outputs["logits_sentence"], sentence_targets)
            losses.append(self.loss_weights.get("labels", 1.0) * loss)
        pairs = targets.get("argument_pairs")
        if pairs is not None and self.argument_head is not None:
            loss = self.argument_head.loss(pairs, outputs.get("argument_states"))
            losses.append(self.loss_weights.get("arguments", 1.0) * loss)
        factuality = targets.get("factuality_labels")
        if factuality is not None and self.factuality_head is not None:
            loss = self.factuality_head.loss(outputs["logits_factuality"], factuality, targets.get("factuality_cues"))
            losses.append(self.loss_weights.get("factuality", 1.0) * loss)
        if losses:
            outputs["loss"] = torch.stack(losses).sum()
        return outputs

    def _pool(self, hidden: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        if self.pooling == "cls":
            return hidden[:, 0]
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        return (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)
