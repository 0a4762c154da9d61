"""Metrics: conlleval-equivalent entity F1 (checked against an independent conlleval), strict and partial scores,
error kinds, bootstrap intervals, multi-label scores, threshold tuning."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from seqeval.metrics import f1_score

from hadath.data.schemes import TagSpan
from hadath.evaluation.bootstrap import f1_from_counts, f1_interval, paired_bootstrap
from hadath.evaluation.error_analysis import match_spans
from hadath.evaluation.metrics import label_metrics, layer_metrics, sentence_counts, tune_threshold


def test_layer_metrics_counts_like_conlleval() -> None:
    gold = [["B-PER", "I-PER", "O", "B-LOC"], ["I-ORG", "O"]]  # stray I-ORG is an entity for conlleval
    predicted = [["B-PER", "I-PER", "O", "B-PER"], ["B-ORG", "O"]]
    metrics = layer_metrics(gold, predicted)
    # gold: PER, LOC, ORG; predicted: PER, PER, ORG -> 2 correct of 3 and 3
    assert metrics["precision"] == pytest.approx(2 / 3, abs=1e-6)
    assert metrics["recall"] == pytest.approx(2 / 3, abs=1e-6)
    assert metrics["per_type"]["LOC"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1}
    assert metrics["per_type"]["ORG"]["f1"] == 1.0


def test_label_metrics_micro_macro_and_threshold() -> None:
    gold = np.array([[1, 0], [0, 1], [1, 1]], dtype=float)
    scores = np.array([[0.9, 0.2], [0.4, 0.6], [0.7, 0.3]])
    metrics = label_metrics(gold, scores, ["A", "B"], threshold=0.5)
    # predicted: A,B,A ; gold: A,B,A+B -> tp 3, predicted 3, actual 4
    assert metrics["precision"] == 1.0 and metrics["recall"] == 0.75
    assert metrics["per_type"]["B"]["recall"] == 0.5
    assert metrics["macro_f1"] == pytest.approx((1.0 + 2 / 3) / 2, abs=1e-6)
    assert tune_threshold(gold, scores) <= 0.3


# ---------------------------------------------------------------------------------------------------------------
# An independent re-implementation of conlleval.pl's chunk counting (Tjong Kim Sang's Perl script, read line by
# line), used only here to check that Hadath's scores and prediction files agree with it.


def _chunk_end(prev_tag: str, tag: str, prev_type: str, type_: str) -> bool:
    end = (prev_tag, tag) in {("B", "B"), ("B", "O"), ("I", "B"), ("I", "O"), ("E", "E"), ("E", "I"), ("E", "O")}
    if prev_tag not in ("O", ".") and prev_type != type_:
        end = True
    return end or prev_tag in ("]", "[")


def _chunk_start(prev_tag: str, tag: str, prev_type: str, type_: str) -> bool:
    start = (prev_tag, tag) in {("B", "B"), ("I", "B"), ("O", "B"), ("O", "I"), ("E", "E"), ("E", "I"), ("O", "E")}
    if tag not in ("O", ".") and prev_type != type_:
        start = True
    return start or tag in ("[", "]")


def _split(tag: str) -> tuple[str, str]:
    head, dash, rest = tag.partition("-")
    return (head, rest) if dash else (tag, "")


def conlleval(lines: list[str]) -> dict[str, Counter[str]]:
    """conlleval.pl's counts from `token gold predicted` lines: correct, guessed and gold chunks, per type."""
    counts: dict[str, Counter[str]] = {"correct": Counter(), "guessed": Counter(), "gold": Counter()}
    in_correct = False
    last_correct, last_guessed, last_correct_type, last_guessed_type = "O", "O", "", ""
    for line in [*lines, ""]:
        features = line.split()
        boundary = not features
        if boundary:
            features = ["-X-", "O", "O"]
        guessed, guessed_type = _split(features[-1])
        correct, correct_type = _split(features[-2])
        if boundary:
            guessed = "O"
        gold_end = _chunk_end(last_correct, correct, last_correct_type, correct_type)
        guess_end = _chunk_end(last_guessed, guessed, last_guessed_type, guessed_type)
        if in_correct:
            if gold_end and guess_end and last_guessed_type == last_correct_type:
                in_correct = False
                counts["correct"][last_correct_type] += 1
            elif gold_end != guess_end or guessed_type != correct_type:
                in_correct = False
        gold_start = _chunk_start(last_correct, correct, last_correct_type, correct_type)
        guess_start = _chunk_start(last_guessed, guessed, last_guessed_type, guessed_type)
        if gold_start and guess_start and guessed_type == correct_type:
            in_correct = True
        if gold_start:
            counts["gold"][correct_type] += 1
        if guess_start:
            counts["guessed"][guessed_type] += 1
        last_correct, last_guessed, last_correct_type, last_guessed_type = correct, guessed, correct_type, guessed_type
    if in_correct:
        counts["correct"][last_correct_type] += 1
    return counts


