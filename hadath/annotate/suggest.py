"""`hadath annotate suggest`: N sentences of a raw pool chosen for annotation, pre-annotated by a model.

The pool streams by in chunks and only the candidates still in the running are held: the N most uncertain
(`uncertainty`), `candidates` × N of them for `diverse` (then spread over the encoder's embeddings), or a seeded
reservoir of N (`random`, which tags only the N it keeps). The model's spans, triggers, argument links and sentence
labels, each with its score, travel as a *prediction* (Label Studio `predictions` with `model_version` and `score`);
doccano has no predictions, so its lines carry them as `label` spans, with the model version and scores beside them
(`hadath_model_version`, `hadath_scores`). Every task carries its text's hash (`hadath_text_sha256`) for
`hadath annotate merge`, and its source line and uncertainty.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tqdm.auto import tqdm

from hadath.annotate.embeddings import sentence_embeddings
from hadath.annotate.near_duplicates import duplicate_key
from hadath.annotate.selection import Candidate, MostUncertain, Reservoir, spread
from hadath.annotate.uncertainty import sentence_uncertainty
from hadath.config import SuggestFormat, SuggestStrategy
from hadath.data.sentence import Sentence
from hadath.data.tool_records import SUGGESTION_HASH, doccano_record, labeling_config, labelstudio_suggestion
from hadath.data.tool_records import text_sha256 as text_hash
from hadath.data.words import split_words
from hadath.inference.tagger import Tagger

# Texts tagged at once: the model's batches stay full while memory holds one chunk's scores.
CHUNK_TEXTS = 1024


@dataclass(frozen=True)
class SuggestSettings:
    """How many to pick and how; `candidates` is the multiple of `count` that `diverse` spreads over."""

    count: int
    strategy: SuggestStrategy
    seed: int = 13
    batch_size: int = 32
    candidates: int = 5


@dataclass
class SuggestResult:
    """The chosen candidates, in the order to annotate them, how many texts the pool held, and how many were
    dropped as near-duplicates of a kept candidate."""

    chosen: list[Candidate]
    pool: int
    duplicates: int


def _candidates(texts: Iterable[tuple[str, str]], bar: Any) -> Iterator[Candidate]:
    for order, (where, text) in enumerate(texts):
        bar.update(1)
        if text.strip() and split_words(text):
            yield Candidate(order, where, text, duplicate_key(text))


def _chunks(candidates: Iterator[Candidate]) -> Iterator[list[Candidate]]:
    while chunk := list(itertools.islice(candidates, CHUNK_TEXTS)):
        yield chunk


def _tag(tagger: Tagger, chunk: list[Candidate], batch_size: int) -> None:
    """Give each candidate its uncertainty and its pre-annotation (the `hadath predict` record, spans scored)."""
    sentences = [Sentence(c.text, split_words(c.text)) for c in chunk]
    threshold = tagger.metadata.threshold
    for candidate, sentence, prediction in zip(chunk, sentences, tagger.iter_predictions(sentences, batch_size),
                                               strict=True):  # fmt: skip
        candidate.uncertainty = round(sentence_uncertainty(prediction, threshold), 6)
        candidate.record = tagger.record(sentence, prediction)


def choose(
    tagger: Tagger, texts: Iterable[tuple[str, str]], settings: SuggestSettings, total: int | None = None
) -> SuggestResult:
    """Stream `(FILE:LINE, text)` pairs and pick `settings.count` of them by the strategy (progress on stderr)."""
    bar = tqdm(total=total, desc="suggest", unit="sentence", leave=False)
    seen = 0
    try:
        candidates = _candidates(texts, bar)
        if settings.strategy == "random":
            reservoir = Reservoir(settings.count, settings.seed)
            for candidate in candidates:
                seen += 1
                reservoir.offer(candidate)
            chosen = sorted(reservoir.kept, key=lambda c: c.order)
            _tag(tagger, chosen, settings.batch_size)
            return SuggestResult(chosen, seen, reservoir.duplicates)
        keep = settings.count * (settings.candidates if settings.strategy == "diverse" else 1)
        heap = MostUncertain(keep)
        for chunk in _chunks(candidates):
            seen += len(chunk)
            _tag(tagger, chunk, settings.batch_size)
            for candidate in chunk:
                heap.offer(candidate)
        best = heap.best()
    finally:
        bar.close()
    if settings.strategy == "diverse" and len(best) > settings.count:
        embeddings = sentence_embeddings(tagger, [c.text for c in best], settings.batch_size)
        best = [best[i] for i in spread(embeddings, [c.uncertainty for c in best], settings.count)]
    return SuggestResult(best[: settings.count], seen, heap.duplicates)


def native_with_scores(record: dict[str, Any]) -> dict[str, Any]:
    """A `hadath predict` record as a native record whose spans and links carry their scores as a 4th element."""
    entities = [[e["start"], e["end"], e["label"], e["score"]] for e in record["entities"]]
    index = {(e[0], e[1], e[2]): i for i, e in reversed(list(enumerate(entities)))}
    events, links = [], []
    for number, event in enumerate(record["events"]):
        events.append([event["start"], event["end"], event["label"], event["score"]])
        for argument in event.get("arguments", []):
            entity = index.get((argument["start"], argument["end"], argument["label"]))
            if entity is not None:
                links.append([number, entity, argument["role"], argument["score"]])
    return {"text": record["text"], "entities": entities, "events": events, "arguments": links,
            "labels": record["labels"]}  # fmt: skip


def _meta(candidate: Candidate, strategy: str) -> dict[str, Any]:
    return {"hadath_source": candidate.where, "hadath_uncertainty": candidate.uncertainty, "hadath_strategy": strategy}


def write_suggestions(
    chosen: list[Candidate], path: Path, format: SuggestFormat, model_version: str, strategy: str
) -> None:
    """The suggestion file: a Label Studio JSON list of tasks with predictions, or doccano JSONL."""
    with path.open("w", encoding="utf-8") as handle:
        if format == "labelstudio":
            tasks = [
                labelstudio_suggestion(
                    native_with_scores(c.record),
                    number,
                    model_version,
                    round(1.0 - c.uncertainty, 4),
                    _meta(c, strategy),
                )  # fmt: skip
                for number, c in enumerate(chosen, start=1)
            ]
            handle.write("[\n" + ",\n".join(json.dumps(task, ensure_ascii=False) for task in tasks) + "\n]\n")
            return
        ids = itertools.count(1)
        for candidate in chosen:
            record = native_with_scores(candidate.record)
            line = doccano_record(record, bool(record["arguments"]), ids)
            scores = [span[3] for family in ("entities", "events") for span in record[family]]
            line.update({SUGGESTION_HASH: text_hash(candidate.text), "hadath_model_version": model_version,
                         "hadath_scores": scores, **_meta(candidate, strategy)})  # fmt: skip
            handle.write(json.dumps(line, ensure_ascii=False) + "\n")


def project_config(tagger: Tagger) -> str:
    """The Label Studio labeling config that names the model's types, roles and sentence labels."""
    labels = tagger.metadata.labels
    types = {
        family: sorted(
            {
                tag[2:]
                for layer, tags in labels.layers.items()
                if layer.split("_")[0] == family
                for tag in tags
                if tag != "O"
            }
        )  # fmt: skip
        for family in ("entities", "events")
    }
    return labeling_config(types["entities"], types["events"], list(labels.arguments), list(labels.sentence_labels))
