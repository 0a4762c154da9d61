"""Settings shared by every reader: columns, tag scheme, what to do with bad input, sentence splitting."""

from __future__ import annotations

import typing
from dataclasses import dataclass, field

from hadath.config import DataConfig, OnError, SchemeName

ON_ERROR: tuple[OnError, ...] = typing.get_args(OnError)


@dataclass(frozen=True)
class ReadOptions:
    """How to read a file (defaults: the config's `data` defaults).

    `columns` maps a tag layer to its CoNLL/CSV column; `scheme` is a tag scheme or "auto" (detected per layer);
    `on_error` is the policy for bad sentences (fail, repair what can be repaired, or drop them); `tag_map` renames
    misspelled entity types (`{"PERS": "PER"}`); `split_sentences` cuts sentences after `sentence_marks`."""

    columns: dict[str, int] = field(default_factory=lambda: {"entities": 1})
    scheme: SchemeName = DataConfig.scheme
    on_error: OnError = DataConfig.on_error
    tag_map: dict[str, str] = field(default_factory=dict)
    split_sentences: bool = DataConfig.split_sentences
    sentence_marks: str = DataConfig.sentence_marks

    def __post_init__(self) -> None:
        if self.on_error not in ON_ERROR:
            raise ValueError(f"on_error is {self.on_error!r} — use one of: {', '.join(ON_ERROR)}")

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
        )
