"""Choosing the encoder: a named pretrained model (hub name or local directory) or the offline scratch BERT."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from transformers import AutoModelForTokenClassification, AutoTokenizer, PreTrainedModel

from hadath.config import ModelConfig
from hadath.models.scratch import scratch_bert, train_wordpiece


def build_encoder(
    config: ModelConfig, primary_labels: list[str], words: Iterable[str], tokenizer_dir: Path | None = None
) -> tuple[Any, PreTrainedModel]:
    """Tokenizer and token-classification model whose classifier scores `primary_labels`.

    `tokenizer_dir` holds a scratch tokenizer saved by an earlier (interrupted) run of the same experiment."""
    id2label = dict(enumerate(primary_labels))
    label2id = {label: i for i, label in enumerate(primary_labels)}
    if config.name_or_path:
        tokenizer = AutoTokenizer.from_pretrained(config.name_or_path)
        if not getattr(tokenizer, "is_fast", False):
            raise ValueError(f"{config.name_or_path}: Hadath needs a fast (Rust) tokenizer for word alignment")
        model = AutoModelForTokenClassification.from_pretrained(
            config.name_or_path,
            num_labels=len(primary_labels),
            id2label=id2label,
            label2id=label2id,
            ignore_mismatched_sizes=True,
        )
        return tokenizer, model
    scratch = config.scratch
    pinned = Path(scratch.tokenizer) if scratch.tokenizer else None
    if pinned is not None:
        if not (pinned / "tokenizer.json").is_file():
            raise ValueError(f"{pinned}: no tokenizer.json — `model.scratch.tokenizer` must name a tokenizer directory")
        tokenizer = AutoTokenizer.from_pretrained(pinned)
    elif tokenizer_dir is not None and (tokenizer_dir / "tokenizer.json").is_file():
        tokenizer = AutoTokenizer.from_pretrained(tokenizer_dir)
    else:
        tokenizer = train_wordpiece(words, scratch.vocab_size, scratch.min_frequency)
    model = scratch_bert(
        len(tokenizer),
        scratch.hidden_size,
        scratch.num_layers,
        scratch.num_heads,
        scratch.intermediate_size,
        config.max_length,
        primary_labels,
    )
    return tokenizer, model
