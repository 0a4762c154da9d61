"""Writing sentences back out in every readable format, saying what the target cannot hold.

JSONL holds everything. CoNLL, CSV and `datasets` hold tokens and tags but not the original spacing or sub-token
span edges beyond the word split; CSV writes bare class names unless touching same-class spans need B-/I-; BRAT holds
text and spans (events as E-lines) but not sentence labels.
"""

from __future__ import annotations

import csv
import json
import typing
from collections.abc import Sequence
from pathlib import Path

from hadath.config import FileFormat
from hadath.data.sentence import Sentence, layer_family

WRITE_FORMATS: tuple[FileFormat, ...] = typing.get_args(FileFormat)


def output_format(path: Path) -> str:
    """Target format from the output path's extension (CoNLL for anything unknown)."""
    suffix = path.suffix.lower()
    return {".jsonl": "jsonl", ".json": "jsonl", ".csv": "csv", ".tsv": "csv", ".ann": "brat"}.get(suffix, "conll")


def jsonl_record(sentence: Sentence) -> dict[str, object]:
    """Native JSONL record; nested layers fold back into their family (`entities_2` -> `entities`)."""
    families: dict[str, list[tuple[int, int, str]]] = {"entities": [], "events": []}
    for layer, spans in sentence.layers.items():
        families.setdefault(layer_family(layer), []).extend((*sentence.char_span(span), span.label) for span in spans)
    ordered = {key: sorted(spans, key=lambda s: (s[0], -s[1], s[2])) for key, spans in families.items()}
    return {"text": sentence.text, **ordered, "labels": sentence.labels}


def _layers(sentences: Sequence[Sentence]) -> list[str]:
    # `entities` is always column 1 (even when empty), so that other layers keep their usual columns.
    layers = {"entities", *(layer for s in sentences for layer in s.layers)}
    return sorted(layers, key=lambda n: (layer_family(n) != "entities", n))


def _token(word: str) -> str:
    return "".join(word.split()) or "_"


def _write_conll(sentences: Sequence[Sentence], path: Path) -> None:
    layers = _layers(sentences)
    with path.open("w", encoding="utf-8") as handle:
        for sentence in sentences:
            columns = [sentence.tags(layer) for layer in layers]
            for index, word in enumerate(sentence.words):
                handle.write(" ".join([_token(word), *(tags[index] for tags in columns)]) + "\n")
            handle.write("\n")


def _touching_same_type(sentences: Sequence[Sentence]) -> bool:
    for sentence in sentences:
        for spans in sentence.layers.values():
            ordered = sorted(spans)
            if any(a.end == b.start and a.label == b.label for a, b in zip(ordered, ordered[1:], strict=False)):
                return True
    return False


def _write_csv(sentences: Sequence[Sentence], path: Path) -> list[str]:
    layers = _layers(sentences)
    prefixed = _touching_same_type(sentences)
    notes = ["touching spans of one class: tags written with B-/I- prefixes"] if prefixed else []
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t" if path.suffix.lower() == ".tsv" else ",", lineterminator="\n")
        writer.writerow(["token", *layers])
        for sentence in sentences:
            columns = [sentence.tags(layer) for layer in layers]
            for index, word in enumerate(sentence.words):
                tags = [tags[index] if prefixed or tags[index] == "O" else tags[index][2:] for tags in columns]
                writer.writerow([_token(word), *tags])
            writer.writerow([])
    return notes


def _write_brat(sentences: Sequence[Sentence], path: Path) -> list[str]:
    lines, annotations, cursor = [], [], 0
    for sentence in sentences:
        # A newline inside a text would start a new BRAT sentence; a space keeps every offset.
        text = sentence.text.replace("\r", " ").replace("\n", " ")
        for layer, spans in sorted(sentence.layers.items()):
            for span in spans:
                start, end = sentence.char_span(span)
                annotations.append((layer_family(layer), span.label, cursor + start, cursor + end, text[start:end]))
        lines.append(text)
        cursor += len(text) + 1
    with path.with_suffix(".ann").open("w", encoding="utf-8") as handle:
        events = 0
        for number, (family, label, start, end, text) in enumerate(sorted(annotations, key=lambda a: a[2:4]), 1):
            handle.write(f"T{number}\t{label} {start} {end}\t{text}\n")
            if family == "events":
                events += 1
                handle.write(f"E{events}\t{label}:T{number}\n")
    path.with_suffix(".txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return ["sentence labels dropped (BRAT T/E-lines cannot hold them)"] if any(s.labels for s in sentences) else []


def _write_hf(sentences: Sequence[Sentence], path: Path) -> None:
    from datasets import ClassLabel, Dataset, Features, List, Value

    layers = _layers(sentences)
    columns = {layer: "ner_tags" if layer == "entities" else f"{layer}_tags" for layer in layers}
    features = {"tokens": List(Value("string")), "labels": List(Value("string"))}
    data: dict[str, list[object]] = {"tokens": [[_token(w) for w in s.words] for s in sentences]}
    data["labels"] = [list(s.labels) for s in sentences]
    for layer, column in columns.items():
        names = sorted({tag for s in sentences for tag in s.tags(layer)}, key=lambda t: (t != "O", t[2:], t))
        features[column] = List(ClassLabel(names=names))
        index = {name: i for i, name in enumerate(names)}
        data[column] = [[index[tag] for tag in s.tags(layer)] for s in sentences]
    Dataset.from_dict(data, features=Features(features)).save_to_disk(str(path))


def write_sentences(sentences: Sequence[Sentence], path: Path, format: FileFormat | None = None) -> list[str]:
    """Write sentences in `format` (default: from the extension); returns notes on what the target could not hold."""
    name = format or output_format(path)
    changed = any(s.text != " ".join(_token(w) for w in s.words) for s in sentences)
    spacing = ["original spacing not kept (tokens joined by one space)"] if changed else []
    if name == "jsonl":
        with path.open("w", encoding="utf-8") as handle:
            for sentence in sentences:
                handle.write(json.dumps(jsonl_record(sentence), ensure_ascii=False) + "\n")
        return []
    labels = ["sentence labels dropped"] if any(s.labels for s in sentences) else []
    if name == "conll":
        _write_conll(sentences, path)
        return [*spacing, *labels]
    if name == "csv":
        return [*spacing, *_write_csv(sentences, path), *labels]
    if name == "brat":
        return _write_brat(sentences, path)
    if name == "hf":
        _write_hf(sentences, path)
        return spacing
    raise ValueError(f"{path}: unknown output format {name!r} — use one of: {', '.join(WRITE_FORMATS)}")
