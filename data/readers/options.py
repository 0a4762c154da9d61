"""Settings shared by every reader: columns, tag scheme, what to do with bad input, sentence splitting."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ON_ERROR = ("error", "repair", "skip")
HEADER = ("auto", "yes", "no")
SENTENCE_MARKS = ".؟!؛"
MAX_LINE_CHARS = 1_000_000


@dataclass(frozen=True)
class ReadOptions:
    """How to read a file.

    `columns` maps a tag layer to its CoNLL/CSV column; `scheme` is a tag scheme or "auto" (detected per layer);
    `on_error` is the policy for bad sentences (fail, repair what can be repaired, or drop them); `tag_map` renames
    misspelled entity types (`{"PERS": "PER"}`); `split_sentences` cuts sentences after `sentence_marks`;
    `max_sentence_words` (0: no limit) cuts longer runs at the nearest word outside every span; `header` says
    whether a CSV/TSV's first row names its columns (auto: yes unless it looks like data); `max_line_chars` bounds
    one line (or record) of any file."""

    columns: dict[str, int] = field(default_factory=lambda: {"entities": 1})
    scheme: str = "IOB2"
    on_error: str = "error"
    tag_map: dict[str, str] = field(default_factory=dict)
    split_sentences: bool = False
    sentence_marks: str = SENTENCE_MARKS
    max_sentence_words: int = 0
    header: str = "auto"
    max_line_chars: int = MAX_LINE_CHARS

    def __post_init__(self) -> None:
        if self.on_error not in ON_ERROR:
            raise ValueError(f"on_error is {self.on_error!r} — use one of: {', '.join(ON_ERROR)}")
        if self.header not in HEADER:
            raise ValueError(f"header is {self.header!r} — use one of: {', '.join(HEADER)}")
        if self.max_sentence_words < 0 or self.max_line_chars < 1:
            raise ValueError("max_sentence_words must be >= 0 and max_line_chars >= 1 — fix the value")

    @classmethod
    def from_config(cls, data: Any) -> ReadOptions:
        """Options from a `DataConfig` (duck-typed so that data/ does not import the config module)."""
        return cls(
            columns=dict(data.columns),
            scheme=data.scheme,
            on_error=data.on_error,
            tag_map=dict(data.tag_map),
            split_sentences=data.split_sentences,
            sentence_marks=data.sentence_marks,
            max_sentence_words=data.max_sentence_words,
            header=data.header,
            max_line_chars=data.max_line_chars,
        )
