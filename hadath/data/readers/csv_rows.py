"""Token-per-row CSV/TSV: one token per row, bare class names, consecutive same-class tokens a span.

A header row names the columns: the token column is `token`/`word` (else the first), tag columns are named after
their layer (`entities`, `events`, `entities_2`, ...) or `tag`/`label`/`ner`/`class` for entities; without such names
the configured column numbers are used. Many corpora come without a header (AraBERT's ANERcorp TSV starts with
`فرانكفورت<TAB>B-LOC`): with `header: auto` a first row that names no known column and holds a tag in a tag column
is read as data, with a note; `header: yes|no` decides it outright. A blank row or a change of a
`sentence`/`sentence_id` column ends a sentence. Files whose tags carry B-/I- prefixes are read with the configured
scheme (touching same-class spans need them). The file is streamed.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from hadath.data.errors import DataError
from hadath.data.readers.options import ReadOptions
from hadath.data.readers.text_file import iter_lines
from hadath.data.readers.token_rows import TokenRow, build_documents
from hadath.data.repair import ReadReport, issue, respell_tag, shown
from hadath.data.schemes import split_tag
from hadath.data.sentence import Sentence, layer_family

TOKEN_NAMES = ("token", "word", "tokens", "words", "form")
ENTITY_NAMES = ("entities", "tag", "tags", "label", "ner", "ner_tag", "class", "entity")
SENTENCE_NAMES = ("sentence", "sentence_id", "sentence #", "sent_id", "sentence_idx")


@dataclass(frozen=True)
class Layout:
    """Which columns hold the token, the tags per layer and the sentence id, and the line data starts on."""

    token: int
    tags: dict[str, int]
    sentence: int | None
    first_data_line: int
    described: str


def _tag_columns(header: list[str], options: ReadOptions) -> dict[str, int]:
    names = [name.strip().lower() for name in header]
    by_name = {name: i for i, name in enumerate(names) if layer_family(name) in ("entities", "events")}
    if "entities" not in by_name:
        found = next((i for i, name in enumerate(names) if name in ENTITY_NAMES), None)
        if found is not None:
            by_name["entities"] = found
    return by_name or dict(options.columns)


def _names_a_column(name: str) -> bool:
    name = name.strip().lower()
    return name in (*TOKEN_NAMES, *ENTITY_NAMES, *SENTENCE_NAMES) or layer_family(name) in ("entities", "events")


def _is_tag(value: str) -> bool:
    respelled = respell_tag(value.strip()) if value.strip() else None
    tag = respelled[0] if respelled else value.strip()
    return bool(tag) and (tag == "O" or (split_tag(tag)[0] in ("B", "I", "E", "S") and bool(split_tag(tag)[1])))


def _has_header(first: list[str], options: ReadOptions, path: Path, report: ReadReport) -> bool:
    if options.header != "auto":
        return options.header == "yes"
    if any(_names_a_column(name) for name in first):
        return True
    tag_columns = [column for column in options.columns.values() if column < len(first)]
    if tag_columns and all(_is_tag(first[column]) for column in tag_columns):
        row = ", ".join(shown(field) for field in first)
        report.note(
            f"{path}: first row ({row}) read as data, not a header: it names no known column and holds a tag "
            "— pass --header yes (data.header: yes) if it names the columns"
        )
        return False
    return True


def _layout(first: list[str], options: ReadOptions, path: Path, report: ReadReport) -> Layout:
    if not _has_header(first, options, path, report):
        return Layout(0, dict(options.columns), None, 1, "token<TAB>TAG rows")
    names = [name.strip().lower() for name in first]
    token = next((names.index(name) for name in TOKEN_NAMES if name in names), 0)
    sentence = next((names.index(name) for name in SENTENCE_NAMES if name in names), None)
    return Layout(token, _tag_columns(first, options), sentence, 2, f"the header {','.join(first)}")


def _records(path: Path, options: ReadOptions) -> Iterator[list[str]]:
    delimiter = "\t" if path.suffix.lower() == ".tsv" else None
    lines = iter_lines(path, options.max_line_chars)
    first = next(lines, None)
    if first is None:
        return
    delimiter = delimiter or ("\t" if "\t" in first else ",")
    reader = csv.reader((line for part in ([first], lines) for line in part), delimiter=delimiter)
    try:
        # csv.reader over lines yields one record per line (quoted newlines are not supported here).
        yield from reader
    except csv.Error as error:  # a stray carriage return inside a field, for one
        problem = f"malformed row ({str(error).split(' - ')[0]})"
        raise DataError(
            str(path), reader.line_num, problem, "remove stray carriage returns, close quoted fields"
        ) from None


def _row(fields: list[str], number: int, layout: Layout, path: Path) -> TokenRow:
    needed = max([layout.token, *layout.tags.values()])
    if len(fields) <= needed or not fields[layout.token].strip():
        problem = f"row has {len(fields)} field(s) and needs {needed + 1}, with a token"
        return TokenRow(
            number, "", {}, issue(str(path), number, problem, f"write one token per row as {layout.described}")
        )
    tags = {layer: fields[column].strip() or "O" for layer, column in layout.tags.items()}
    return TokenRow(number, fields[layout.token].strip(), tags)


def _sentences(path: Path, options: ReadOptions, layout: Layout) -> Iterator[tuple[int, list[TokenRow]]]:
    rows: list[TokenRow] = []
    sentence_key: str | None = None
    for number, fields in enumerate(_records(path, options), start=1):
        if number < layout.first_data_line:
            continue
        if not any(field.strip() for field in fields):
            if rows:
                yield 0, rows
                rows = []
            continue
        column = layout.sentence
        if column is not None and column < len(fields) and fields[column].strip():
            key = fields[column].strip()
            if key != sentence_key and rows:
                yield 0, rows
                rows = []
            sentence_key = key
        rows.append(_row(fields, number, layout, path))
    if rows:
        yield 0, rows


def read_csv_rows(path: Path, options: ReadOptions, report: ReadReport) -> Iterator[tuple[int, Sentence]]:
    """Stream a token-per-row CSV/TSV file's sentences (one document)."""
    first = next(_records(path, options), None)
    if first is None:
        return iter(())
    layout = _layout(first, options, path, report)
    prefixed = any(
        split_tag(tag)[0] not in ("", "O")
        for _, rows in _sentences(path, options, layout)
        for row in rows
        for tag in row.tags.values()
    )
    # Bare class names are the IO scheme; prefixed tags follow the configured scheme.
    bare_options = options if prefixed else replace(options, scheme="IO")
    return build_documents(lambda: _sentences(path, options, layout), bare_options, str(path), report)