def conlleval_prf(counts: dict[str, Counter[str]], type_: str | None = None) -> tuple[float, float, float]:
    """Precision, recall and F1 as conlleval prints them (as fractions), overall or for one type."""

    def pick(name: str) -> int:
        return counts[name][type_] if type_ is not None else sum(counts[name].values())

    correct, guessed, gold = pick("correct"), pick("guessed"), pick("gold")
    precision = correct / guessed if guessed else 0.0
    recall = correct / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def as_lines(gold: list[list[str]], predicted: list[list[str]]) -> list[str]:
    """The `token gold predicted` lines of a predictions file, blank line after each sentence."""
    lines = []
    for gold_tags, predicted_tags in zip(gold, predicted, strict=True):
        lines += [f"w{i} {g} {p}" for i, (g, p) in enumerate(zip(gold_tags, predicted_tags, strict=True))] + [""]
    return lines


EDGE_CASES = {
    "stray I- opens a span": ([["O", "I-PER", "I-PER", "O"]], [["O", "B-PER", "I-PER", "O"]]),
    "stray I- in both": ([["I-LOC", "O"]], [["I-LOC", "O"]]),
    "type change mid-span": ([["B-ORG", "I-ORG", "I-ORG"]], [["B-ORG", "I-LOC", "I-LOC"]]),
    "type change, gold side": ([["B-ORG", "I-LOC", "O"]], [["B-ORG", "B-LOC", "O"]]),
    "span at sentence end": ([["O", "B-LOC"], ["B-PER", "I-PER"]], [["O", "B-LOC"], ["B-PER", "O"]]),
    "sentence end splits an I- run": ([["B-PER"], ["I-PER", "O"]], [["B-PER"], ["I-PER", "O"]]),
    "B- after B- of the same type": ([["B-PER", "B-PER"]], [["B-PER", "I-PER"]]),
    "prediction longer than gold": ([["B-DATE", "O", "O"]], [["B-DATE", "I-DATE", "O"]]),
    "nothing predicted": ([["B-PER", "I-PER"]], [["O", "O"]]),
}


@pytest.mark.parametrize("case", list(EDGE_CASES))
def test_layer_metrics_equal_conlleval_and_seqeval_on_edge_cases(case: str) -> None:
    gold, predicted = EDGE_CASES[case]
    metrics = layer_metrics(gold, predicted)
    counts = conlleval(as_lines(gold, predicted))
    assert (metrics["precision"], metrics["recall"], metrics["f1"]) == pytest.approx(conlleval_prf(counts), abs=1e-6)
    assert metrics["f1"] == pytest.approx(f1_score(gold, predicted, zero_division=0), abs=1e-6)
    for type_, row in metrics["per_type"].items():
        assert row["support"] == counts["gold"][type_]
        assert row["f1"] == pytest.approx(conlleval_prf(counts, type_)[2], abs=1e-6)
    totals = sentence_counts(gold, predicted).sum(axis=0)
    assert totals.tolist() == [sum(counts[k].values()) for k in ("correct", "guessed", "gold")]


def test_conlleval_reference_counts_the_known_cases() -> None:
    # Pin the reference itself, so a bug in it cannot hide one in Hadath: counts worked out by hand from the Perl.
    counts = conlleval(as_lines(*EDGE_CASES["type change mid-span"]))
    assert counts["gold"] == Counter({"ORG": 1}) and counts["guessed"] == Counter({"ORG": 1, "LOC": 1})
    assert sum(counts["correct"].values()) == 0
    counts = conlleval(as_lines(*EDGE_CASES["sentence end splits an I- run"]))
    assert counts["gold"] == Counter({"PER": 2}) and counts["correct"] == Counter({"PER": 2})


TAGS = st.sampled_from(["O", "O", "B-PER", "I-PER", "B-LOC", "I-LOC"])
SENTENCE = st.integers(1, 8).flatmap(lambda n: st.tuples(st.lists(TAGS, min_size=n, max_size=n),
                                                         st.lists(TAGS, min_size=n, max_size=n)))  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.lists(SENTENCE, min_size=1, max_size=5))
