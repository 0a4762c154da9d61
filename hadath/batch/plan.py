"""What a batch job will tag: input files found from paths, globs and folders, cut into shards of whole lines.

A shard is a line range of one file whose name is derived from the file's path and the range, so a restarted job maps
every line to the same shard and skips the shards already written. Shard edges fall on the edges of the chunks plain
`hadath predict` tags together (`batch_size` lines, then `PREDICT_CHUNK` lines at a time): the same sentences share a
batch in both engines and get the same scores, even from an int8 model whose activations are quantized per batch.
"""

from __future__ import annotations

import glob
import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from hadath.config import ConfigError
from hadath.predict_input import PREDICT_CHUNK

# Files a folder contributes (a file named on the command line is always read).
TEXT_SUFFIXES = (".txt", ".text", ".jsonl", ".json")
PARQUET_SUFFIX = ".parquet"
JOB_FILE = "job.json"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


@dataclass(frozen=True)
class Shard:
    """Lines `first..last` (1-based, inclusive) of `source`, starting `offset` bytes in (a row index for parquet)."""

    source: str
    kind: str  # "text" or "parquet"
    first: int
    last: int
    offset: int
    # Where predict's chunks start inside the shard (line numbers): the sentences tagged together.
    chunk_starts: tuple[int, ...]

    @property
    def name(self) -> str:
        """`<file stem>-<path hash>-<first>-<last>`: the same for the same file and lines on every run."""
        path = str(Path(self.source).resolve())
        digest = hashlib.sha1(path.encode("utf-8")).hexdigest()[:10]
        stem = re.sub(r"[^\w.-]", "_", Path(self.source).stem)[:40]
        return f"{stem}-{digest}-{self.first:09d}-{self.last:09d}"

    @property
    def lines(self) -> int:
        """How many input lines (rows) the shard covers."""
        return self.last - self.first + 1

    def as_row(self) -> dict[str, Any]:
        """The shard as a plain row (what travels to a Ray actor)."""
        row = asdict(self)
        row["chunk_starts"] = list(self.chunk_starts)
        return row

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Shard:
        """Inverse of `as_row`."""
        return cls(
            str(row["source"]),
            str(row["kind"]),
            int(row["first"]),
            int(row["last"]),
            int(row["offset"]),
            tuple(int(start) for start in row["chunk_starts"]),
        )


@dataclass(frozen=True)
class FileError:
    """A whole input file that cannot be read (e.g. UTF-16): one entry in the errors file."""

    source: str
    line: int
    message: str


def input_files(inputs: list[str]) -> list[Path]:
    """Files named by paths, globs (expanded here when the shell did not) and folders (recursively, known
    suffixes, hidden files skipped), in a stable order without repeats."""
    found: list[Path] = []
    for item in inputs:
        if Path(item).is_dir():
            found += sorted(p for p in Path(item).rglob("*") if _wanted_in_folder(p, Path(item)))
        elif Path(item).is_file():
            found.append(Path(item))
        elif glob.has_magic(item):
            matches = sorted(Path(p) for p in glob.glob(item, recursive=True))
            if not matches:
                raise FileNotFoundError(f"{item}: the pattern matches no file — check the pattern")
            found += [p for p in matches if p.is_file()]
        else:
            raise FileNotFoundError(f"{item}: no such file or folder — check the path")
    unique = list(dict.fromkeys(found))
    if not unique:
        raise FileNotFoundError(f"{' '.join(inputs)}: no input files found — pass files, globs or folders")
    return unique


def _wanted_in_folder(path: Path, folder: Path) -> bool:
    relative = path.relative_to(folder)
    hidden = any(part.startswith(".") for part in relative.parts)
    return path.is_file() and not hidden and path.suffix.lower() in (*TEXT_SUFFIXES, PARQUET_SUFFIX)


