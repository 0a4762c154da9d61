"""CoNLL columns: `token TAG [TAG ...]`, whitespace-separated, blank line between sentences.

`-DOCSTART-` lines are ignored; a `$#$` token (as in the Wojood corpus) ends a segment. Nested corpora leave inner
tag columns empty where nothing is nested, so a missing trailing tag column reads as `O`.
"""

from __future__ import annotations

from pathlib import Path

from hadath.data.errors import DataError
from hadath.data.readers.options import ReadOptions
from hadath.data.readers.text_file import read_lines
from hadath.data.schemes import canonical_scheme, spans_from_tags
from hadath.data.sentence import Sentence

SEGMENT_END = "$#$"


def _check_tag(tag: str, path: Path, line: int) -> None:
    if tag == "O":
        return
    prefix, _, kind = tag.partition("-")
    if not kind or prefix not in {"B", "I", "E", "S", "L", "U"}:
        raise DataError(
            str(path),
            line,
            f"tag {tag!r} is neither O nor PREFIX-TYPE",
            "use O, B-TYPE, I-TYPE (or E-/S- for BIOES); for bare class names use the CSV reader",
        )


def _sentence(rows: list[tuple[int, list[str]]], options: ReadOptions, path: Path) -> Sentence:
    tokens = [fields[0] for _, fields in rows]
    offsets, cursor = [], 0
    for token in tokens:
        offsets.append((cursor, cursor + len(token)))
        cursor += len(token) + 1
    scheme = canonical_scheme(options.scheme)
    layers = {}
    for layer, column in options.columns.items():
        tags = []
        for number, fields in rows:
            tag = fields[column] if column < len(fields) else "O"
            _check_tag(tag, path, number)
            tags.append(tag)
        spans = spans_from_tags(tags, scheme)
        if spans:
            layers[layer] = spans
    return Sentence(" ".join(tokens), offsets, layers, [], f"{path}:{rows[0][0]}")


def read_conll(path: Path, options: ReadOptions) -> list[Sentence]:
    """Read a CoNLL file into sentences, one tag layer per configured column."""
    first_column = min(options.columns.values(), default=1)
    sentences: list[Sentence] = []
    rows: list[tuple[int, list[str]]] = []

    def close() -> None:
        if rows:
            sentences.append(_sentence(rows, options, path))
            rows.clear()

    for number, line in enumerate(read_lines(path), start=1):
        fields = line.split()
        if not fields:
            close()
            continue
        if fields[0] == "-DOCSTART-":
            close()
            continue
        if fields[0] == SEGMENT_END:
            close()
            continue
        if len(fields) <= first_column:
            raise DataError(
                str(path),
                number,
                f"line has {len(fields)} column(s), expected a token and a tag",
                "write `token TAG` separated by whitespace (tokens cannot contain spaces)",
            )
        rows.append((number, fields))
    close()
    return sentences
