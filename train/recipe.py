"""`hadath train`: read → normalize → align → build the encoder → Trainer → tune → evaluate → export.

One function per stage; `run_training` reads top to bottom as the pipeline.
"""

from __future__ import annotations

import dataclasses
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from datasets import Dataset
from transformers import Trainer, TrainingArguments, set_seed
from transformers.trainer_utils import get_last_checkpoint

from hadath.config import ExperimentConfig, NormalizeConfig, save_config
from hadath.data.align import AlignmentStats, word_pieces
from hadath.data.encode import LabelSpace, build_label_space, encode_windows, training_features
from hadath.data.normalize import NormalizerSettings, normalize_word
from hadath.data.readers import ReadOptions, read_sentences
from hadath.data.sentence import Sentence
from hadath.metadata import ModelMetadata
from hadath.models.joint import JointTagger
from hadath.tagger import Tagger
from hadath.train.collate import JointCollator
from hadath.train.encoder import build_encoder
from hadath.train.evaluate import best_threshold, score, write_evaluation
from hadath.train.export import export_model, model_size_bytes


@dataclass
class Splits:
    """The annotated sentences of each split (dev and test optional)."""

    train: list[Sentence]
    dev: list[Sentence]
    test: list[Sentence]


def normalizer_settings(config: NormalizeConfig) -> NormalizerSettings:
    """The preset with any per-flag overrides from the config applied."""
    base = NormalizerSettings.preset(config.preset).to_dict()
    for flag, value in dataclasses.asdict(config).items():
        if flag != "preset" and value is not None:
            base[flag] = value
    return NormalizerSettings.from_dict(base)


def read_splits(config: ExperimentConfig) -> Splits:
    """Read the train, dev and test files named in the config."""
    options = ReadOptions(columns=dict(config.data.columns), scheme=config.data.scheme)

    def read(path: str | None) -> list[Sentence]:
        return read_sentences(path, options, config.data.format) if path else []

    return Splits(read(config.data.train), read(config.data.dev), read(config.data.test))


def training_dataset(
    sentences: list[Sentence], tokenizer: Any, settings: NormalizerSettings, space: LabelSpace, config: ExperimentConfig
) -> tuple[Dataset, AlignmentStats]:
    """Tokenize, window and label the training sentences."""
    pieces = word_pieces(sentences, tokenizer, settings)
    windows = encode_windows(pieces, tokenizer, config.model.max_length, config.model.stride)
    features = training_features(sentences, windows, space, config.model.label_all_subwords)
    return Dataset.from_list(features), pieces.stats


def training_arguments(config: ExperimentConfig, checkpoint_dir: Path) -> TrainingArguments:
    """Trainer settings from the config; bf16 where the GPU supports it."""
    training = config.training
    use_cpu = training.device == "cpu" or not torch.cuda.is_available()
    bf16 = not use_cpu and torch.cuda.is_bf16_supported()
    return TrainingArguments(
        output_dir=str(checkpoint_dir),
        num_train_epochs=training.epochs,
        max_steps=training.max_steps,
        per_device_train_batch_size=training.batch_size,
        gradient_accumulation_steps=training.gradient_accumulation_steps,
        learning_rate=training.learning_rate,
        weight_decay=training.weight_decay,
        warmup_steps=training.warmup_ratio,
        lr_scheduler_type=training.lr_scheduler,
        max_grad_norm=training.max_grad_norm,
        seed=training.seed,
        use_cpu=use_cpu,
        bf16=bf16,
        logging_steps=training.logging_steps,
        save_strategy="epoch",
        save_total_limit=2,
        report_to="none",
        remove_unused_columns=False,
        label_names=[],
        dataloader_num_workers=0,
    )


def run_training(config: ExperimentConfig, output_dir: Path, resume: bool = False) -> dict[str, Any]:
    """Train, evaluate and export one experiment into `output_dir`; returns the headline metrics."""
    started = time.perf_counter()
    output_dir.mkdir(parents=True, exist_ok=True)
    save_config(config, output_dir / "config.yaml")
    set_seed(config.training.seed)
    splits = read_splits(config)
    settings = normalizer_settings(config.data.normalize)
    space = build_label_space(splits.train)
    words = (normalize_word(word, settings) for sentence in splits.train for word in sentence.words)
    tokenizer_dir = output_dir / "checkpoints" / "tokenizer"
    tokenizer, token_model = build_encoder(config.model, space.layers[next(iter(space.layers))], words, tokenizer_dir)
    tokenizer.save_pretrained(tokenizer_dir)
    dataset, stats = training_dataset(splits.train, tokenizer, settings, space, config)
    model = JointTagger(
        token_model, {k: len(v) for k, v in space.layers.items()}, len(space.sentence_labels), config.model.loss_weights
    )
    trainer = Trainer(
        model=model,
        args=training_arguments(config, output_dir / "checkpoints"),
        train_dataset=dataset,
        data_collator=JointCollator(tokenizer.pad_token_id or 0),
    )
    last = get_last_checkpoint(str(output_dir / "checkpoints")) if resume else None
    trainer.train(resume_from_checkpoint=last)
    train_seconds = time.perf_counter() - started

    metadata = ModelMetadata(
        space,
        settings,
        config.model.max_length,
        config.model.stride,
        config.model.decoding,
        config.evaluation.threshold,
        config.name,
    )
    tagger = Tagger(model, tokenizer, metadata)
    if splits.dev and space.sentence_labels and config.evaluation.tune_threshold:
        tagger.metadata = dataclasses.replace(metadata, threshold=best_threshold(tagger, splits.dev))
    evaluated, split_name = (splits.test, "test") if splits.test else (splits.dev or splits.train, "dev")
    evaluation = score(tagger, evaluated, config.training.eval_batch_size)
    model_dir = export_model(tagger, output_dir / "model")
    facts = {
        "evaluated split": f"{split_name} ({len(evaluated)} sentences)",
        "training sentences": len(splits.train),
        "training windows": stats.windows,
        "sentences split into windows": stats.windowed_sentences,
        "words given a placeholder piece": stats.placeholder_words,
        "sentence-label threshold": tagger.metadata.threshold,
        "training wall time (s)": round(train_seconds, 1),
        "exported model": f"{model_dir} ({model_size_bytes(model_dir) / 1e6:.1f} MB)",
    }
    write_evaluation(evaluation, output_dir, f"Hadath run `{config.name}`", facts)
    (output_dir / "run.json").write_text(json.dumps(facts, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return evaluation.metrics
