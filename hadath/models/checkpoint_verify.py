"""Load = verify: a checkpoint runs only if it is exactly the network its files describe.

transformers initialises a missing weight at random and ignores an unexpected one, so a tampered or truncated
`model.safetensors` would otherwise load and tag nonsense with exit 0. Here every tensor the architecture expects
must be present with its shape and none may be left over (encoder and heads), `config.json`'s `model_type` must name
the architecture it lists and the label count `hadath.json` gives, and no file may ask for remote code (`auto_map`).
Each refusal is one line naming the file and the fix.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from safetensors import safe_open

# Files whose `auto_map` would make transformers import code shipped in the folder (with trust_remote_code).
REMOTE_CODE_FILES = ("config.json", "tokenizer_config.json")
_REEXPORT = "restore the folder from the run that trained it (or retrain)"


class CheckpointError(ValueError):
    """A damaged or foreign checkpoint file: `FILE: problem — fix`."""


def read_json_object(path: Path) -> dict[str, Any]:
    """A JSON object from a model file, or a one-line CheckpointError naming it."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError) as error:
        raise CheckpointError(f"{path}: not valid JSON ({str(error)[:80]}) — {_REEXPORT}") from None
    if not isinstance(data, dict):
        raise CheckpointError(f"{path}: expected a JSON object — {_REEXPORT}")
    return data


def check_no_remote_code(directory: Path) -> None:
    """Refuse a config or tokenizer config that maps classes to code files in the folder (`auto_map`)."""
    for name in REMOTE_CODE_FILES:
        path = directory / name
        if path.is_file() and "auto_map" in read_json_object(path):
            raise CheckpointError(
                f"{path}: has `auto_map` (asks to run code shipped with the model) — Hadath never runs model code: "
                f"remove the key or {_REEXPORT}"
            )


def check_links_stay_inside(directory: Path) -> None:
    """Refuse a symbolic link in the model folder that leads outside it: loading or exporting would read (and copy
    into the export) a file the folder does not hold, such as a README.md linked to a private file."""
    root = directory.resolve()
    links = []
    for folder, subfolders, files in os.walk(directory):  # never into a linked folder: it is checked as a link
        links += [Path(folder, name) for name in (*subfolders, *files) if Path(folder, name).is_symlink()]
    for entry in sorted(links):
        target = entry.resolve()
        if target != root and root not in target.parents:
            raise CheckpointError(
                f"{entry}: a symbolic link to {target}, outside the model folder — replace it with a copy of the "
                "file (or remove it)"
            )


def check_architecture(directory: Path, first_layer_tags: int) -> None:
    """`model_type` must be a transformers encoder whose token-classification class is the one `architectures`
    names, with as many labels as hadath.json gives the first tag layer."""
    from transformers.models.auto.modeling_auto import MODEL_FOR_TOKEN_CLASSIFICATION_MAPPING_NAMES

    path = directory / "config.json"
    config = read_json_object(path)
    model_type = config.get("model_type")
    expected = MODEL_FOR_TOKEN_CLASSIFICATION_MAPPING_NAMES.get(model_type) if isinstance(model_type, str) else None
    if expected is None:
        raise CheckpointError(f"{path}: `model_type` {_short(model_type)} is not a token-classification encoder "
                              f"transformers knows — {_REEXPORT}")  # fmt: skip
    architectures = config.get("architectures")
    if architectures is not None and architectures != [expected]:
        raise CheckpointError(
            f"{path}: `model_type` {model_type!r} builds {expected} but `architectures` is {_short(architectures)} — "
            f"the config was edited or belongs to another model: {_REEXPORT}"
        )
    labels = config.get("id2label")
    count = len(labels) if isinstance(labels, dict) else config.get("num_labels")
    if count is not None and count != first_layer_tags:
        raise CheckpointError(
            f"{path}: {_short(count)} labels but hadath.json gives the first tag layer {first_layer_tags} — "
            f"config.json and hadath.json come from different models: {_REEXPORT}"
        )


def check_loading_info(path: Path, info: Mapping[str, Any]) -> None:
    """Refuse what `from_pretrained(..., output_loading_info=True)` reports: a weight the architecture needs that the
    file lacks (transformers would make it up at random), one it does not use, or one of the wrong shape."""
    missing, unexpected, mismatched = (info.get(key) or () for key in ("missing_keys", "unexpected_keys",
                                                                        "mismatched_keys"))  # fmt: skip
    if missing:
        raise CheckpointError(f"{path}: missing {_names(missing)} — the weights file is truncated or from another "
                              f"model (transformers would fill it with random values): {_REEXPORT}")  # fmt: skip
    if mismatched:
        name, stored, wanted = sorted(mismatched, key=str)[0][:3]
        raise CheckpointError(f"{path}: `{name}` has shape {list(stored)}, the architecture needs {list(wanted)} "
                              f"({len(mismatched)} tensor(s) differ) — {_REEXPORT}")  # fmt: skip
    if unexpected:
        raise CheckpointError(f"{path}: holds {_names(unexpected)}, which the architecture does not use — the file "
                              f"was altered or belongs to another model: {_REEXPORT}")  # fmt: skip


def stored_shapes(path: Path) -> dict[str, list[int]]:
    """Name -> shape of every tensor in a safetensors file, read from its header only."""
    try:
        with safe_open(str(path), framework="pt") as handle:
            return {name: list(handle.get_slice(name).get_shape()) for name in handle.keys()}  # noqa: SIM118
    except Exception as error:  # safetensors raises its own error types for a damaged header
        raise CheckpointError(f"{path}: not a readable safetensors file ({str(error)[:80]}) — {_REEXPORT}") from None


def check_tensors(path: Path, expected: Mapping[str, Iterable[int]], stored: Mapping[str, list[int]]) -> None:
    """The stored tensors must be exactly the expected names with the expected shapes."""
    wanted = {name: list(shape) for name, shape in expected.items()}
    mismatched = [(name, stored[name], shape) for name, shape in wanted.items() if name in stored and
                  stored[name] != shape]  # fmt: skip
    check_loading_info(
        path,
        {
            "missing_keys": set(wanted) - set(stored),
            "unexpected_keys": set(stored) - set(wanted),
            "mismatched_keys": mismatched,
        },
    )


def _names(keys: Iterable[str]) -> str:
    ordered = sorted(keys)
    shown = ", ".join(f"`{name}`" for name in ordered[:3])
    return shown + (f" and {len(ordered) - 3} more" if len(ordered) > 3 else "")


def _short(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
