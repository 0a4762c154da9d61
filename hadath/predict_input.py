"""Reading `hadath predict`'s input: UTF-8 lines from a file or stdin, raw text or JSONL, in chunks to tag.

Whole-input problems (a missing file, UTF-16, no line end at all) stop the run. A bad record (a line over the size
limit or not UTF-8, JSONL that does not parse, nests too deep or holds NaN/Infinity, a lone surrogate escape, a text
over the work limits of `hadath/inference/request_cost.py`) is a `Skipped` item carrying its one-line `FILE:LINE:
problem — fix` message: the caller reports it and goes on.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

Item = TypeVar("Item")
# `check(text, "FILE:LINE")`: why a text must not reach the model (a one-line message), or None.
TextCheck = Callable[[str, str], "str | None"]

# Texts tagged at once after the first batch: plain `hadath predict` and the Ray engine cut their input at the same
# lines, so both sort and batch the same sentences together and print the same scores (batch-dependent in int8).
PREDICT_CHUNK = 1024
# The longest line `hadath predict` tags (characters); `--max-chars` changes it.
MAX_LINE_CHARS = 100_000
# Past this many bytes without a line end the input is not text (`< /dev/zero`): stop instead of skipping forever.
_DRAIN_FACTOR = 16


@dataclass(frozen=True)
class Skipped:
    """An input record that cannot be tagged, with the one-line message that says why."""

    message: str


def text_lines(path: Path | None, max_chars: int = MAX_LINE_CHARS) -> Iterator[str | Skipped]:
    """The lines of a text input (a file, or standard input for None), decoded as UTF-8 as they are read; a missing
    file, a directory, UTF-16 or undecodable bytes stop with `FILE[:LINE]: problem — fix` (the path is checked at
    once, the bytes as they are read); a line over `max_chars` characters is a `Skipped` item."""
    from hadath.data.errors import DataError

    if path is not None and path.is_dir():
        raise DataError(str(path), None, "is a directory, expected a text file", "pass the file itself")
    if path is not None and not path.is_file():
        raise DataError(str(path), None, "no such file", "check the path")
    return _decoded_lines(path, max_chars)


def _decoded_lines(path: Path | None, max_chars: int) -> Iterator[str | Skipped]:
    from hadath.data.errors import DataError

    name = "<stdin>" if path is None else str(path)
    stdin: Any = getattr(sys.stdin, "buffer", None)
    if path is None and stdin is None:  # a replaced text stream (tests, embedding): already decoded
        for number, line in enumerate(sys.stdin, start=1):
            yield too_long(name, number, max_chars) if len(line.rstrip("\r\n")) > max_chars else line
        return
    handle: Any = stdin if path is None else path.open("rb")
    limit = 4 * max_chars + 2  # UTF-8 takes at most 4 bytes a character, plus the line end
    try:
        for number, raw in enumerate(iter(lambda: handle.readline(limit), b""), start=1):
            if number == 1:
                if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
                    raise DataError(name, 1, "file is UTF-16", "re-save it as UTF-8 (e.g. iconv -f UTF-16 -t UTF-8)")
                raw = raw.removeprefix(b"\xef\xbb\xbf")
            if len(raw) == limit and not raw.endswith(b"\n"):
                _drain_line(handle, limit * _DRAIN_FACTOR, name, number)
                yield too_long(name, number, max_chars)
                continue
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as error:  # one bad line is one skipped record, as the Ray engine does
                problem = f"not valid UTF-8 (byte 0x{raw[error.start]:02x})"
                yield Skipped(f"{name}:{number}: {problem} — re-save the file as UTF-8")
                continue
            yield too_long(name, number, max_chars) if len(line.rstrip("\r\n")) > max_chars else line
    finally:
        if handle is not stdin:
            handle.close()


def _drain_line(handle: Any, budget: int, name: str, number: int) -> None:
    """Read past the rest of an overlong line; an input with no line end within `budget` bytes is not text."""
    from hadath.data.errors import DataError

    read = 0
    while read < budget:
        block = handle.readline(1 << 16)
        read += len(block)
        if not block or block.endswith(b"\n"):
            return
    raise DataError(name, number, f"no line end in the first {budget} bytes", "pass a text file, one text a line")


def too_long(name: str, number: int, max_chars: int) -> Skipped:
    """The skipped record of a line over `max_chars` characters."""
    return Skipped(f"{name}:{number}: line longer than {max_chars} characters — split it (or raise --max-chars)")


def input_texts(lines: Iterable[str | Skipped], input_format: str, source: str = "<input>") -> Iterator[str]:
    """The texts to tag (records that cannot be tagged left out): a JSON object's `text` field, or the raw line."""
    for record in input_records(lines, input_format, source):
        if not isinstance(record, Skipped):
            yield record["text"]


