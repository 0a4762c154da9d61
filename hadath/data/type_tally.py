"""Entity types seen in only a few places: in a corpus where other types occur thousands of times, a type with one
or two spans is most likely a typo (`MIS1`, `B-misc` next to `MISC`), so `data validate` and `data check` name it
with the place it occurs and the type it probably meant."""

from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass, field

from hadath.data.repair import shown
from hadath.data.sentence import Sentence, layer_family

RARE_BELOW = 3
# A type is only suspicious next to a common one: in a tiny file every type is rare.
COMMON_FACTOR = 10


@dataclass
class TypeTally:
    """Spans per (layer family, type) and the first places each type occurs."""

    counts: Counter[tuple[str, str]] = field(default_factory=Counter)
    places: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    def add(self, sentence: Sentence) -> None:
        """Count one sentence's spans."""
        for layer, spans in sentence.layers.items():
            for span in spans:
                key = (layer_family(layer), span.label)
                self.counts[key] += 1
                if self.counts[key] <= RARE_BELOW:
                    self.places.setdefault(key, []).append(sentence.word_source(span.start))

    def rare(self, below: int = RARE_BELOW) -> list[str]:
        """`FILE:LINE: warning: ...` for each place of each suspicious type, with the type it probably meant."""
        found = []
        for (family, label), count in sorted(self.counts.items()):
            common = {t: c for (f, t), c in self.counts.items() if f == family and c >= below * COMMON_FACTOR}
            if count >= below or not common:
                continue
            meant = _nearest(label, list(common))
            hint = (
                f"if it is a typo of {meant}, rename it: --tag-map {label}={meant} (data.tag_map)"
                if meant
                else "check the annotation; rename it with --tag-map OLD=NEW (data.tag_map) if it is a typo"
            )
            for place in self.places[(family, label)]:
                found.append(
                    f"{place}: warning: {family} type {shown(label)} occurs in only {count} place(s) "
                    f"(a typo? other types occur {min(common.values())}+ times) — {hint}"
                )
        return found


def _nearest(label: str, common: list[str]) -> str | None:
    for candidate in common:
        if candidate.upper() == label.upper():
            return candidate
    by_upper = {candidate.upper(): candidate for candidate in common}
    close = difflib.get_close_matches(label.upper(), list(by_upper), n=1, cutoff=0.6)
    return by_upper[close[0]] if close else None
