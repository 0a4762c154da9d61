"""Scoring a tagger on annotated sentences and writing `metrics.json`, `report.md` and `predictions-<layer>.conll`."""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from hadath.data.align import AlignmentStats
from hadath.data.argument_pairs import family_spans
from hadath.data.encode import SENTENCE_LABELS, LabelSpace
from hadath.data.factuality import Factuality
from hadath.data.schemes import TagSpan, label_types
from hadath.data.sentence import Sentence
from hadath.evaluation.arguments import Link, argument_block, argument_scores
from hadath.evaluation.calibration import calibration, span_outcomes
from hadath.evaluation.compare import read_predictions
from hadath.evaluation.factuality import factuality_block
from hadath.evaluation.html_report import write_html_report
from hadath.evaluation.metrics import label_metrics, layer_metrics, tune_threshold
from hadath.evaluation.report import write_report
from hadath.inference.tagger import Tagger, WordPrediction

CLASSIFICATION = "classification"
ARGUMENTS = "arguments"
FACTUALITY = "factuality"


@dataclass
class Evaluation:
    """Metrics plus what is needed to write the prediction files."""

    metrics: dict[str, Any]
    layers: list[str]
    sentences: Sequence[Sentence]
    predictions: list[WordPrediction]
    alignment: AlignmentStats = field(default_factory=AlignmentStats)


def label_matrix(sentences: Sequence[Sentence], names: Sequence[str]) -> np.ndarray:
    """Multi-hot gold sentence labels in the model's label order."""
    index = {name: i for i, name in enumerate(names)}
    gold = np.zeros((len(sentences), len(names)), dtype=np.float32)
    for row, sentence in enumerate(sentences):
        for label in sentence.labels:
            if label in index:
                gold[row, index[label]] = 1.0
    return gold


def evaluated_layers(tagger: Tagger, sentences: Sequence[Sentence]) -> list[str]:
    """Layers the model predicts and the data annotates (the first model layer always counts)."""
    model_layers = list(tagger.metadata.labels.layers)
    annotated = {layer for sentence in sentences for layer in sentence.layers}
    return [layer for i, layer in enumerate(model_layers) if i == 0 or layer in annotated]


def score(tagger: Tagger, sentences: Sequence[Sentence], batch_size: int = 64, progress: bool = False) -> Evaluation:
    """Predict every sentence (streamed, keeping only the word tags) and score each layer and the sentence labels.

    Scores are per word, from the tag decoded at each word's first piece, so how subwords were labelled in training
    (`model.label_all_subwords`) cannot change what is counted."""
    alignment = AlignmentStats()
    # Per-word probabilities are dropped as each chunk is decoded: memory grows by a tag list, a
    # few span scores and links per sentence, no more.
    predictions, given_spans, gold_trigger_attributes = [], [], []
    stream = tagger.iter_predictions(sentences, batch_size, progress, alignment, uncalibrated=True)
    for sentence, p in zip(sentences, stream, strict=True):
        given_spans.append(_gold_span_links(tagger, sentence, p))
        if p.factuality_logits is not None:
            gold_trigger_attributes.append(
                [tagger.attributes(p, t).factuality for t in family_spans(sentence, "events")]
            )
        kept = WordPrediction(p.tags, {}, p.label_scores, p.span_scores, p.arguments, factuality=p.factuality,
                              uncalibrated_span_scores=p.uncalibrated_span_scores)  # fmt: skip
        predictions.append(kept)
    layers = evaluated_layers(tagger, sentences)
    metrics: dict[str, Any] = {}
    for layer in layers:
        gold = [sentence.tags(layer) for sentence in sentences]
        predicted = [p.tags[layer] for p in predictions]
        metrics[layer] = layer_metrics(gold, predicted)
        metrics[layer]["calibration"] = calibration(
            *span_outcomes(gold, predicted, [p.span_scores[layer] for p in predictions])
        )
        temperature = tagger.metadata.temperature(layer)
        if temperature != 1.0:  # the same spans scored as the network gives them: what the temperature changed
            raw = [p.uncalibrated_span_scores.get(layer, []) for p in predictions]
            before = calibration(*span_outcomes(gold, predicted, raw))["ece"]
            metrics[layer]["calibration"].update(temperature=temperature, ece_at_temperature_1=before)
    names = tagger.metadata.labels.sentence_labels
    if names and any(sentence.labels for sentence in sentences):
        scores = np.stack([p.label_scores for p in predictions])
        metrics[CLASSIFICATION] = label_metrics(
            label_matrix(sentences, names), scores, names, tagger.metadata.threshold
        )
    if tagger.scorer is not None and any(sentence.arguments for sentence in sentences):
        gold_links = [sentence.typed_arguments() for sentence in sentences]
        linked: list[list[Link]] = [[(a.trigger, a.entity, a.role) for a in p.arguments] for p in predictions]
        metrics[ARGUMENTS] = argument_block(
            argument_scores(gold_links, given_spans), argument_scores(gold_links, linked)
        )
    if tagger.metadata.labels.attributes and any(family_spans(s, "events") for s in sentences):
        metrics[FACTUALITY] = factuality_block(sentences, gold_trigger_attributes, _decoded_attributes(predictions))
    return Evaluation(metrics, layers, sentences, predictions, alignment)


def _decoded_attributes(predictions: Sequence[WordPrediction]) -> list[dict[tuple[int, int, str], Factuality]]:
    """Per sentence, each decoded event (start, end, type) with the attributes the head gave it."""
    return [
        {(t.start, t.end, t.label): p.factuality[(t.start, t.end)].factuality for t in p.spans("events")}
        for p in predictions
    ]


