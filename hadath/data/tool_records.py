"""Native records (`jsonl_record`'s shape) as annotation-tool records: Label Studio tasks and doccano JSONL lines.

A span may carry a fourth element, its model score (`[start, end, TYPE, score]`), and an argument link one too; a
Label Studio *prediction* keeps them as the region's `score`. The names that tie a task to its project are fixed
here, once, for the writers, the readers and the labeling config `hadath annotate suggest` writes: spans are
`labels` regions of the `entities` or `events` control on the `text` object, arguments are `relation` results
from the trigger's region to the entity's with the role as the relation's label, sentence labels are the `labels`
choices. Label Studio offsets count code points (as Python does); doccano's count UTF-16 code units.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from typing import Any
from xml.sax.saxutils import quoteattr

from hadath.data.utf16 import to_utf16

TEXT_OBJECT = "text"
LABEL_CONTROL = "labels"
SPAN_CONTROLS = ("entities", "events")
# doccano has one label set per project: an event trigger is a label with this prefix (`event:ATTACK`).
DOCCANO_EVENT_PREFIX = "event:"
# The task field that holds the hash of the text as it was suggested; `hadath annotate merge` checks it.
SUGGESTION_HASH = "hadath_text_sha256"


def text_sha256(text: str) -> str:
    """Hex SHA-256 of a text's UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _region_id(family: str, index: int) -> str:
    return f"{family[:3]}{index}"


def labelstudio_results(record: dict[str, Any]) -> list[dict[str, Any]]:
    """A record's spans, argument links and sentence labels as Label Studio result items."""
    text: str = record["text"]
    results: list[dict[str, Any]] = []
    for family in SPAN_CONTROLS:
        for index, span in enumerate(record.get(family, [])):
            start, end, label = span[:3]
            region: dict[str, Any] = {
                "id": _region_id(family, index),
                "from_name": family,
                "to_name": TEXT_OBJECT,
                "type": "labels",
                "value": {"start": start, "end": end, "text": text[start:end], "labels": [label]},
            }
            if len(span) > 3:
                region["score"] = span[3]
            results.append(region)
    for link in record.get("arguments", []):
        trigger, entity, role = link[:3]
        results.append(
            {
                "from_id": _region_id("events", trigger),
                "to_id": _region_id("entities", entity),
                "type": "relation",
                "direction": "right",
                "labels": [role],
            }
        )
    if record.get("labels"):
        results.append(
            {
                "id": LABEL_CONTROL,
                "from_name": LABEL_CONTROL,
                "to_name": TEXT_OBJECT,
                "type": "choices",
                "value": {"choices": list(record["labels"])},
            }
        )
    return results


def labelstudio_task(record: dict[str, Any], task_id: int) -> dict[str, Any]:
    """A task whose annotation is the record (gold), its annotator as `completed_by` when that is a user id."""
    annotation: dict[str, Any] = {"result": labelstudio_results(record), "was_cancelled": False}
    annotator = record.get("annotator", "")
    if annotator.isdigit():
        annotation["completed_by"] = int(annotator)
    return {"id": task_id, "data": {TEXT_OBJECT: record["text"]}, "annotations": [annotation]}


def labelstudio_suggestion(
    record: dict[str, Any], task_id: int, model_version: str, score: float, meta: dict[str, Any]
) -> dict[str, Any]:
    """A task to annotate, pre-annotated with the record as a model's *prediction* (never as gold), and the hash of
    its text for `hadath annotate merge`; `meta` travels in the task's data."""
    data = {TEXT_OBJECT: record["text"], SUGGESTION_HASH: text_sha256(record["text"]), **meta}
    prediction = {"model_version": model_version, "score": score, "result": labelstudio_results(record)}
    return {"id": task_id, "data": data, "predictions": [prediction]}


def doccano_record(record: dict[str, Any], relations: bool, ids: Iterator[int]) -> dict[str, Any]:
    """A doccano sequence-labeling line: `label` triples, or (`relations`, for argument links) doccano's relation
    shape of `entities` dicts and `relations`; offsets in UTF-16 units, triggers as `event:TYPE` labels, sentence
    labels as `cats`. `ids` numbers the spans across the file."""
    text: str = record["text"]
    spans: list[tuple[str, int, Sequence[Any]]] = [
        (family, index, span) for family in SPAN_CONTROLS for index, span in enumerate(record.get(family, []))
    ]
    names = {family: DOCCANO_EVENT_PREFIX if family == "events" else "" for family in SPAN_CONTROLS}
    line: dict[str, Any] = {"text": text}
    if relations:
        numbers = {(family, index): next(ids) for family, index, _ in spans}
        line["entities"] = [
            {
                "id": numbers[(family, index)],
                "label": names[family] + span[2],
                "start_offset": to_utf16(text, span[0]),
                "end_offset": to_utf16(text, span[1]),
            }
            for family, index, span in spans
        ]
        line["relations"] = [
            {
                "id": next(ids),
                "from_id": numbers[("events", link[0])],
                "to_id": numbers[("entities", link[1])],
                "type": link[2],
            }
            for link in record.get("arguments", [])
        ]
    else:
        line["label"] = [
            [to_utf16(text, span[0]), to_utf16(text, span[1]), names[family] + span[2]] for family, _, span in spans
        ]
    if record.get("labels"):
        line["cats"] = list(record["labels"])
    return line


def labeling_config(
    entity_types: Sequence[str], event_types: Sequence[str], roles: Sequence[str], labels: Sequence[str]
) -> str:
    """The Label Studio labeling config (XML) whose control names the tasks above use."""
    lines = ["<View>"]
    for name, types in zip(SPAN_CONTROLS, (entity_types, event_types), strict=True):
        if types:
            lines.append(f'  <Labels name="{name}" toName="{TEXT_OBJECT}">')
            lines += [f"    <Label value={quoteattr(value)}/>" for value in types]
            lines.append("  </Labels>")
    if roles:
        lines.append("  <Relations>")
        lines += [f"    <Relation value={quoteattr(role)}/>" for role in roles]
        lines.append("  </Relations>")
    lines.append(f'  <Text name="{TEXT_OBJECT}" value="${TEXT_OBJECT}"/>')
    if labels:
        lines.append(f'  <Choices name="{LABEL_CONTROL}" toName="{TEXT_OBJECT}" choice="multiple">')
        lines += [f"    <Choice value={quoteattr(value)}/>" for value in labels]
        lines.append("  </Choices>")
    lines.append("</View>")
    return "\n".join(lines) + "\n"
