"""Opening annotation files the way they really arrive: UTF-8 with or without BOM, LF or CRLF."""

from __future__ import annotations

from pathlib import Path

from hadath.data.errors import DataError


def read_lines(path: Path) -> list[str]:
    """The file's lines without line endings; a BOM is dropped; non-UTF-8 input is a DataError naming the line."""
    raw = path.read_bytes()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DataError(str(path), 1, "file is UTF-16", "re-save it as UTF-8 (e.g. iconv -f UTF-16 -t UTF-8)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise DataError(
            str(path), line, f"not valid UTF-8 (byte 0x{raw[error.start]:02x})", "re-save the file as UTF-8"
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise DataError(str(path), line, "contains NUL bytes (binary file?)", "pass a UTF-8 text file")
    # Lines end at "\n" (after an optional "\r") only: str.splitlines would also cut at U+2028, U+0085 and other
    # Unicode breaks, which JSON leaves unescaped inside strings and which a CoNLL token may carry.
    lines = [line.removesuffix("\r") for line in text.split("\n")]
    return lines[:-1] if lines[-1] == "" else lines