def _gold_span_links(tagger: Tagger, sentence: Sentence, prediction: WordPrediction) -> list[Link]:
    """The argument head's links among the sentence's gold triggers and entities (no links without a head), with the
    span states of its prediction when the head reads them."""
    triggers, entities = family_spans(sentence, "events"), family_spans(sentence, "entities")
    linked = tagger.link(sentence.words, triggers, entities, prediction.argument_states)
    return [(a.trigger, a.entity, a.role) for a in linked]


def unknown_labels(space: LabelSpace, sentences: Sequence[Sentence]) -> dict[str, list[str]]:
    """Per model layer (and `sentence labels`), the types the data holds and the model cannot predict.

    Layers or sentence labels the model has no head for at all are not evaluated, so they are not listed."""
    seen: dict[str, set[str]] = {}
    for sentence in sentences:
        for layer, spans in sentence.layers.items():
            seen.setdefault(layer, set()).update(span.label for span in spans)
        seen.setdefault(SENTENCE_LABELS, set()).update(sentence.labels)
    unknown = {}
    for layer, tags in space.layers.items():
        missing = seen.get(layer, set()) - set(label_types(tags))
        if missing:
            unknown[layer] = sorted(missing)
    if space.sentence_labels:
        missing = seen.get(SENTENCE_LABELS, set()) - set(space.sentence_labels)
        if missing:
            unknown[SENTENCE_LABELS] = sorted(missing)
    return unknown


def check_labels(space: LabelSpace, sentences: Sequence[Sentence], source: str) -> None:
    """Refuse data with labels the model does not know, listing the difference and how to map it."""
    unknown = unknown_labels(space, sentences)
    if not unknown:
        return
    known = {layer: label_types(tags) for layer, tags in space.layers.items()}
    known[SENTENCE_LABELS] = space.sentence_labels
    parts = [
        f"{layer}: {', '.join(types)} (model knows {', '.join(known[layer]) or 'none'})"
        for layer, types in unknown.items()
    ]
    layer, types = next(iter(unknown.items()))
    # Suggest the nearest known name (PERS=PER) so the example is usually the mapping the user wants.
    example = ",".join(
        f"{name}={(difflib.get_close_matches(name, known[layer], 1, 0.5) or ['O'])[0]}" for name in types[:2]
    )
    raise ValueError(
        f"{source}: labels the model does not know — {'; '.join(parts)} — map them with `--label-map {example}` "
        "(NAME=MODEL_NAME; O drops the type) or evaluate a model trained on these labels"
    )


def apply_label_map(sentences: Sequence[Sentence], mapping: Mapping[str, str]) -> list[Sentence]:
    """Rename span types and sentence labels; a name mapped to `O` is dropped."""
    if not mapping:
        return list(sentences)

    def renamed(spans: list[TagSpan]) -> list[TagSpan]:
        spans = [TagSpan(s.start, s.end, mapping.get(s.label, s.label)) for s in spans]
        return [s for s in spans if s.label != "O"]

    result = []
    for sentence in sentences:
        layers = {layer: renamed(spans) for layer, spans in sentence.layers.items()}
        labels = [mapping.get(label, label) for label in sentence.labels]
        result.append(
            replace(
                sentence,
                layers={layer: spans for layer, spans in layers.items() if spans},
                labels=list(dict.fromkeys(label for label in labels if label != "O")),
            )
        )
    return result


def best_threshold(tagger: Tagger, sentences: Sequence[Sentence], batch_size: int = 64) -> float:
    """Sentence-label threshold with the best micro F1 on (dev) sentences."""
    predictions = tagger.predict_sentences(sentences, batch_size)
    names = tagger.metadata.labels.sentence_labels
    scores = np.stack([p.label_scores for p in predictions])
    return tune_threshold(label_matrix(sentences, names), scores)


def write_predictions(evaluation: Evaluation, directory: Path) -> list[Path]:
    """One `token gold predicted` file per layer, blank line between sentences (conlleval.pl input)."""
    written = []
    for layer in evaluation.layers:
        path = directory / f"predictions-{layer}.conll"
        with path.open("w", encoding="utf-8") as handle:
            for sentence, prediction in zip(evaluation.sentences, evaluation.predictions, strict=True):
                for word, gold, predicted in zip(
                    sentence.words, sentence.tags(layer), prediction.tags[layer], strict=True
                ):
                    # conlleval splits on whitespace: a token can never be empty or contain spaces there.
                    token = "".join(word.split()) or "_"
                    handle.write(f"{token} {gold} {predicted}\n")
                handle.write("\n")
        written.append(path)
    return written


def write_evaluation(
    evaluation: Evaluation,
    directory: Path,
    title: str,
    extra: dict[str, Any],
    training_log: Sequence[Mapping[str, Any]] = (),
) -> None:
    """Write metrics.json, the prediction files, report.md and report.html (with the learning curve of
    `training_log`, the Trainer's log history, when given) into `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "metrics.json").write_text(
        json.dumps(evaluation.metrics, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    written = write_predictions(evaluation, directory)
    # The reports read the prediction files back: the examples they show are exactly what conlleval.pl would score.
    predictions = {layer: read_predictions(path) for layer, path in zip(evaluation.layers, written, strict=True)}
    write_report(directory / "report.md", title, evaluation.metrics, extra, predictions)
    write_html_report(
        directory / "report.html", title, evaluation.metrics, extra, predictions=predictions, training_log=training_log
    )
