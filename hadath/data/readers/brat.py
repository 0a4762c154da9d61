"""BRAT standoff: a `.txt` document and its `.ann` file of T-lines (text-bound annotations) and E-lines (events).

Each line of the `.txt` is a sentence. A T-line referenced as the trigger of an E-line goes to the `events` layer,
every other T-line to `entities` (overlaps become nested layers, as in JSONL). An E-line's `Role:Tn` arguments
(`E1<TAB>Attack:T3 Attacker:T1 Place:T2`; BRAT's `Role2` for a second filler reads as `Role`) become event argument
links when Tn is an entity of the same sentence; an argument that is another event (`Role:E2`) is not read. A
discontinuous span (`0 5;9 14`) is an error; under `repair` each fragment becomes a span of its own, under `skip`
its sentence is dropped. Attribute lines on an event, by its E id or its trigger's T id (`A1<TAB>Polarity E1 Negative`,
and BRAT's binary `Negation E1` / `Speculation E1`, also as legacy M-lines), set the event's factuality
(`hadath/data/factuality.py`; names and values in any case); an unknown attribute or value on an event is an error, an
attribute of an entity is ignored. Other lines (relations, notes) carry nothing Hadath trains on and are ignored.
A directory is read as one document per `.ann` file.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from hadath.data.errors import DataError
from hadath.data.factuality import attribute_problem
from hadath.data.readers.jsonl import parse_record
from hadath.data.readers.options import ReadOptions
from hadath.data.readers.text_file import iter_lines
from hadath.data.repair import Issue, ReadReport, issue, map_tag
from hadath.data.sentence import Sentence

_FRAGMENTS = re.compile(r"^\d+ \d+(;\d+ \d+)*$")
# BRAT's binary event attributes (BioNLP shared tasks) as the factuality attribute and value they mean.
BINARY_ATTRIBUTES = {"negation": ("polarity", "negative"), "speculation": ("modality", "other")}


@dataclass
class TextBound:
    """One T-line: its id, type, character fragments in the document, and the .ann line it came from."""

    ident: str
    label: str
    fragments: list[tuple[int, int]]
    text: str
    line: int


def brat_pair(path: Path) -> tuple[Path, Path]:
    """The `.txt` and `.ann` files for either of them."""
    return path.with_suffix(".txt"), path.with_suffix(".ann")


@dataclass
class EventLine:
    """One E-line: its trigger's T id, its (role, T id) arguments, the .ann line it came from and its own E id."""

    trigger: str
    arguments: list[tuple[str, str]]
    line: int
    ident: str = ""


@dataclass
class AttributeLine:
    """One A- or M-line: the annotation it is attached to (an E or T id), the attribute and value (lower case,
    binary attributes already turned into theirs), and the .ann line it came from."""

    target: str
    name: str
    value: str
    line: int


def _event_line(fields: list[str], number: int) -> EventLine:
    trigger, *arguments = fields[1].split()
    pairs = [tuple(item.split(":", 1)) for item in arguments if ":" in item]
    roles = [(role.rstrip("0123456789") or role, ident) for role, ident in pairs]
    return EventLine(trigger.partition(":")[2], roles, number, fields[0].strip())


def _attribute_line(fields: list[str], number: int) -> AttributeLine | None:
    """`A1<TAB>Polarity E1 Negative` or a binary `A1<TAB>Negation E1`; None for a line without a target."""
    words = fields[1].split() if len(fields) >= 2 else []
    if len(words) < 2:
        return None
    name = words[0].lower()
    if len(words) == 2 and name in BINARY_ATTRIBUTES:
        name, value = BINARY_ATTRIBUTES[name]
        return AttributeLine(words[1], name, value, number)
    return AttributeLine(words[1], name, words[2].lower() if len(words) > 2 else "", number)


