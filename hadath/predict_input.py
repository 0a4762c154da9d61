"""Reading `hadath predict`'s input: UTF-8 lines from a file or stdin, raw text or JSONL, in chunks to tag."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

Item = TypeVar("Item")

# Texts tagged at once after the first batch: plain `hadath predict` and the Ray engine cut their input at the same
# lines, so both sort and batch the same sentences together and print the same scores (batch-dependent in int8).
PREDICT_CHUNK = 1024
NOT_JSONL = "not a JSON object with a string `text`"


def text_lines(path: Path | None) -> Iterator[str]:
    """The lines of a text input (a file, or standard input for None), decoded as UTF-8 as they are read; a missing
    file, a directory, UTF-16 or undecodable bytes stop with `FILE[:LINE]: problem — fix` (the path is checked at
    once, the bytes as they are read)."""
    from hadath.data.errors import DataError

    if path is not None and path.is_dir():
        raise DataError(str(path), None, "is a directory, expected a text file", "pass the file itself")
    if path is not None and not path.is_file():
        raise DataError(str(path), None, "no such file", "check the path")
    return _decoded_lines(path)


def _decoded_lines(path: Path | None) -> Iterator[str]:
    from hadath.data.errors import DataError

    name = "<stdin>" if path is None else str(path)
    stdin: Any = getattr(sys.stdin, "buffer", None)
    if path is None and stdin is None:  # a replaced text stream (tests, embedding): already decoded
        yield from sys.stdin
        return
    handle: Any = stdin if path is None else path.open("rb")
    try:
        for number, raw in enumerate(handle, start=1):
            if number == 1:
                if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
                    raise DataError(name, 1, "file is UTF-16", "re-save it as UTF-8 (e.g. iconv -f UTF-16 -t UTF-8)")
                raw = raw.removeprefix(b"\xef\xbb\xbf")
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError as error:
                problem = f"not valid UTF-8 (byte 0x{raw[error.start]:02x})"
                raise DataError(name, number, problem, "re-save the file as UTF-8") from None
    finally:
        if handle is not stdin:
            handle.close()


def line_record(line: str, input_format: str) -> dict[str, Any] | None:
    """One input line as a record to complete: a JSON object with a string `text`, every field kept (`id`, ...), or
    `{"text": line}` for a raw line (`auto` decides per line); None when `jsonl` is required and the line is not a
    JSON object with a string `text`."""
    line = line.rstrip("\r\n")
    if input_format != "text" and line.lstrip().startswith("{"):
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            record = None
        if isinstance(record, dict) and isinstance(record.get("text"), str):
            return record
    return None if input_format == "jsonl" else {"text": line}


def input_texts(lines: Iterable[str], input_format: str, source: str = "<input>") -> Iterator[str]:
    """The texts to tag: a JSON object's `text` field, or the raw line (`auto` decides per line)."""
    return (record["text"] for record in input_records(lines, input_format, source))


def input_records(lines: Iterable[str], input_format: str, source: str = "<input>") -> Iterator[dict[str, Any]]:
    """Each input as a record to complete (see `line_record`); a line that is not what `jsonl` requires stops here."""
    for number, line in enumerate(lines, start=1):
        record = line_record(line, input_format)
        if record is None:
            raise ValueError(f"{source}:{number}: {NOT_JSONL} — fix the line")
        yield record


def chunks(texts: Iterator[Item], first: int, largest: int) -> Iterator[list[Item]]:
    """One chunk of `first` texts, then chunks of `largest`: the first records come out after one batch, and the
    rest are sorted by length over a large chunk, which keeps padding low."""
    chunk: list[Item] = []
    size = first
    for text in texts:
        chunk.append(text)
        if len(chunk) == size:
            yield chunk
            chunk = []
            size = largest
    if chunk:
        yield chunk


def line_progress(path: Path | None) -> Any:
    """A progress bar over the lines of an input file, on stderr (stdout carries the records); None for stdin."""
    if path is None or not path.is_file():
        return None
    from tqdm.auto import tqdm

    with path.open("rb") as raw:
        lines = sum(block.count(b"\n") for block in iter(lambda: raw.read(1 << 20), b""))
    return tqdm(total=lines, desc="predict", unit="line", file=sys.stderr, leave=False)
