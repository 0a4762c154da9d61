"""Turning sentences into encoder inputs: label spaces, training features and inference windows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from hadath.data.align import (
    IGNORE,
    Window,
    WordPieces,
    piece_labels,
    plan_windows,
    window_input,
)
from hadath.data.argument_pairs import family_spans, span_types, training_pairs
from hadath.data.factuality_cues import CUE_CLASSES, word_cues
from hadath.data.piece_tokenizer import PieceTokenizer, backend_of, token_id
from hadath.data.schemes import tag_set
from hadath.data.sentence import Sentence

# Where sentence labels are listed beside the tag layers by name (data check, evaluate's label check).
SENTENCE_LABELS = "sentence labels"


@dataclass(frozen=True)
class LabelSpace:
    """Tags of every tag layer (IOB2, `O` first), the sentence labels, the argument roles (`none` first; empty
    without an argument head) and the event attributes with their values (default first; empty without an attribute
    head), in the order the heads emit them."""

    layers: dict[str, list[str]]
    sentence_labels: list[str]
    arguments: list[str] = field(default_factory=list)
    attributes: dict[str, list[str]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON form saved with the model (`arguments` and `attributes` only when the model has that head)."""
        data: dict[str, Any] = {"layers": self.layers, "sentence_labels": self.sentence_labels}
        if self.arguments:
            data["arguments"] = self.arguments
        return {**data, "attributes": self.attributes} if self.attributes else data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LabelSpace:
        """Inverse of `to_dict`."""
        layers = {k: list(v) for k, v in data["layers"].items()}
        attributes = {k: list(v) for k, v in data.get("attributes", {}).items()}
        return cls(layers, list(data["sentence_labels"]), list(data.get("arguments", [])), attributes)


def build_label_space(sentences: Sequence[Sentence]) -> LabelSpace:
    """Collect every layer, span type and sentence label present in the data."""
    types: dict[str, set[str]] = {}
    labels: set[str] = set()
    for sentence in sentences:
        for layer, spans in sentence.layers.items():
            types.setdefault(layer, set()).update(span.label for span in spans)
        labels.update(sentence.labels)
    ordered = sorted(types, key=lambda name: (name.split("_")[0] != "entities", name))
    return LabelSpace({layer: tag_set(sorted(types[layer]), "IOB2") for layer in ordered}, sorted(labels))


def pad_id(tokenizer: PieceTokenizer) -> int:
    """The id windows are padded with: the tokenizer's pad token, or 0 when it names none."""
    return token_id(tokenizer.pad_token_id) or 0


def special_ids(tokenizer: PieceTokenizer) -> tuple[list[int], list[int]]:
    """Ids the encoder expects before and after a sequence: the frame the tokenizer's own post-processor puts around
    one sequence (`<s> … </s>` for XLM-R, [CLS] … [SEP] for BERT), so Hadath's windows are framed as the encoder was
    pretrained and as a plain pipeline frames them; without a post-processor (a scratch WordPiece), its cls/sep
    (else bos/eos) tokens."""
    framed = _post_processor_frame(tokenizer)
    if framed is not None:
        return framed
    first = token_id(tokenizer.cls_token_id, tokenizer.bos_token_id)
    last = token_id(tokenizer.sep_token_id, tokenizer.eos_token_id)
    return ([first] if first is not None else []), ([last] if last is not None else [])


def _post_processor_frame(tokenizer: PieceTokenizer) -> tuple[list[int], list[int]] | None:
    """The special ids the tokenizer's post-processor adds before and after one sequence; None without any."""
    backend = backend_of(tokenizer)
    if backend is None or backend.num_special_tokens_to_add(is_pair=False) == 0:
        return None
    probe = backend.encode("a", add_special_tokens=True)
    mask, ids = probe.special_tokens_mask, probe.ids
    lead = next((i for i, special in enumerate(mask) if not special), len(ids))
    return ids[:lead], [i for i, special in zip(ids[lead:], mask[lead:], strict=True) if special]


@dataclass(frozen=True)
class EncodedWindow:
    """One encoder input: which sentence and words it covers, its piece ids, and each piece's word."""

    sentence: int
    window: Window
    input_ids: list[int]
    owners: list[int]  # per piece: sentence word index; -1 for special tokens, BOUNDARY_OWNER for a bare `▁`


def encode_windows(pieces: WordPieces, tokenizer: PieceTokenizer, max_length: int, stride: int) -> list[EncodedWindow]:
    """Cut every sentence into windows that fit the encoder and wrap them in special tokens."""
    before, after = special_ids(tokenizer)
    max_pieces = max_length - len(before) - len(after)
    encoded: list[EncodedWindow] = []
    for index, sentence_pieces in enumerate(pieces.pieces):
        counts = [len(p) for p in sentence_pieces]
        windows = plan_windows(counts, max_pieces, stride) if counts else []
        pieces.stats.truncated_words += sum(count > max_pieces for count in counts)
        pieces.stats.windows += len(windows)
        pieces.stats.windowed_sentences += len(windows) > 1
        for window in windows:
            ids, owners = window_input(sentence_pieces, window, max_pieces, pieces.boundary)
            encoded.append(
                EncodedWindow(index, window, before + ids + after, [-1] * len(before) + owners + [-1] * len(after))
            )
    return encoded


