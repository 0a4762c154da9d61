"""Opening annotation files the way they really arrive: UTF-8 with or without BOM, LF or CRLF, streamed line by line.

Lines are read one at a time (memory stays flat however large the file) and no line may pass `max_chars`
characters, so a file with no line breaks (a minified JSON dump, a binary) is an error naming the line, not a
MemoryError.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from hadath.data.errors import DataError
from hadath.data.readers.options import MAX_LINE_CHARS


def _too_long(path: Path, number: int, max_chars: int) -> DataError:
    return DataError(
        str(path),
        number,
        f"line longer than {max_chars:,} characters",
        "a sentence or record per line: break the file into lines (or raise data.max_line_chars)",
    )


def iter_lines(path: Path, max_chars: int = MAX_LINE_CHARS) -> Iterator[str]:
    """The file's lines without line endings, one at a time; a BOM is dropped; non-UTF-8 input, NUL bytes and
    over-long lines are DataErrors naming the line."""
    # Lines end at "\n" (after an optional "\r") only: str.splitlines would also cut at U+2028, U+0085 and other
    # Unicode breaks, which JSON leaves unescaped inside strings and which a CoNLL token may carry.
    with path.open("rb") as handle:
        number = 0
        while True:
            # UTF-8 takes at most 4 bytes a character: reading 4x the limit (+ the line end) bounds the line.
            raw = handle.readline(4 * max_chars + 2)
            if not raw:
                return
            number += 1
            if number == 1:
                if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
                    raise DataError(
                        str(path), 1, "file is UTF-16", "re-save it as UTF-8 (e.g. iconv -f UTF-16 -t UTF-8)"
                    )
                raw = raw.removeprefix(b"\xef\xbb\xbf")
            if not raw.endswith(b"\n") and len(raw) >= 4 * max_chars + 2:
                raise _too_long(path, number, max_chars)
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                raise DataError(
                    str(path), number, f"not valid UTF-8 (byte 0x{raw[error.start]:02x})", "re-save the file as UTF-8"
                ) from None
            line = line.removesuffix("\n").removesuffix("\r")
            if len(line) > max_chars:
                raise _too_long(path, number, max_chars)
            if "\x00" in line:
                raise DataError(str(path), number, "contains NUL bytes (binary file?)", "pass a UTF-8 text file")
            yield line


def read_lines(path: Path, max_chars: int = MAX_LINE_CHARS) -> list[str]:
    """All of the file's lines (for small files such as predictions; readers stream with `iter_lines`)."""
    return list(iter_lines(path, max_chars))
