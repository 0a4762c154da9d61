"""Label Studio JSON export: a JSON list of tasks (or one task a line), each `{"data": {"text": ...},
"annotations": [{"result": [...], "completed_by": ..., "was_cancelled": ...}, ...], ...}`.

Results read: `labels` regions (`value.start`/`end`/`text`/`labels`, code-point offsets into `data.text`) become
spans — of the `events` layer when the control's `from_name` starts with `event` or `trigger`, of `entities`
otherwise; a region with two labels is two spans; `relation` results (`from_id` → `to_id`, the role as the
relation's label) become event arguments; `choices` become sentence labels. Other result types carry nothing Hadath
trains on and are left out (a note says which).

Which annotation is gold: cancelled (skipped) annotations never are; of the rest, one marked `ground_truth` wins,
else the most recently updated (`updated_at`, then `created_at`; the later in the list on a tie). Its `completed_by`
(a user id, or the user's email when the export expands it) is kept as the sentence's annotator. A task with no
such annotation is not gold: it is left out, with a count (its `predictions` are a model's, not an annotator's).
Every region's `value.text` must match the text at its offsets; an export whose offsets count UTF-16 code units
(Label Studio before it stored code points) is converted when that is what makes them match, and counted.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hadath.data.errors import DataError
from hadath.data.readers.options import ReadOptions
from hadath.data.readers.text_file import iter_lines
from hadath.data.readers.tool_tasks import Region, Task, check_suggested_hash, task_sentences
from hadath.data.repair import Issue, ReadReport, issue
from hadath.data.sentence import ENTITY_LAYER, EVENT_LAYER, Sentence
from hadath.data.tool_records import TEXT_OBJECT
from hadath.data.utf16 import from_utf16

_SPACE = re.compile(r"\s*")


def _array_tasks(text: str, path: Path) -> Iterator[tuple[int, Any]]:
    """(line, task) for each element of a JSON list, the line being where the element starts."""
    decoder = json.JSONDecoder()
    position = _SPACE.match(text, 1).end()  # type: ignore[union-attr]  # `\s*` always matches
    line, counted = 1, 0
    while position < len(text) and text[position] != "]":
        line += text.count("\n", counted, position)
        counted = position
        try:
            task, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError as error:
            raise DataError(str(path), error.lineno, f"invalid JSON ({error.msg})", "re-export the tasks") from None
        yield line, task
        position = _SPACE.match(text, position).end()  # type: ignore[union-attr]
        if position < len(text) and text[position] == ",":
            position = _SPACE.match(text, position + 1).end()  # type: ignore[union-attr]
        elif position >= len(text) or text[position] != "]":
            where = line + text.count("\n", counted, position)
            raise DataError(str(path), where, "expected `,` or `]` after a task", "re-export the tasks")


def _tasks(path: Path, options: ReadOptions, report: ReadReport) -> Iterator[tuple[int, Any]]:
    """(line, task) from a JSON list (Label Studio's JSON export, held whole) or from one task per line."""
    with path.open("rb") as handle:
        head = handle.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith(b"["):
        for number, line in enumerate(iter_lines(path, options.max_line_chars), start=1):
            if line.strip():
                try:
                    yield number, json.loads(line)
                except json.JSONDecodeError as error:
                    report.settle([issue(str(path), number, f"invalid JSON ({error.msg})", "one task per line")])
        return
    try:
        text = path.read_bytes().decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise DataError(str(path), None, "not valid UTF-8", "re-save the file as UTF-8") from None
    yield from _array_tasks(text, path)


def chosen_annotation(annotations: Any) -> tuple[dict[str, Any] | None, int]:
    """The gold annotation of a task by the rule above, and how many annotations were not cancelled."""
    live = [a for a in annotations if isinstance(a, dict) and not a.get("was_cancelled")] if isinstance(
        annotations, list
    ) else []  # fmt: skip
    pool = [a for a in live if a.get("ground_truth")] or live
    if not pool:
        return None, 0
    ranked = max(enumerate(pool), key=lambda item: (str(item[1].get("updated_at") or item[1].get("created_at") or ""),
                                                     item[0]))  # fmt: skip
    return ranked[1], len(live)


def _disagree(annotations: Any) -> bool:
    """Whether the task's non-cancelled annotations differ in what they label."""
    seen = set()
    for annotation in annotations if isinstance(annotations, list) else []:
        if isinstance(annotation, dict) and not annotation.get("was_cancelled"):
            result = annotation.get("result")
            results = result if isinstance(result, list) else []
            seen.add(frozenset(json.dumps({k: r.get(k) for k in ("type", "from_name", "value", "labels")},
                                          sort_keys=True) for r in results if isinstance(r, dict)))  # fmt: skip
    return len(seen) > 1


def _annotator(annotation: dict[str, Any]) -> str:
    who = annotation.get("completed_by")
    if isinstance(who, dict):
        who = who.get("email") or who.get("id")
    return "" if who is None or isinstance(who, bool) else str(who)


def _offsets(task: Task, value: dict[str, Any], ident: str, report: ReadReport) -> tuple[int, int] | None:
    """A region's code-point offsets, checked against its `value.text` (and converted from UTF-16 units when only
    that reading matches); None after noting the problem."""
    start, end = value.get("start"), value.get("end")
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)):
        task.problem(
            f"region {ident} has no character offsets (start {start!r}, end {end!r})",
            "label a Text object (HyperText regions are XPath ranges, not offsets)",
        )
        return None
    assert isinstance(start, int) and isinstance(end, int)
    shown = value.get("text")
    if not isinstance(shown, str) or task.text[start:end].split() == shown.split():
        return start, end
    start16, end16 = from_utf16(task.text, start), from_utf16(task.text, end)
    if start16 is not None and end16 is not None and task.text[start16:end16].split() == shown.split():
        report.repaired("Label Studio offsets in UTF-16 code units converted to characters")
        return start16, end16
    task.problem(
        f"region {ident} text {shown!r} differs from the task text at its offsets ({task.text[start:end]!r})",
        "fix the offsets or re-export the task",
    )
    return None


