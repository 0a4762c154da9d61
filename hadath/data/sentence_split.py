"""Cutting long unsegmented text into sentences: after end marks (`.` `؟` `!` `؛` by default) and, past
`max_words`, at the word nearest the limit — never inside a span of any layer, so no annotation is lost or broken.

The same plan serves rows before they become sentences (so `--on-error skip` drops one bad sentence, not a whole
unsegmented file) and sentences of formats read a record at a time (JSONL, BRAT). Each piece keeps its exact slice
of the original text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from hadath.data.schemes import TagSpan
from hadath.data.sentence import Sentence


@dataclass(frozen=True)
class Cuts:
    """Piece boundaries `[0, ..., words]` and how many pieces each rule added."""

    bounds: list[int]
    by_marks: int
    by_length: int


def _is_mark(word: str, marks: str) -> bool:
    return bool(word) and all(char in marks for char in word)


def _cut_near(joined: Sequence[bool], start: int, end: int, limit: int) -> int | None:
    """The allowed cut nearest to `start + limit` (at or before it first), strictly inside (start, end)."""
    target = start + limit
    for cut in range(min(target, end - 1), start, -1):
        if not joined[cut]:
            return cut
    for cut in range(target + 1, end):
        if not joined[cut]:
            return cut
    return None


def plan_cuts(words: Sequence[str], joined: Sequence[bool], marks: str, max_words: int) -> Cuts:
    """Where to cut a run of words: after every word of only `marks` (when `marks` is given), then pieces longer
    than `max_words` (when > 0) near the limit. `joined[i]` says word i continues a span from word i - 1."""
    count = len(words)
    bounds = [0]
    if marks:
        bounds += [i + 1 for i in range(count - 1) if _is_mark(words[i], marks) and not joined[i + 1]]
    by_marks = len(bounds) - 1
    bounds.append(count)
    if max_words <= 0:
        return Cuts(bounds, by_marks, 0)
    limited = [0]
    for start, end in zip(bounds, bounds[1:], strict=False):
        while end - start > max_words and (cut := _cut_near(joined, start, end, max_words)) is not None:
            limited.append(cut)
            start = cut
        limited.append(end)
    return Cuts(limited, by_marks, len(limited) - len(bounds))


def _joined(sentence: Sentence) -> list[bool]:
    joined = [False] * len(sentence.word_offsets)
    for spans in sentence.layers.values():
        for span in spans:
            for index in range(span.start + 1, span.end):
                joined[index] = True
    return joined


def _piece(sentence: Sentence, start: int, end: int, number: int) -> Sentence:
    first, last = sentence.word_offsets[start][0], sentence.word_offsets[end - 1][1]
    layers = {
        layer: [TagSpan(s.start - start, s.end - start, s.label) for s in spans if start <= s.start and s.end <= end]
        for layer, spans in sentence.layers.items()
    }
    offsets = [(a - first, b - first) for a, b in sentence.word_offsets[start:end]]
    if sentence.lines:
        source = sentence.word_source(start)
    else:
        source = sentence.source if number == 0 else f"{sentence.source} (part {number + 1})"
    return Sentence(
        sentence.text[first:last],
        offsets,
        {k: v for k, v in layers.items() if v},
        list(sentence.labels),
        source,
        sentence.lines[start:end],
        annotator=sentence.annotator,
        factuality={
            (a - start, b - start): found for (a, b), found in sentence.factuality.items() if start <= a and b <= end
        },
    )


def cut_sentence(sentence: Sentence, marks: str, max_words: int) -> tuple[list[Sentence], Cuts]:
    """The sentence cut by `plan_cuts` (sentence labels are copied to every piece)."""
    cuts = plan_cuts(sentence.words, _joined(sentence), marks, max_words)
    if len(cuts.bounds) == 2:
        return [sentence], cuts
    pieces = [_piece(sentence, a, b, i) for i, (a, b) in enumerate(zip(cuts.bounds, cuts.bounds[1:], strict=False))]
    return pieces, cuts
