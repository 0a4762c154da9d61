"""Learning a WordPiece vocabulary the same way in every process: the merges of `tokenizers`' WordPiece trainer
(byte-pair merges with a `##` continuation prefix; of two equally frequent pairs, the one of older pieces first), but
with the pieces numbered in sorted order instead of in hash order, so the same words and settings give the same
vocabulary in every process, run and machine."""

from __future__ import annotations

import heapq
from collections import Counter
from dataclasses import dataclass, field

PREFIX = "##"
Pair = tuple[str, str]


@dataclass
class PairTable:
    """How often each adjacent pair of pieces occurs (weighted by word count) and in which words."""

    counts: Counter[Pair] = field(default_factory=Counter)
    words: dict[Pair, set[int]] = field(default_factory=dict)

    def add(self, pieces: list[str], index: int, count: int) -> None:
        """Count the pairs of one segmented word (`count` < 0 removes them)."""
        for pair in zip(pieces, pieces[1:], strict=False):
            self.counts[pair] += count
            if count > 0:
                self.words.setdefault(pair, set()).add(index)


def split_word(word: str) -> list[str]:
    """The initial segmentation: the first character, then `##`-prefixed characters."""
    return [word[0], *(PREFIX + char for char in word[1:])]


def merge_pieces(pieces: list[str], pair: Pair) -> list[str]:
    """`pieces` with every left-to-right occurrence of `pair` joined into one piece."""
    joined = pair[0] + pair[1].removeprefix(PREFIX)
    merged: list[str] = []
    i = 0
    while i < len(pieces):
        if i + 1 < len(pieces) and (pieces[i], pieces[i + 1]) == pair:
            merged.append(joined)
            i += 2
        else:
            merged.append(pieces[i])
            i += 1
    return merged


def learn_vocabulary(counts: Counter[str], vocab_size: int, min_frequency: int, special_tokens: list[str]) -> list[str]:
    """Special tokens, the sorted alphabet, then merged pieces, most frequent pair first (ties: the pair whose pieces
    came first in the vocabulary), until `vocab_size` pieces or no pair occurs `min_frequency` times. Every order
    here is sorted or by position, never hashed."""
    words = sorted(word for word in counts if word)
    segmented = [split_word(word) for word in words]
    vocabulary = list(dict.fromkeys([*special_tokens, *sorted({piece for pieces in segmented for piece in pieces})]))
    table = PairTable()
    for index, pieces in enumerate(segmented):
        table.add(pieces, index, counts[words[index]])
    # A max-heap on count, ties by the pieces' positions in the vocabulary; stale entries are skipped when popped.
    rank = {piece: i for i, piece in enumerate(vocabulary)}
    heap = [(-count, rank[pair[0]], rank[pair[1]], pair) for pair, count in table.counts.items() if count > 0]
    heapq.heapify(heap)
    known = set(vocabulary)
    while len(vocabulary) < vocab_size and heap:
        negative, _, _, pair = heapq.heappop(heap)
        if -negative != table.counts[pair]:
            continue
        if -negative < max(min_frequency, 1):
            break
        joined = pair[0] + pair[1].removeprefix(PREFIX)
        if joined not in known:
            known.add(joined)
            rank[joined] = len(vocabulary)
            vocabulary.append(joined)
        changed: set[Pair] = set()
        for index in sorted(table.words.pop(pair, set())):
            pieces = segmented[index]
            count = counts[words[index]]
            table.add(pieces, index, -count)
            segmented[index] = merge_pieces(pieces, pair)
            table.add(segmented[index], index, count)
            changed.update(zip(pieces, pieces[1:], strict=False))
            changed.update(zip(segmented[index], segmented[index][1:], strict=False))
        del table.counts[pair]
        for other in sorted(changed - {pair}):
            if table.counts[other] > 0:
                heapq.heappush(heap, (-table.counts[other], rank[other[0]], rank[other[1]], other))
    return vocabulary
