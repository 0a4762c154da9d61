"""Hadath: Arabic entity and event-trigger tagging on BERT-family encoders."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # for type checkers only: the real import is lazy, below
    from hadath.inference.tagger import Tagger

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # Importing torch/transformers takes seconds: only pay for it when the Tagger is used.
    if name == "Tagger":
        from hadath.inference.tagger import Tagger

        return Tagger
    raise AttributeError(name)


__all__ = ["Tagger", "__version__"]