def input_records(
    lines: Iterable[str | Skipped], input_format: str, source: str = "<input>", check: TextCheck | None = None
) -> Iterator[dict[str, Any] | Skipped]:
    """Each input as a record to complete: a JSON object with a string `text`, every field kept (`id`, ...), or
    `{"text": line}` for a raw line (`auto` decides per line); a record that cannot be tagged (or whose text `check`
    refuses) is a `Skipped` item naming its line."""
    for number, line in enumerate(lines, start=1):
        yield line if isinstance(line, Skipped) else line_record(line, input_format, f"{source}:{number}", check)


def line_record(line: str, input_format: str, where: str, check: TextCheck | None = None) -> dict[str, Any] | Skipped:
    """The record of one input line (`where` is its `FILE:LINE`), or why it cannot be tagged: it does not parse, or
    `check` refuses its text (the work limits)."""
    record = _parsed_record(line, input_format, where)
    if check is None or isinstance(record, Skipped):
        return record
    problem = check(record["text"], where)
    return record if problem is None else Skipped(problem)


def _parsed_record(line: str, input_format: str, where: str) -> dict[str, Any] | Skipped:
    line = line.rstrip("\r\n")
    if input_format == "text" or not line.lstrip().startswith("{"):
        return _not_jsonl(where) if input_format == "jsonl" else _checked({"text": line}, where)
    try:
        record = json.loads(line, parse_constant=_refuse_constant)
    except json.JSONDecodeError:
        record = None
    except _NotJsonConstant as error:
        return Skipped(f"{where}: {error} is not a JSON value (Python's json reads it) — write null or a number")
    except RecursionError:
        return Skipped(f"{where}: JSON nested too deeply — flatten the record")
    except ValueError as error:  # an integer past Python's 4300-digit limit
        return Skipped(f"{where}: JSON number too long ({str(error).split(':')[0][:80]}) — fix the line")
    if isinstance(record, dict) and isinstance(record.get("text"), str):
        return _checked(record, where)
    return _not_jsonl(where) if input_format == "jsonl" else _checked({"text": line}, where)


class _NotJsonConstant(Exception):
    """NaN, Infinity or -Infinity in a line: Python's json reads them, but the record written back would not be JSON."""


def _refuse_constant(name: str) -> Any:
    raise _NotJsonConstant(name)


def _not_jsonl(where: str) -> Skipped:
    return Skipped(f"{where}: not a JSON object with a string `text` — fix the line")


def _checked(record: dict[str, Any], where: str) -> dict[str, Any] | Skipped:
    """The record, unless it holds a lone surrogate (a `\\ud800` escape), which no encoder accepts."""
    text: str = record["text"]
    bad = next((index for index, char in enumerate(text) if "\ud800" <= char <= "\udfff"), None)
    if bad is not None:
        return Skipped(f"{where}: character {bad} is a lone surrogate U+{ord(text[bad]):04X} — fix the escape")
    if len(record) > 1:
        try:
            json.dumps(record, ensure_ascii=False).encode("utf-8")  # the other fields travel to stdout too
        except UnicodeEncodeError:
            return Skipped(f"{where}: a field holds a lone surrogate — fix the escape")
    return record


def chunks(items: Iterator[Item], first: int, largest: int) -> Iterator[list[Item]]:
    """One chunk of `first` texts, then chunks of `largest`: the first records come out after one batch, and the
    rest are sorted by length over a large chunk, which keeps padding low."""
    chunk: list[Item] = []
    size = first
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
            size = largest
    if chunk:
        yield chunk


def line_progress(path: Path | None) -> Any:
    """A progress bar over the lines of an input file, on stderr (stdout carries the records); None for stdin, and
    when the records themselves stream to the terminal (a bar there would be drawn into the records' lines)."""
    if path is None or not path.is_file() or sys.stdout.isatty():
        return None
    from tqdm.auto import tqdm

    with path.open("rb") as raw:
        lines = sum(block.count(b"\n") for block in iter(lambda: raw.read(1 << 20), b""))
    return tqdm(total=lines, desc="predict", unit="line", file=sys.stderr, leave=False)