def training_features(
    sentences: Sequence[Sentence], windows: Sequence[EncodedWindow], space: LabelSpace, all_subwords: bool
) -> list[dict[str, Any]]:
    """Model inputs with per-layer piece labels and multi-hot sentence labels; with event attributes, each piece's
    attribute labels and its word's cue classes (read only by a head with cue features)."""
    layer_ids = {layer: {tag: i for i, tag in enumerate(tags)} for layer, tags in space.layers.items()}
    inside = {layer: {ids[t]: ids["I-" + t[2:]] for t in ids if t.startswith("B-")} for layer, ids in layer_ids.items()}
    label_index = {label: i for i, label in enumerate(space.sentence_labels)}
    types = span_types(space.layers)
    cues: dict[int, list[tuple[float, float, float]]] = {}  # per sentence, its words' cue classes
    features = []
    for encoded in windows:
        sentence = sentences[encoded.sentence]
        _check_words_labelled(encoded, sentence)
        feature: dict[str, Any] = {"input_ids": encoded.input_ids}
        for layer, ids in layer_ids.items():
            tag_ids = [ids[tag] for tag in sentence.tags(layer)]
            feature[f"labels_{layer}"] = piece_labels(encoded.owners, tag_ids, inside[layer], all_subwords)
        if space.sentence_labels:
            hot = [0.0] * len(space.sentence_labels)
            for label in sentence.labels:
                if label in label_index:
                    hot[label_index[label]] = 1.0
            feature["sentence_labels"] = hot
        if space.arguments:
            feature["argument_pairs"] = training_pairs(sentence, encoded.owners, space.arguments, types)
        if space.attributes:
            feature["factuality_labels"] = factuality_labels(sentence, encoded.owners, space.attributes)
            if encoded.sentence not in cues:
                cues[encoded.sentence] = word_cues(sentence.words)
            feature["factuality_cues"] = piece_cues(cues[encoded.sentence], encoded.owners)
        features.append(feature)
    return features


def piece_cues(cues: Sequence[Sequence[float]], owners: Sequence[int]) -> list[list[float]]:
    """Per piece, its word's cue classes (`word_cues`); zeros on special tokens and bare boundary pieces."""
    empty = [0.0] * len(CUE_CLASSES)
    return [list(cues[owner]) if owner >= 0 else empty for owner in owners]


def factuality_labels(sentence: Sentence, owners: Sequence[int], attributes: dict[str, list[str]]) -> list[list[int]]:
    """Per piece, the value index of each attribute on the lead piece of every event trigger's words (the trigger's
    attributes, defaults where it carries none), IGNORE on every other piece."""
    values = {word: sentence.factuality_of(span) for span in family_spans(sentence, "events")
              for word in range(span.start, span.end)}  # fmt: skip
    rows = []
    for position, owner in enumerate(owners):
        lead = owner >= 0 and (position == 0 or owners[position - 1] != owner)
        found = values.get(owner) if lead else None
        if found is None:
            rows.append([IGNORE] * len(attributes))
        else:
            held = found.as_dict()
            rows.append([choices.index(held[name]) for name, choices in attributes.items()])
    return rows


def _check_words_labelled(encoded: EncodedWindow, sentence: Sentence) -> None:
    """Every word of a training window owns exactly one lead piece (so exactly one label), in order."""
    owners = encoded.owners
    firsts = [o for i, o in enumerate(owners) if o >= 0 and (i == 0 or owners[i - 1] != o)]
    if firsts != list(range(encoded.window.start, encoded.window.end)):
        raise RuntimeError(
            f"{sentence.source or '<text>'}: a training window over words {encoded.window.start}.."
            f"{encoded.window.end - 1} labels {len(firsts)} words — a bug in Hadath's alignment, please report it"
        )


def pad_windows(windows: Sequence[EncodedWindow], pad_id: int) -> tuple[np.ndarray, np.ndarray]:
    """`input_ids` and `attention_mask` [windows, longest] for a batch, right-padded with `pad_id`."""
    width = max(len(w.input_ids) for w in windows)
    ids = np.full((len(windows), width), pad_id, dtype=np.int64)
    mask = np.zeros((len(windows), width), dtype=np.int64)
    for row, window in enumerate(windows):
        ids[row, : len(window.input_ids)] = window.input_ids
        mask[row, : len(window.input_ids)] = 1
    return ids, mask
