"""Annotation consistency: word strings annotated with one label in some places and left unannotated, or given
another label, elsewhere — per tag layer, across all splits.

An occurrence of an annotated string counts when its words appear in a sentence either exactly as a span of the
layer (its label) or with none of its words inside any span of that layer (`O`); an occurrence inside a longer
span (`بغداد` in `[مطار بغداد الدولي]`) is neither and is not counted. Strings are compared after normalization,
so a diacritized or tatweel-stretched copy counts as the same string.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from hadath.data.sentence import Sentence

UNANNOTATED = "O"


@dataclass
class Inconsistency:
    """One string of one layer with its readings: label (or `O`) -> count and a first `FILE:LINE` per label."""

    layer: str
    text: str
    counts: Counter[str] = field(default_factory=Counter)
    where: dict[str, str] = field(default_factory=dict)

    @property
    def minority(self) -> int:
        """Occurrences that disagree with the most frequent reading (how many edits would make it consistent)."""
        return sum(self.counts.values()) - max(self.counts.values())

    def describe(self) -> str:
        """`"استهدف" (events): ATTACK 12× (train.jsonl:5), O 89× (train.jsonl:17)`."""
        readings = ", ".join(f"{label} {n}× ({self.where[label]})" for label, n in self.counts.most_common())
        return f'"{self.text}" ({self.layer}): {readings}'


def _occurrences(
    sentence: Sentence, layer: str, key: Callable[[str], str], first_words: Mapping[str, set[tuple[str, ...]]]
) -> list[tuple[tuple[str, ...], str]]:
    """(string, reading) for every occurrence in `sentence` of a string annotated somewhere in `layer`."""
    forms = [key(word) for word in sentence.words]
    spans = sentence.layers.get(layer, [])
    exact = {(s.start, s.end): s.label for s in spans}
    covered = [False] * len(forms)
    for span in spans:
        covered[span.start : span.end] = [True] * (span.end - span.start)
    found = []
    for start, form in enumerate(forms):
        for candidate in first_words.get(form, ()):
            end = start + len(candidate)
            if tuple(forms[start:end]) != candidate:
                continue
            if (start, end) in exact:
                found.append((candidate, exact[(start, end)]))
            elif not any(covered[start:end]):
                found.append((candidate, UNANNOTATED))
    return found


def find_inconsistencies(
    sentences: Sequence[Sentence], key: Callable[[str], str] = str
) -> dict[str, list[Inconsistency]]:
    """Per layer, the strings read more than one way, most disagreeing occurrences first."""
    layers = sorted({layer for sentence in sentences for layer in sentence.layers})
    result: dict[str, list[Inconsistency]] = {}
    for layer in layers:
        first_words: dict[str, set[tuple[str, ...]]] = defaultdict(set)
        for sentence in sentences:
            for span in sentence.layers.get(layer, []):
                # The span's words only: `sentence.words` lists all of them, once per span (quadratic in length).
                string = tuple(key(sentence.text[a:b]) for a, b in sentence.word_offsets[span.start : span.end])
                if all(string):
                    first_words[string[0]].add(string)
        found: dict[tuple[str, ...], Inconsistency] = {}
        for sentence in sentences:
            for string, reading in _occurrences(sentence, layer, key, first_words):
                entry = found.setdefault(string, Inconsistency(layer, " ".join(string)))
                entry.counts[reading] += 1
                entry.where.setdefault(reading, sentence.source or "<text>")
        mixed = [entry for entry in found.values() if len(entry.counts) > 1]
        result[layer] = sorted(mixed, key=lambda entry: (-entry.minority, entry.text))
    return result
