"""The CRF: its likelihood matches brute-force enumeration; packing keeps exactly the labelled words."""

from __future__ import annotations

import itertools

import numpy as np
import torch

from hadath.data.align import IGNORE
from hadath.models.crf import LinearChainCRF, pack_words
from hadath.models.decoding import build_constraints, viterbi_decode

LABELS = ["O", "B-PER", "I-PER"]


def brute_force_nll(crf: LinearChainCRF, emissions: torch.Tensor, tags: list[int]) -> float:
    start, transitions, end = (t.detach().double() for t in crf._scores())
    e = emissions.detach().double()

    def path_score(path: tuple[int, ...]) -> float:
        total = start[path[0]] + e[0, path[0]] + end[path[-1]]
        for i in range(1, len(path)):
            total = total + transitions[path[i - 1], path[i]] + e[i, path[i]]
        return float(total)

    scores = [path_score(p) for p in itertools.product(range(len(LABELS)), repeat=len(tags))]
    return float(np.logaddexp.reduce(scores) - path_score(tuple(tags)))


def test_nll_equals_enumeration_with_masking() -> None:
    torch.manual_seed(0)
    crf = LinearChainCRF(build_constraints(LABELS))
    with torch.no_grad():
        crf.transitions.normal_()
        crf.start.normal_()
        crf.end.normal_()
    emissions = torch.randn(2, 4, 3)
    tags = torch.tensor([[1, 2, 0, 1], [0, 1, 0, 0]])
    mask = torch.tensor([[True] * 4, [True, True, False, False]])
    expected = brute_force_nll(crf, emissions[0], [1, 2, 0, 1]) + brute_force_nll(crf, emissions[1, :2], [0, 1])
    assert abs(float(crf.nll(emissions, tags, mask).detach()) - expected / 6) < 1e-4


def test_forbidden_transitions_are_penalised_in_training() -> None:
    crf = LinearChainCRF(build_constraints(LABELS))
    start, transitions, _ = (t.detach() for t in crf._scores())
    assert float(start[2]) < -1e3  # I-PER cannot start
    assert float(transitions[0, 2]) < -1e3  # O -> I-PER is ill-formed
    assert float(transitions[1, 2]) == 0.0


def test_pack_words_left_aligns_labelled_positions() -> None:
    logits = torch.arange(2 * 5 * 3, dtype=torch.float).reshape(2, 5, 3)
    labels = torch.tensor([[IGNORE, 1, IGNORE, 2, IGNORE], [IGNORE, 0, 0, 0, IGNORE]])
    emissions, tags, mask = pack_words(logits, labels, IGNORE)
    assert mask.tolist() == [[True, True, False], [True, True, True]]
    assert tags.tolist() == [[1, 2, 0], [0, 0, 0]]
    assert torch.equal(emissions[0, 1], logits[0, 3])


def test_decoding_adds_learned_chain_scores() -> None:
    crf = LinearChainCRF(build_constraints(LABELS))
    with torch.no_grad():
        crf.transitions[1, 1] = -5.0  # B-PER -> B-PER strongly disfavoured
    scores = np.log(np.array([[0.1, 0.8, 0.1], [0.1, 0.5, 0.4]]))
    constraints = build_constraints(LABELS)
    assert viterbi_decode(scores, constraints).tolist() == [1, 1]
    assert viterbi_decode(scores, constraints, crf.chain_scores()).tolist() == [1, 2]


def test_window_opening_on_inside_tag_is_not_penalised() -> None:
    """A training window cut mid-span starts on I-PER: its gold path must keep an ordinary loss (not ~1e4/word)."""
    torch.manual_seed(0)
    crf = LinearChainCRF(build_constraints(LABELS))
    emissions = torch.randn(1, 3, 3)
    loss = float(crf.nll(emissions, torch.tensor([[2, 2, 0]]), torch.ones(1, 3, dtype=torch.bool)).detach())
    assert 0.0 < loss < 5.0
    # The lifted start is exactly the unconstrained start: enumeration with start penalties removed.
    free = LinearChainCRF(build_constraints(LABELS))
    free.start_penalty = torch.zeros(3)
    expected = brute_force_nll(free, emissions[0], [2, 2, 0]) / 3
    assert abs(loss - expected) < 1e-4
    # A row that opens normally in the same batch still gets the start rules.
    both = crf.nll(emissions.repeat(2, 1, 1), torch.tensor([[2, 2, 0], [1, 2, 0]]), torch.ones(2, 3, dtype=torch.bool))
    normal = brute_force_nll(crf, emissions[0], [1, 2, 0])
    assert abs(float(both.detach()) - (3 * expected + normal) / 6) < 1e-4
