"""Saving and loading the joint tagger as a standard token-classification checkpoint plus a small heads file.

`save_pretrained` writes the encoder and the first layer's head (what a plain transformers pipeline needs);
`hadath_heads.safetensors` holds only the other heads, so the encoder weights exist once.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path
from typing import Any

import torch
from safetensors.torch import load_file, save_file
from transformers import AutoModelForTokenClassification

from hadath.config import Pooling
from hadath.models.checkpoint_verify import (
    check_architecture,
    check_links_stay_inside,
    check_loading_info,
    check_no_remote_code,
    check_tensors,
    stored_shapes,
)
from hadath.models.file_modes import apply_umask
from hadath.models.joint import JointTagger

HEADS_FILE = "hadath_heads.safetensors"
WEIGHTS_FILE = "model.safetensors"
# Encoder sizes config.json must give as positive integers, and the largest we believe: past these it is damage.
_SIZES = {
    "hidden_size": 1 << 16,
    "num_hidden_layers": 1024,
    "num_attention_heads": 1024,
    "intermediate_size": 1 << 18,
    "vocab_size": 1 << 22,
    "max_position_embeddings": 1 << 16,
}


def save_joint(model: JointTagger, directory: Path) -> None:
    """Write the checkpoint (safetensors only) into an existing directory."""
    model.token_model.save_pretrained(directory)
    heads = {f"extra_heads.{k}": v for k, v in model.extra_heads.state_dict().items()}
    if model.sentence_head is not None:
        heads.update({f"sentence_head.{k}": v for k, v in model.sentence_head.state_dict().items()})
    if model.argument_head is not None:
        heads.update({f"argument_head.{k}": v for k, v in model.argument_head.state_dict().items()})
    if model.factuality_head is not None:
        # The cue scores travel in hadath.json (added in NumPy at inference), not with the graph's weights.
        state = model.factuality_head.state_dict().items()
        heads.update({f"factuality_head.{k}": v for k, v in state if k != "cue_scores"})
    save_file({k: v.detach().cpu().contiguous() for k, v in heads.items()}, str(directory / HEADS_FILE))
    for weights in directory.glob("*.safetensors"):
        apply_umask(weights)


def load_joint(
    directory: Path,
    layers: dict[str, int],
    sentence_labels: int,
    *,
    device: str = "cpu",
    pooling: Pooling = "mean",
    argument_roles: int = 0,
    argument_types: int = 1,
    attribute_sizes: list[int] | None = None,
    argument_states: bool = False,
) -> JointTagger:
    """Rebuild the joint tagger from a directory written by `save_joint` (no pickles, no remote code), refusing one
    whose weights are not exactly what its architecture needs (see `checkpoint_verify`)."""
    check_links_stay_inside(directory)
    check_no_remote_code(directory)
    check_encoder_config(directory)
    check_architecture(directory, next(iter(layers.values())))
    token_model = _verified_token_model(directory)
    model = JointTagger(
        token_model,
        layers,
        sentence_labels,
        pooling=pooling,
        argument_roles=argument_roles,
        argument_types=argument_types,
        attribute_sizes=attribute_sizes,
        argument_states=argument_states,
    )
    heads = directory / HEADS_FILE
    check_tensors(heads, _head_shapes(model), _without_argument_head(stored_shapes(heads), model))
    state = load_file(str(heads))
    model.extra_heads.load_state_dict(
        {k.removeprefix("extra_heads."): v for k, v in state.items() if k.startswith("extra_heads.")}
    )
    if model.sentence_head is not None:
        model.sentence_head.load_state_dict(
            {k.removeprefix("sentence_head."): v for k, v in state.items() if k.startswith("sentence_head.")}
        )
    if model.factuality_head is not None:
        model.factuality_head.load_state_dict(
            {k.removeprefix("factuality_head."): v for k, v in state.items() if k.startswith("factuality_head.")}
        )
    if model.argument_head is not None:
        try:
            model.argument_head.load_state_dict(
                {k.removeprefix("argument_head."): v for k, v in state.items() if k.startswith("argument_head.")}
            )
        except RuntimeError:  # missing, unexpected or resized weights: the head of an earlier design
            raise ValueError(
                f"{directory / HEADS_FILE}: the argument head was trained by an older Hadath (it scored encoder "
                "states; the current one scores the pair's structure) — retrain the model"
            ) from None
    return model.to(torch.device(device)).eval()


def _verified_token_model(directory: Path) -> Any:
    """The encoder and first head, refused when a weight is missing, unused or of the wrong shape (transformers's
    own report of the load, which it would otherwise only log)."""
    from transformers.utils import logging as transformers_logging

    verbosity = transformers_logging.get_verbosity()
    transformers_logging.set_verbosity_error()  # its load report table is replaced by our one line
    try:
        token_model, info = AutoModelForTokenClassification.from_pretrained(
            directory, use_safetensors=True, output_loading_info=True, ignore_mismatched_sizes=True
        )
    finally:
        transformers_logging.set_verbosity(verbosity)
    check_loading_info(directory / WEIGHTS_FILE, info)
    return token_model


def _head_shapes(model: JointTagger) -> dict[str, torch.Size]:
    """What `save_joint` writes to the heads file for this model, argument head aside (checked on its own)."""
    shapes = {f"extra_heads.{k}": v.shape for k, v in model.extra_heads.state_dict().items()}
    if model.sentence_head is not None:
        shapes.update({f"sentence_head.{k}": v.shape for k, v in model.sentence_head.state_dict().items()})
    if model.factuality_head is not None:
        shapes.update({f"factuality_head.{k}": v.shape for k, v in model.factuality_head.state_dict().items()})
    return shapes


def _without_argument_head(stored: dict[str, list[int]], model: JointTagger) -> dict[str, list[int]]:
    # A model with an argument head reads its tensors below, where an older design gets its own message.
    if model.argument_head is None:
        return stored
    return {name: shape for name, shape in stored.items() if not name.startswith("argument_head.")}


def check_encoder_config(directory: Path) -> None:
    """Refuse a config.json whose sizes are not positive integers in range, or that asks for more weights than
    model.safetensors holds, before transformers allocates the model it describes."""
    path = directory / "config.json"
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, RecursionError) as error:
        raise ValueError(f"{path}: not valid JSON ({str(error)[:80]}) — re-export the model") from None
    if not isinstance(config, dict):
        raise ValueError(f"{path}: expected a JSON object — re-export the model")
    sizes: dict[str, int] = {}
    for key, limit in _SIZES.items():
        value = config.get(key)
        if value is None:
            continue
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= limit:
            shown = repr(value)[:40]
            raise ValueError(f"{path}: `{key}` is {shown}, must be an integer in [1, {limit}] — re-export the model")
        sizes[key] = value
    expected = _weights_lower_bound(sizes)
    stored = _safetensors_values(directory / WEIGHTS_FILE)
    if stored is not None and expected > 2 * stored:
        raise ValueError(
            f"{path}: its sizes need at least {expected:,} weights but {WEIGHTS_FILE} holds {stored:,} — "
            "config.json does not belong to these weights: re-export the model"
        )


def _weights_lower_bound(sizes: dict[str, int]) -> int:
    """Weights a transformer encoder of these sizes has at least (attention and feed-forward of every layer)."""
    hidden = sizes.get("hidden_size", 1)
    layers = sizes.get("num_hidden_layers", 1)
    inner = sizes.get("intermediate_size", hidden)
    return layers * (4 * hidden * hidden + 2 * hidden * inner) + sizes.get("vocab_size", 1) * hidden


def _safetensors_values(path: Path) -> int | None:
    """Number of values stored in a safetensors file, from its header alone; None when it cannot be read."""
    try:
        with path.open("rb") as handle:
            (length,) = struct.unpack("<Q", handle.read(8))
            if length > 100_000_000:
                return None
            header = json.loads(handle.read(length))
    except (OSError, ValueError, struct.error):
        return None
    total = 0
    for name, entry in header.items():
        if name != "__metadata__" and isinstance(entry, dict) and isinstance(entry.get("shape"), list):
            count = 1
            for dim in entry["shape"]:
                count *= int(dim)
            total += count
    return total
