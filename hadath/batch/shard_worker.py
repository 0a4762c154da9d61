"""Tagging one shard: read its lines, tag them with the model loaded once per worker, write the shard atomically.

A shard's records go to `shards/NAME.jsonl` (or `.parquet`) and its bad lines to `shards/NAME.errors.jsonl`; both are
written under a temporary name and renamed, the records file last, so a shard whose records file exists is complete.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hadath.batch.plan import Shard
from hadath.config import ShardFormat
from hadath.inference.request_cost import MAX_CHARACTERS, MAX_PIECES, line_cost_check
from hadath.predict_input import MAX_LINE_CHARS, Skipped, TextCheck, line_record, too_long

SHARDS_DIR = "shards"
ERRORS_SUFFIX = ".errors.jsonl"
OUTPUT_SUFFIXES: dict[ShardFormat, str] = {"jsonl": ".jsonl", "parquet": ".parquet"}


@dataclass
class InputLine:
    """One input line: its number, and its fields (`text` to tag, a JSONL line's others kept) or why it cannot be
    tagged."""

    number: int
    fields: dict[str, Any] | None
    error: str | None = None


def shard_path(output_dir: Path, shard: Shard, output_format: ShardFormat) -> Path:
    """Where a shard's records live once complete."""
    return output_dir / SHARDS_DIR / (shard.name + OUTPUT_SUFFIXES[output_format])


def errors_path(output_dir: Path, shard: Shard) -> Path:
    """Where a shard's bad lines live (written only when it has some)."""
    return output_dir / SHARDS_DIR / (shard.name + ERRORS_SUFFIX)


def shard_lines(
    shard: Shard, input_format: str, check: TextCheck | None = None, max_chars: int = MAX_LINE_CHARS
) -> Iterator[InputLine]:
    """The shard's lines in order, each with its text or its error (`FILE:LINE: problem — fix`); a line over
    `max_chars` characters, or whose text `check` refuses (the work limits), is an error, as in plain `predict`."""
    if shard.kind == "parquet":
        yield from _parquet_lines(shard, check)
        return
    strict = input_format == "jsonl" or (input_format == "auto" and Path(shard.source).suffix.lower() == ".jsonl")
    line_format = "jsonl" if strict else input_format
    with open(shard.source, "rb") as handle:
        handle.seek(shard.offset)
        limit = 4 * max_chars + 2  # UTF-8 takes at most 4 bytes a character, plus the line end
        for number in range(shard.first, shard.last + 1):
            raw = handle.readline(limit)
            if len(raw) == limit and not raw.endswith(b"\n"):  # never held whole: read past it in blocks
                while (block := handle.readline(1 << 16)) and not block.endswith(b"\n"):
                    pass
                yield InputLine(number, None, too_long(shard.source, number, max_chars).message)
                continue
            if number == 1:
                raw = raw.removeprefix(b"\xef\xbb\xbf")
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                problem = f"not valid UTF-8 (byte 0x{raw[error.start]:02x}) — re-save the file as UTF-8"
                yield InputLine(number, None, f"{shard.source}:{number}: {problem}")
                continue
            if len(line.rstrip("\r\n")) > max_chars:
                yield InputLine(number, None, too_long(shard.source, number, max_chars).message)
                continue
            fields = line_record(line, line_format, f"{shard.source}:{number}", check)
            if isinstance(fields, Skipped):
                yield InputLine(number, None, fields.message)
            else:
                yield InputLine(number, fields)


def _parquet_lines(shard: Shard, check: TextCheck | None) -> Iterator[InputLine]:
    import pyarrow.parquet as pq

    parquet = pq.ParquetFile(shard.source)
    names = parquet.schema_arrow.names
    if "text" not in names:
        problem = f"{shard.source}: no `text` column (columns: {', '.join(names)}) — rename the column"
        yield from (InputLine(n, None, problem) for n in range(shard.first, shard.last + 1))
        return
    groups: list[int] = []  # only the row groups that overlap the shard are read
    first_row, row = 0, 0
    for index in range(parquet.num_row_groups):
        rows = parquet.metadata.row_group(index).num_rows
        if row + rows > shard.offset and row < shard.offset + shard.lines:
            first_row = first_row if groups else row
            groups.append(index)
        row += rows
    column = parquet.read_row_groups(groups, columns=["text"]).column("text")
    texts = column.slice(shard.offset - first_row, shard.lines).to_pylist()
    for number, text in enumerate(texts, start=shard.first):
        if isinstance(text, str):
            refused = None if check is None else check(text, f"{shard.source}:{number}")
            yield InputLine(number, {"text": text}) if refused is None else InputLine(number, None, refused)
        else:
            yield InputLine(number, None, f"{shard.source}:{number}: `text` is {type(text).__name__}, not a string")


class ShardTagger:
    """Loads the model once and tags whole shards; Ray Data runs one per actor (`map_batches` callable class)."""

    def __init__(
        self, model_dir: str, output_dir: str, options: dict[str, Any], device: str = "auto", threads: int = 0
    ) -> None:
        from hadath.inference.tagger import load_explained

        self.tagger = load_explained(model_dir, device=device, threads=threads)
        self.output_dir = Path(output_dir)
        self.input_format = str(options["input_format"])
        self.output_format: ShardFormat = options["output_format"]
        self.batch_size = int(options["batch_size"])
        self.max_chars = int(options.get("max_chars", MAX_LINE_CHARS))
        # A line may be as long, and make the model process as much, as one line of plain `predict` (the options of
        # an older caller lack the keys: the defaults).
        self.check = line_cost_check(
            self.tagger.tokenizer,
            self.tagger.metadata.normalizer,
            int(options.get("max_characters", MAX_CHARACTERS)),
            int(options.get("max_pieces", MAX_PIECES)),
        )

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[Any]]:
        """Ray Data entry point: a batch of shard rows in, one result row per shard: name, rows, errors, seconds spent
        on it and when it started (epoch seconds)."""
        results: dict[str, list[Any]] = {"name": [], "rows": [], "errors": [], "seconds": [], "started": []}
        columns = list(batch)
        for index in range(len(batch[columns[0]])):
            shard = Shard.from_row({column: batch[column][index] for column in columns})
            started, began = time.time(), time.perf_counter()  # wall clock: the driver compares it with its own
            rows, errors = self.tag_shard(shard)
            row = (shard.name, rows, errors, time.perf_counter() - began, started)
            for key, value in zip(results, row, strict=True):
                results[key].append(value)
        return results

    def tag_shard(self, shard: Shard) -> tuple[int, int]:
        """Tag one shard and write it; returns (records written, lines in the errors file)."""
        lines = list(shard_lines(shard, self.input_format, self.check, self.max_chars))
        bad = [line for line in lines if line.error is not None]
        records: list[str] = []
        for chunk in _chunks(lines, shard.chunk_starts):
            good = [(line.number, line.fields) for line in chunk if line.fields is not None]
            if not good:
                continue
            tagged = self.tagger.predict([fields["text"] for _, fields in good], batch_size=self.batch_size)
            for (number, fields), record in zip(good, tagged, strict=True):
                # As plain `predict`: a JSONL line's other fields travel with its record, then where it came from.
                line_fields = {**fields, **record, "source": shard.source, "line": number}
                records.append(json.dumps(line_fields, ensure_ascii=False))
        error_lines = [
            json.dumps({"source": shard.source, "line": line.number, "error": line.error}, ensure_ascii=False)
            for line in bad
        ]
        if error_lines:
            _write_atomically(errors_path(self.output_dir, shard), "".join(e + "\n" for e in error_lines).encode())
        target = shard_path(self.output_dir, shard, self.output_format)
        if self.output_format == "parquet":
            _write_parquet(target, shard, [line.number for line in lines if line.fields is not None], records)
        else:
            _write_atomically(target, "".join(record + "\n" for record in records).encode("utf-8"))
        return len(records), len(error_lines)


def _chunks(lines: list[InputLine], starts: tuple[int, ...]) -> Iterator[list[InputLine]]:
    """The shard's lines cut where plain `hadath predict` cuts them (so the same sentences share batches)."""
    edges = iter(starts[1:])
    edge = next(edges, None)
    chunk: list[InputLine] = []
    for line in lines:
        if edge is not None and line.number >= edge:
            yield chunk
            chunk, edge = [], next(edges, None)
        chunk.append(line)
    if chunk:
        yield chunk


def _write_atomically(path: Path, content: bytes) -> None:
    """Write under a unique temporary name in the same folder, then rename: readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    with temporary.open("wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    temporary.replace(path)


def _write_parquet(path: Path, shard: Shard, numbers: list[int], records: list[str]) -> None:
    """Parquet shard: `source`, `line` and `record` (the JSON line `hadath predict` prints, source and line added)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({"source": [shard.source] * len(records), "line": numbers, "record": records})
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    pq.write_table(table, temporary)
    temporary.replace(path)
