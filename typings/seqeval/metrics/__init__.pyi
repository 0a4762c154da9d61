# Types of the parts of seqeval Hadath calls (seqeval ships none; pyright would infer `str` from defaults).
from collections.abc import Sequence
from typing import Any, Literal, overload

from seqeval.scheme import Token

@overload
def classification_report(
    y_true: Sequence[Sequence[str]],
    y_pred: Sequence[Sequence[str]],
    digits: int = ...,
    suffix: bool = ...,
    *,
    output_dict: Literal[True],
    mode: str | None = ...,
    sample_weight: Sequence[int] | None = ...,
    zero_division: str | int = ...,
    scheme: type[Token] | None = ...,
) -> dict[str, dict[str, Any]]: ...
@overload
def classification_report(
    y_true: Sequence[Sequence[str]],
    y_pred: Sequence[Sequence[str]],
    digits: int = ...,
    suffix: bool = ...,
    output_dict: Literal[False] = ...,
    mode: str | None = ...,
    sample_weight: Sequence[int] | None = ...,
    zero_division: str | int = ...,
    scheme: type[Token] | None = ...,
) -> str: ...
def f1_score(
    y_true: Sequence[Sequence[str]],
    y_pred: Sequence[Sequence[str]],
    *,
    average: str | None = ...,
    suffix: bool = ...,
    mode: str | None = ...,
    sample_weight: Sequence[int] | None = ...,
    zero_division: str | int = ...,
    scheme: type[Token] | None = ...,
) -> float: ...
def precision_score(
    y_true: Sequence[Sequence[str]],
    y_pred: Sequence[Sequence[str]],
    *,
    average: str | None = ...,
    suffix: bool = ...,
    mode: str | None = ...,
    sample_weight: Sequence[int] | None = ...,
    zero_division: str | int = ...,
    scheme: type[Token] | None = ...,
) -> float: ...
def recall_score(
    y_true: Sequence[Sequence[str]],
    y_pred: Sequence[Sequence[str]],
    *,
    average: str | None = ...,
    suffix: bool = ...,
    mode: str | None = ...,
    sample_weight: Sequence[int] | None = ...,
    zero_division: str | int = ...,
    scheme: type[Token] | None = ...,
) -> float: ...
