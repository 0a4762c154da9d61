"""Choosing the encoder: a named pretrained model (hub name or local directory) or the offline scratch BERT."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from transformers import AutoModelForTokenClassification, PreTrainedModel

from hadath.config import ModelConfig
from hadath.models.scratch import scratch_bert
from hadath.train.tokenizer_choice import load_pretrained, training_tokenizer


def build_encoder(
    config: ModelConfig, primary_labels: list[str], words: Iterable[str], tokenizer_dir: Path | None = None
) -> tuple[Any, PreTrainedModel]:
    """Tokenizer and token-classification model whose classifier scores `primary_labels`.

    `tokenizer_dir` holds a scratch tokenizer saved by an earlier (interrupted) run of the same experiment."""
    id2label = dict(enumerate(primary_labels))
    label2id = {label: i for i, label in enumerate(primary_labels)}
    tokenizer = training_tokenizer(config, words, tokenizer_dir)
    if config.name_or_path:
        model = load_pretrained(
            AutoModelForTokenClassification.from_pretrained,
            config.name_or_path,
            num_labels=len(primary_labels),
            id2label=id2label,
            label2id=label2id,
            ignore_mismatched_sizes=True,
        )
        return tokenizer, model
    model = scratch_bert(len(tokenizer), config.scratch, max_length=config.max_length, labels=primary_labels)
    return tokenizer, model
