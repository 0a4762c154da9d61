"""doccano sequence-labeling JSONL export: `{"text": ..., "label": [[start, end, "TYPE"], ...]}` a line, or, from a
project with relations, `{"text": ..., "entities": [{"id", "label", "start_offset", "end_offset"}, ...],
"relations": [{"id", "from_id", "to_id", "type"}, ...]}`.

doccano's offsets count UTF-16 code units (JavaScript string indexes; doccano issue #2290): they are converted to
characters, and an offset between the two units of one character (an emoji) is an error. Only characters outside the
Basic Multilingual Plane are two units, so Arabic offsets are the same in both counts. (A project set to count
grapheme clusters as one character writes offsets this reader cannot tell apart: leave that setting off.)

doccano has one label set: a label `event:TYPE` is an event trigger of type TYPE (what the doccano writer writes),
any other label an entity. A relation (trigger → entity, its `type` the role) is an event argument; `cats` are
sentence labels; an older export's `data` holds the text. doccano keeps no annotator in the line (it exports one
file per user), so none is read. A line may hold a whole document: each line of its text is a sentence.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hadath.data.errors import DataError
from hadath.data.readers.options import ReadOptions
from hadath.data.readers.text_file import iter_lines
from hadath.data.readers.tool_tasks import Region, Task, check_suggested_hash, task_sentences
from hadath.data.repair import Issue, ReadReport, issue
from hadath.data.sentence import ENTITY_LAYER, EVENT_LAYER, Sentence
from hadath.data.tool_records import DOCCANO_EVENT_PREFIX
from hadath.data.utf16 import from_utf16

SPAN_KEYS = ("label", "labels", "entities")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _span_items(record: dict[str, Any]) -> list[tuple[str, object, object, object]]:
    """(id, start, end, label) of every span item, whichever shape the export used."""
    found: list[tuple[str, object, object, object]] = []
    for key in SPAN_KEYS:
        items = record.get(key)
        if not isinstance(items, list):
            continue
        for index, item in enumerate(items):
            if isinstance(item, dict):
                found.append((str(item.get("id", f"{key}{index}")), item.get("start_offset"),
                              item.get("end_offset"), item.get("label")))  # fmt: skip
            elif isinstance(item, list | tuple) and len(item) == 3:
                found.append((f"{key}{index}", *item))
            elif key != "labels":  # `labels` may be a classification project's list of names
                found.append((f"{key}{index}", None, None, item))
    return found


def _region(task: Task, ident: str, start: object, end: object, label: object) -> Region | None:
    if not (_is_int(start) and _is_int(end) and isinstance(label, str) and label.strip()):
        task.problem(f"bad span {[start, end, label]!r}", 'write it as [start, end, "TYPE"]')
        return None
    assert isinstance(start, int) and isinstance(end, int)
    first, last = from_utf16(task.text, start), from_utf16(task.text, end)
    if first is None or last is None:
        task.problem(
            f"span {[start, end, label]!r} does not fall on character edges (doccano counts UTF-16 code units)",
            "fix its offsets: an emoji is two units",
        )
        return None
    family = EVENT_LAYER if label.startswith(DOCCANO_EVENT_PREFIX) else ENTITY_LAYER
    return Region(ident, family, first, last, label.removeprefix(DOCCANO_EVENT_PREFIX).strip())


def _task(record: Any, path: Path, line: int) -> Task:
    text = record.get("text", record.get("data")) if isinstance(record, dict) else None
    if not isinstance(text, str):
        raise DataError(str(path), line, "record has no string `text` field", 'write {"text": "...", "label": [...]}')
    assert isinstance(record, dict)
    task = Task(text, str(path), line)
    check_suggested_hash(task, record)
    for ident, start, end, label in _span_items(record):
        region = _region(task, ident, start, end, label)
        if region is not None:
            task.regions.append(region)
    relations = record.get("relations", [])
    for relation in relations if isinstance(relations, list) else []:
        role = relation.get("type") if isinstance(relation, dict) else None
        if not isinstance(role, str) or not role.strip():
            task.problem(f"bad relation {relation!r}", 'write {"from_id": ..., "to_id": ..., "type": "ROLE"}')
            continue
        task.links.append((str(relation.get("from_id")), str(relation.get("to_id")), role.strip()))
    cats = record.get("cats", [])
    task.labels = [cat for cat in cats if isinstance(cat, str)] if isinstance(cats, list) else []
    return task


def read_doccano(path: Path, options: ReadOptions, report: ReadReport) -> Iterator[tuple[int, Sentence]]:
    """Stream a doccano JSONL export, a document per line."""
    document = -1
    for number, line in enumerate(iter_lines(path, options.max_line_chars), start=1):
        if not line.strip():
            continue
        document += 1
        try:
            task = _task(json.loads(line), path, number)
        except json.JSONDecodeError as error:
            report.settle([issue(str(path), number, f"invalid JSON ({error.msg})", "one JSON object per line")])
            continue
        except DataError as error:
            report.settle([Issue(error)])
            continue
        for sentence in task_sentences(task, options, report):
            yield document, sentence
