"""The model card: `README.md` in an exported model directory — data, config, metrics, intended use, limitations."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from hadath.config import ExperimentConfig
from hadath.inference.metadata import ModelMetadata

CARD_FILE = "README.md"

INTENDED_USE = (
    "Tagging Modern Standard Arabic text, one sentence or short paragraph at a time, with the entity types, event "
    "triggers and sentence labels listed above: research, corpus annotation pre-filling, and search or monitoring "
    "pipelines where a person reviews the output. Not for decisions about individuals without human review."
)

LIMITATIONS = [
    "Trained only on the data listed under Training data: expect lower scores on other genres, dialects, social media.",
    "Spans are whole words at prediction time: a proclitic (و، ب، ل) stays inside the predicted span.",
    "Text longer than the window is split into overlapping windows; very long sentences cost more time.",
    "The scores under Evaluation come from one split of one corpus; the interval shows sampling noise, not domain "
    "shift.",
]

PIPELINE_NOTE = (
    "The entity layer also loads in a plain `transformers` token-classification pipeline "
    '(`pipeline("token-classification", model=DIR, aggregation_strategy="first")`; `"first"` tags each whole word by '
    "its first piece, without it the pipeline returns subword fragments). The pipeline takes the argmax of each "
    "piece's entity scores: it does not apply the CRF's learned transitions or the BIO constraints Hadath decodes "
    "with, it only knows the words the text's spaces make (not a corpus' own segmentation, such as clitics split "
    "off), and it predicts no event triggers and no sentence labels — use `Tagger` or `hadath predict` for those. "
    "Hadath's Arabic normalization is written into `tokenizer.json`, so the pipeline sees the text as training did."
)


def _shown_path(path: str | None) -> str | None:
    """A data path as the card shows it: relative to where training ran, never this machine's absolute layout (the
    manifest identifies the file by its SHA-256)."""
    if not path or "://" in path:
        return path
    absolute = Path(path)
    if not absolute.is_absolute():
        return absolute.as_posix()
    try:
        return absolute.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return absolute.name


def _layers(metadata: ModelMetadata) -> list[str]:
    lines = []
    for layer, tags in metadata.labels.layers.items():
        types = sorted({tag[2:] for tag in tags if tag != "O"})
        lines.append(f"- `{layer}`: {', '.join(types) or '(no types)'}")
    if metadata.labels.sentence_labels:
        labels = ", ".join(metadata.labels.sentence_labels)
        lines.append(f"- sentence labels: {labels} (decision threshold {metadata.threshold:.2f})")
    return lines


def _config(config: ExperimentConfig) -> list[str]:
    model, training = config.model, config.training
    encoder = model.name_or_path or (
        f"scratch BERT ({model.scratch.num_layers} layers, hidden {model.scratch.hidden_size}, "
        f"WordPiece vocabulary of {model.scratch.vocab_size} learned on the training split)"
    )
    steps = f"{training.max_steps} steps" if training.max_steps > 0 else f"{training.epochs:g} epochs"
    return [
        f"- encoder: {encoder}",
        f"- window: {model.max_length} subwords, stride {model.stride}; decoding: {model.decoding}",
        f"- normalization preset: {config.data.normalize.preset}",
        f"- training: {steps}, batch {training.batch_size}, learning rate {training.learning_rate:g}, "
        f"seed {training.seed}",
        "- the full resolved config is `config.yaml` in the run directory",
    ]


def _metrics(metrics: Mapping[str, Any]) -> list[str]:
    lines = [
        "| layer | precision | recall | F1 | F1 95% CI | strict IOB2 F1 | macro F1 |",
        "|---|---:|---:|---:|---|---:|---:|",
    ]
    for layer, block in metrics.items():
        # metrics.json holds no interval (null) below 20 sentences.
        ci = block.get("f1_ci95")
        interval = "{:.4f}–{:.4f}".format(*ci) if ci else ("n/a (too few sentences)" if "f1_ci95" in block else "")
        strict = f"{block['strict']['f1']:.4f}" if "strict" in block else ""
        macro = f"{block['macro_f1']:.4f}" if "macro_f1" in block else ""
        lines.append(
            f"| {layer} | {block['precision']:.4f} | {block['recall']:.4f} | {block['f1']:.4f} | {interval} | "
            f"{strict} | {macro} |"
        )
    lines += [
        "",
        "Entity-level micro scores exactly as conlleval counts them (seqeval default mode); sentence labels are "
        "micro-averaged over labels; `arguments` (when present) scores the argument head given the gold triggers and "
        "entities, ACE style (trigger span and type, entity span and role must match); `factuality` (when present) is "
        "event F1 over reported events only (positive, asserted, specific, not future), its macro F1 the attribute "
        "head's on the gold triggers. See the run's `report.md` / `report.html` for per-type tables, end-to-end "
        "argument scores, the attribute head against cue rules, and errors.",
    ]
    return lines


def model_card(
    metadata: ModelMetadata,
    config: ExperimentConfig | None = None,
    metrics: Mapping[str, Any] | None = None,
    facts: Mapping[str, Any] | None = None,
) -> str:
    """The Markdown model card for an exported model; sections without information say so."""
    lines = [f"# {metadata.name} — Hadath Arabic tagger", "", "## What it predicts", "", *_layers(metadata), ""]
    lines += ["## Intended use", "", INTENDED_USE, ""]
    lines += ["## Training data", ""]
    if config is not None:
        lines += [f"- {name}: `{_shown_path(getattr(config.data, name))}`" for name in ("train", "dev", "test")]
        lines.append(f"- format: {config.data.format}, scheme {config.data.scheme}")
    else:
        lines.append("- not recorded with this export (re-exported from a model directory without a card)")
    for key, value in (facts or {}).items():
        if "sentences" in key or "split" in key:
            lines.append(f"- {key}: {value}")
    lines += ["", "## Configuration", ""]
    lines += (
        _config(config) if config is not None else [f"- window {metadata.max_length}, decoding {metadata.decoding}"]
    )
    lines += ["", "## Evaluation", ""]
    lines += _metrics(metrics) if metrics else ["Not evaluated at export time: run `hadath evaluate MODEL_DIR DATA`."]
    lines += [
        "",
        "## How to use",
        "",
        "```python",
        "from hadath import Tagger",
        'tagger = Tagger.load("path/to/this/directory")',
        'tagger.predict(["شنت طائرات التحالف غارات على مواقع داعش في كركوك"])',
        "```",
        "",
        PIPELINE_NOTE,
        "",
        "## Limitations",
        "",
        *[f"- {item}" for item in LIMITATIONS],
        "",
    ]
    return "\n".join(lines)