def _family(control: object) -> str:
    name = str(control or "").lower()
    return EVENT_LAYER if name.startswith(("event", "trigger")) else ENTITY_LAYER


def _read_result(task: Task, item: Any, number: int, report: ReadReport, unread: Counter[str]) -> None:
    if not isinstance(item, dict):
        task.problem(f"result {number} is not an object", "re-export the task")
        return
    kind, value = item.get("type"), item.get("value")
    ident = str(item.get("id", f"#{number}"))
    if kind == "relation":
        roles = item.get("labels") or []
        if not roles or not all(isinstance(role, str) and role.strip() for role in roles):
            task.problem(f"relation {ident} has no role label", "label the relation with its role (<Relations>)")
            return
        task.links.append((str(item.get("from_id")), str(item.get("to_id")), roles[0].strip()))
    elif kind == "labels" and isinstance(value, dict):
        where = _offsets(task, value, ident, report)
        labels = value.get("labels")
        if where is None:
            return
        if not isinstance(labels, list) or not labels or not all(isinstance(label, str) for label in labels):
            task.problem(f"region {ident} has no labels", 'give it a type ("labels": ["PER"])')
            return
        for index, label in enumerate(labels):
            name = ident if index == 0 else f"{ident}#{index}"
            task.regions.append(Region(name, _family(item.get("from_name")), *where, label))
    elif kind == "choices" and isinstance(value, dict) and isinstance(value.get("choices"), list):
        task.labels += [choice for choice in value["choices"] if isinstance(choice, str)]
    else:
        unread[str(kind)] += 1


def _task(raw: Any, path: Path, line: int, report: ReadReport, counts: Counter[str]) -> Task | None:
    """The task with its gold annotation read, or None for a task that holds no gold (counted)."""
    data = raw.get("data") if isinstance(raw, dict) else None
    if not isinstance(data, dict) or not isinstance(data.get(TEXT_OBJECT), str):
        problem = issue(str(path), line, "task has no `data.text` string", 'name the Text object\'s value "$text"')
        report.settle([problem])
        return None
    annotation, live = chosen_annotation(raw.get("annotations"))
    if annotation is None:
        counts["without annotation"] += 1
        return None
    counts["several annotations"] += live > 1
    counts["disagreeing annotations"] += _disagree(raw.get("annotations"))
    task = Task(data[TEXT_OBJECT], str(path), line, annotator=_annotator(annotation))
    check_suggested_hash(task, data)
    results = annotation.get("result")
    if not isinstance(results, list):
        task.problem("annotation has no `result` list", "re-export the task")
        results = []
    for number, item in enumerate(results):
        _read_result(task, item, number, report, counts)
    return task


def read_labelstudio(path: Path, options: ReadOptions, report: ReadReport) -> Iterator[tuple[int, Sentence]]:
    """Stream a Label Studio export's gold sentences, a document per task."""
    counts: Counter[str] = Counter()
    for document, (line, raw) in enumerate(_tasks(path, options, report)):
        try:
            task = _task(raw, path, line, report, counts)
        except DataError as error:
            report.settle([Issue(error)])
            continue
        if task is not None:
            for sentence in task_sentences(task, options, report):
                yield document, sentence
    _note_counts(counts, report)


def _note_counts(counts: Counter[str], report: ReadReport) -> None:
    if counts["without annotation"]:
        report.note(
            f"{counts['without annotation']} task(s) without a submitted annotation left out "
            "(cancelled annotations and predictions are not gold)"
        )
    if counts["several annotations"]:
        report.note(
            f"{counts['several annotations']} task(s) hold several annotations ({counts['disagreeing annotations']} "
            "disagree): kept the ground-truth one, else the most recently updated"
        )
    own = ("without annotation", "several annotations", "disagreeing annotations")
    unread = {kind: n for kind, n in counts.items() if kind not in own and n}
    if unread:
        kinds = ", ".join(f"{kind} ({n})" for kind, n in sorted(unread.items()))
        report.note(f"result types Hadath does not train on left out: {kinds}")
