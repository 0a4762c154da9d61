"""Token-per-row CSV/TSV with a header: one token per row, bare class names, consecutive same-class tokens a span.

The header names the columns: the token column is `token`/`word` (else the first), tag columns are named after their
layer (`entities`, `events`, `entities_2`, ...) or `tag`/`label`/`ner`/`class` for entities; without such names the
configured column numbers are used. A blank row or a change of a `sentence`/`sentence_id` column ends a sentence.
Files whose tags carry B-/I- prefixes are read with the configured scheme (touching same-class spans need them).
"""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

from hadath.data.errors import DataError
from hadath.data.readers.options import ReadOptions
from hadath.data.readers.text_file import read_lines
from hadath.data.readers.token_rows import TokenRow, build_documents
from hadath.data.repair import ReadReport, issue
from hadath.data.schemes import split_tag
from hadath.data.sentence import Sentence, layer_family

TOKEN_NAMES = ("token", "word", "tokens", "words", "form")
ENTITY_NAMES = ("entities", "tag", "tags", "label", "ner", "ner_tag", "class", "entity")
SENTENCE_NAMES = ("sentence", "sentence_id", "sentence #", "sent_id", "sentence_idx")


def _tag_columns(header: list[str], options: ReadOptions) -> dict[str, int]:
    names = [name.strip().lower() for name in header]
    by_name = {name: i for i, name in enumerate(names) if layer_family(name) in ("entities", "events")}
    if "entities" not in by_name:
        found = next((i for i, name in enumerate(names) if name in ENTITY_NAMES), None)
        if found is not None:
            by_name["entities"] = found
    return by_name or dict(options.columns)


def _dialect(path: Path, header_line: str) -> str:
    return "\t" if path.suffix.lower() == ".tsv" or "\t" in header_line else ","


def read_csv_rows(path: Path, options: ReadOptions, report: ReadReport) -> list[list[Sentence]]:
    """Read a token-per-row CSV/TSV file into one document of sentences."""
    lines = read_lines(path)
    if not lines:
        return []
    reader = csv.reader(lines, delimiter=_dialect(path, lines[0]))
    try:
        rows_in = list(reader)
    except csv.Error as error:  # a stray carriage return inside a field, for one
        problem = f"malformed row ({str(error).split(' - ')[0]})"
        raise DataError(
            str(path), reader.line_num, problem, "remove stray carriage returns, close quoted fields"
        ) from None
    header = rows_in[0]
    names = [name.strip().lower() for name in header]
    token_column = next((names.index(name) for name in TOKEN_NAMES if name in names), 0)
    sentence_column = next((names.index(name) for name in SENTENCE_NAMES if name in names), None)
    columns = _tag_columns(header, options)
    sentences: list[list[TokenRow]] = []
    rows: list[TokenRow] = []
    sentence_key: str | None = None

    def close() -> None:
        if rows:
            sentences.append(list(rows))
        rows.clear()

    # csv.reader over a list of lines yields one record per line (quoted newlines are not supported here).
    for number, fields in enumerate(rows_in[1:], start=2):
        if not any(field.strip() for field in fields):
            close()
            continue
        if sentence_column is not None and sentence_column < len(fields) and fields[sentence_column].strip():
            key = fields[sentence_column].strip()
            if key != sentence_key and rows:
                close()
            sentence_key = key
        needed = max([token_column, *columns.values()])
        if len(fields) <= needed or not fields[token_column].strip():
            rows.append(
                TokenRow(
                    number,
                    "",
                    {},
                    issue(
                        str(path),
                        number,
                        f"row has {len(fields)} field(s) and needs {needed + 1}, with a token",
                        f"write one token per row under the header {','.join(header)}",
                    ),
                )
            )
            continue
        tags = {layer: fields[column].strip() or "O" for layer, column in columns.items()}
        rows.append(TokenRow(number, fields[token_column].strip(), tags))
    close()
    prefixed = any(
        split_tag(tag)[0] not in ("", "O") for rows_ in sentences for row in rows_ for tag in row.tags.values()
    )
    # Bare class names are the IO scheme; prefixed tags follow the configured scheme.
    bare_options = options if prefixed else replace(options, scheme="IO")
    return build_documents([sentences] if sentences else [], bare_options, str(path), report)
