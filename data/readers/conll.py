"""CoNLL columns: `token TAG [TAG ...]`, separated by spaces or tabs, blank line between sentences.

`-DOCSTART-` lines start a new document; a `$#$` token (as in the Wojood corpus) ends a segment. Nested corpora
leave inner tag columns empty where nothing is nested, so a missing trailing tag column reads as `O`. A tab-separated
file may hold tokens with spaces inside.
"""

from __future__ import annotations

from pathlib import Path

from hadath.data.readers.options import ReadOptions
from hadath.data.readers.text_file import read_lines
from hadath.data.readers.token_rows import TokenRow, build_documents
from hadath.data.repair import ReadReport, issue
from hadath.data.sentence import Sentence

SEGMENT_END = "$#$"


def _fields(line: str) -> list[str]:
    # Tab-separated files may hold spaces inside a token; anything else splits on any whitespace.
    if "\t" in line:
        return [field.strip() for field in line.split("\t") if field.strip()]
    return line.split()


def read_conll(path: Path, options: ReadOptions, report: ReadReport) -> list[list[Sentence]]:
    """Read a CoNLL file into documents of sentences, one tag layer per configured column."""
    first_column = min(options.columns.values(), default=1)
    documents: list[list[list[TokenRow]]] = [[]]
    rows: list[TokenRow] = []

    def close() -> None:
        # Unreadable lines travel as rows with their problem: build_sentence reports them with the rest.
        if rows:
            documents[-1].append(list(rows))
        rows.clear()

    for number, line in enumerate(read_lines(path), start=1):
        fields = _fields(line)
        if not fields or fields[0] == SEGMENT_END:
            close()
            continue
        if fields[0] == "-DOCSTART-":
            close()
            if documents[-1]:
                documents.append([])
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
    close()
    return build_documents([d for d in documents if d], options, str(path), report)
