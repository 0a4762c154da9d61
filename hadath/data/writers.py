"""Writing sentences back out in every readable format, saying what the target cannot hold.

JSONL and Label Studio tasks hold everything but event attributes in Label Studio (JSONL holds those too; a Label
Studio task holds its gold as an annotation: regions of the `entities` and `events` controls, `relation` results,
`labels` choices; hadath/data/tool_records.py). doccano holds spans, arguments (in its relation shape) and sentence
labels (`cats`), with triggers as `event:TYPE` labels. CoNLL, CSV and `datasets` hold tokens and tags but not the
original spacing or sub-token span edges beyond the word split, nor event argument links or event attributes (a note
counts each dropped); CSV writes bare class names unless touching same-class spans need B-/I-; BRAT holds text, spans,
arguments (events as E-lines with `Role:Tn` arguments) and event attributes (A-lines, those that are not the
default) but not sentence
labels.

Writing streams: `write_stream` takes a function that yields the sentences afresh, surveys them once (layers, touching
spans, labels) and writes them on a second pass (`datasets` alone collects them). A sentence the target's own reader
would refuse (a text of only bidi marks in JSONL, a token CoNLL reads as a document marker) is dropped and counted,
so a converted file always reads back.
"""

from __future__ import annotations

import csv
import itertools
import json
import typing
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from hadath.config import FileFormat
from hadath.data.errors import DataError
from hadath.data.readers.conll import SEGMENT_END
from hadath.data.readers.jsonl import parse_record
from hadath.data.sentence import Sentence, layer_family
from hadath.data.tool_records import doccano_record, labelstudio_task

WRITE_FORMATS: tuple[FileFormat, ...] = typing.get_args(FileFormat)
_MARKERS = (SEGMENT_END, "-DOCSTART-")


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
    if sentence.factuality:
        record["events"] = _with_attributes(sentence, ordered["events"])
    if sentence.arguments:
        record["arguments"] = _argument_links(sentence, ordered)
    record["labels"] = sentence.labels
    if sentence.annotator:
        record["annotator"] = sentence.annotator
    return record


def _with_attributes(sentence: Sentence, events: list[tuple[int, int, str]]) -> list[list[object]]:
    """Event spans, each that carries attributes with them as a fourth item (all four, as read or set)."""
    attributes = {
        sentence.char_span(span): found.as_dict()
        for layer, spans in sentence.layers.items()
        if layer_family(layer) == "events"
        for span in spans
        if (found := sentence.factuality.get((span.start, span.end))) is not None
    }
    return [[*event, attributes[event[:2]]] if event[:2] in attributes else list(event) for event in events]


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


def _token(word: str) -> str:
    return "".join(word.split()) or "_"


def _spans(sentence: Sentence) -> int:
    return sum(len(spans) for spans in sentence.layers.values())


def unwritable(sentence: Sentence, format: str) -> str | None:
    """Why the target format's reader would refuse (or lose part of) this sentence once written, or None."""
    if format in ("jsonl", "brat", "labelstudio", "doccano"):
        record = jsonl_record(sentence)
        if format == "brat":
            record["text"] = sentence.text.replace("\r", " ").replace("\n", " ")
        try:
            back = parse_record(json.loads(json.dumps(record)), Path("-"), 1)
        except DataError as error:
            return error.problem
        if not back.word_offsets:
            return "text has no words"
        return None if _spans(back) == _spans(sentence) else "spans do not fall on the words the text splits into"
    if any(_token(word) in _MARKERS for word in sentence.words):
        return "a token reads as a CoNLL document/segment marker"
    return None


@dataclass
class Survey:
    """What the whole corpus holds, needed before the first line is written."""

    layers: list[str] = field(default_factory=list)
    touching: bool = False
    labels: bool = False
    spacing: bool = False
    dropped: dict[str, int] = field(default_factory=dict)
    written: int = 0
    links: int = 0
    attributes: int = 0


def _touches_same_type(sentence: Sentence) -> bool:
    for spans in sentence.layers.values():
        ordered = sorted(spans)
        if any(a.end == b.start and a.label == b.label for a, b in zip(ordered, ordered[1:], strict=False)):
            return True
    return False


def survey(sentences: Iterable[Sentence], format: str) -> Survey:
    """One pass over the sentences: layers (`entities` always first), touching spans, labels, spacing, and
    what the format cannot hold."""
    found = Survey()
    layers = {"entities"}
    for sentence in sentences:
        reason = unwritable(sentence, format)
        if reason:
            found.dropped[reason] = found.dropped.get(reason, 0) + 1
            continue
        layers.update(sentence.layers)
        found.touching = found.touching or _touches_same_type(sentence)
        found.labels = found.labels or bool(sentence.labels)
        found.links += len(sentence.arguments)
        found.attributes += sum(bool(f.non_default()) for f in sentence.factuality.values())
        found.spacing = found.spacing or sentence.text != " ".join(_token(w) for w in sentence.words)
    found.layers = sorted(layers, key=lambda n: (layer_family(n) != "entities", n))
    return found


