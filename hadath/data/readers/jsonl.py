"""Native JSONL: `{"text", "entities": [[start, end, label]], "events": [...], "labels": [...]}`, character offsets.

Optional `"annotator": "..."` names who annotated the record (kept from a Label Studio export's `completed_by`).

An event span may carry a fourth item, its attributes (`hadath/data/factuality.py`): `[s, e, "ATTACK", {"polarity":
"negative", "tense": "future"}]`; absent attributes (or no fourth item) take the defaults, an unknown name or value is
an error.

Optional `"arguments": [[event_index, entity_index, ROLE], ...]` link an event trigger to an entity by their indexes
in the record's `events` and `entities` lists (roles: `hadath.data.roles`; `hadath data validate` checks them).

Overlapping spans of one layer are nested entities: the outermost go to the layer itself, the ones inside them to
`<layer>_2`, `<layer>_3`, ... An optional `document` field groups records into documents (for seeded
splits). A span edge inside a whitespace token (a proclitic such as و before a name) splits
that token into two words, so the annotation is kept exactly.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hadath.data.errors import DataError
from hadath.data.factuality import Factuality, factuality_from
from hadath.data.readers.options import ReadOptions
from hadath.data.readers.text_file import iter_lines
from hadath.data.repair import Issue, ReadReport, issue, label_problem, map_tag
from hadath.data.schemes import TagSpan
from hadath.data.sentence import ENTITY_LAYER, EVENT_LAYER, Argument, Sentence
from hadath.data.words import INVISIBLE, split_words

CharSpan = tuple[int, int, str]


def _int_int_label(item: object) -> bool:
    """A `[int, int, "label"]` triple: a span's offsets or an argument's indexes, and a non-blank label."""
    return (
        isinstance(item, list | tuple)
        and len(item) == 3
        and all(isinstance(v, int) and not isinstance(v, bool) for v in item[:2])
        and isinstance(item[2], str)
        and bool(item[2].strip())
    )


def _attributes(item: Any, key: str, path: Path, line: int) -> tuple[Any, Factuality | None]:
    """An event span's optional fourth item, its attributes, split off: (the [start, end, label] triple, the
    attributes or None when the span has none)."""
    if key != EVENT_LAYER or not isinstance(item, list | tuple) or len(item) != 4:
        return item, None
    attributes = item[3]
    if not isinstance(attributes, dict):
        raise DataError(
            str(path), line, f"events span {item!r}: its fourth item must be an object of attributes",
            'write it as [start, end, "TYPE", {"polarity": "negative"}]',
        )  # fmt: skip
    found = factuality_from(attributes)
    if isinstance(found, str):
        raise DataError(
            str(path), line, f"events span {list(item[:3])!r}: {found}",
            "use the names and values of hadath/data/factuality.py (data/README.md, \"Event attributes\")",
        )  # fmt: skip
    return list(item[:3]), found


def _char_spans(
    record: dict[str, Any], key: str, text: str, path: Path, line: int
) -> tuple[list[CharSpan], dict[int, Factuality]]:
    """A layer's character spans, and the attributes of those that carry any (by position in the list)."""
    raw = record.get(key, [])
    if not isinstance(raw, list):
        raise DataError(str(path), line, f"`{key}` must be a list of [start, end, label]", "fix the record")
    spans: list[CharSpan] = []
    attributes: dict[int, Factuality] = {}
    for item_as_given in raw:
        item, factuality = _attributes(item_as_given, key, path, line)
        if factuality is not None:
            attributes[len(spans)] = factuality
        if not _int_int_label(item):
            raise DataError(str(path), line, f"bad {key} span {item!r}", 'write it as [start, end, "LABEL"]')
        start, end, label = item
        bad_label = label_problem(label.strip())
        if bad_label:
            raise DataError(
                str(path), line, f"{key} span {item!r}: {bad_label}", "give the span a one-word entity type"
            )
        if not 0 <= start < end <= len(text):
            raise DataError(
                str(path),
                line,
                f"{key} span {item!r} is outside the text (length {len(text)}) or empty",
                "offsets are 0-based character positions with end exclusive and start < end",
            )
        # Edges on whitespace or invisible marks are not part of any word: trimming them keeps the annotation.
        while start < end and (text[start].isspace() or text[start] in INVISIBLE):
            start += 1
        while end > start and (text[end - 1].isspace() or text[end - 1] in INVISIBLE):
            end -= 1
        if start == end:
            raise DataError(str(path), line, f"{key} span {item!r} covers only whitespace", "remove or fix it")
        spans.append((start, end, label.strip()))
    return spans, attributes


def _nest(layer: str, spans: list[TagSpan]) -> dict[str, list[TagSpan]]:
    """Place spans in depth layers so that no layer holds two overlapping spans (outermost first)."""
    depths: list[list[TagSpan]] = []
    for span in sorted(spans, key=lambda s: (s.start, -(s.end - s.start), s.label)):
        for depth in depths:
            if all(span.start >= other.end or span.end <= other.start for other in depth):
                depth.append(span)
                break
        else:
            depths.append([span])
    return {(layer if i == 0 else f"{layer}_{i + 1}"): sorted(d) for i, d in enumerate(depths)}


