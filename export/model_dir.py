"""Writing the deployable model directory atomically: weights, tokenizer, `hadath.json`, all or nothing.

The destination is replaced only when it is empty or already a Hadath model (it holds `hadath.json`); anything else
needs `force=True`. The staging and retired copies carry names only this module makes (`.NAME.hadath-staging-*`,
`.NAME.hadath-retired-*`) and a marker file, so stale ones from a killed export are cleared without touching any
other sibling.
"""

from __future__ import annotations

import os
import secrets
import shutil
from pathlib import Path
from typing import Any

from hadath.export.manifest import write_manifest
from hadath.export.model_card import CARD_FILE, model_card
from hadath.inference.exported_normalizer import pipeline_normalization
from hadath.inference.exported_word_split import pipeline_word_split
from hadath.inference.metadata import METADATA_FILE
from hadath.inference.tagger import Tagger
from hadath.models.checkpoint import save_joint
from hadath.models.joint import JointTagger

# Written first into every staging directory: a sibling without it was not made by an export and is never removed.
STAGING_MARKER = ".hadath-export-staging"
_KINDS = ("retired", "staging")


def export_model(
    tagger: Tagger,
    directory: Path,
    manifest: dict[str, Any] | None = None,
    card: str | None = None,
    force: bool = False,
) -> Path:
    """Write the tagger (and the run's `manifest.json`, when given) and its model card `README.md` (`card`, or a
    minimal one from hadath.json) to `directory`, via a staging sibling renamed into place so no half-written
    model loads."""
    if not isinstance(tagger.model, JointTagger):
        raise ValueError(f"{directory}: an ONNX model cannot be re-exported — export from the PyTorch model folder")
    directory = directory.resolve()
    check_destination(directory, force)
    staging = make_staging(directory)
    try:
        save_joint(tagger.model, staging)
        _clamp_max_length(tagger)
        save_pipeline_tokenizer(tagger, staging)
        tagger.metadata.save(staging)
        (staging / CARD_FILE).write_text(card or model_card(tagger.metadata), encoding="utf-8")
        if manifest is not None:
            write_manifest(manifest, staging)
        install_directory(staging, directory)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return directory


def save_pipeline_tokenizer(tagger: Tagger, directory: Path) -> None:
    """Save the tokenizer as a plain pipeline needs it, reading only tokenizer.json: framed with the encoder's special
    tokens, with Hadath's normalization and (SentencePiece) word split in front (Hadath takes both off on load)."""
    _frame_with_special_tokens(tagger)
    with (
        pipeline_normalization(tagger.tokenizer, tagger.metadata.normalizer),
        pipeline_word_split(tagger.tokenizer),
    ):
        tagger.tokenizer.save_pretrained(directory)


def check_destination(directory: Path, force: bool) -> None:
    """Refuse to replace a file, or a non-empty folder that is not a Hadath model, unless `force`."""
    if directory.is_file():
        raise ValueError(f"{directory}: is a file — pass a folder path for --output-dir")
    if force or not directory.is_dir() or (directory / METADATA_FILE).is_file():
        return
    if next(directory.iterdir(), None) is not None:
        raise ValueError(
            f"{directory}: folder is not empty and is not a Hadath model (no {METADATA_FILE}) — "
            "pass a new or empty folder, or --force to replace it and everything in it"
        )


def make_staging(directory: Path) -> Path:
    """A fresh staging folder beside `directory` (normal permissions: the umask applies), after clearing the stale
    staging folders of killed exports of the same destination."""
    directory.parent.mkdir(parents=True, exist_ok=True)
    _clear_stale(directory)
    staging = _sibling(directory, "staging")
    staging.mkdir()  # mode 0o777 minus the umask, unlike tempfile.mkdtemp's 0o700
    (staging / STAGING_MARKER).write_text(f"{os.getpid()}\n", encoding="utf-8")
    return staging


def install_directory(staging: Path, directory: Path) -> None:
    """Rename a finished staging directory into place (replacing an older one), so no half-written model loads."""
    (staging / STAGING_MARKER).unlink(missing_ok=True)
    if not directory.exists():
        staging.rename(directory)
        return
    retired = _sibling(directory, "retired")
    retired.mkdir()
    (retired / STAGING_MARKER).write_text(f"{os.getpid()}\n", encoding="utf-8")
    # The old model goes inside the marked folder, so a kill between the renames leaves nothing unmarked behind.
    directory.rename(retired / "model")
    staging.rename(directory)
    shutil.rmtree(retired, ignore_errors=True)


def model_size_bytes(directory: Path) -> int:
    """Total size of the files in an exported model directory."""
    return sum(path.stat().st_size for path in directory.rglob("*") if path.is_file())


def _sibling(directory: Path, kind: str) -> Path:
    return directory.with_name(f".{directory.name}.hadath-{kind}-{secrets.token_hex(6)}")


def _clear_stale(directory: Path) -> None:
    # A run killed mid-export (SIGKILL skips the cleanup) leaves its staging copy; clear only folders this module
    # named and marked, never another sibling that happens to start with `.NAME.`.
    for kind in _KINDS:
        for stale in directory.parent.glob(f".{directory.name}.hadath-{kind}-*"):
            if not stale.is_dir() or stale.is_symlink() or not (stale / STAGING_MARKER).is_file():
                continue
            if kind == "retired" and (stale / "model").is_dir() and not directory.exists():
                (stale / "model").rename(directory)  # killed between the two renames: the old model comes back
            shutil.rmtree(stale, ignore_errors=True)


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
