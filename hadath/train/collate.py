"""Padding a list of features into a batch: ids with the pad id, labels with the ignore index."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch

from hadath.data.align import IGNORE
from hadath.data.argument_pairs import PAD_PAIR


@dataclass
class JointCollator:
    """Pads `input_ids`, builds `attention_mask`, pads every `labels_<layer>` and the per-piece `factuality_labels`
    and `factuality_cues`, stacks `sentence_labels`."""

    pad_token_id: int

    def __call__(self, features: list[dict[str, Any]]) -> dict[str, torch.Tensor]:
        width = max(len(f["input_ids"]) for f in features)
        batch: dict[str, torch.Tensor] = {}
        batch["input_ids"] = torch.tensor(
            [f["input_ids"] + [self.pad_token_id] * (width - len(f["input_ids"])) for f in features]
        )
        batch["attention_mask"] = torch.tensor(
            [[1] * len(f["input_ids"]) + [0] * (width - len(f["input_ids"])) for f in features]
        )
        for key in features[0]:
            if key.startswith("labels_"):
                batch[key] = torch.tensor([f[key] + [IGNORE] * (width - len(f[key])) for f in features])
        if "sentence_labels" in features[0]:
            batch["sentence_labels"] = torch.tensor([f["sentence_labels"] for f in features], dtype=torch.float)
        if "argument_pairs" in features[0]:
            batch["argument_pairs"] = self._pairs([f["argument_pairs"] for f in features])
        if "factuality_labels" in features[0]:
            rows = [f["factuality_labels"] for f in features]
            attributes = len(rows[0][0]) if rows[0] else 0
            pad = [IGNORE] * attributes
            batch["factuality_labels"] = torch.tensor([r + [pad] * (width - len(r)) for r in rows], dtype=torch.long)
        if "factuality_cues" in features[0]:
            cues = [f["factuality_cues"] for f in features]
            blank = [0.0] * (len(cues[0][0]) if cues[0] else 0)
            batch["factuality_cues"] = torch.tensor([c + [blank] * (width - len(c)) for c in cues], dtype=torch.float)
        return batch

    def _pairs(self, rows: list[list[list[int]]]) -> torch.Tensor:
        """[windows, most pairs, PAIR_COLUMNS]; padding rows carry the ignore index as their role."""
        width = max(1, max(len(r) for r in rows))
        pad = list(PAD_PAIR)
        return torch.tensor([r + [pad] * (width - len(r)) for r in rows], dtype=torch.long)
