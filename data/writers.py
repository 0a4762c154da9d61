"""Writing sentences back out in every readable format, saying what the target cannot hold.

JSONL holds everything. CoNLL, CSV and `datasets` hold tokens and tags but not the original spacing or sub-token
span edges beyond the word split, nor event argument links (a note counts the links dropped); CSV writes bare class
names unless touching same-class spans need B-/I-; BRAT holds text, spans and arguments (events as E-lines with
`Role:Tn` arguments) but not sentence labels.
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
    record: dict[str, object] = {"text": sentence.text, **ordered}
    if sentence.arguments:
        record["arguments"] = _argument_links(sentence, ordered)
    return {**record, "labels": sentence.labels}


def _argument_links(sentence: Sentence, ordered: dict[str, list[tuple[int, int, str]]]) -> list[list[object]]:
    """`[event_index, entity_index, ROLE]` links into the record's sorted `events` and `entities` lists."""
    index = {
        (family, start, end, label): i
        for family, spans in ordered.items()
        for i, (start, end, label) in reversed(list(enumerate(spans)))
    }
    links: list[list[object]] = []
    for trigger, entity, role in sentence.typed_arguments():
        event_at = index[("events", *sentence.char_span(trigger), trigger.label)]
        links.append([event_at, index[("entities", *sentence.char_span(entity), entity.label)], role])
    return links


def _dropped_links(sentences: Sequence[Sentence], target: str) -> list[str]:
    links = sum(len(s.arguments) for s in sentences)
    return [f"{links} event argument links dropped ({target} cannot hold links)"] if links else []


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
    lines, annotations, links, cursor = [], [], [], 0
    for sentence in sentences:
        # A newline inside a text would start a new BRAT sentence; a space keeps every offset.
        text = sentence.text.replace("\r", " ").replace("\n", " ")
        for layer, spans in sorted(sentence.layers.items()):
            for span in spans:
                start, end = sentence.char_span(span)
                annotations.append((layer_family(layer), span.label, cursor + start, cursor + end, text[start:end]))
        for trigger, entity, role in sentence.typed_arguments():
            (t_start, t_end), (e_start, e_end) = sentence.char_span(trigger), sentence.char_span(entity)
            links.append(((cursor + t_start, cursor + t_end, trigger.label), (cursor + e_start, cursor + e_end), role))
        lines.append(text)
        cursor += len(text) + 1
    ordered = sorted(annotations, key=lambda a: a[2:4])
    number_of = {(a[0], a[2], a[3], a[1]): n for n, a in reversed(list(enumerate(ordered, 1)))}
    entity_number = {(a[2], a[3]): n for n, a in reversed(list(enumerate(ordered, 1))) if a[0] == "entities"}
    roles: dict[int, list[str]] = {}
    for (start, end, label), filler, role in links:
        named = roles.setdefault(number_of[("events", start, end, label)], [])
        # BRAT names a role's second filler `Role2`, its third `Role3` (the reader strips the digits).
        repeat = sum(item.split(":")[0].rstrip("0123456789") == role for item in named)
        named.append(f"{role}{repeat + 1 if repeat else ''}:T{entity_number[filler]}")
    with path.with_suffix(".ann").open("w", encoding="utf-8") as handle:
        events = 0
        for number, (family, label, start, end, text) in enumerate(ordered, 1):
            handle.write(f"T{number}\t{label} {start} {end}\t{text}\n")
            if family == "events":
                events += 1
                handle.write(" ".join([f"E{events}\t{label}:T{number}", *roles.get(number, [])]) + "\n")
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
        return [*spacing, *labels, *_dropped_links(sentences, "CoNLL")]
    if name == "csv":
        return [*spacing, *_write_csv(sentences, path), *labels, *_dropped_links(sentences, "CSV")]
    if name == "brat":
        return _write_brat(sentences, path)
    if name == "hf":
        _write_hf(sentences, path)
        return [*spacing, *_dropped_links(sentences, "a token-classification dataset")]
    raise ValueError(f"{path}: unknown output format {name!r} — use one of: {', '.join(WRITE_FORMATS)}")
