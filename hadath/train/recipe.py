"""`hadath train`: read → normalize → align → build the encoder → Trainer → tune → evaluate → export.

One function per stage; `run_training` reads top to bottom as the pipeline.
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from datasets import Dataset
from transformers import PreTrainedModel, set_seed

from hadath.config import ExperimentConfig, ModelConfig, Switch, save_config
from hadath.data.align import AlignmentStats
from hadath.data.argument_pairs import family_spans, span_types
from hadath.data.cached_encoding import EncodingSettings, encode_dataset
from hadath.data.config_splits import normalizer_settings, read_splits
from hadath.data.encode import LabelSpace, build_label_space
from hadath.data.factuality import attribute_labels
from hadath.data.factuality_cues import cue_prior
from hadath.data.normalize import NormalizerSettings, normalize_word
from hadath.data.roles import argument_labels
from hadath.data.sentence import Sentence
from hadath.evaluation.evaluate import best_threshold, score, write_evaluation
from hadath.evaluation.html_report import TRAINING_LOG
from hadath.evaluation.temperature import calibrate_layers
from hadath.export.manifest import build_manifest, write_manifest
from hadath.export.model_card import model_card
from hadath.export.model_dir import export_model, model_size_bytes
from hadath.inference.metadata import ModelMetadata
from hadath.inference.tagger import Tagger
from hadath.inference.threads import apply_threads
from hadath.models.decoding import build_constraints
from hadath.models.factuality import value_weights
from hadath.models.joint import JointTagger
from hadath.train.encoder import build_encoder
from hadath.train.run_facts import RunFacts
from hadath.train.summary import quiet_third_party
from hadath.train.trainer import build_trainer, check_best_metric, last_complete_checkpoint, training_arguments

if TYPE_CHECKING:
    from transformers import PreTrainedTokenizerBase


def training_dataset(
    sentences: list[Sentence],
    tokenizer: PreTrainedTokenizerBase,
    *,
    settings: NormalizerSettings,
    space: LabelSpace,
    model: ModelConfig,
    cache_dir: Path | None = None,
) -> tuple[Dataset, AlignmentStats]:
    """Tokenize, window and label the training sentences with a batched `datasets.map`, cached by fingerprint in
    `cache_dir` (default: the Hugging Face datasets cache), so a rerun on the same data and tokenizer reuses it."""
    encoding = EncodingSettings(settings, space, model.max_length, model.stride, model.label_all_subwords)
    encoded = encode_dataset(sentences, tokenizer, encoding, cache_dir)
    return encoded.dataset, encoded.stats


def build_model(
    model: ModelConfig, space: LabelSpace, token_model: PreTrainedModel, train: Sequence[Sentence] = ()
) -> JointTagger:
    """The joint tagger: one head per tag layer (a CRF on each for `decoding: crf`), the sentence labels and, when
    the label space has argument roles (`model.arguments`), the argument head, and with event attributes
    (`model.factuality`) the attribute head."""
    crf = (
        {layer: build_constraints(tags, "IOB2") for layer, tags in space.layers.items()}
        if model.decoding == "crf"
        else None
    )
    return JointTagger(
        token_model,
        {k: len(v) for k, v in space.layers.items()},
        len(space.sentence_labels),
        loss_weights=model.loss_weights,
        pooling=model.pooling,
        crf_constraints=crf,
        emission_loss=model.emission_loss,
        argument_roles=len(space.arguments),
        argument_types=len(span_types(space.layers)),
        attribute_sizes=[len(values) for values in space.attributes.values()],
        attribute_weights=value_weights(attribute_counts(train, space.attributes)) if space.attributes else None,
        argument_states=model.argument_states,
        factuality_cues=cue_prior(space.attributes) if model.factuality_cues and space.attributes else None,
    )


def attribute_counts(train: Sequence[Sentence], attributes: dict[str, list[str]]) -> list[list[int]]:
    """Per attribute, how many training triggers hold each value (defaults where a trigger carries none)."""
    counts = [[0] * len(values) for values in attributes.values()]
    for sentence in train:
        for trigger in family_spans(sentence, "events"):
            held = sentence.factuality_of(trigger).as_dict()
            for row, (name, values) in zip(counts, attributes.items(), strict=True):
                row[values.index(held[name])] += 1
    return counts


def wants_factuality(switch: Switch, train: Sequence[Sentence]) -> bool:
    """Whether the model gets an attribute head: as `model.factuality` says, or under `auto` when any training
    event carries an attribute that is not the default."""
    if switch != "auto":
        return bool(switch)
    return any(found.non_default() for sentence in train for found in sentence.factuality.values())


def shared_encoder(
    config: ExperimentConfig, space: LabelSpace, train: list[Sentence], tokenizer_dir: Path, *, is_main: bool,
    resume: bool,
) -> tuple[Any, PreTrainedModel]:  # fmt: skip
    """The encoder, with the scratch vocabulary the main process learned (and saved in checkpoints/tokenizer): a
    rank other than the main one, or a `--resume`d run, loads that saved one; a fresh run never reuses it."""
    settings = normalizer_settings(config.data.normalize)
    words = (normalize_word(word, settings) for sentence in train for word in sentence.words)
    saved = tokenizer_dir if resume or not is_main else None
    tokenizer, model = build_encoder(config.model, space.layers[next(iter(space.layers))], words, saved)
    if is_main:
        tokenizer.save_pretrained(tokenizer_dir)
    return tokenizer, model


def run_training(config: ExperimentConfig, output_dir: Path, resume: bool = False) -> dict[str, Any]:
    """Train, evaluate and export one experiment into `output_dir`; returns the headline metrics."""
    started = time.perf_counter()
    threads = apply_threads(config.training.threads)
    quiet_third_party()
    output_dir.mkdir(parents=True, exist_ok=True)
    save_config(config, output_dir / "config.yaml")
    manifest = build_manifest(config)
    write_manifest(manifest, output_dir)
    set_seed(config.training.seed)
    splits = read_splits(config)
    settings = normalizer_settings(config.data.normalize)
    space = build_label_space(splits.train)
    if config.model.arguments:
        space = dataclasses.replace(space, arguments=argument_labels())
    if wants_factuality(config.model.factuality, splits.train):
        space = dataclasses.replace(space, attributes=attribute_labels())
    if splits.dev:
        check_best_metric(config.training.best_metric, space)
    args = training_arguments(config.training, output_dir / "checkpoints", bool(splits.dev))
    # Under DDP the main process builds what comes from the data (vocabulary, cached features) first; the others
    # then load those, so every rank trains the same model on the same features.
    with args.main_process_first(local=False, desc="vocabulary and training features"):
        tokenizer, token_model = shared_encoder(
            config, space, splits.train, output_dir / "checkpoints" / "tokenizer",
            is_main=args.process_index == 0, resume=resume,
        )  # fmt: skip
        dataset, stats = training_dataset(splits.train, tokenizer, settings=settings, space=space, model=config.model)
    model = build_model(config.model, space, token_model, splits.train)
    if config.training.freeze_word_embeddings:
        token_model.get_input_embeddings().weight.requires_grad_(False)

    def metadata_for(current: JointTagger) -> ModelMetadata:
        return ModelMetadata(
            labels=space,
            normalizer=settings,
            max_length=config.model.max_length,
            stride=config.model.stride,
            decoding=config.model.decoding,
            threshold=config.evaluation.threshold,
            name=config.name,
            pooling=config.model.pooling,
            chains=current.crf_scores(),
            argument_states=config.model.argument_states,
            factuality_cues=current.factuality_cue_scores(),
        )

    trainer = build_trainer(
        config.training,
        args,
        model=model,
        tokenizer=tokenizer,
        dataset=dataset,
        dev=splits.dev,
        metadata_for=metadata_for,
        output_dir=output_dir,
    )
    last = last_complete_checkpoint(output_dir / "checkpoints") if resume else None
    trainer.train(resume_from_checkpoint=last)
    if not trainer.is_world_process_zero():
        return {}
    # The learning curve in report.html, and what a later `hadath evaluate` of this run's model plots.
    (output_dir / TRAINING_LOG).write_text(json.dumps(trainer.state.log_history, indent=1) + "\n", encoding="utf-8")
    train_seconds = time.perf_counter() - started

    metadata = metadata_for(model)
    tagger = Tagger(model, tokenizer, metadata)
    if splits.dev and space.sentence_labels and config.evaluation.tune_threshold:
        tagger.metadata = dataclasses.replace(metadata, threshold=best_threshold(tagger, splits.dev))
    calibrated = calibrate_layers(tagger, splits.dev, config.evaluation.calibrate, config.training.eval_batch_size)
    temperatures = {layer: fit.temperature for layer, fit in calibrated.items() if fit.temperature != 1.0}
    if temperatures:
        tagger.metadata = dataclasses.replace(tagger.metadata, temperatures=temperatures)
    # Without dev or test the only thing left to score is the training split: say so, it measures fitting only.
    evaluated, split_name = (
        (splits.test, "test") if splits.test
        else (splits.dev, "dev") if splits.dev
        else (splits.train, "train, no dev or test given: fit, not generalisation")
    )  # fmt: skip
    evaluation = score(tagger, evaluated, config.training.eval_batch_size)
    facts = RunFacts(
        evaluated_split=f"{split_name} ({len(evaluated)} sentences)",
        training_sentences=len(splits.train),
        data_read=splits.report.summary(),
        training_windows=stats.windows,
        windowed_sentences=stats.windowed_sentences,
        training_placeholder_words=stats.placeholder_words,
        evaluated_words=evaluation.alignment.words,
        evaluated_placeholder_words=evaluation.alignment.placeholder_words,
        threshold=tagger.metadata.threshold,
        span_temperature="; ".join(
            f"{layer} {fit.temperature} ({fit.dev_ece_before:.4f} → {fit.dev_ece_after:.4f})"
            for layer, fit in calibrated.items()
        )
        or "none fitted (no dev split, or evaluation.calibrate: false)",
        training_wall_s=round(train_seconds, 1),
        training_processes=trainer.args.world_size,
        cpu_threads=trainer.thread_tuner.summary() if trainer.thread_tuner else threads,
        precision="bf16" if trainer.args.bf16 else "fp16" if trainer.args.fp16 else "fp32",
    )
    card = model_card(tagger.metadata, config, evaluation.metrics, facts.labelled())
    model_dir = export_model(tagger, output_dir / "model", manifest, card)
    facts = dataclasses.replace(facts, exported_model=f"{model_dir} ({model_size_bytes(model_dir) / 1e6:.1f} MB)")
    write_evaluation(evaluation, output_dir, f"Hadath run `{config.name}`", facts.labelled(), trainer.state.log_history)
    facts.save(output_dir)
    return evaluation.metrics
