"""The tokenizers Hadath's stages take, as one type: a transformers tokenizer (training, export, a PyTorch model
folder) or a tokenizer read from `tokenizer.json` alone (inference's `LightTokenizer`), so no stage boundary takes
`Any`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias

if TYPE_CHECKING:
    from tokenizers import Tokenizer
    from transformers import PreTrainedTokenizerBase


class BareTokenizer(Protocol):
    """A `tokenizers.Tokenizer` with the special-token ids and the call of a transformers tokenizer (None where the
    tokenizer has no such token). transformers' own tokenizers answer these through `__getattr__`, which pyright does
    not read for a protocol: hence the union below rather than one protocol for both."""

    @property
    def backend(self) -> Tokenizer: ...
    @property
    def unk_token_id(self) -> int | None: ...
    @property
    def pad_token_id(self) -> int | None: ...
    @property
    def cls_token_id(self) -> int | None: ...
    @property
    def sep_token_id(self) -> int | None: ...
    @property
    def bos_token_id(self) -> int | None: ...
    @property
    def eos_token_id(self) -> int | None: ...

    def __call__(self, texts: list[str], add_special_tokens: bool = True) -> Mapping[str, Any]:
        """`{"input_ids": [[piece id, ...], ...]}`, one list per text."""
        ...


PieceTokenizer: TypeAlias = "PreTrainedTokenizerBase | BareTokenizer"


def backend_of(tokenizer: PieceTokenizer) -> Tokenizer | None:
    """The `tokenizers.Tokenizer` behind a tokenizer: a fast tokenizer's `backend_tokenizer`, LightTokenizer's
    `backend`; None for a tokenizer without one (a slow Python tokenizer)."""
    return getattr(tokenizer, "backend_tokenizer", None) or getattr(tokenizer, "backend", None)


def token_id(*candidates: object) -> int | None:
    """The first candidate that is a token id: transformers gives None for a token the tokenizer lacks, and types
    its special-token lookups loosely (any token value)."""
    return next((value for value in candidates if isinstance(value, int)), None)
