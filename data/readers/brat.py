"""BRAT standoff: a `.txt` document and its `.ann` file of T-lines (text-bound annotations) and E-lines (events).

Each line of the `.txt` is a sentence. A T-line referenced as the trigger of an E-line goes to the `events` layer,
every other T-line to `entities` (overlaps become nested layers, as in JSONL). A discontinuous span (`0 5;9 14`) is an
error; under `repair` each fragment becomes a span of its own, under `skip` its sentence is dropped. Other lines
(relations, attributes, notes) carry nothing Hadath trains on and are ignored. A directory is read as one document per
`.ann` file.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from hadath.data.errors import DataError
from hadath.data.readers.jsonl import parse_record
from hadath.data.readers.options import ReadOptions
from hadath.data.readers.text_file import iter_lines
from hadath.data.repair import Issue, ReadReport, issue, map_tag
from hadath.data.sentence import Sentence

_FRAGMENTS = re.compile(r"^\d+ \d+(;\d+ \d+)*$")


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


def _parse_ann(ann: Path, options: ReadOptions) -> tuple[list[TextBound], set[str], list[Issue]]:
    bounds: list[TextBound] = []
    triggers: set[str] = set()
    problems: list[Issue] = []
    for number, line in enumerate(iter_lines(ann, options.max_line_chars), start=1):
        fields = line.split("\t")
        if line.startswith("T"):
            kind, _, where = fields[1].partition(" ") if len(fields) >= 2 else ("", "", "")
            if len(fields) < 3 or not kind or not _FRAGMENTS.match(where):
                problems.append(
                    issue(str(ann), number, f"malformed T-line {line!r}", "write `T1<TAB>TYPE START END<TAB>TEXT`")
                )
                continue
            fragments = [(int(a), int(b)) for a, b in (part.split(" ") for part in where.split(";"))]
            bounds.append(TextBound(fields[0], kind, fragments, fields[2], number))
        elif line.startswith("E") and len(fields) >= 2 and fields[1].strip():
            trigger = fields[1].split(" ")[0].partition(":")[2]
            if trigger:
                triggers.add(trigger)
    return bounds, triggers, problems


def _read_document(txt: Path, ann: Path, options: ReadOptions, report: ReadReport) -> list[Sentence]:
    for needed in (txt, ann):
        if not needed.is_file():
            raise DataError(str(needed), None, "no such file", "a BRAT document is a .txt and an .ann of the same name")
    # Offsets count characters of the text exactly as stored (a BOM or \r included), as BRAT does.
    try:
        text = txt.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise DataError(str(txt), None, "not valid UTF-8", "re-save the file as UTF-8") from None
    bounds, triggers, parse_problems = _parse_ann(ann, options)
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
        found = _check_bound(bound, text, line_starts[line_index], line_ends[line_index], str(ann), options, report)
        if isinstance(found, Issue):
            problems.setdefault(line_index, []).append(found)
            continue
        label = map_tag(bound.label, options.tag_map, report)
        for start, end in found:
            spans.setdefault(line_index, {}).setdefault(layer, []).append([start, end, label])
    if parse_problems:
        report.settle(parse_problems)
        return []
    sentences = []
    for index, start in enumerate(line_starts):
        line_text = text[start : line_ends[index]]
        if not line_text.strip() or not report.settle(problems.get(index, [])):
            continue
        record = {"text": line_text, **spans.get(index, {})}
        try:
            sentence = parse_record(record, txt, index + 1)
        except DataError as error:
            report.settle([Issue(error)])
            continue
        if sentence.word_offsets:
            sentences.append(sentence)
    return sentences


def _check_bound(
    bound: TextBound, text: str, line_start: int, line_end: int, ann: str, options: ReadOptions, report: ReadReport
) -> list[tuple[int, int]] | Issue:
    """The bound's fragments relative to its line, or the problem with it."""
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