def test_layer_metrics_equal_conlleval_on_random_tags(pairs: list[tuple[list[str], list[str]]]) -> None:
    gold, predicted = [g for g, _ in pairs], [p for _, p in pairs]
    counts = conlleval(as_lines(gold, predicted))
    totals = sentence_counts(gold, predicted).sum(axis=0)
    assert totals.tolist() == [sum(counts[k].values()) for k in ("correct", "guessed", "gold")]
    assert f1_score(gold, predicted, zero_division=0) == pytest.approx(conlleval_prf(counts)[2], abs=1e-9)


def test_strict_mode_ignores_stray_inside_tags() -> None:
    gold = [["B-PER", "I-PER", "O", "I-LOC"]]
    predicted = [["B-PER", "I-PER", "O", "I-LOC"]]
    metrics = layer_metrics(gold, predicted)
    assert metrics["f1"] == 1.0 and metrics["per_type"]["LOC"]["support"] == 1  # conlleval: I-LOC is an entity
    assert metrics["strict"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "macro_f1": 1.0, "support": 1}
    metrics = layer_metrics([["B-PER", "I-PER"]], [["I-PER", "I-PER"]])
    assert metrics["f1"] == 1.0 and metrics["strict"]["f1"] == 0.0


def test_partial_scores_follow_semeval_2013() -> None:
    # gold: PER(0,2) LOC(3,4) ORG(5,7) DATE(8,9); predicted: PER(0,2) ORG(3,4) ORG(5,6) nothing; LOC(9,10) spurious
    gold = [["B-PER", "I-PER", "O", "B-LOC", "O", "B-ORG", "I-ORG", "O", "B-DATE", "O"]]
    predicted = [["B-PER", "I-PER", "O", "B-ORG", "O", "B-ORG", "O", "O", "O", "B-LOC"]]
    metrics = layer_metrics(gold, predicted)
    assert metrics["errors"]["counts"] == {
        "correct": 1, "type": 1, "boundary": 1, "boundary_type": 0, "missed": 1, "spurious": 1,
    }  # fmt: skip
    partial = metrics["partial"]
    assert partial["strict"]["correct"] == 1 and partial["strict"]["possible"] == 4 and partial["strict"]["actual"] == 4
    assert partial["strict"]["f1"] == pytest.approx(0.25)
    assert partial["exact"]["correct"] == 2 and partial["exact"]["f1"] == pytest.approx(0.5)
    assert partial["partial"]["precision"] == pytest.approx((2 + 0.5) / 4)
    assert partial["type"]["correct"] == 2 and partial["type"]["incorrect"] == 1
    confusion = metrics["errors"]["confusion"]
    assert confusion["labels"] == ["DATE", "LOC", "ORG", "PER", "∅"]
    cell = {(g, p): confusion["matrix"][i][j] for i, g in enumerate(confusion["labels"])
            for j, p in enumerate(confusion["labels"])}  # fmt: skip
    assert cell["LOC", "ORG"] == 1 and cell["ORG", "ORG"] == 1 and cell["DATE", "∅"] == 1 and cell["∅", "LOC"] == 1
    assert sum(map(sum, confusion["matrix"])) == 5


def test_matching_is_one_to_one() -> None:
    # One gold span overlapped by two predictions: the larger overlap is the boundary error, the other spurious.
    matches = match_spans([TagSpan(0, 4, "ORG")], [TagSpan(0, 1, "ORG"), TagSpan(1, 4, "ORG")])
    assert sorted((m.kind, m.predicted) for m in matches) == [
        ("boundary", TagSpan(1, 4, "ORG")),
        ("spurious", TagSpan(0, 1, "ORG")),
    ]


def test_bootstrap_interval_is_seeded_and_brackets_the_score() -> None:
    rng = np.random.default_rng(0)
    gold = rng.integers(0, 4, size=300)
    counts = np.stack([np.minimum(gold, rng.integers(0, 4, size=300)), rng.integers(0, 4, size=300), gold], axis=1)
    counts[:, 0] = np.minimum(counts[:, 0], counts[:, 1])
    point = float(f1_from_counts(counts.sum(axis=0).astype(float)))
    low, high = f1_interval(counts, samples=500, seed=1)
    assert low < point < high and high - low < 0.15
    assert f1_interval(counts, samples=500, seed=1) == (low, high)
    assert f1_interval(counts[:1].repeat(50, axis=0)) == pytest.approx(2 * [float(f1_from_counts(counts[0] * 1.0))])


