"""Tokenizing, windowing and labelling the training sentences with `datasets.map`, cached by fingerprint.

The sentences become a `datasets.Dataset` (words, IOB2 tags per layer, sentence labels) whose fingerprint is a hash
of its content; the encoded dataset's fingerprint adds the tokenizer, normalizer settings, window sizes and label
space. Its Arrow file is named after that fingerprint, so a second run with the same data and tokenizer loads it
instead of tokenizing again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from datasets import Dataset
from datasets.fingerprint import Hasher

from hadath.data.align import AlignmentStats, word_pieces
from hadath.data.argument_pairs import PAIR_LAYOUT
from hadath.data.encode import LabelSpace, encode_windows, special_ids, training_features
from hadath.data.factuality import Factuality
from hadath.data.normalize import NormalizerSettings
from hadath.data.piece_tokenizer import PieceTokenizer, backend_of
from hadath.data.schemes import spans_from_tags
from hadath.data.sentence import Argument, Sentence

if TYPE_CHECKING:
    from transformers import PreTrainedTokenizerBase

# Bump when the encoding itself changes, so old cache files are not reused (argument pair rows have their own
# layout, PAIR_LAYOUT, hashed beside it).
# 2: a bare SentencePiece `▁` carries no label (hadath/data/align.py); 3: `factuality_cues` beside attribute labels.
ENCODING_VERSION = "3"
_STAT_COLUMNS = ["_words", "_placeholders", "_truncated", "_windows"]


@dataclass(frozen=True)
class EncodingSettings:
    """Everything besides the sentences and the tokenizer that decides the encoded features."""

    normalizer: NormalizerSettings
    space: LabelSpace
    max_length: int
    stride: int
    all_subwords: bool


@dataclass
class EncodedDataset:
    """Training features, what alignment had to do, and whether they came from the cache."""

    dataset: Dataset
    stats: AlignmentStats
    cache_hit: bool
    cache_file: Path


def sentence_table(
    sentences: Sequence[Sentence], layers: Sequence[str], arguments: bool = False, factuality: bool = False
) -> Dataset:
    """Sentences as a dataset of words, IOB2 tags per layer, sentence labels, (with `arguments`) argument links as
    word spans plus roles and (with `factuality`) event attributes as trigger word spans plus values (content-hashed
    fingerprint)."""
    data: dict[str, list[Any]] = {"words": [s.words for s in sentences], "labels": [s.labels for s in sentences]}
    for layer in layers:
        data[f"tags_{layer}"] = [s.tags(layer) for s in sentences]
    if arguments:
        data["argument_spans"] = [[[*a.trigger, *a.entity] for a in s.arguments] for s in sentences]
        data["argument_roles"] = [[a.role for a in s.arguments] for s in sentences]
    if factuality:
        data["factuality_spans"] = [[list(span) for span in s.factuality] for s in sentences]
        data["factuality_values"] = [[list(found) for found in s.factuality.values()] for s in sentences]
    return Dataset.from_dict(data)


def _sentences(batch: dict[str, list[Any]], layers: Sequence[str]) -> list[Sentence]:
    sentences = []
    empty: list[list[Any]] = [[] for _ in batch["words"]]
    argument_spans = batch.get("argument_spans", empty)
    argument_roles = batch.get("argument_roles", empty)
    factuality_spans = batch.get("factuality_spans", empty)
    factuality_values = batch.get("factuality_values", empty)
    for index, words in enumerate(batch["words"]):
        offsets, cursor = [], 0
        for word in words:
            offsets.append((cursor, cursor + len(word)))
            cursor += len(word) + 1
        spans = {layer: spans_from_tags(batch[f"tags_{layer}"][index], "IOB2") for layer in layers}
        links = zip(argument_spans[index], argument_roles[index], strict=True)
        arguments = [Argument((w[0], w[1]), (w[2], w[3]), role) for w, role in links]
        held = zip(factuality_spans[index], factuality_values[index], strict=True)
        factuality = {(span[0], span[1]): Factuality(*values) for span, values in held}
        sentence = Sentence(" ".join(words), offsets, spans, list(batch["labels"][index]), arguments=arguments)
        sentence.factuality = factuality
        sentences.append(sentence)
    return sentences


def _encode_batch(
    batch: dict[str, list[Any]], tokenizer: PieceTokenizer, settings: EncodingSettings
) -> dict[str, list[Any]]:
    layers = list(settings.space.layers)
    sentences = _sentences(batch, layers)
    pieces = word_pieces(sentences, tokenizer, settings.normalizer)
    windows = encode_windows(pieces, tokenizer, settings.max_length, settings.stride)
    features = training_features(sentences, windows, settings.space, settings.all_subwords)
    columns: dict[str, list[Any]] = {key: [f[key] for f in features] for key in (features[0] if features else {})}
    per_sentence = {name: [0] * len(features) for name in _STAT_COLUMNS}
    seen: set[int] = set()
    window_counts = [0] * len(sentences)
    for window in windows:
        window_counts[window.sentence] += 1
    for row, window in enumerate(windows):
        # Sentence-level counts sit on the sentence's first window, so they sum correctly over the dataset.
        if window.sentence in seen:
            continue
        seen.add(window.sentence)
        row_pieces = pieces.pieces[window.sentence]
        per_sentence["_words"][row] = len(row_pieces)
        per_sentence["_windows"][row] = window_counts[window.sentence]
    if features:
        # Batch-level counts go on the batch's first row.
        per_sentence["_placeholders"][0] = pieces.stats.placeholder_words
        per_sentence["_truncated"][0] = pieces.stats.truncated_words
    return {**columns, **per_sentence}


def encoding_fingerprint(table: Dataset, tokenizer: PieceTokenizer, settings: EncodingSettings) -> str:
    """Hash of the data and of everything that shapes its encoding."""
    found = backend_of(tokenizer)
    backend = found.to_str() if found is not None else repr(tokenizer)
    return Hasher.hash(
        (
            ENCODING_VERSION,
            PAIR_LAYOUT if settings.space.arguments else None,
            table._fingerprint,
            backend,
            special_ids(tokenizer),
            tokenizer.unk_token_id,
            settings.normalizer.to_dict(),
            settings.space.to_dict(),
            settings.max_length,
            settings.stride,
            settings.all_subwords,
        )
    )


def encode_dataset(
    sentences: Sequence[Sentence],
    tokenizer: PreTrainedTokenizerBase,
    settings: EncodingSettings,
    cache_dir: Path | None = None,
) -> EncodedDataset:
    """Encoded training features via a batched, fingerprint-cached `Dataset.map`."""
    from datasets.config import HF_DATASETS_CACHE

    cache_dir = Path(cache_dir or Path(HF_DATASETS_CACHE) / "hadath")
    cache_dir.mkdir(parents=True, exist_ok=True)
    space = settings.space
    table = sentence_table(sentences, list(space.layers), bool(space.arguments), bool(space.attributes))
    fingerprint = encoding_fingerprint(table, tokenizer, settings)
    cache_file = cache_dir / f"encoded-{fingerprint}.arrow"
    cache_hit = cache_file.is_file()
    encoded = table.map(
        _encode_batch,
        batched=True,
        fn_kwargs={"tokenizer": tokenizer, "settings": settings},
        remove_columns=table.column_names,
        cache_file_name=str(cache_file),
        load_from_cache_file=True,
        new_fingerprint=fingerprint,
        desc="tokenizing",
    )
    columns = {name: encoded[name] for name in _STAT_COLUMNS}
    stats = AlignmentStats(
        sentences=len(sentences),
        words=sum(columns["_words"]),
        windowed_sentences=sum(count > 1 for count in columns["_windows"]),
        windows=len(encoded),
        placeholder_words=sum(columns["_placeholders"]),
        truncated_words=sum(columns["_truncated"]),
    )
    return EncodedDataset(encoded.remove_columns(_STAT_COLUMNS), stats, cache_hit, cache_file)
