"""Settings shared by every reader."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ReadOptions:
    """How to read a file: which CoNLL column feeds which tag layer, and the tag scheme of those columns."""

    columns: dict[str, int] = field(default_factory=lambda: {"entities": 1})
    scheme: str = "IOB2"