def test_paired_bootstrap_p_value() -> None:
    gold = np.full(200, 2)
    weak = np.stack([np.r_[np.ones(100), np.zeros(100)], np.full(200, 2), gold], axis=1).astype(np.int64)
    strong = np.stack([np.full(200, 2), np.full(200, 2), gold], axis=1).astype(np.int64)
    same = paired_bootstrap(weak, weak, samples=300)
    assert same.delta == 0.0 and same.p_value == 1.0
    better = paired_bootstrap(weak, strong, samples=300)
    assert better.delta == pytest.approx(1.0 - 0.25) and better.p_value == pytest.approx(1 / 301)
    assert better.low > 0.6


def test_label_metrics_interval() -> None:
    gold = np.array([[1, 0], [0, 1], [1, 1]] * 20, dtype=float)
    scores = np.array([[0.9, 0.2], [0.4, 0.6], [0.7, 0.3]] * 20)
    metrics = label_metrics(gold, scores, ["A", "B"], threshold=0.5)
    low, high = metrics["f1_ci95"]
    assert low <= metrics["f1"] <= high < 1.0


def _quadratic_match_spans(gold: list[TagSpan], predicted: list[TagSpan]) -> list[tuple[str, object, object]]:
    """The O(gold × predicted) matcher match_spans replaced, kept as the reference its results must equal."""
    free_gold, free_predicted = list(gold), list(predicted)
    matches: list[tuple[str, object, object]] = []
    bounds = {(span.start, span.end): span for span in free_gold}

    def kind(g: TagSpan, p: TagSpan) -> str:
        if (g.start, g.end) == (p.start, p.end):
            return "correct" if g.label == p.label else "type"
        return "boundary" if g.label == p.label else "boundary_type"

    def overlap(a: TagSpan, b: TagSpan) -> int:
        return max(0, min(a.end, b.end) - max(a.start, b.start))

    for span in list(free_predicted):
        partner = bounds.pop((span.start, span.end), None)
        if partner is not None:
            matches.append((kind(partner, span), partner, span))
            free_gold.remove(partner)
            free_predicted.remove(span)
    pairs = sorted(
        ((overlap(g, p), g, p) for g in free_gold for p in free_predicted if overlap(g, p)),
        key=lambda item: (-item[0], item[1], item[2]),
    )
    for _, g, p in pairs:
        if g in free_gold and p in free_predicted:
            matches.append((kind(g, p), g, p))
            free_gold.remove(g)
            free_predicted.remove(p)
    matches.extend(("missed", g, None) for g in free_gold)
    matches.extend(("spurious", None, p) for p in free_predicted)
    return matches


_SPAN = st.builds(
    lambda start, length, label: TagSpan(start, start + length, label),
    st.integers(0, 12),
    st.integers(0, 5),
    st.sampled_from(["PER", "LOC", "ORG"]),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_SPAN, max_size=10), st.lists(_SPAN, max_size=10))
def test_linear_matching_equals_the_quadratic_one(gold: list[TagSpan], predicted: list[TagSpan]) -> None:
    # Any spans at all: overlapping, nested, duplicated, empty — not only the disjoint ones a tag sequence gives.
    got = [(m.kind, m.gold, m.predicted) for m in match_spans(gold, predicted)]
    assert got == _quadratic_match_spans(gold, predicted)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["O", "B-PER", "I-PER", "B-LOC", "I-LOC"]), max_size=30), st.randoms())
def test_linear_matching_equals_the_quadratic_one_on_tag_sequences(tags: list[str], rng) -> None:  # type: ignore[no-untyped-def]
    from hadath.data.schemes import spans_from_tags

    other = [rng.choice(["O", "B-PER", "I-PER", "B-LOC"]) if rng.random() < 0.3 else tag for tag in tags]
    gold, predicted = spans_from_tags(tags), spans_from_tags(other)
    got = [(m.kind, m.gold, m.predicted) for m in match_spans(gold, predicted)]
    assert got == _quadratic_match_spans(gold, predicted)


def test_matching_8000_spans_in_one_sentence_is_fast() -> None:
    import time

    # Single-word gold spans against two-word predictions shifted by one: nothing exact, everything overlaps.
    gold = [TagSpan(2 * i, 2 * i + 1, "PER") for i in range(8000)]
    predicted = [TagSpan(2 * i + 1, 2 * i + 3, "PER") for i in range(8000)]
    started = time.perf_counter()
    matches = match_spans(gold, predicted)
    assert time.perf_counter() - started < 2.0  # 51 s with the quadratic matcher
    assert Counter(m.kind for m in matches) == {"boundary": 7999, "missed": 1, "spurious": 1}