def parse_record(record: Any, path: Path, line: int) -> Sentence:
    """One JSON object -> Sentence, validating every field."""
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        raise DataError(str(path), line, "record has no string `text` field", 'write {"text": "...", ...}')
    text = record["text"]
    read = {layer: _char_spans(record, layer, text, path, line) for layer in (ENTITY_LAYER, EVENT_LAYER)}
    by_layer = {layer: spans for layer, (spans, _) in read.items()}
    labels = record.get("labels", [])
    if not isinstance(labels, list) or not all(isinstance(label, str) and label for label in labels):
        raise DataError(str(path), line, "`labels` must be a list of strings", 'write "labels": ["POLITICS"]')
    edges = {offset for spans in by_layer.values() for start, end, _ in spans for offset in (start, end)}
    offsets = split_words(text, edges)
    if not offsets and text.strip():
        raise DataError(str(path), line, "text has no words", "check the text field")
    word_at_start = {start: i for i, (start, _) in enumerate(offsets)}
    word_at_end = {end: i for i, (_, end) in enumerate(offsets)}
    layers: dict[str, list[TagSpan]] = {}
    in_order: dict[str, list[TagSpan]] = {}
    for layer, char_spans in by_layer.items():
        word_spans = in_order.setdefault(layer, [])
        for start, end, label in char_spans:
            if start not in word_at_start or end not in word_at_end:
                raise DataError(
                    str(path),
                    line,
                    f"{layer} span [{start}, {end}] does not fall on word edges",
                    "move its edges off punctuation",
                )
            word_spans.append(TagSpan(word_at_start[start], word_at_end[end] + 1, label))
        if word_spans:
            layers.update(_nest(layer, word_spans))
    arguments = _arguments(record, in_order, path, line)
    annotator = record.get("annotator", "")
    if not isinstance(annotator, str):
        raise DataError(str(path), line, "`annotator` must be a string", 'write "annotator": "NAME" or leave it out')
    triggers = in_order[EVENT_LAYER]
    factuality = {(triggers[i].start, triggers[i].end): found for i, found in read[EVENT_LAYER][1].items()}
    return Sentence(
        text,
        offsets,
        layers,
        list(dict.fromkeys(labels)),
        f"{path}:{line}",
        arguments=arguments,
        annotator=annotator,
        factuality=factuality,
    )


def _arguments(record: dict[str, Any], spans: dict[str, list[TagSpan]], path: Path, line: int) -> list[Argument]:
    """`arguments` links -> Arguments, each index checked against the record's `events` and `entities`."""
    raw = record.get("arguments", [])
    if not isinstance(raw, list):
        raise DataError(str(path), line, "`arguments` must be a list", 'write "arguments": [[0, 1, "Attacker"]]')
    events, entities = spans[EVENT_LAYER], spans[ENTITY_LAYER]
    found = []
    for item in raw:
        if not _int_int_label(item):
            raise DataError(
                str(path), line, f"bad argument {item!r}", 'write it as [event_index, entity_index, "ROLE"]'
            )
        event, entity, role = item
        if not (0 <= event < len(events) and 0 <= entity < len(entities)):
            raise DataError(
                str(path),
                line,
                f"argument {item!r} points past the record's {len(events)} events / {len(entities)} entities",
                "indexes are 0-based positions in the record's `events` and `entities` lists",
            )
        trigger, filler = events[event], entities[entity]
        found.append(Argument((trigger.start, trigger.end), (filler.start, filler.end), role.strip()))
    return found


def _map_labels(sentence: Sentence, options: ReadOptions, report: ReadReport) -> Sentence:
    if options.tag_map:
        for layer, spans in sentence.layers.items():
            sentence.layers[layer] = [TagSpan(s.start, s.end, map_tag(s.label, options.tag_map, report)) for s in spans]
    return sentence


def read_jsonl(path: Path, options: ReadOptions, report: ReadReport) -> Iterator[tuple[int, Sentence]]:
    """Stream a native JSONL file (blank lines allowed) as `(document number, sentence)`; consecutive records with
    one `document` value form a document, a record without one is a document of its own."""
    previous: object = None
    document = -1
    for number, line in enumerate(iter_lines(path, options.max_line_chars), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            report.settle([issue(str(path), number, f"invalid JSON ({error.msg})", "one JSON object per line")])
            continue
        try:
            sentence = parse_record(record, path, number)
        except DataError as error:
            report.settle([Issue(error)])
            continue
        if not sentence.word_offsets:
            continue
        name = record.get("document")
        if name is None or name != previous or document < 0:
            document += 1
        previous = name
        yield document, _map_labels(sentence, options, report)
