"""Tests for hadath.data.schemes: hand examples, seqeval agreement, and span/tag round trips per scheme."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from seqeval.metrics.sequence_labeling import get_entities

from hadath.data.schemes import (
    SCHEMES,
    Scheme,
    TagSpan,
    canonical_scheme,
    detect_scheme,
    label_types,
    spans_from_tags,
    split_tag,
    tag_set,
    tags_from_spans,
)

TYPES = ("LOC", "ORG", "PER")


@st.composite
def spans_and_length(draw: st.DrawFn, types: tuple[str, ...] = TYPES) -> tuple[list[TagSpan], int]:
    """Non-overlapping spans, some touching, over a sequence of random length."""
    length = draw(st.integers(0, 14))
    spans: list[TagSpan] = []
    position = draw(st.integers(0, 2))
    while position < length:
        end = min(length, position + draw(st.integers(1, 4)))
        spans.append(TagSpan(position, end, draw(st.sampled_from(types))))
        position = end + draw(st.integers(0, 2))
    return spans, length


def tag_sequences(prefixes: str, types: tuple[str, ...] = ("A", "B")) -> st.SearchStrategy[list[str]]:
    """Arbitrary, possibly ill-formed, tag sequences over `prefixes`."""
    tags = ["O", *[f"{prefix}-{type_}" for prefix in prefixes for type_ in types]]
    return st.lists(st.sampled_from(tags), max_size=12)


def seqeval_spans(tags: list[str]) -> list[TagSpan]:
    return [TagSpan(start, end + 1, type_) for type_, start, end in get_entities(list(tags))]


def merge_touching(spans: list[TagSpan]) -> list[TagSpan]:
    merged: list[TagSpan] = []
    for span in sorted(spans):
        if merged and merged[-1].end == span.start and merged[-1].label == span.label:
            merged[-1] = TagSpan(merged[-1].start, span.end, span.label)
        else:
            merged.append(span)
    return merged


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("IOB2", "IOB2"),
        ("bio", "IOB2"),
        ("IOB1", "IOB1"),
        ("BIOES", "BIOES"),
        ("bilou", "BIOES"),
        ("IO", "IO"),
    ],
)
def test_canonical_scheme_accepts_names_and_aliases(name: str, expected: Scheme) -> None:
    assert canonical_scheme(name) == expected


def test_canonical_scheme_error_names_valid_schemes() -> None:
    with pytest.raises(ValueError, match="IOB1, IOB2.*BIOES.*IO"):
        canonical_scheme("BIOX")


def test_split_tag() -> None:
    assert split_tag("O") == ("O", "")
    assert split_tag("B-PER") == ("B", "PER")
    assert split_tag("L-LOC") == ("E", "LOC")
    assert split_tag("U-LOC") == ("S", "LOC")
    assert split_tag("B-GPE-ORG") == ("B", "GPE-ORG")
    assert split_tag("PER") == ("", "PER")


def test_iob2_stray_inside_tags_open_spans_like_conlleval() -> None:
    tags = ["I-PER", "I-PER", "O", "B-LOC", "I-ORG", "I-ORG", "B-ORG", "O", "I-LOC"]
    assert spans_from_tags(tags, "IOB2") == [
        TagSpan(0, 2, "PER"),
        TagSpan(3, 4, "LOC"),
        TagSpan(4, 6, "ORG"),
        TagSpan(6, 7, "ORG"),
        TagSpan(8, 9, "LOC"),
    ]


def test_iob1_begin_splits_touching_spans() -> None:
    tags = ["I-PER", "I-PER", "B-PER", "O", "I-LOC", "I-ORG"]
    assert spans_from_tags(tags, "IOB1") == [
        TagSpan(0, 2, "PER"),
        TagSpan(2, 3, "PER"),
        TagSpan(4, 5, "LOC"),
        TagSpan(5, 6, "ORG"),
    ]


def test_bioes_and_bilou_read_alike() -> None:
    expected = [TagSpan(0, 3, "PER"), TagSpan(3, 4, "LOC"), TagSpan(5, 6, "ORG")]
    assert spans_from_tags(["B-PER", "I-PER", "E-PER", "S-LOC", "O", "S-ORG"], "BIOES") == expected
    bilou = canonical_scheme("BILOU")
    assert spans_from_tags(["B-PER", "I-PER", "L-PER", "U-LOC", "O", "U-ORG"], bilou) == expected


def test_bioes_ill_formed_reads_like_seqeval() -> None:
    tags = ["B-PER", "O", "E-LOC", "E-LOC", "S-PER", "I-PER", "B-ORG"]
    assert spans_from_tags(tags, "BIOES") == seqeval_spans(tags)
    assert spans_from_tags(tags, "BIOES") == [
        TagSpan(0, 1, "PER"),
        TagSpan(2, 3, "LOC"),
        TagSpan(3, 4, "LOC"),
        TagSpan(4, 5, "PER"),
        TagSpan(5, 6, "PER"),
        TagSpan(6, 7, "ORG"),
    ]


def test_io_merges_runs_of_one_type_with_or_without_prefix() -> None:
    tags = ["PER", "I-PER", "O", "I-LOC", "LOC", "ORG", "O"]
    assert spans_from_tags(tags, "IO") == [TagSpan(0, 2, "PER"), TagSpan(3, 5, "LOC"), TagSpan(5, 6, "ORG")]


def test_empty_sequence_has_no_spans() -> None:
    assert spans_from_tags([], "IOB2") == []
    assert tags_from_spans([], 0, "BIOES") == []


@given(tag_sequences("BI"))
def test_iob2_spans_match_seqeval(tags: list[str]) -> None:
    assert spans_from_tags(tags, "IOB2") == seqeval_spans(tags)


@given(tag_sequences("BIES"))
def test_bioes_spans_match_seqeval(tags: list[str]) -> None:
    assert spans_from_tags(tags, "BIOES") == seqeval_spans(tags)


@pytest.mark.parametrize(
    ("scheme", "expected"),
    [
        ("IOB2", ["B-PER", "I-PER", "B-PER", "O", "B-LOC", "B-ORG", "I-ORG"]),
        ("IOB1", ["I-PER", "I-PER", "B-PER", "O", "I-LOC", "I-ORG", "I-ORG"]),
        ("BIOES", ["B-PER", "E-PER", "S-PER", "O", "S-LOC", "B-ORG", "E-ORG"]),
        ("IO", ["I-PER", "I-PER", "I-PER", "O", "I-LOC", "I-ORG", "I-ORG"]),
    ],
)
def test_tags_from_spans_writes_each_scheme(scheme: Scheme, expected: list[str]) -> None:
    spans = [TagSpan(5, 7, "ORG"), TagSpan(0, 2, "PER"), TagSpan(2, 3, "PER"), TagSpan(4, 5, "LOC")]
    assert tags_from_spans(spans, 7, scheme) == expected


def test_tags_from_spans_rejects_overlap_naming_both_spans() -> None:
    with pytest.raises(ValueError, match=r"overlapping.*start=0, end=3, label='PER'.*start=2, end=4, label='LOC'"):
        tags_from_spans([TagSpan(2, 4, "LOC"), TagSpan(0, 3, "PER")], 5)


@pytest.mark.parametrize("span", [TagSpan(3, 6, "PER"), TagSpan(-1, 1, "PER"), TagSpan(2, 2, "PER")])
def test_tags_from_spans_rejects_spans_outside_or_empty(span: TagSpan) -> None:
    with pytest.raises(ValueError, match="does not fit"):
        tags_from_spans([span], 5)


@pytest.mark.parametrize("scheme", ["IOB1", "IOB2", "BIOES"])
@given(sample=spans_and_length())
def test_spans_round_trip_through_tags(scheme: Scheme, sample: tuple[list[TagSpan], int]) -> None:
    spans, length = sample
    tags = tags_from_spans(spans, length, scheme)
    assert len(tags) == length
    assert spans_from_tags(tags, scheme) == sorted(spans)
    assert tags_from_spans(spans_from_tags(tags, scheme), length, scheme) == tags


@given(sample=spans_and_length())
def test_io_round_trip_merges_touching_same_type_spans(sample: tuple[list[TagSpan], int]) -> None:
    spans, length = sample
    tags = tags_from_spans(spans, length, "IO")
    assert spans_from_tags(tags, "IO") == merge_touching(spans)
    assert tags_from_spans(spans_from_tags(tags, "IO"), length, "IO") == tags


def rewrite(tags: list[str], source: Scheme, target: Scheme) -> list[str]:
    """The same spans written in another scheme, as `hadath data convert` writes them (read, then write)."""
    return tags_from_spans(spans_from_tags(tags, source), len(tags), target)


@given(sample=spans_and_length())
def test_convert_iob2_to_bioes_and_back_is_identity(sample: tuple[list[TagSpan], int]) -> None:
    spans, length = sample
    iob2 = tags_from_spans(spans, length, "IOB2")
    bioes = rewrite(iob2, "IOB2", "BIOES")
    assert spans_from_tags(bioes, "BIOES") == sorted(spans)
    assert rewrite(bioes, "BIOES", "IOB2") == iob2


@pytest.mark.parametrize("source", SCHEMES)
@pytest.mark.parametrize("target", SCHEMES)
@given(sample=spans_and_length())
def test_convert_keeps_spans(source: Scheme, target: Scheme, sample: tuple[list[TagSpan], int]) -> None:
    spans, length = sample
    tags = tags_from_spans(spans, length, source)
    expected = spans_from_tags(tags, source)
    if target == "IO":
        expected = merge_touching(expected)
    assert spans_from_tags(rewrite(tags, source, target), target) == expected


def test_convert_repairs_ill_formed_iob2() -> None:
    assert rewrite(["O", "I-PER", "I-PER", "I-LOC"], "IOB2", "IOB2") == ["O", "B-PER", "I-PER", "B-LOC"]


@pytest.mark.parametrize(
    ("corpus", "expected"),
    [
        ([["B-PER", "E-PER", "O"], ["S-LOC"]], "BIOES"),
        ([["B-PER", "L-PER"], ["U-LOC"]], "BIOES"),
        ([["B-PER", "I-PER", "O", "B-LOC"]], "IOB2"),
        ([["I-PER", "I-PER", "B-PER", "O", "I-LOC"]], "IOB1"),
        ([["I-PER", "B-LOC"]], "IOB2"),
        ([["I-PER", "O", "I-LOC"], ["I-ORG"]], "IO"),
        ([["PER", "PER", "O", "LOC"]], "IO"),
        ([["O", "O"], []], "IOB2"),
        ([], "IOB2"),
    ],
)
def test_detect_scheme(corpus: list[list[str]], expected: Scheme) -> None:
    assert detect_scheme(corpus) == expected
    assert detect_scheme(iter(corpus)) == expected


@pytest.mark.parametrize("scheme", ["IOB2", "BIOES"])
@given(samples=st.lists(spans_and_length(), min_size=1, max_size=4))
def test_detect_scheme_recognises_generated_corpora(scheme: Scheme, samples: list[tuple[list[TagSpan], int]]) -> None:
    corpus = [tags_from_spans(spans, length, scheme) for spans, length in samples]
    has_entities = any(spans for spans, _ in samples)
    assert detect_scheme(corpus) == (scheme if has_entities else "IOB2")


def test_label_types() -> None:
    assert label_types(["O", "B-PER", "I-PER", "S-LOC", "GPE", "O"]) == ["GPE", "LOC", "PER"]
    assert label_types(["O"]) == []


def test_tag_set_order_per_scheme() -> None:
    assert tag_set(["PER", "LOC", "PER"]) == ["O", "B-LOC", "I-LOC", "B-PER", "I-PER"]
    assert tag_set(["PER", "LOC"], "IOB1") == ["O", "B-LOC", "I-LOC", "B-PER", "I-PER"]
    assert tag_set(["PER", "LOC"], "BIOES") == [
        "O",
        *["B-LOC", "I-LOC", "E-LOC", "S-LOC"],
        *["B-PER", "I-PER", "E-PER", "S-PER"],
    ]
    assert tag_set(["PER", "LOC"], "IO") == ["O", "I-LOC", "I-PER"]
    assert tag_set([], "BIOES") == ["O"]


def test_tag_set_rejects_o_as_type() -> None:
    with pytest.raises(ValueError, match="not 'O'"):
        tag_set(["O", "PER"])
