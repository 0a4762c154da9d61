"""Scoring a tagger on annotated sentences and writing `metrics.json`, `report.md` and `predictions-<layer>.conll`."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from hadath.data.sentence import Sentence
from hadath.tagger import Tagger, WordPrediction
from hadath.train.metrics import label_metrics, layer_metrics, tune_threshold
from hadath.train.report import write_report

CLASSIFICATION = "classification"


@dataclass
class Evaluation:
    """Metrics plus what is needed to write the prediction files."""

    metrics: dict[str, Any]
    layers: list[str]
    sentences: Sequence[Sentence]
    predictions: list[WordPrediction]


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
    """Predict every sentence and score each layer and the sentence labels."""
    predictions = tagger.predict_sentences(sentences, batch_size, progress)
    layers = evaluated_layers(tagger, sentences)
    metrics: dict[str, Any] = {}
    for layer in layers:
        gold = [sentence.tags(layer) for sentence in sentences]
        metrics[layer] = layer_metrics(gold, [p.tags[layer] for p in predictions])
    names = tagger.metadata.labels.sentence_labels
    if names and any(sentence.labels for sentence in sentences):
        scores = np.stack([p.label_scores for p in predictions])
        metrics[CLASSIFICATION] = label_metrics(
            label_matrix(sentences, names), scores, names, tagger.metadata.threshold
        )
    return Evaluation(metrics, layers, sentences, predictions)


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


def write_evaluation(evaluation: Evaluation, directory: Path, title: str, extra: dict[str, Any]) -> None:
    """Write metrics.json, report.md and the prediction files into `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "metrics.json").write_text(
        json.dumps(evaluation.metrics, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    write_predictions(evaluation, directory)
    write_report(directory / "report.md", title, evaluation.metrics, extra)
