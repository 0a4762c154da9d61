"""Readers: one module per annotation format, and the one registry that maps a format name to its reader.

A reader takes a path, the read options and a `ReadReport`, and streams `(document number, sentence)`; problems go
into the report under the policy instead of stopping at the first one, so `hadath data validate` can list them all.
`iter_sentences` is the stream (memory flat however large the file: validate, stats and convert use it);
`read_documents` and `read_corpus` collect it.
"""

from __future__ import annotations

import json
import typing
from collections.abc import Callable, Iterator
from pathlib import Path

from hadath.config import DataFormat
from hadath.data.errors import DataError
from hadath.data.readers.brat import read_brat
from hadath.data.readers.conll import read_conll
from hadath.data.readers.csv_rows import read_csv_rows
from hadath.data.readers.doccano import read_doccano
from hadath.data.readers.hf_dataset import hub_name, read_hf_dataset
from hadath.data.readers.jsonl import read_jsonl
from hadath.data.readers.labelstudio import read_labelstudio
from hadath.data.readers.options import ReadOptions
from hadath.data.repair import ReadReport
from hadath.data.sentence import Sentence
from hadath.data.sentence_split import cut_sentence

Document = list[Sentence]
Reader = Callable[[Path, ReadOptions, ReadReport], Iterator[tuple[int, Sentence]]]

# One reader per `FileFormat` (hadath/config.py); tests/test_choices.py checks that the two agree.
READERS: dict[str, Reader] = {
    "jsonl": read_jsonl,
    "conll": read_conll,
    "csv": read_csv_rows,
    "brat": read_brat,
    "hf": read_hf_dataset,
    "labelstudio": read_labelstudio,
    "doccano": read_doccano,
}
FORMATS: tuple[DataFormat, ...] = typing.get_args(DataFormat)
_HF_MARKERS = ("dataset_info.json", "state.json", "dataset_dict.json")


def guess_format(path: Path) -> str:
    """Format name from a path: extension, a BRAT `.ann` beside it, what a directory holds (CoNLL otherwise), and
    for `.json`/`.jsonl` the first record's shape (a Label Studio or doccano export, or native JSONL)."""
    text = str(path)
    if hub_name(text) or "#" in text:
        return "hf"
    if path.is_dir():
        if any((path / marker).is_file() for marker in _HF_MARKERS):
            return "hf"
        if any(path.glob("*.ann")):
            return "brat"
    suffix = path.suffix.lower()
    if suffix in {".jsonl", ".json"}:
        return _json_kind(path)
    if suffix in {".csv", ".tsv"}:
        return "csv"
    if suffix == ".ann" or (suffix == ".txt" and path.with_suffix(".ann").is_file()):
        return "brat"
    if suffix in {".parquet", ".arrow"}:
        return "hf"
    return "conll"


def _json_kind(path: Path) -> str:
    """`labelstudio` for a JSON list or a first record that is a Label Studio task, `doccano` for a first record
    with doccano's `label` triples or `entities` dicts, `jsonl` (native) otherwise."""
    try:
        with path.open("rb") as handle:
            head = handle.readline(1 << 20).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError:
        return "jsonl"
    if head.startswith(b"["):
        return "labelstudio"
    try:
        record = json.loads(head)
    except ValueError:
        return "jsonl"
    if not isinstance(record, dict):
        return "jsonl"
    if isinstance(record.get("data"), dict) and ("annotations" in record or "predictions" in record):
        return "labelstudio"
    entities = record.get("entities")
    first = entities[0] if isinstance(entities, list) and entities else None
    if "label" in record or (isinstance(first, dict) and "start_offset" in first):
        return "doccano"
    return "jsonl"


def _check_path(path: Path, name: str) -> None:
    if name == "hf":
        location = str(path).partition("#")[0]
        if not hub_name(location) and not Path(location).exists():
            raise DataError(
                location, None, "no such dataset", "pass a save_to_disk directory, a data file or hf://NAME"
            )
        return
    if name == "brat":
        if not (path.is_dir() or path.with_suffix(".ann").is_file()):
            raise DataError(str(path), None, "no .ann file", "a BRAT document is a .txt and an .ann of the same name")
        return
    if path.is_dir():
        raise DataError(str(path), None, "is a directory, expected a data file", "pass the file itself")
    if not path.is_file():
        raise DataError(str(path), None, "no such file", "check the path (config paths are relative to the config)")