def _conll_lines(sentence: Sentence, layers: Sequence[str]) -> Iterator[str]:
    columns = [sentence.tags(layer) for layer in layers]
    for index, word in enumerate(sentence.words):
        yield " ".join([_token(word), *(tags[index] for tags in columns)]) + "\n"
    yield "\n"


def _write_csv(sentences: Iterable[Sentence], handle: IO[str], delimiter: str, found: Survey) -> None:
    writer = csv.writer(handle, delimiter=delimiter, lineterminator="\n")
    writer.writerow(["token", *found.layers])
    for sentence in sentences:
        columns = [sentence.tags(layer) for layer in found.layers]
        for index, word in enumerate(sentence.words):
            tags = [tags[index] if found.touching or tags[index] == "O" else tags[index][2:] for tags in columns]
            writer.writerow([_token(word), *tags])
        writer.writerow([])


def check_brat_pair(path: Path) -> None:
    """BRAT output is two files, `NAME.txt` and `NAME.ann`: the one the user did not name may be overwritten only
    when it belongs to an earlier pair (both exist), never an unrelated `notes.txt` beside a new `notes.ann`."""
    text, annotations = path.with_suffix(".txt"), path.with_suffix(".ann")
    for other, partner in ((text, annotations), (annotations, text)):
        if other != path and other.exists() and not partner.exists():
            raise ValueError(
                f"{other}: exists and is not half of a BRAT pair, and writing {path.name} as BRAT would replace it "
                f"— move it away or pass another output name"
            )


def _write_brat(sentences: Iterable[Sentence], path: Path) -> None:
    cursor, number, events, attribute_lines = 0, 0, 0, 0
    with (
        path.with_suffix(".txt").open("w", encoding="utf-8") as txt,
        path.with_suffix(".ann").open("w", encoding="utf-8") as ann,
    ):
        for sentence in sentences:
            # A newline inside a text would start a new BRAT sentence; a space keeps every offset.
            text = sentence.text.replace("\r", " ").replace("\n", " ")
            found = []
            for layer, spans in sorted(sentence.layers.items()):
                for span in spans:
                    start, end = sentence.char_span(span)
                    found.append((cursor + start, cursor + end, layer_family(layer), span.label, text[start:end]))
            ordered = sorted(found, key=lambda a: a[:2])
            roles = _brat_roles(sentence, cursor, {a[:4]: number + i for i, a in reversed(list(enumerate(ordered, 1)))})
            attributes = _brat_attributes(sentence, cursor)
            for start, end, family, label, covered in ordered:
                number += 1
                ann.write(f"T{number}\t{label} {start} {end}\t{covered}\n")
                if family == "events":
                    events += 1
                    ann.write(" ".join([f"E{events}\t{label}:T{number}", *roles.get(number, [])]) + "\n")
                    for name, value in attributes.get((start, end, label), {}).items():
                        attribute_lines += 1
                        ann.write(f"A{attribute_lines}\t{name.capitalize()} E{events} {value.capitalize()}\n")
            txt.write(text + "\n")
            cursor += len(text) + 1


def _brat_attributes(sentence: Sentence, cursor: int) -> dict[tuple[int, int, str], dict[str, str]]:
    """Per event (document offsets and type), its attributes that are not the default (BRAT leaves defaults out)."""
    found = {}
    for layer, spans in sentence.layers.items():
        for span in spans if layer_family(layer) == "events" else []:
            start, end = sentence.char_span(span)
            found[(cursor + start, cursor + end, span.label)] = sentence.factuality_of(span).non_default()
    return found


def _brat_roles(sentence: Sentence, cursor: int, numbers: dict[tuple[int, int, str, str], int]) -> dict[int, list[str]]:
    """Per event T number, its `Role:Tn` arguments (BRAT names a role's second filler `Role2`, its third `Role3`)."""
    roles: dict[int, list[str]] = {}
    for trigger, entity, role in sentence.typed_arguments():
        (t_start, t_end), (e_start, e_end) = sentence.char_span(trigger), sentence.char_span(entity)
        named = roles.setdefault(numbers[(cursor + t_start, cursor + t_end, "events", trigger.label)], [])
        filler = numbers[(cursor + e_start, cursor + e_end, "entities", entity.label)]
        repeat = sum(item.split(":")[0].rstrip("0123456789") == role for item in named)
        named.append(f"{role}{repeat + 1 if repeat else ''}:T{filler}")
    return roles


