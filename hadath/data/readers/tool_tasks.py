"""What the Label Studio and doccano readers share: one tool task (a text, its character regions, the links between
them, sentence labels, an annotator) made into sentences, one per line of the text.

A task may hold one sentence or a whole document: each line of its text is a sentence (as in BRAT), a region may
not cross a line break, and a link joins two regions of one line. A link runs from an event trigger to an entity
(drawn the other way round it is turned; two triggers or two entities are an error). Sentence labels go to every
sentence of the task. Problems are `Issue`s for the caller to settle under the policy, a task at a time.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path

from hadath.data.errors import DataError
from hadath.data.readers.jsonl import parse_record
from hadath.data.readers.options import ReadOptions
from hadath.data.repair import Issue, ReadReport, issue, map_tag
from hadath.data.sentence import ENTITY_LAYER, EVENT_LAYER, Sentence
from hadath.data.tool_records import SUGGESTION_HASH, text_sha256


@dataclass(frozen=True)
class Region:
    """One labelled stretch of a task's text: its id in the task, layer family, code-point offsets and type."""

    ident: str
    family: str
    start: int
    end: int
    label: str


@dataclass
class Task:
    """One tool task as read, before it becomes sentences."""

    text: str
    path: str
    line: int
    regions: list[Region] = field(default_factory=list)
    # (from region id, to region id, role)
    links: list[tuple[str, str, str]] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    annotator: str = ""
    problems: list[Issue] = field(default_factory=list)

    def problem(self, what: str, fix: str) -> None:
        """Note one problem of this task, at its line."""
        self.problems.append(issue(self.path, self.line, what, fix))


def check_suggested_hash(task: Task, fields: dict[str, object]) -> None:
    """A task written by `hadath annotate suggest` carries its text's hash: a text changed since is a problem."""
    stored = fields.get(SUGGESTION_HASH)
    if stored is not None and stored != text_sha256(task.text):
        task.problem(
            "task text changed since `hadath annotate suggest` wrote it (its hadath_text_sha256 no longer matches)",
            "annotate the text as suggested, or delete the task's hadath_text_sha256 to take the new text as gold",
        )


def _line_bounds(text: str) -> tuple[list[int], list[int]]:
    starts = [0] + [index + 1 for index, char in enumerate(text) if char == "\n"]
    ends = [*(start - 1 for start in starts[1:]), len(text)]
    return starts, ends


def _place(task: Task, starts: list[int], ends: list[int]) -> dict[str, tuple[int, Region]]:
    """Each region's line (regions that cross a line break or leave the text are problems)."""
    placed: dict[str, tuple[int, Region]] = {}
    for region in task.regions:
        if not 0 <= region.start < region.end <= len(task.text):
            where = f"[{region.start}, {region.end}]"
            task.problem(f"region {region.ident} {where} is outside the text or empty", "fix its offsets")
            continue
        line = bisect_right(starts, region.start) - 1
        if region.end > ends[line]:
            task.problem(f"region {region.ident} crosses a line break", "each line of a task is a sentence")
            continue
        placed.setdefault(region.ident, (line, region))
    return placed


def _oriented(task: Task, link: tuple[str, str, str], placed: dict[str, tuple[int, Region]]) -> tuple[str, str] | None:
    """The link as (trigger id, entity id), or None after noting why it cannot be one."""
    source, target, role = link
    missing = [ident for ident in (source, target) if ident not in placed]
    if missing:
        task.problem(f"relation {role!r} names region {missing[0]!r}, which the task lacks", "link labelled regions")
        return None
    families = (placed[source][1].family, placed[target][1].family)
    if families == (ENTITY_LAYER, EVENT_LAYER):
        source, target = target, source
    elif families != (EVENT_LAYER, ENTITY_LAYER):
        task.problem(
            f"relation {role!r} joins two {families[0]} regions", "link an event trigger to an entity (its argument)"
        )
        return None
    if placed[source][0] != placed[target][0]:
        task.problem(f"relation {role!r} joins regions of two lines", "link regions of one sentence")
        return None
    return source, target


def task_sentences(task: Task, options: ReadOptions, report: ReadReport) -> list[Sentence]:
    """The task's sentences (one per non-blank line), or none when the policy drops the task for its problems."""
    starts, ends = _line_bounds(task.text)
    placed = _place(task, starts, ends)
    records: dict[int, dict[str, list[list[object]]]] = {}
    index_in_line: dict[str, int] = {}
    for ident, (line, region) in placed.items():
        spans = records.setdefault(line, {}).setdefault(region.family, [])
        index_in_line[ident] = len(spans)
        label = map_tag(region.label, options.tag_map, report)
        spans.append([region.start - starts[line], region.end - starts[line], label])
    for link in task.links:
        oriented = _oriented(task, link, placed)
        if oriented is not None:
            trigger, entity = oriented
            arguments = records.setdefault(placed[trigger][0], {}).setdefault("arguments", [])
            arguments.append([index_in_line[trigger], index_in_line[entity], link[2]])
    sentences = []
    for line, start in enumerate(starts):
        text = task.text[start : ends[line]]
        if not text.strip():
            continue
        record = {"text": text, **records.get(line, {}), "labels": task.labels, "annotator": task.annotator}
        try:
            sentence = parse_record(record, Path(task.path), task.line)
        except DataError as error:
            task.problems.append(Issue(error))
            continue
        if sentence.word_offsets:
            sentences.append(sentence)
    return sentences if report.settle(task.problems) else []
