"""Readers: one module per annotation format, and the one registry that maps a format name to its reader."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from hadath.data.errors import DataError
from hadath.data.readers.conll import read_conll
from hadath.data.readers.jsonl import read_jsonl
from hadath.data.readers.options import ReadOptions
from hadath.data.sentence import Sentence

Reader = Callable[[Path, ReadOptions], list[Sentence]]

READERS: dict[str, Reader] = {"jsonl": read_jsonl, "conll": read_conll}


def guess_format(path: Path) -> str:
    """Format name from a file's extension: `.jsonl`/`.json` are native JSONL, anything else CoNLL columns."""
    return "jsonl" if path.suffix.lower() in {".jsonl", ".json"} else "conll"


def read_sentences(path: str | Path, options: ReadOptions | None = None, format: str | None = None) -> list[Sentence]:
    """Read one annotated file into sentences, with errors that name the file, line and fix."""
    path = Path(path)
    if path.is_dir():
        raise DataError(str(path), None, "is a directory, expected a data file", "pass the file itself")
    if not path.is_file():
        raise DataError(str(path), None, "no such file", "check the path (config paths are relative to the config)")
    name = format or guess_format(path)
    if name not in READERS:
        raise DataError(str(path), None, f"unknown format {name!r}", f"use one of: {', '.join(READERS)}")
    sentences = READERS[name](path, options or ReadOptions())
    if not sentences:
        raise DataError(str(path), None, "holds no sentences", "check that it is the right file and not empty")
    return sentences


__all__ = ["READERS", "ReadOptions", "guess_format", "read_sentences"]
