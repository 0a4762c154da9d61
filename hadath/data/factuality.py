"""Event factuality: the four ACE 2005 attributes of an event mention, their values and their defaults.

This module is the one definition of factuality. The JSONL and BRAT readers check attributes against it, the writers
write them from it, `hadath data stats` counts them by it, the attribute head's classes are `ATTRIBUTES`' values in
this order, and a predicted event is `reported` by `is_reported`. A trigger that carries no attribute has the
defaults (an asserted, positive, specific event with unspecified tense), as in ACE.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

# Attribute -> its values, the default first (ACE 2005: Polarity, Modality, Genericity, Tense).
ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "polarity": ("positive", "negative"),
    "modality": ("asserted", "other"),
    "genericity": ("specific", "generic"),
    "tense": ("unspecified", "past", "present", "future"),
}
DEFAULTS: dict[str, str] = {name: values[0] for name, values in ATTRIBUTES.items()}
# BRAT attribute lines name the attribute and value capitalised (`A1<TAB>Polarity E1 Negative`).
BRAT_NAMES: dict[str, str] = {name.capitalize(): name for name in ATTRIBUTES}


class Factuality(NamedTuple):
    """The four attributes of one event mention."""

    polarity: str = DEFAULTS["polarity"]
    modality: str = DEFAULTS["modality"]
    genericity: str = DEFAULTS["genericity"]
    tense: str = DEFAULTS["tense"]

    def as_dict(self) -> dict[str, str]:
        """`{"polarity": ..., "modality": ..., "genericity": ..., "tense": ...}`."""
        return dict(self._asdict())

    def non_default(self) -> dict[str, str]:
        """Only the attributes whose value is not the default."""
        return {name: value for name, value in self.as_dict().items() if value != DEFAULTS[name]}


DEFAULT = Factuality()


def attribute_labels() -> dict[str, list[str]]:
    """The attribute head's classes: each attribute's values, default first, in `ATTRIBUTES` order."""
    return {name: list(values) for name, values in ATTRIBUTES.items()}


def attribute_problem(name: str, value: object) -> str | None:
    """Why `name: value` is not a factuality attribute, or None when it is one."""
    if name not in ATTRIBUTES:
        return f"unknown event attribute {name!r} (known: {', '.join(ATTRIBUTES)})"
    if value not in ATTRIBUTES[name]:
        return f"event attribute {name} has no value {value!r} (its values: {', '.join(ATTRIBUTES[name])})"
    return None


def factuality_from(attributes: Mapping[str, object]) -> Factuality | str:
    """A `Factuality` from a mapping of attribute names to values (absent ones take the default), or the problem."""
    for name, value in attributes.items():
        problem = attribute_problem(str(name), value)
        if problem is not None:
            return problem
    return Factuality(**{name: str(value) for name, value in attributes.items()})


def is_reported(factuality: Factuality) -> bool:
    """Whether the event is said to have happened: positive, asserted, specific and not in the future."""
    return (
        factuality.polarity == "positive"
        and factuality.modality == "asserted"
        and factuality.genericity == "specific"
        and factuality.tense != "future"
    )


def attributes_table() -> str:
    """The Markdown table of data/README.md: each attribute, its values and its default."""
    lines = ["| attribute | values | default |", "|---|---|---|"]
    lines += [
        f"| `{name}` | {', '.join(f'`{v}`' for v in values)} | `{values[0]}` |" for name, values in ATTRIBUTES.items()
    ]
    return "\n".join(lines)