def _parse_ann(
    ann: Path, options: ReadOptions
) -> tuple[list[TextBound], list[EventLine], list[AttributeLine], list[Issue]]:
    bounds: list[TextBound] = []
    triggers: list[EventLine] = []
    attributes: list[AttributeLine] = []
    problems: list[Issue] = []
    for number, line in enumerate(iter_lines(ann, options.max_line_chars), start=1):
        fields = line.split("\t")
        if line[:1] in ("A", "M") and (found := _attribute_line(fields, number)) is not None:
            attributes.append(found)
        elif line.startswith("T"):
            kind, _, where = fields[1].partition(" ") if len(fields) >= 2 else ("", "", "")
            if len(fields) < 3 or not kind or not _FRAGMENTS.match(where):
                problems.append(
                    issue(str(ann), number, f"malformed T-line {line!r}", "write `T1<TAB>TYPE START END<TAB>TEXT`")
                )
                continue
            fragments = [(int(a), int(b)) for a, b in (part.split(" ") for part in where.split(";"))]
            bounds.append(TextBound(fields[0], kind, fragments, fields[2], number))
        elif line.startswith("E") and len(fields) >= 2 and fields[1].strip():
            event = _event_line(fields, number)
            if event.trigger:
                triggers.append(event)
    return bounds, triggers, attributes, problems


def _read_document(txt: Path, ann: Path, options: ReadOptions, report: ReadReport) -> list[Sentence]:
    for needed in (txt, ann):
        if not needed.is_file():
            raise DataError(str(needed), None, "no such file", "a BRAT document is a .txt and an .ann of the same name")
    # Offsets count characters of the text exactly as stored (a BOM or \r included), as BRAT does.
    try:
        text = txt.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise DataError(str(txt), None, "not valid UTF-8", "re-save the file as UTF-8") from None
    bounds, event_lines, attribute_lines, parse_problems = _parse_ann(ann, options)
    triggers = {event.trigger for event in event_lines}
    # Where each T id landed: (sentence line, layer, index in that line's span list).
    placed: dict[str, tuple[int, str, int]] = {}
    line_starts = [0] + [i + 1 for i, char in enumerate(text) if char == "\n"]
    line_ends = [*(start - 1 for start in line_starts[1:]), len(text)]
    longest = max((end - start, index) for index, (start, end) in enumerate(zip(line_starts, line_ends, strict=True)))
    if longest[0] > options.max_line_chars:
        raise DataError(
            str(txt),
            longest[1] + 1,
            f"line longer than {options.max_line_chars:,} characters",
            "a sentence per line: break the text into lines (or raise data.max_line_chars)",
        )
    spans: dict[int, dict[str, list[list[object]]]] = {}
    problems: dict[int, list[Issue]] = {}
    for bound in bounds:
        layer = "events" if bound.ident in triggers else "entities"
        where = bound.fragments[0][0]
        line_index = max(0, bisect_right(line_starts, where) - 1)
        found = _check_bound(
            bound,
            text,
            line=(line_starts[line_index], line_ends[line_index]),
            ann=str(ann),
            options=options,
            report=report,
        )
        if isinstance(found, Issue):
            problems.setdefault(line_index, []).append(found)
            continue
        label = map_tag(bound.label, options.tag_map, report)
        for start, end in found:
            in_line = spans.setdefault(line_index, {}).setdefault(layer, [])
            placed.setdefault(bound.ident, (line_index, layer, len(in_line)))
            in_line.append([start, end, label])
    links = _links(event_lines, placed, str(ann), problems)
    _attach_attributes(event_lines, attribute_lines, placed, spans=spans, ann=str(ann), problems=problems)
    if parse_problems:
        report.settle(parse_problems)
        return []
    sentences = []
    for index, start in enumerate(line_starts):
        line_text = text[start : line_ends[index]]
        if not line_text.strip() or not report.settle(problems.get(index, [])):
            continue
        record = {"text": line_text, **spans.get(index, {}), "arguments": links.get(index, [])}
        try:
            sentence = parse_record(record, txt, index + 1)
        except DataError as error:
            report.settle([Issue(error)])
            continue
        if sentence.word_offsets:
            sentences.append(sentence)
    return sentences


