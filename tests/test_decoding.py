"""Tests for hadath.models.decoding: hand examples, brute-force optimality, well-formed output per scheme."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from hadath.data.schemes import Scheme, TagSpan, spans_from_tags, tag_set, tags_from_spans
from hadath.models.decoding import (
    ChainScores,
    TransitionConstraints,
    argmax_decode,
    build_constraints,
    build_lattice,
    independent_span_probability,
    viterbi_decode,
)

SCHEME_NAMES: tuple[Scheme, ...] = ("IOB1", "IOB2", "BIOES", "IO")
TYPES = ("LOC", "ORG", "PER", "MISC")


def is_allowed_path(path: Sequence[int] | np.ndarray, constraints: TransitionConstraints) -> bool:
    """Whether a label path satisfies the start, transition and end rules (read straight from the masks)."""
    indices = np.asarray(path, dtype=np.int64)
    if indices.size == 0:
        return True
    return bool(
        constraints.start[indices[0]]
        and constraints.end[indices[-1]]
        and constraints.transitions[indices[:-1], indices[1:]].all()
    )


def well_formed(tags: list[str], scheme: Scheme) -> bool:
    """Oracle independent of the masks: a sequence is well formed when rewriting its spans changes nothing."""
    return tags_from_spans(spans_from_tags(tags, scheme), len(tags), scheme) == tags


def path_score(scores: np.ndarray, path: np.ndarray | tuple[int, ...]) -> float:
    return float(sum(scores[step, label] for step, label in enumerate(path)))


@st.composite
def label_sets(draw: st.DrawFn, max_labels: int = 17) -> tuple[list[str], Scheme]:
    """A scheme's full tag set over random types, in a random order, with at most `max_labels` labels."""
    scheme = draw(st.sampled_from(SCHEME_NAMES))
    width = {"IOB1": 2, "IOB2": 2, "BIOES": 4, "IO": 1}[scheme]
    most_types = max(1, min(len(TYPES), (max_labels - 1) // width))
    types = draw(st.lists(st.sampled_from(TYPES), min_size=1, max_size=most_types, unique=True))
    labels = draw(st.permutations(tag_set(types, scheme)))
    return list(labels), scheme


def score_matrices(steps: st.SearchStrategy[int], labels: int) -> st.SearchStrategy[np.ndarray]:
    return steps.flatmap(
        lambda count: arrays(
            np.float64, (count, labels), elements=st.floats(-5, 5, allow_nan=False, allow_infinity=False)
        )
    )


def test_viterbi_repairs_iob2_inside_start() -> None:
    labels = ["O", "B-PER", "I-PER"]
    scores = np.log([[0.1, 0.3, 0.6], [0.1, 0.2, 0.7]])
    constraints = build_constraints(labels, "IOB2")
    assert argmax_decode(scores).tolist() == [2, 2]
    assert viterbi_decode(scores, constraints).tolist() == [1, 2]


def test_viterbi_repairs_bioes_unfinished_span() -> None:
    labels = tag_set(["PER"], "BIOES")  # O B I E S
    scores = np.array([[0.0, 2.0, 3.0, 1.0, 0.5], [0.0, 1.0, 3.0, 2.0, 0.5]])
    constraints = build_constraints(labels, "BIOES")
    assert argmax_decode(scores).tolist() == [2, 2]
    assert [labels[i] for i in viterbi_decode(scores, constraints)] == ["B-PER", "E-PER"]


@pytest.mark.parametrize(("inside_loc", "expected"), [(5.0, ["B-LOC", "I-LOC"]), (2.0, ["B-PER", "I-PER"])])
def test_viterbi_does_not_continue_a_span_of_another_type(inside_loc: float, expected: list[str]) -> None:
    labels = ["O", "B-LOC", "I-LOC", "B-PER", "I-PER"]
    scores = np.array([[0.0, 0.0, 0.0, 3.0, 0.0], [0.0, 0.0, inside_loc, 0.0, 1.0]])
    assert [labels[i] for i in argmax_decode(scores)] == ["B-PER", "I-LOC"]
    assert [labels[i] for i in viterbi_decode(scores, build_constraints(labels, "IOB2"))] == expected


def test_viterbi_iob1_may_not_start_with_begin() -> None:
    labels = ["O", "B-PER", "I-PER"]
    scores = np.array([[0.0, 5.0, 1.0], [0.0, 5.0, 1.0]])
    assert viterbi_decode(scores, build_constraints(labels, "IOB1")).tolist() == [2, 1]


def test_viterbi_handles_log_zero_probabilities() -> None:
    labels = ["O", "B-PER", "I-PER"]
    constraints = build_constraints(labels, "IOB2")
    with np.errstate(divide="ignore"):
        scores = np.log([[0.1, 0.0, 0.9], [0.0, 0.0, 1.0]])
    path = viterbi_decode(scores, constraints)
    assert is_allowed_path(path, constraints)
    assert path.tolist() in ([0, 0], [1, 2])


def test_viterbi_empty_sequence() -> None:
    path = viterbi_decode(np.zeros((0, 3)), build_constraints(["O", "B-X", "I-X"]))
    assert path.shape == (0,)
    assert path.dtype == np.int64


def test_viterbi_falls_back_to_argmax_without_a_valid_path() -> None:
    constraints = build_constraints(["I-PER", "I-LOC"], "IOB2")
    scores = np.array([[1.0, 2.0], [3.0, 0.0]])
    assert viterbi_decode(scores, constraints).tolist() == [1, 0]


def test_viterbi_rejects_wrong_shapes_and_nan() -> None:
    constraints = build_constraints(["O", "B-X", "I-X"])
    with pytest.raises(ValueError, match="2 labels, constraints have 3"):
        viterbi_decode(np.zeros((4, 2)), constraints)
    with pytest.raises(ValueError, match="words, labels"):
        viterbi_decode(np.zeros(3), constraints)
    with pytest.raises(ValueError, match="NaN"):
        viterbi_decode(np.array([[0.0, np.nan, 1.0]]), constraints)


def test_build_constraints_iob2_masks() -> None:
    constraints = build_constraints(["O", "B-PER", "I-PER", "B-LOC", "I-LOC"], "IOB2")
    assert constraints.start.tolist() == [True, True, False, True, False]
    assert constraints.end.tolist() == [True] * 5
    assert constraints.transitions.tolist() == [
        [True, True, False, True, False],
        [True, True, True, True, False],
        [True, True, True, True, False],
        [True, True, False, True, True],
        [True, True, False, True, True],
    ]


def test_build_constraints_bioes_masks() -> None:
    labels = tag_set(["PER"], "BIOES")  # O B I E S
    constraints = build_constraints(labels, "BIOES")
    assert constraints.start.tolist() == [True, True, False, False, True]
    assert constraints.end.tolist() == [True, False, False, True, True]
    assert constraints.transitions.tolist() == [
        [True, True, False, False, True],
        [False, False, True, True, False],
        [False, False, True, True, False],
        [True, True, False, False, True],
        [True, True, False, False, True],
    ]


def test_build_constraints_io_allows_everything_and_bare_labels() -> None:
    constraints = build_constraints(["O", "PER", "I-LOC"], "IO")
    assert constraints.start.all() and constraints.end.all() and constraints.transitions.all()


@pytest.mark.parametrize(
    ("labels", "scheme", "message"),
    [
        (["O", "B-PER", "E-PER"], "IOB2", "'E-PER' is not a IOB2 tag"),
        (["O", "B-PER"], "IO", "'B-PER' is not a IO tag"),
        (["O", "PER"], "BIOES", "'PER' is not a BIOES tag"),
        (["O", "B-PER", "O"], "IOB2", "duplicate"),
        ([], "IOB2", "at least one label"),
    ],
)
def test_build_constraints_rejects_bad_labels(labels: list[str], scheme: Scheme, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        build_constraints(labels, scheme)


def test_constraints_are_read_only() -> None:
    constraints = build_constraints(tag_set(["LOC", "PER"], "BIOES"), "BIOES")
    with pytest.raises(ValueError, match="read-only"):
        constraints.transitions[0, 0] = False


def test_constraints_reject_mismatched_shapes() -> None:
    with pytest.raises(ValueError, match="transitions has shape"):
        TransitionConstraints(("O", "B-X"), np.ones(2, bool), np.ones((2, 3), bool), np.ones(2, bool))


@pytest.mark.parametrize("scheme", SCHEME_NAMES)
def test_constraints_accept_exactly_the_well_formed_sequences(scheme: Scheme) -> None:
    labels = tag_set(["LOC", "PER"], scheme)
    constraints = build_constraints(labels, scheme)
    for length in range(1, 4):
        for path in itertools.product(range(len(labels)), repeat=length):
            tags = [labels[i] for i in path]
            assert is_allowed_path(np.array(path), constraints) == well_formed(tags, scheme), tags


@given(data=st.data(), label_set=label_sets())
def test_viterbi_output_is_always_well_formed(data: st.DataObject, label_set: tuple[list[str], Scheme]) -> None:
    labels, scheme = label_set
    scores = data.draw(score_matrices(st.integers(0, 20), len(labels)))
    constraints = build_constraints(labels, scheme)
    path = viterbi_decode(scores, constraints)
    assert path.shape == (scores.shape[0],)
    assert is_allowed_path(path, constraints)
    assert well_formed([labels[i] for i in path], scheme)


@given(data=st.data(), label_set=label_sets(max_labels=5))
def test_viterbi_matches_brute_force(data: st.DataObject, label_set: tuple[list[str], Scheme]) -> None:
    labels, scheme = label_set
    scores = data.draw(score_matrices(st.integers(0, 4), len(labels)))
    steps = scores.shape[0]
    valid = [
        path
        for path in itertools.product(range(len(labels)), repeat=steps)
        if well_formed([labels[i] for i in path], scheme)
    ]
    best = max(path_score(scores, path) for path in valid)
    path = viterbi_decode(scores, build_constraints(labels, scheme))
    assert well_formed([labels[i] for i in path], scheme)
    assert path_score(scores, path) == pytest.approx(best, abs=1e-9)


@given(data=st.data(), label_set=label_sets())
def test_viterbi_scores_at_least_any_valid_path(data: st.DataObject, label_set: tuple[list[str], Scheme]) -> None:
    labels, scheme = label_set
    steps = data.draw(st.integers(1, 30))
    scores = data.draw(score_matrices(st.just(steps), len(labels)))
    types = sorted({label[2:] for label in labels if label != "O"})
    index = {label: i for i, label in enumerate(labels)}
    path = viterbi_decode(scores, build_constraints(labels, scheme))
    for _ in range(5):
        starts = sorted(data.draw(st.sets(st.integers(0, steps - 1), max_size=steps)))
        ends = [*starts[1:], steps] if starts else []
        spans = [
            TagSpan(start, data.draw(st.integers(start + 1, end)), data.draw(st.sampled_from(types)))
            for start, end in zip(starts, ends, strict=True)
        ]
        other = [index[tag] for tag in tags_from_spans(spans, steps, scheme)]
        assert path_score(scores, path) >= path_score(scores, tuple(other)) - 1e-9


MARGINAL_LABELS = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC"]


def _valid_path_probabilities(
    scores: np.ndarray, constraints: TransitionConstraints, chain: ChainScores | None
) -> dict[tuple[int, ...], float]:
    """Brute force: every well-formed path with its probability under emissions + chain scores."""
    zeros = np.zeros(len(MARGINAL_LABELS))
    chain = chain or ChainScores(zeros, np.zeros((len(zeros), len(zeros))), zeros)
    totals = {}
    for path in itertools.product(range(len(MARGINAL_LABELS)), repeat=len(scores)):
        if is_allowed_path(path, constraints):
            score = chain.start[path[0]] + chain.end[path[-1]] + sum(scores[t, j] for t, j in enumerate(path))
            totals[path] = score + sum(chain.transitions[a, b] for a, b in itertools.pairwise(path))
    log_z = np.logaddexp.reduce(list(totals.values()))
    return {path: float(np.exp(score - log_z)) for path, score in totals.items()}


@pytest.mark.parametrize("with_chain", [False, True])
@pytest.mark.parametrize("words", [1, 2, 4])
def test_span_marginals_equal_enumeration_over_valid_paths(with_chain: bool, words: int) -> None:
    rng = np.random.default_rng(words + 10 * with_chain)
    size = len(MARGINAL_LABELS)
    constraints = build_constraints(MARGINAL_LABELS, "IOB2")
    scores = rng.normal(size=(words, size))
    chain = (
        ChainScores(rng.normal(size=size), rng.normal(size=(size, size)), rng.normal(size=size)) if with_chain else None
    )
    paths = _valid_path_probabilities(scores, constraints, chain)
    lattice = build_lattice(scores, constraints, chain)
    for start in range(words):
        for end in range(start + 1, words + 1):
            for label in ("PER", "LOC"):
                begin, inside = MARGINAL_LABELS.index(f"B-{label}"), MARGINAL_LABELS.index(f"I-{label}")
                span = TagSpan(start, end, label)
                expected = sum(
                    p for path, p in paths.items() if span in spans_from_tags([MARGINAL_LABELS[j] for j in path])
                )
                assert lattice.span_probability(start, end, begin, inside) == pytest.approx(expected, abs=1e-9)
    expected_tags = np.zeros((words, size))
    for path, p in paths.items():
        expected_tags[np.arange(words), list(path)] += p
    assert np.allclose(lattice.tag_marginals(), expected_tags, atol=1e-9)


def test_independent_span_probability_is_the_documented_product() -> None:
    probabilities = np.array([[0.1, 0.8, 0.1], [0.2, 0.1, 0.7], [0.5, 0.2, 0.3]])  # O, B-PER, I-PER
    value = independent_span_probability(np.log(probabilities), [1, 2, 0], 0, 2, inside=2)
    assert value == pytest.approx(0.8 * 0.7 * (1 - 0.3))
