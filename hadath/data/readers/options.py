"""Settings shared by every reader: columns, tag scheme, what to do with bad input, sentence splitting."""

from __future__ import annotations

import typing
from dataclasses import dataclass, field

from hadath.config import CsvHeader, DataConfig, OnError, SchemeName

ON_ERROR: tuple[OnError, ...] = typing.get_args(OnError)
HEADER: tuple[CsvHeader, ...] = typing.get_args(CsvHeader)
MAX_LINE_CHARS = DataConfig.max_line_chars


@dataclass(frozen=True)
class ReadOptions:
    """How to read a file (defaults: the config's `data` defaults).

    `columns` maps a tag layer to its CoNLL/CSV column; `scheme` is a tag scheme or "auto" (detected per layer);
    `on_error` is the policy for bad sentences (fail, repair what can be repaired, or drop them); `tag_map` renames
    misspelled entity types (`{"PERS": "PER"}`); `split_sentences` cuts sentences after `sentence_marks`;
    `max_sentence_words` (0: no limit) cuts longer runs at the nearest word outside every span; `header` says
    whether a CSV/TSV's first row names its columns (auto: yes unless it looks like data); `max_line_chars` bounds
    one line (or record) of any file."""

    columns: dict[str, int] = field(default_factory=lambda: {"entities": 1})
    scheme: SchemeName = DataConfig.scheme
    on_error: OnError = DataConfig.on_error
    tag_map: dict[str, str] = field(default_factory=dict)
    split_sentences: bool = DataConfig.split_sentences
    sentence_marks: str = DataConfig.sentence_marks
    max_sentence_words: int = DataConfig.max_sentence_words
    header: CsvHeader = DataConfig.header
    max_line_chars: int = MAX_LINE_CHARS

    def __post_init__(self) -> None:
        if self.on_error not in ON_ERROR:
            raise ValueError(f"on_error is {self.on_error!r} — use one of: {', '.join(ON_ERROR)}")
        if self.header not in HEADER:
            raise ValueError(f"header is {self.header!r} — use one of: {', '.join(HEADER)}")
        if self.max_sentence_words < 0 or self.max_line_chars < 1:
            raise ValueError("max_sentence_words must be >= 0 and max_line_chars >= 1 — fix the value")

    @classmethod
    def from_config(cls, data: DataConfig) -> ReadOptions:
        """Options from the config's `data` section."""
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
