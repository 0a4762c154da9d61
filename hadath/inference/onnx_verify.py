"""Load = verify, for an ONNX export: the checks a PyTorch model folder gets, and the file hashes of `onnx.json`.

An ONNX folder is refused, in one line naming the file and the fix, when a symbolic link in it leads outside it, a
config or tokenizer config asks for remote code (`auto_map`), `onnx.json` is not a JSON object, a file differs from
the SHA-256 `hadath export --onnx` recorded for it (a truncated or edited `model.onnx` or tokenizer: onnxruntime and
`tokenizers` load many such files without a word), or the graph's outputs are not the tag layers and sentence labels
`hadath.json` describes. `hadath.json` itself is not hashed: it is checked field by field, and against the graph.
Exports written before the hashes were recorded load without that one check.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hadath.data.file_hash import file_sha256
from hadath.inference.backends import (
    ARGUMENT_STATES_OUTPUT,
    FACTUALITY_OUTPUT,
    ONNX_GRAPH,
    ONNX_MANIFEST,
    SENTENCE_OUTPUT,
)
from hadath.inference.metadata import METADATA_FILE, ModelMetadata
from hadath.models.checkpoint_verify import (
    CheckpointError,
    check_links_stay_inside,
    check_no_remote_code,
    read_json_object,
)

# onnx.json's map of file name -> SHA-256, for every file of the export but these (settings and documents that a
# user may edit, or that name the hashes themselves).
FILE_HASHES = "files"
UNHASHED = (ONNX_MANIFEST, METADATA_FILE, "README.md", "manifest.json")
# Files the loader reads, which an export must have recorded once it records any.
READ_ON_LOAD = (ONNX_GRAPH, "tokenizer.json")
_REEXPORT = "re-run `hadath export MODEL_DIR --onnx --output-dir DIR` from the PyTorch model"


def export_file_hashes(directory: Path) -> dict[str, str]:
    """SHA-256 of every file of an ONNX export that is not a setting or a document (see UNHASHED), nor hidden (the
    staging marker, removed when the export is installed)."""
    return {
        path.name: file_sha256(path)
        for path in sorted(directory.iterdir())
        if path.is_file() and path.name not in UNHASHED and not path.name.startswith(".")
    }


def check_onnx_files(directory: Path) -> dict[str, Any]:
    """Links, `auto_map` and the recorded hashes of an ONNX folder; returns its parsed `onnx.json`."""
    check_links_stay_inside(directory)
    check_no_remote_code(directory)
    manifest_path = directory / ONNX_MANIFEST
    manifest = read_json_object(manifest_path)
    recorded = manifest.get(FILE_HASHES)
    if recorded is None:
        return manifest  # an export older than the hashes
    if not isinstance(recorded, dict) or not all(isinstance(v, str) for v in recorded.values()):
        raise CheckpointError(f"{manifest_path}: `{FILE_HASHES}` must map file names to SHA-256 hex — {_REEXPORT}")
    for name in READ_ON_LOAD:
        if name not in recorded:
            raise CheckpointError(f"{manifest_path}: `{FILE_HASHES}` records no hash for {name} — {_REEXPORT}")
    for name, expected in sorted(recorded.items()):
        path = directory / name
        if Path(name).name != name or not path.is_file():
            raise CheckpointError(f"{path}: recorded in {ONNX_MANIFEST} but missing — {_REEXPORT}")
        if file_sha256(path) != expected:
            raise CheckpointError(
                f"{path}: its SHA-256 differs from the one {ONNX_MANIFEST} recorded at export — the file was damaged "
                f"or edited: {_REEXPORT}"
            )
    return manifest


def check_graph_outputs(path: Path, outputs: dict[str, Any], metadata: ModelMetadata) -> None:
    """The graph must answer exactly `logits_<layer>` for every tag layer of hadath.json (and `logits_sentence` when
    it has sentence labels, `logits_factuality` when it has event attributes, `argument_states` when its argument
    head reads span states), each as wide as its tag or label list.
    `outputs` maps output name -> shape."""
    widths: dict[str, int | None] = {f"logits_{layer}": len(tags) for layer, tags in metadata.labels.layers.items()}
    if metadata.labels.sentence_labels:
        widths[SENTENCE_OUTPUT] = len(metadata.labels.sentence_labels)
    if metadata.labels.attributes:  # every attribute's values side by side (hadath/models/factuality.py)
        widths[FACTUALITY_OUTPUT] = sum(len(values) for values in metadata.labels.attributes.values())
    if metadata.argument_states:  # the argument head's per-piece projection (its width is the head's own)
        widths[ARGUMENT_STATES_OUTPUT] = None
    if set(outputs) != set(widths):
        raise CheckpointError(
            f"{path}: the graph answers {', '.join(sorted(outputs)) or 'nothing'} but {METADATA_FILE} describes "
            f"{', '.join(sorted(widths))} — the graph and {METADATA_FILE} come from different models: {_REEXPORT}"
        )
    for name, width in sorted(widths.items()):
        shape = outputs[name]
        last = shape[-1] if isinstance(shape, list | tuple) and shape else None
        if isinstance(last, int) and width is not None and last != width:
            raise CheckpointError(
                f"{path}: output {name} has {last} columns but {METADATA_FILE} lists {width} — the graph and "
                f"{METADATA_FILE} come from different models: {_REEXPORT}"
            )
