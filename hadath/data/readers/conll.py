"""CoNLL columns: `token TAG [TAG ...]`, separated by spaces or tabs, blank line between sentences.

`-DOCSTART-` lines start a new document; a `$#$` token (as in the Wojood corpus) ends a segment. Nested corpora
leave inner tag columns empty where nothing is nested, so a missing trailing tag column reads as `O`. A tab-separated
file may hold tokens with spaces inside. The file is streamed: memory holds one sentence at a time.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from hadath.data.readers.options import ReadOptions
from hadath.data.readers.text_file import iter_lines
from hadath.data.readers.token_rows import TokenRow, build_documents
from hadath.data.repair import ReadReport, issue
from hadath.data.sentence import Sentence

SEGMENT_END = "$#$"


def _fields(line: str) -> list[str]:
    # Tab-separated files may hold spaces inside a token; anything else splits on any whitespace.
    if "\t" in line:
        return [field.strip() for field in line.split("\t") if field.strip()]
    return line.split()


def conll_rows(path: Path, options: ReadOptions) -> Iterator[tuple[int, list[TokenRow]]]:
    """`(document number, rows of one sentence)` for every sentence of a CoNLL file."""
    first_column = min(options.columns.values(), default=1)
    document, rows_in_document = 0, 0
    rows: list[TokenRow] = []
    for number, line in enumerate(iter_lines(path, options.max_line_chars), start=1):
        fields = _fields(line)
        if not fields or fields[0] in (SEGMENT_END, "-DOCSTART-"):
            # Unreadable lines travel as rows with their problem: build_sentence reports them with the rest.
            if rows:
                yield document, rows
                rows_in_document += 1
                rows = []
            if fields and fields[0] == "-DOCSTART-" and rows_in_document:
                document, rows_in_document = document + 1, 0
            continue
        if len(fields) <= first_column:
            problem = issue(
                str(path),
                number,
                f"line has {len(fields)} column(s), expected a token and a tag",
                "write `token TAG` separated by whitespace (tokens cannot contain spaces unless tab-separated)",
            )
            rows.append(TokenRow(number, "", {}, problem))
            continue
        tags = {layer: fields[column] for layer, column in options.columns.items() if column < len(fields)}
        rows.append(TokenRow(number, fields[0], tags))
    if rows:
        yield document, rows


def read_conll(path: Path, options: ReadOptions, report: ReadReport) -> Iterator[tuple[int, Sentence]]:
    """Stream a CoNLL file's sentences with their document numbers, one tag layer per configured column."""
    return build_documents(lambda: conll_rows(path, options), options, str(path), report)
