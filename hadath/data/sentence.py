"""The internal form every reader produces: original text, its words with character offsets, and spans per layer.

Spans are held per *tag layer* (`entities`, `events`, nested `entities_2`, ...) as word-index spans, so a layer can
always be written as one tag sequence; character offsets come back from `word_offsets`. Event arguments link a
trigger (an `events`-family span) to an entity (an `entities`-family span) by their word positions, so they survive
nesting and label renaming; so do event attributes (`hadath/data/factuality.py`), held by the trigger's word span.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from hadath.data.factuality import DEFAULT, Factuality
from hadath.data.schemes import TagSpan, tags_from_spans

ENTITY_LAYER = "entities"
EVENT_LAYER = "events"


def layer_family(layer: str) -> str:
    """`entities_2` -> `entities`: nested layers are reported together with their outer layer."""
    return layer.split("_", 1)[0]


class Argument(NamedTuple):
    """One event argument: the trigger's and the entity's word spans (start, end exclusive) and the role."""

    trigger: tuple[int, int]
    entity: tuple[int, int]
    role: str


@dataclass
class Sentence:
    """One annotated (or unannotated) sentence."""

    text: str
    word_offsets: list[tuple[int, int]]
    layers: dict[str, list[TagSpan]] = field(default_factory=dict)
    labels: list[str] = field(default_factory=list)
    source: str = ""
    # The file line of each word, for formats with a word a line (empty otherwise: every word is on `source`'s line);
    # a `range` when the lines follow each other, as they nearly always do (no int object per word).
    lines: Sequence[int] = field(default_factory=list)
    arguments: list[Argument] = field(default_factory=list)
    # Who annotated the sentence, where the source says (a Label Studio `completed_by`); empty when unknown.
    annotator: str = ""
    # Event attributes by trigger word span (start, end exclusive); a trigger not listed has the defaults.
    factuality: dict[tuple[int, int], Factuality] = field(default_factory=dict)

    def factuality_of(self, trigger: TagSpan) -> Factuality:
        """The attributes of one event trigger (the defaults when it carries none)."""
        return self.factuality.get((trigger.start, trigger.end), DEFAULT)

    @property
    def words(self) -> list[str]:
        """The words as they appear in the original text."""
        return [self.text[start:end] for start, end in self.word_offsets]

    def tags(self, layer: str) -> list[str]:
        """IOB2 tags of one layer (all `O` when the sentence has no spans there)."""
        return tags_from_spans(self.layers.get(layer, []), len(self.word_offsets), "IOB2")

    def word_source(self, index: int) -> str:
        """`FILE:LINE` of one word: its own line in token-per-row files, the sentence's elsewhere."""
        if not self.lines:
            return self.source
        return f"{self.source.rsplit(':', 1)[0]}:{self.lines[index]}"

    def char_span(self, span: TagSpan) -> tuple[int, int]:
        """Character offsets in `text` of a word-level span."""
        return self.word_offsets[span.start][0], self.word_offsets[span.end - 1][1]

    def span_at(self, family: str, where: tuple[int, int]) -> TagSpan | None:
        """The span of a layer family (`entities`, `events`) covering exactly words `where`, if there is one."""
        for layer, spans in self.layers.items():
            if layer_family(layer) == family:
                for span in spans:
                    if (span.start, span.end) == where:
                        return span
        return None

    def typed_arguments(self) -> list[tuple[TagSpan, TagSpan, str]]:
        """Arguments as (trigger span, entity span, role), leaving out any whose spans are gone (e.g. mapped to O)."""
        found = []
        for argument in self.arguments:
            trigger, entity = self.span_at(EVENT_LAYER, argument.trigger), self.span_at(ENTITY_LAYER, argument.entity)
            if trigger is not None and entity is not None:
                found.append((trigger, entity, argument.role))
        return found
