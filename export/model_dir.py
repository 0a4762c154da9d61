"""Writing the deployable model directory atomically: weights, tokenizer, `hadath.json`, all or nothing."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from hadath.export.manifest import write_manifest
from hadath.export.model_card import CARD_FILE, model_card
from hadath.inference.tagger import Tagger
from hadath.models.checkpoint import save_joint
from hadath.models.joint import JointTagger


def export_model(
    tagger: Tagger, directory: Path, manifest: dict[str, Any] | None = None, card: str | None = None
) -> Path:
    """Write the tagger (and the run's `manifest.json`, when given) and its model card `README.md` (`card`, or a
    minimal one from hadath.json) to `directory`, via a temporary sibling renamed into place so no half-written
    model loads."""
    if not isinstance(tagger.model, JointTagger):
        raise ValueError(f"{directory}: an ONNX model cannot be re-exported — export from the PyTorch model folder")
    directory = directory.resolve()
    directory.parent.mkdir(parents=True, exist_ok=True)
    # A run killed mid-export (SIGKILL skips the cleanup below) leaves its staging copy under a hidden name that
    # nothing loads; clear it so killed runs do not pile up copies of the weights.
    for stale in directory.parent.glob(f".{directory.name}.*"):
        if stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", dir=directory.parent))
    try:
        save_joint(tagger.model, staging)
        _clamp_max_length(tagger)
        _frame_with_special_tokens(tagger)
        tagger.tokenizer.save_pretrained(staging)
        tagger.metadata.save(staging)
        (staging / CARD_FILE).write_text(card or model_card(tagger.metadata), encoding="utf-8")
        if manifest is not None:
            write_manifest(manifest, staging)
        install_directory(staging, directory)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return directory


def install_directory(staging: Path, directory: Path) -> None:
    """Rename a finished staging directory into place (replacing an older one), so no half-written model loads."""
    if directory.exists():
        retired = directory.with_name(f".{directory.name}.old")
        shutil.rmtree(retired, ignore_errors=True)
        directory.rename(retired)
        staging.rename(directory)
        shutil.rmtree(retired, ignore_errors=True)
    else:
        staging.rename(directory)


def model_size_bytes(directory: Path) -> int:
    """Total size of the files in an exported model directory."""
    return sum(path.stat().st_size for path in directory.rglob("*") if path.is_file())


def _frame_with_special_tokens(tagger: Tagger) -> None:
    """A scratch WordPiece has no post-processor: Hadath frames windows with [CLS]/[SEP] itself (it always tokenizes
    with `add_special_tokens=False`), but a plain `pipeline` relies on the tokenizer, and without the frame the
    encoder sees inputs unlike any it was trained on. Give the saved tokenizer BERT's `[CLS] $A [SEP]` template."""
    backend = getattr(tagger.tokenizer, "backend_tokenizer", None)
    if backend is None or backend.num_special_tokens_to_add(is_pair=False) > 0:  # already framed (AraBERT's)
        return
    from tokenizers import processors

    cls, sep = tagger.tokenizer.cls_token, tagger.tokenizer.sep_token
    cls_id, sep_id = backend.token_to_id(cls or ""), backend.token_to_id(sep or "")
    if cls_id is None or sep_id is None:
        return
    backend.post_processor = processors.TemplateProcessing(
        single=f"{cls} $A {sep}", pair=f"{cls} $A {sep} $B:1 {sep}:1", special_tokens=[(cls, cls_id), (sep, sep_id)]
    )


def _clamp_max_length(tagger: Tagger) -> None:
    """A plain `pipeline` truncates at the tokenizer's `model_max_length`: it must not exceed the encoder's positions
    (a scratch BERT has as many as `model.max_length`), or long inputs crash it instead of being truncated."""
    positions = getattr(getattr(tagger.model, "token_model", None), "config", None)
    limit = getattr(positions, "max_position_embeddings", None)
    if isinstance(limit, int) and tagger.tokenizer.model_max_length > limit:
        tagger.tokenizer.model_max_length = limit
