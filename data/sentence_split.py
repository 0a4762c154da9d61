"""Optional sentence splitting of long unsegmented text after end marks (`.` `؟` `!` `؛` by default).

A sentence is cut after every word made only of end marks, except where a span of any layer runs across the cut, so
splitting never loses or breaks an annotation. Each piece keeps its exact slice of the original text.
"""

from __future__ import annotations

from hadath.data.schemes import TagSpan
from hadath.data.sentence import Sentence


def _cuts(sentence: Sentence, marks: str) -> list[int]:
    """Word indices after which the sentence may be cut."""
    inside = {i for spans in sentence.layers.values() for span in spans for i in range(span.start, span.end - 1)}
    words = sentence.words
    return [i for i, word in enumerate(words[:-1]) if word and all(char in marks for char in word) and i not in inside]


def _piece(sentence: Sentence, start: int, end: int, number: int) -> Sentence:
    first, last = sentence.word_offsets[start][0], sentence.word_offsets[end - 1][1]
    layers = {
        layer: [TagSpan(s.start - start, s.end - start, s.label) for s in spans if start <= s.start and s.end <= end]
        for layer, spans in sentence.layers.items()
    }
    offsets = [(a - first, b - first) for a, b in sentence.word_offsets[start:end]]
    source = sentence.source if number == 0 else f"{sentence.source} (part {number + 1})"
    return Sentence(
        sentence.text[first:last], offsets, {k: v for k, v in layers.items() if v}, list(sentence.labels), source
    )


def split_sentence(sentence: Sentence, marks: str) -> list[Sentence]:
    """The sentence cut after its end marks (sentence labels are copied to every piece)."""
    cuts = _cuts(sentence, marks)
    if not cuts:
        return [sentence]
    bounds = [0, *(cut + 1 for cut in cuts), len(sentence.word_offsets)]
    return [_piece(sentence, bounds[i], bounds[i + 1], i) for i in range(len(bounds) - 1)]
