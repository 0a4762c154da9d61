"""Saving and loading the joint tagger as a standard token-classification checkpoint plus a small heads file.

`save_pretrained` writes the encoder and the first layer's head (what a plain transformers pipeline needs);
`hadath_heads.safetensors` holds only the other heads, so the encoder weights exist once.
"""

from __future__ import annotations

from pathlib import Path

import torch
from safetensors.torch import load_file, save_file
from transformers import AutoModelForTokenClassification

from hadath.config import Pooling
from hadath.models.joint import JointTagger

HEADS_FILE = "hadath_heads.safetensors"


def save_joint(model: JointTagger, directory: Path) -> None:
    """Write the checkpoint (safetensors only) into an existing directory."""
    model.token_model.save_pretrained(directory)
    heads = {f"extra_heads.{k}": v for k, v in model.extra_heads.state_dict().items()}
    if model.sentence_head is not None:
        heads.update({f"sentence_head.{k}": v for k, v in model.sentence_head.state_dict().items()})
    if model.argument_head is not None:
        heads.update({f"argument_head.{k}": v for k, v in model.argument_head.state_dict().items()})
    save_file({k: v.detach().cpu().contiguous() for k, v in heads.items()}, str(directory / HEADS_FILE))


def load_joint(
    directory: Path,
    layers: dict[str, int],
    sentence_labels: int,
    device: str = "cpu",
    pooling: Pooling = "mean",
    argument_roles: int = 0,
    argument_types: int = 1,
) -> JointTagger:
    """Rebuild the joint tagger from a directory written by `save_joint` (no pickles, no remote code)."""
    token_model = AutoModelForTokenClassification.from_pretrained(directory, use_safetensors=True)
    model = JointTagger(
        token_model,
        layers,
        sentence_labels,
        pooling=pooling,
        argument_roles=argument_roles,
        argument_types=argument_types,
    )
    state = load_file(str(directory / HEADS_FILE))
    model.extra_heads.load_state_dict(
        {k.removeprefix("extra_heads."): v for k, v in state.items() if k.startswith("extra_heads.")}
    )
    if model.sentence_head is not None:
        model.sentence_head.load_state_dict(
            {k.removeprefix("sentence_head."): v for k, v in state.items() if k.startswith("sentence_head.")}
        )
    if model.argument_head is not None:
        model.argument_head.load_state_dict(
            {k.removeprefix("argument_head."): v for k, v in state.items() if k.startswith("argument_head.")}
        )
    return model.to(torch.device(device)).eval()