def _links(
    event_lines: list[EventLine], placed: dict[str, tuple[int, str, int]], ann: str, problems: dict[int, list[Issue]]
) -> dict[int, list[list[object]]]:
    """Per sentence line, `[event_index, entity_index, role]` links from the E-lines' entity arguments."""
    links: dict[int, list[list[object]]] = {}
    for event in event_lines:
        if event.trigger not in placed:
            continue  # its T-line had a problem, already reported
        line, _, event_index = placed[event.trigger]
        for role, ident in event.arguments:
            where = placed.get(ident)
            if ident.startswith("E") or where is None:
                continue
            if where[0] != line:
                problem = f"argument {role}:{ident} of {event.trigger} lies in another sentence"
                problems.setdefault(line, []).append(issue(ann, event.line, problem, "link spans of one .txt line"))
                continue
            links.setdefault(line, []).append([event_index, where[2], role])
    return links


def _attach_attributes(
    event_lines: list[EventLine],
    attribute_lines: list[AttributeLine],
    placed: dict[str, tuple[int, str, int]],
    *,
    spans: dict[int, dict[str, list[list[object]]]],
    ann: str,
    problems: dict[int, list[Issue]],
) -> None:
    """Give each event span in `spans` the attributes of its E id or trigger T id, as a JSONL fourth item."""
    trigger_of = {event.ident: event.trigger for event in event_lines}
    trigger_of.update({event.trigger: event.trigger for event in event_lines})
    for attribute in attribute_lines:
        trigger = trigger_of.get(attribute.target)
        if trigger is None or trigger not in placed:
            continue  # an entity's attribute (nothing Hadath trains on), or its event had a problem already reported
        line, layer, index = placed[trigger]
        problem = attribute_problem(attribute.name, attribute.value)
        if problem is not None:
            fix = 'write `A1<TAB>Polarity E1 Negative`, names and values as in data/README.md, "Event attributes"'
            problems.setdefault(line, []).append(issue(ann, attribute.line, problem, fix))
            continue
        span = spans[line][layer][index]
        if len(span) == 3:
            span.append({})
        held = span[3]
        assert isinstance(held, dict)
        held[attribute.name] = attribute.value


def _check_bound(
    bound: TextBound, text: str, *, line: tuple[int, int], ann: str, options: ReadOptions, report: ReadReport
) -> list[tuple[int, int]] | Issue:
    """The bound's fragments relative to its line (start and end offsets in `text`), or the problem with it."""
    line_start, line_end = line
    for start, end in bound.fragments:
        if not 0 <= start < end <= len(text):
            return issue(ann, bound.line, f"{bound.ident} offsets {start} {end} are outside the text", "fix them")
        if start < line_start or end > line_end:
            return issue(
                ann,
                bound.line,
                f"{bound.ident} crosses a line break",
                "each .txt line is a sentence: keep spans in one",
            )
    stored = " ".join(text[start:end] for start, end in bound.fragments)
    if stored.split() != bound.text.split():
        problem = f"{bound.ident} text {bound.text!r} differs from the .txt at its offsets ({stored!r})"
        return issue(ann, bound.line, problem, "fix the offsets or regenerate the .ann")
    if len(bound.fragments) > 1:
        if options.on_error != "repair":
            return issue(
                ann,
                bound.line,
                f"{bound.ident} is a discontinuous span ({len(bound.fragments)} fragments)",
                "split it into separate T-lines, or set data.on_error: repair (each fragment becomes a span)",
            )
        report.repaired("discontinuous span split into its fragments")
    return [(start - line_start, end - line_start) for start, end in bound.fragments]


def read_brat(path: Path, options: ReadOptions, report: ReadReport) -> Iterator[tuple[int, Sentence]]:
    """Stream one BRAT document (`x.txt` + `x.ann`, either named) or a directory of them, one document each."""
    anns = sorted(path.glob("*.ann")) if path.is_dir() else [path.with_suffix(".ann")]
    for document, ann in enumerate(anns):
        txt, ann = brat_pair(ann)
        for sentence in _read_document(txt, ann, options, report):
            yield document, sentence