def _resolve(path: Path, options: ReadOptions, format: DataFormat | None) -> Reader:
    name = guess_format(path) if format in (None, "auto") else format
    if name not in READERS:
        raise DataError(str(path), None, f"unknown format {name!r}", f"use one of: {', '.join(FORMATS)}")
    _check_path(path, name)
    return READERS[name]


def iter_sentences(
    path: str | Path, options: ReadOptions, report: ReadReport, format: DataFormat | None = None
) -> Iterator[tuple[int, Sentence]]:
    """Stream `(document number, sentence)`, cut at sentence marks and `max_sentence_words` where asked; the
    report fills as the stream is read. The path and format are checked before the first item is asked for."""
    path = Path(path)
    reader = _resolve(path, options, format)
    return _cut(reader(path, options, report), options, report)


def _cut(
    stream: Iterator[tuple[int, Sentence]], options: ReadOptions, report: ReadReport
) -> Iterator[tuple[int, Sentence]]:
    marks = options.sentence_marks if options.split_sentences else ""
    for document, sentence in stream:
        if marks or 0 < options.max_sentence_words < len(sentence.word_offsets):
            pieces, cuts = cut_sentence(sentence, marks, options.max_sentence_words)
            report.sentences_from_splitting += cuts.by_marks
            report.sentences_from_max_words += cuts.by_length
        else:
            pieces = [sentence]
        for piece in pieces:
            report.sentences += 1
            yield document, piece


def read_documents(
    path: str | Path, options: ReadOptions | None = None, format: DataFormat | None = None
) -> tuple[list[Document], ReadReport]:
    """Read a file (or dataset, or BRAT directory) into documents, collecting every problem in the report."""
    options = options or ReadOptions()
    report = ReadReport(policy=options.on_error)
    documents: list[Document] = []
    current = None
    for document, sentence in iter_sentences(path, options, report, format):
        if document != current or not documents:
            documents.append([])
            current = document
        documents[-1].append(sentence)
    return documents, report


def no_sentences(path: str | Path, report: ReadReport) -> DataError:
    """The error for a file that yielded nothing, saying why when the policy dropped everything."""
    if report.skipped_sentences:
        # One skipped "sentence" is usually a whole unsegmented file: cutting it first keeps the good parts.
        cut = (
            ""
            if report.skipped_sentences > 1
            else ", or cut unsegmented text first (--split-sentences, --max-sentence-words)"
        )
        return DataError(
            str(path),
            None,
            f"holds no sentences: all {report.skipped_sentences} were skipped under on_error: skip "
            f"({report.skipped_count} problem(s))",
            f"run `hadath data validate {path}` to see them, use on_error: repair{cut}",
        )
    return DataError(str(path), None, "holds no sentences", "check that it is the right file and not empty")


def read_corpus(
    path: str | Path, options: ReadOptions | None = None, format: DataFormat | None = None
) -> tuple[list[Sentence], ReadReport]:
    """Read sentences and the report of what reading found; fails on errors (the `error` policy)."""
    documents, report = read_documents(path, options, format)
    report.raise_first_error()
    sentences = [sentence for document in documents for sentence in document]
    if not sentences:
        raise no_sentences(path, report)
    return sentences, report


def read_sentences(
    path: str | Path, options: ReadOptions | None = None, format: DataFormat | None = None
) -> list[Sentence]:
    """Read one annotated file into sentences, with errors that name the file, line and fix."""
    return read_corpus(path, options, format)[0]


__all__ = [
    "FORMATS",
    "READERS",
    "ReadOptions",
    "ReadReport",
    "guess_format",
    "iter_sentences",
    "no_sentences",
    "read_corpus",
    "read_documents",
    "read_sentences",
]
