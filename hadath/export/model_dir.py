"""Writing the deployable model directory atomically: weights, tokenizer, `hadath.json`, all or nothing.

The destination is replaced only when it is empty or already a Hadath model (its `hadath.json` parses as one);
anything else needs `force=True`. Staging, the one rename that installs it, and clearing what a killed export left
are `hadath/data/owned_folders.py`'s (marked siblings, removed only when their owner is dead).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hadath.data.normalize import normalize_word
from hadath.data.owned_folders import STAGING_MARKER, install_directory, make_staging
from hadath.export.manifest import write_manifest
from hadath.export.model_card import CARD_FILE, model_card
from hadath.inference.exported_normalizer import pipeline_normalization
from hadath.inference.exported_word_split import pipeline_word_split
from hadath.inference.metadata import METADATA_FILE, MetadataError, ModelMetadata
from hadath.inference.tagger import Tagger
from hadath.models.checkpoint import save_joint
from hadath.models.joint import JointTagger

if TYPE_CHECKING:
    from transformers import PreTrainedTokenizerBase

# The JointTagger parts `save_joint` writes as weights.
_SAVED_MODULES = ("token_model.", "extra_heads.", "sentence_head.", "argument_head.", "factuality_head.")
# Learned scores that travel in hadath.json (checked on load), not as weights; so do the CRF's (`crfs.`).
_IN_METADATA = ("factuality_head.cue_scores",)
# Words whose pieces the written tokenizer must give as the exported one does (Arabic, Latin, digits, a ligature).
_SAMPLE_TEXTS = (
    "شنت طائرات التحالف غارات جوية على مواقع لتنظيم داعش في وادي الشاي جنوب كركوك يوم الثلاثاء.",
    "وقال رئيس الوزراء مصطفى الكاظمي إن القوات الأمنية اعتقلت 5 مطلوبين في بغداد ﷺ Reuters",
)

__all__ = [
    "STAGING_MARKER",
    "check_destination",
    "export_model",
    "install_directory",
    "make_staging",
    "model_size_bytes",
    "verify_staged",
]


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
        verify_staged(staging, directory, tagger)
        install_directory(staging, directory)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return directory


def verify_staged(staging: Path, directory: Path, source: Tagger | None = None) -> None:
    """Load the staged export as predict will (every check of `Tagger.load`: files, links, tensor set and shapes,
    config, hashes) before it is installed, so a damaged write is never published; with the `source` tagger of a
    PyTorch export, every written weight and the tokenizer's pieces must also equal the source's."""
    try:
        written = Tagger.load(staging, device="cpu")
        if source is not None and isinstance(source.model, JointTagger):
            _check_same_model(source, written)
    except Exception as error:
        problem = str(error).replace(str(staging), str(directory)).split(" — ")[0]
        raise ValueError(
            f"{directory}: the written export does not load back ({problem[:300]}) — nothing was installed: rerun "
            "the export, and check the disk if it fails again"
        ) from error


def _check_same_model(source: Tagger, written: Tagger) -> None:
    import torch

    theirs = written.model.state_dict()  # type: ignore[union-attr]
    for name, value in source.model.state_dict().items():  # type: ignore[union-attr]
        if not name.startswith(_SAVED_MODULES) or name in _IN_METADATA:
            continue
        if name not in theirs or not torch.equal(value.detach().cpu(), theirs[name]):
            raise ValueError(f"weight `{name}` differs from the model exported")
    # As inference feeds them: normalized by Hadath's rules first (the written tokenizer may carry the same rules for
    # a plain pipeline; the source tokenizer does not).
    settings = written.metadata.normalizer
    words = [normalize_word(word, settings) for text in _SAMPLE_TEXTS for word in text.split()]
    if (
        written.tokenizer(words, add_special_tokens=False)["input_ids"]
        != source.tokenizer(words, add_special_tokens=False)["input_ids"]
    ):
        raise ValueError("the tokenizer gives other pieces than the model exported's")


def _transformers_tokenizer(tagger: Tagger) -> PreTrainedTokenizerBase:
    """The tagger's transformers tokenizer: what a PyTorch model loads with (an ONNX folder's light one is never
    written again)."""
    from transformers import PreTrainedTokenizerBase

    if not isinstance(tagger.tokenizer, PreTrainedTokenizerBase):
        raise ValueError("an ONNX model's tokenizer cannot be re-exported — export from the PyTorch model folder")
    return tagger.tokenizer


def save_pipeline_tokenizer(tagger: Tagger, directory: Path) -> None:
    """Save the tokenizer as a plain pipeline needs it, reading only tokenizer.json: framed with the encoder's special
    tokens, with Hadath's normalization and (SentencePiece) word split in front (Hadath takes both off on load)."""
    _frame_with_special_tokens(tagger)
    tokenizer = _transformers_tokenizer(tagger)
    with (
        pipeline_normalization(tokenizer, tagger.metadata.normalizer),
        pipeline_word_split(tokenizer),
    ):
        tokenizer.save_pretrained(directory)


def check_destination(directory: Path, force: bool) -> None:
    """Refuse to replace a file, or a non-empty folder that is not a Hadath model (its hadath.json must parse as one:
    a stray file of that name proves nothing), unless `force`."""
    if directory.is_file():
        raise ValueError(f"{directory}: is a file — pass a folder path for --output-dir")
    if force or not directory.is_dir() or next(directory.iterdir(), None) is None:
        return
    if not (directory / METADATA_FILE).is_file():
        raise ValueError(
            f"{directory}: folder is not empty and is not a Hadath model (no {METADATA_FILE}) — "
            "pass a new or empty folder, or --force to replace it and everything in it"
        )
    try:
        ModelMetadata.load(directory)
    except (MetadataError, OSError) as error:
        problem = str(error).split(": ", 1)[-1].split(" — ")[0][:80]
        raise ValueError(
            f"{directory}: folder is not empty and its {METADATA_FILE} is not a Hadath model's ({problem}) — "
            "pass a new or empty folder, or --force to replace it and everything in it"
        ) from None


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

    tokenizer = _transformers_tokenizer(tagger)
    cls, sep = tokenizer.cls_token, tokenizer.sep_token
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
    tokenizer = _transformers_tokenizer(tagger)
    if isinstance(limit, int) and tokenizer.model_max_length > limit:
        tokenizer.model_max_length = limit