def chunk_edges(batch_size: int, shard_lines: int) -> tuple[int, int]:
    """(lines in the first shard, lines in each later shard): whole predict chunks, at least `shard_lines` (the
    first shard also holds predict's short first chunk of `batch_size` lines)."""
    chunks_per_shard = max(1, -(-shard_lines // PREDICT_CHUNK))
    return batch_size + chunks_per_shard * PREDICT_CHUNK, chunks_per_shard * PREDICT_CHUNK


def plan_shards(files: list[Path], batch_size: int, shard_lines: int) -> tuple[list[Shard], list[FileError]]:
    """Every file's shards, in file order, and the files that cannot be read at all."""
    shards: list[Shard] = []
    errors: list[FileError] = []
    for path in files:
        if path.suffix.lower() == PARQUET_SUFFIX:
            shards += _cut(
                str(path), "parquet", _parquet_rows(path), batch_size=batch_size, shard_lines=shard_lines, offsets=None
            )
            continue
        with path.open("rb") as handle:
            if handle.read(2) in UTF16_BOMS:
                fix = "re-save it as UTF-8 (e.g. iconv -f UTF-16 -t UTF-8)"
                errors.append(FileError(str(path), 1, f"{path}:1: file is UTF-16 — {fix}"))
                continue
        first, rest = chunk_edges(batch_size, shard_lines)
        total, offsets = _line_offsets(path, first, rest)
        shards += _cut(str(path), "text", total, batch_size=batch_size, shard_lines=shard_lines, offsets=offsets)
    return shards, errors


def _cut(
    source: str, kind: str, total: int, *, batch_size: int, shard_lines: int, offsets: list[int] | None
) -> Iterator[Shard]:
    first_size, size = chunk_edges(batch_size, shard_lines)
    begin, index = 0, 0  # 0-based first line of the shard, shard number
    while begin < total:
        end = min(total, begin + (first_size if index == 0 else size))
        # Predict's first chunk is `batch_size` lines, the later ones PREDICT_CHUNK.
        starts = [0, *range(batch_size, end, PREDICT_CHUNK)] if index == 0 else list(range(begin, end, PREDICT_CHUNK))
        offset = begin if offsets is None else offsets[index]
        yield Shard(source, kind, begin + 1, end, offset, tuple(start + 1 for start in starts))
        begin, index = end, index + 1


def _line_offsets(path: Path, first: int, rest: int) -> tuple[int, list[int]]:
    """How many lines the file has (a last line without newline counts) and the byte offset of each shard's start."""
    offsets, lines, position = [0], 0, 0
    boundary = first
    last_byte = b"\n"
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            count = block.count(b"\n")
            while lines + count >= boundary:  # the newline ending line `boundary` is in this block
                cut, seen = -1, lines
                while seen < boundary:
                    cut = block.index(b"\n", cut + 1)
                    seen += 1
                offsets.append(position + cut + 1)
                boundary += rest
            lines += count
            position += len(block)
            last_byte = block[-1:]
    return lines + (0 if last_byte == b"\n" else 1), offsets


def _parquet_rows(path: Path) -> int:
    import pyarrow.parquet as pq

    return int(pq.ParquetFile(path).metadata.num_rows)


def check_job(output_dir: Path, settings: dict[str, Any]) -> None:
    """Write the job's settings on the first run; on a restart, refuse settings or inputs that would change shards."""
    path = output_dir / JOB_FILE
    if not path.is_file():
        output_dir.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(settings, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        temporary.replace(path)
        return
    saved = json.loads(path.read_text(encoding="utf-8"))
    for key, value in settings.items():
        if saved.get(key) != value:
            raise ConfigError(
                f"{path}: this folder holds a job with different {key} ({_short(saved.get(key))} there, "
                f"{_short(value)} now) — rerun with the same settings to resume, or pass a new --output-dir"
            )


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 80 else text[:77] + "..."


def job_settings(model_dir: Path, files: list[Path], options: dict[str, Any]) -> dict[str, Any]:
    """What must not change between a run and its restart: the model, the inputs (path and size) and the options
    that decide shard edges and record contents."""
    inputs = {str(path.resolve()): path.stat().st_size for path in files}
    return {"model_dir": str(model_dir.resolve()), "inputs": inputs, **options}
