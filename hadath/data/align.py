"""Feeding words to a subword encoder: pieces per word, overlapping windows for long sentences, label alignment.

Every word gets at least one piece (a placeholder when the tokenizer makes nothing of it), so every word gets a
prediction, read from its *lead* piece: the first, except that a SentencePiece word opening with a bare word-start
marker (`▁`, then `ب` `اكستان`: about 7.6% of Arabic news words on XLM-R's vocabulary) is read from the piece after
the marker, which holds the word's letters; the marker itself is the space before the word and carries no label.

Sentences longer than the encoder's maximum are cut into overlapping windows; each word's prediction is taken from
the one window where it sits in the *core* (away from the cut), so windows never drop or duplicate words.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from hadath.data.normalize import NormalizerSettings, normalize_word
from hadath.data.piece_tokenizer import PieceTokenizer, backend_of, token_id
from hadath.data.sentence import Sentence

IGNORE = -100
# The owner of a bare word-start marker piece in a window (special tokens are -1): no word is read from it.
BOUNDARY_OWNER = -2


@dataclass(frozen=True)
class Window:
    """A run of words `[start, end)` fed to the encoder at once; predictions are kept for `[core_start, core_end)`."""

    start: int
    end: int
    core_start: int
    core_end: int


@dataclass
class AlignmentStats:
    """What alignment had to do, for the run report."""

    sentences: int = 0
    words: int = 0
    windowed_sentences: int = 0
    windows: int = 0
    placeholder_words: int = 0
    truncated_words: int = 0

    def merge(self, other: AlignmentStats) -> None:
        """Add another batch's counts."""
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class WordPieces:
    """Subword ids of each word of each sentence, computed once per distinct normalized word."""

    pieces: list[list[list[int]]]
    stats: AlignmentStats = field(default_factory=AlignmentStats)
    # The tokenizer's bare word-start marker piece (SentencePiece's `▁`), None when it has none (WordPiece).
    boundary: int | None = None


def boundary_piece(tokenizer: PieceTokenizer) -> int | None:
    """The id of the piece that is only a SentencePiece word-start marker (`▁` of a Metaspace pre-tokenizer), read
    from the tokenizer's own pipeline; None for tokenizers without one (WordPiece) or whose vocabulary lacks it."""
    backend = backend_of(tokenizer)
    if backend is None:
        return None
    found = _metaspace_replacement(json.loads(backend.to_str()).get("pre_tokenizer"))
    return None if found is None else backend.token_to_id(found)


def _metaspace_replacement(step: Any) -> str | None:
    """The replacement character of the first Metaspace step in a (possibly nested) pre-tokenizer description."""
    if not isinstance(step, dict):
        return None
    if step.get("type") == "Metaspace":
        return str(step.get("replacement", "▁"))
    for inner in step.get("pretokenizers") or []:
        if (found := _metaspace_replacement(inner)) is not None:
            return found
    return None


def lead_offset(word_ids: Sequence[int], boundary: int | None) -> int:
    """Which of a word's pieces carries its label: 1 when it opens with a bare word-start marker and has more."""
    return int(boundary is not None and len(word_ids) > 1 and word_ids[0] == boundary)


def word_pieces(sentences: Sequence[Sentence], tokenizer: PieceTokenizer, settings: NormalizerSettings) -> WordPieces:
    """Normalize and tokenize every word (batched over the distinct words), with a placeholder for empty ones."""
    stats = AlignmentStats(sentences=len(sentences))
    normalized = [[normalize_word(word, settings) for word in sentence.words] for sentence in sentences]
    vocabulary = sorted({word for words in normalized for word in words if word})
    encoded = tokenizer(vocabulary, add_special_tokens=False)["input_ids"] if vocabulary else []
    by_word = dict(zip(vocabulary, encoded, strict=True))
    # The unknown piece; a tokenizer without one pads instead (its pad id, else 0), never a None id.
    placeholder = [token_id(tokenizer.unk_token_id, tokenizer.pad_token_id) or 0]
    pieces = []
    for words in normalized:
        row = []
        for word in words:
            ids = by_word.get(word) or placeholder
            if ids is placeholder:
                stats.placeholder_words += 1
            row.append(ids)
        stats.words += len(words)
        pieces.append(row)
    return WordPieces(pieces, stats, boundary_piece(tokenizer))


def plan_windows(piece_counts: Sequence[int], max_pieces: int, stride: int) -> list[Window]:
    """Cover all words with windows of at most `max_pieces` pieces, consecutive windows sharing ~`stride` pieces."""
    counts = [min(count, max_pieces) for count in piece_counts]
    spans: list[tuple[int, int]] = []
    start, total_words = 0, len(counts)
    while True:
        end, used = start, 0
        while end < total_words and used + counts[end] <= max_pieces:
            used += counts[end]
            end += 1
        end = max(end, start + 1)
        spans.append((start, end))
        if end >= total_words:
            break
        next_start, overlap = end, 0
        while next_start - 1 > start and overlap + counts[next_start - 1] <= stride:
            next_start -= 1
            overlap += counts[next_start]
        start = next_start
    cuts = [0] + [(spans[i + 1][0] + spans[i][1]) // 2 for i in range(len(spans) - 1)] + [total_words]
    return [Window(s, e, cuts[i], cuts[i + 1]) for i, (s, e) in enumerate(spans)]


def window_input(
    pieces: Sequence[Sequence[int]], window: Window, max_pieces: int, boundary: int | None = None
) -> tuple[list[int], list[int]]:
    """Flattened piece ids of a window and, per piece, the sentence word index it belongs to (`BOUNDARY_OWNER` for a
    bare word-start marker before a word's lead piece, so a word's first owned piece is always its lead piece)."""
    ids: list[int] = []
    owners: list[int] = []
    for word in range(window.start, window.end):
        word_ids = list(pieces[word][:max_pieces])
        lead = lead_offset(word_ids, boundary)
        ids.extend(word_ids)
        owners.extend([BOUNDARY_OWNER] * lead + [word] * (len(word_ids) - lead))
    return ids, owners


def piece_labels(
    owners: Sequence[int], tag_ids: Sequence[int], begin_to_inside: dict[int, int], all_subwords: bool
) -> list[int]:
    """Label the first owned (lead) piece of every word (and, with `all_subwords`, the rest with the word's I- tag);
    special tokens and bare word-start markers (owner < 0) are ignored by the loss."""
    labels: list[int] = []
    previous = -1
    for owner in owners:
        if owner < 0:
            labels.append(IGNORE)
        elif owner != previous:
            labels.append(tag_ids[owner])
        elif all_subwords:
            tag = tag_ids[owner]
            labels.append(begin_to_inside.get(tag, tag))
        else:
            labels.append(IGNORE)
        previous = owner
    return labels
