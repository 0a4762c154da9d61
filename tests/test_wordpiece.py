"""The scratch vocabulary: learned merges, tie-breaks by the pieces themselves, identical in every process."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from hadath.models.scratch import SPECIAL_TOKENS, train_wordpiece
from hadath.models.wordpiece import learn_vocabulary, merge_pieces

ROOT = Path(__file__).resolve().parents[1]


def test_merges_the_most_frequent_pair_first_and_breaks_ties_by_vocabulary_position() -> None:
    vocabulary = learn_vocabulary(Counter({"ab": 3, "cd": 3, "ce": 1}), 100, 2, ["[UNK]"])
    assert vocabulary[:6] == ["[UNK]", "##b", "##d", "##e", "a", "c"]
    # "ab" and "cd" both occur 3 times: ("a", "##b") holds earlier pieces; "ce" (once) is below min_frequency.
    assert vocabulary[6:] == ["ab", "cd"]


def test_stops_at_the_vocabulary_size() -> None:
    # Three pairs occur 5 times: ("##b", "##c") holds the earliest pieces ("#" sorts before "a"); then ("a", "##bc")
    # (positions 3, 4) comes before ("##bc", "##d") (positions 4, 2).
    assert learn_vocabulary(Counter({"abcd": 5}), 6, 1, []) == ["##b", "##c", "##d", "a", "##bc", "abc"]


def test_merge_joins_every_occurrence_left_to_right() -> None:
    assert merge_pieces(["a", "##a", "##a"], ("a", "##a")) == ["aa", "##a"]
    assert merge_pieces(["##a", "##a", "##a", "##a"], ("##a", "##a")) == ["##aa", "##aa"]


def test_tokenizer_splits_unknown_words_into_learned_pieces() -> None:
    tokenizer = train_wordpiece(["كتب", "كتاب", "مكتب", "كتب"], 40, 1)
    assert set(SPECIAL_TOKENS) <= set(tokenizer.get_vocab())
    assert tokenizer.tokenize("كتب") == ["كتب"]
    assert tokenizer.tokenize("كتابكتب") == ["كتاب", "##كتب"]
    assert tokenizer.tokenize("مكتاب") == ["م", "##ك", "##تاب"]


VOCABULARY_SCRIPT = """
import hashlib, json, sys
from hadath.models.scratch import train_wordpiece
texts = [json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8")]
tokenizer = train_wordpiece((word for text in texts for word in text.split()), 4000, 1)
print(hashlib.sha256(tokenizer.backend_tokenizer.to_str().encode()).hexdigest(), len(tokenizer))
"""


@pytest.mark.slow
def test_two_processes_with_different_hash_seeds_learn_the_same_vocabulary(tmp_path: Path) -> None:
    results = []
    for seed in ("0", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
        command = [sys.executable, "-c", VOCABULARY_SCRIPT, str(ROOT / "data" / "corpus" / "train.jsonl")]
        results.append(subprocess.run(command, capture_output=True, text=True, check=True, env=env).stdout)
    digest, size = results[0].split()
    assert int(size) > 1000
    assert results[0] == results[1]
    assert len(digest) == len(hashlib.sha256().hexdigest())