def _write_labelstudio(sentences: Iterable[Sentence], path: Path) -> None:
    """A JSON list of tasks, a task a line, written as the sentences stream by."""
    with path.open("w", encoding="utf-8") as handle:
        handle.write("[")
        for number, sentence in enumerate(sentences, start=1):
            task = json.dumps(labelstudio_task(jsonl_record(sentence), number), ensure_ascii=False)
            handle.write(("\n" if number == 1 else ",\n") + task)
        handle.write("\n]\n")


def _write_hf(sentences: Sequence[Sentence], path: Path, layers: Sequence[str]) -> None:
    from datasets import ClassLabel, Dataset, Features, List, Value

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


def _notes(found: Survey, name: str) -> list[str]:
    notes = [f"{count} sentence(s) dropped: {reason}" for reason, count in sorted(found.dropped.items())]
    if name in ("conll", "csv", "hf") and found.spacing:
        notes.append("original spacing not kept (tokens joined by one space)")
    if name == "csv" and found.touching:
        notes.append("touching spans of one class: tags written with B-/I- prefixes")
    if name in ("conll", "csv", "brat") and found.labels:
        notes.append("sentence labels dropped" + (" (BRAT T/E-lines cannot hold them)" if name == "brat" else ""))
    if name == "doccano" and any(layer_family(layer) == "events" for layer in found.layers):
        notes.append("event triggers written as `event:TYPE` labels (doccano has one label set)")
    if name == "doccano" and found.labels:
        notes.append("sentence labels written as `cats` (doccano shows them in an intent-detection project)")
    if name in ("conll", "csv", "hf") and found.links:
        target = {"conll": "CoNLL", "csv": "CSV", "hf": "a token-classification dataset"}[name]
        notes.append(f"{found.links} event argument links dropped ({target} cannot hold links)")
    if name in ("conll", "csv", "hf") and found.attributes:
        notes.append(
            f"attributes of {found.attributes} event(s) dropped (polarity/modality/genericity/tense: tag columns "
            "cannot hold them; write JSONL or BRAT to keep them)"
        )
    return notes


def write_stream(
    sentences: Callable[[], Iterable[Sentence]],
    path: Path,
    format: FileFormat | None = None,
    surveyed: Callable[[], None] | None = None,
) -> Survey:
    """Write the sentences `sentences()` yields in `format` (default: from the extension), reading them twice;
    `surveyed` runs between the passes (to stop before writing anything); the survey's `written` and `dropped`
    count what went where."""
    name = format or output_format(path)
    if name not in WRITE_FORMATS:
        raise ValueError(f"{path}: unknown output format {name!r} — use one of: {', '.join(WRITE_FORMATS)}")
    if name == "brat":
        check_brat_pair(path)
    found = survey(sentences(), name)
    if surveyed is not None:
        surveyed()

    def kept() -> Iterator[Sentence]:
        for sentence in sentences():
            if unwritable(sentence, name) is None:
                found.written += 1
                yield sentence

    if name == "jsonl":
        with path.open("w", encoding="utf-8") as handle:
            handle.writelines(json.dumps(jsonl_record(s), ensure_ascii=False) + "\n" for s in kept())
    elif name == "conll":
        with path.open("w", encoding="utf-8") as handle:
            handle.writelines(line for s in kept() for line in _conll_lines(s, found.layers))
    elif name == "csv":
        with path.open("w", encoding="utf-8", newline="") as handle:
            _write_csv(kept(), handle, "\t" if path.suffix.lower() == ".tsv" else ",", found)
    elif name == "brat":
        _write_brat(kept(), path)
    elif name == "labelstudio":
        _write_labelstudio(kept(), path)
    elif name == "doccano":
        ids = itertools.count(1)
        with path.open("w", encoding="utf-8") as handle:
            for sentence in kept():
                line = doccano_record(jsonl_record(sentence), found.links > 0, ids)
                handle.write(json.dumps(line, ensure_ascii=False) + "\n")
    else:
        _write_hf(list(kept()), path, found.layers)
    return found


def write_sentences(sentences: Sequence[Sentence], path: Path, format: FileFormat | None = None) -> list[str]:
    """Write sentences in `format` (default: from the extension); returns notes on what the target could not hold."""
    found = write_stream(lambda: sentences, path, format)
    return _notes(found, format or output_format(path))


def write_notes(found: Survey, path: Path, format: FileFormat | None = None) -> list[str]:
    """What the target could not hold, for a survey `write_stream` returned."""
    return _notes(found, format or output_format(path))
