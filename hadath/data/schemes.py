"""Tag schemes (IOB1, IOB2, BIOES, IO) and word-level spans.

This module owns what a tag string means: how the tags of each scheme map to labelled word spans and back,
conversion between schemes, guessing a corpus's scheme, and the canonical order of a tag set. Reading tags
is lenient exactly where conlleval and seqeval's default mode are, so our span counts match theirs.
"""

from __future__ import annotations

import typing
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from hadath.config import SchemeAlias, TagScheme

Scheme = TagScheme

SCHEMES: tuple[Scheme, ...] = typing.get_args(TagScheme)

# What each other name stands for (every `SchemeAlias` in hadath/config.py; tests/test_choices.py checks it).
ALIASES: dict[SchemeAlias, Scheme] = {"BIO": "IOB2", "IOBES": "BIOES", "BILOU": "BIOES"}
_NAMES: dict[str, Scheme] = dict([*zip(SCHEMES, SCHEMES, strict=True), *ALIASES.items()])

# BILOU's L (last) and U (unit) are BIOES's E and S under other names.
_PREFIXES = {"B": "B", "I": "I", "E": "E", "S": "S", "L": "E", "U": "S"}

_SCHEME_PREFIXES: dict[Scheme, tuple[str, ...]] = {
    "IOB1": ("B", "I"),
    "IOB2": ("B", "I"),
    "BIOES": ("B", "I", "E", "S"),
    "IO": ("I",),
}

_CLOSES_AFTER = frozenset("ES")
_CLOSES_BEFORE = frozenset("BSO")
_OPENS = frozenset("BS")
_OPENS_AFTER = frozenset("ESO")


@dataclass(frozen=True, order=True)
class TagSpan:
    """A labelled run of words: `start` inclusive, `end` exclusive."""

    start: int
    end: int
    label: str


def canonical_scheme(name: str) -> Scheme:
    """The scheme a name or alias (BIO, IOBES, BILOU; any case) stands for."""
    scheme = _NAMES.get(name.strip().upper())
    if scheme is None:
        names = ", ".join(f"{s} (alias {', '.join(a for a, t in ALIASES.items() if t == s)})" for s in SCHEMES)
        raise ValueError(f"unknown tag scheme {name!r}; expected one of {names.replace(' (alias )', '')}")
    return scheme


def scheme_prefixes(scheme: Scheme) -> tuple[str, ...]:
    """The entity prefixes a scheme writes, in tag-set order."""
    return _SCHEME_PREFIXES[canonical_scheme(scheme)]


def split_tag(tag: str) -> tuple[str, str]:
    """A tag's canonical prefix (O, B, I, E, S, or "" for a bare class name) and its entity type."""
    if not tag:
        raise ValueError("empty tag")
    if tag == "O":
        return "O", ""
    if len(tag) >= 2 and tag[1] == "-" and tag[0] in _PREFIXES:
        return _PREFIXES[tag[0]], tag[2:]
    return "", tag


@lru_cache(maxsize=4096)  # a corpus has few distinct tags; a million-word sentence reads each one 10^5 times
def _reading_prefix(tag: str, scheme: Scheme) -> tuple[str, str]:
    prefix, type_ = split_tag(tag)
    # IO marks no boundaries, and a bare class name is inside its entity like an I- tag.
    if prefix != "O" and (scheme == "IO" or prefix == ""):
        prefix = "I"
    return prefix, type_


def spans_from_tags(tags: Sequence[str], scheme: Scheme = "IOB2") -> list[TagSpan]:
    """The spans a tag sequence marks, reading ill-formed sequences the way conlleval and seqeval do."""
    scheme = canonical_scheme(scheme)
    spans: list[TagSpan] = []
    start = 0
    prev_prefix, prev_type = "O", ""
    # A trailing O closes a span still open at the end.
    for index, tag in enumerate([*tags, "O"]):
        prefix, type_ = _reading_prefix(tag, scheme)
        if prev_prefix != "O" and (prev_prefix in _CLOSES_AFTER or prefix in _CLOSES_BEFORE or type_ != prev_type):
            spans.append(TagSpan(start, index, prev_type))
        # IOB1's B- splits touching spans, so opening on every B- reads IOB1 and IOB2 alike (as conlleval).
        if prefix != "O" and (prefix in _OPENS or prev_prefix in _OPENS_AFTER or type_ != prev_type):
            start = index
        prev_prefix, prev_type = prefix, type_
    return spans


def _span_tags(span: TagSpan, scheme: Scheme, touches_same_type: bool) -> list[str]:
    size = span.end - span.start
    if scheme == "BIOES":
        if size == 1:
            return [f"S-{span.label}"]
        return [f"B-{span.label}", *[f"I-{span.label}"] * (size - 2), f"E-{span.label}"]
    first = "B" if scheme == "IOB2" or (scheme == "IOB1" and touches_same_type) else "I"
    return [f"{first}-{span.label}", *[f"I-{span.label}"] * (size - 1)]


def tags_from_spans(spans: Sequence[TagSpan], length: int, scheme: Scheme = "IOB2") -> list[str]:
    """Well-formed tags for non-overlapping spans over `length` words (IO merges touching same-type spans)."""
    scheme = canonical_scheme(scheme)
    tags = ["O"] * length
    previous: TagSpan | None = None
    for span in sorted(spans):
        if not 0 <= span.start < span.end <= length:
            raise ValueError(f"span {span} is empty or does not fit in a sequence of {length} words")
        if previous is not None and span.start < previous.end:
            raise ValueError(f"overlapping spans {previous} and {span}; one tag layer cannot hold both")
        touches = previous is not None and previous.end == span.start and previous.label == span.label
        tags[span.start : span.end] = _span_tags(span, scheme, touches)
        previous = span
    return tags


def detect_scheme(tag_sequences: Iterable[Sequence[str]]) -> Scheme:
    """The scheme a corpus most plausibly uses, judged from its tag prefixes (IOB2 without evidence)."""
    saw_entity = saw_begin = False
    begins_only_split = True
    for tags in tag_sequences:
        prev_prefix, prev_type = "O", ""
        for tag in tags:
            prefix, type_ = _reading_prefix(tag, "IOB2")
            if prefix in ("E", "S"):
                return "BIOES"
            saw_entity = saw_entity or prefix != "O"
            if prefix == "B":
                saw_begin = True
                # IOB1 writes B- only to split a span from a touching one of the same type.
                if not (prev_prefix in ("B", "I") and prev_type == type_):
                    begins_only_split = False
            prev_prefix, prev_type = prefix, type_
    if not saw_entity:
        return "IOB2"
    if not saw_begin:
        return "IO"
    return "IOB1" if begins_only_split else "IOB2"


def label_types(tags: Iterable[str]) -> list[str]:
    """The sorted entity types that occur in `tags`."""
    return sorted({type_ for prefix, type_ in map(split_tag, tags) if prefix != "O"})


def tag_set(types: Sequence[str], scheme: Scheme = "IOB2") -> list[str]:
    """All tags of a scheme over `types`: O first, then each sorted type with the scheme's prefixes."""
    if any(not type_ or type_ == "O" for type_ in types):
        raise ValueError(f"entity types must be non-empty and not 'O': {list(types)}")
    prefixes = scheme_prefixes(scheme)
    return ["O", *[f"{prefix}-{type_}" for type_ in sorted(set(types)) for prefix in prefixes]]
