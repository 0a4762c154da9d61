"""Bounded work before any model runs: `data check` refuses a bad config or file before torch loads and reads a long
sentence in linear time; one input line is held to the same work limits as one server request."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hadath.data.check import normalization_cost_finding
from hadath.data.consistency import find_inconsistencies
from hadath.data.normalize import NormalizerSettings
from hadath.data.schemes import TagSpan
from hadath.data.sentence import Sentence
from hadath.data.words import split_words
from hadath.inference.request_cost import MAX_CHARACTERS, MAX_PIECES, line_cost_check
from hadath.predict_input import Skipped, input_records
from hadath.serve import Limits

ROOT = Path(__file__).resolve().parents[1]
BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
)
# Runs `hadath data check` in a fresh interpreter and says whether torch was imported by the time it answered.
PROBE = (
    "import sys; from hadath.cli import main; code = main(['data', 'check', sys.argv[1]]); "
    "print(code, 'torch' in sys.modules, 'transformers' in sys.modules)"
)


def _probe(config: Path) -> tuple[str, str, float]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", PROBE, str(config)], capture_output=True, text=True, timeout=120,
                          cwd=ROOT)  # fmt: skip
    return done.stdout.strip(), done.stderr.strip(), time.perf_counter() - started


def test_data_check_refuses_an_alias_bomb_before_loading_torch(tmp_path: Path) -> None:
    config = tmp_path / "bomb.yaml"
    config.write_text(BOMB.replace("i: &i", "name: &i"), encoding="utf-8")
    out, err, seconds = _probe(config)
    assert out == "1 False False", (out, err)  # it loaded neither torch nor transformers (12 s, 475 MB before)
    assert "more than 64 aliases" in err and len(err.splitlines()) == 1, err
    assert seconds < 30, seconds


def test_data_check_refuses_an_endless_line_before_loading_torch(tmp_path: Path) -> None:
    data = tmp_path / "train.jsonl"
    data.write_text(json.dumps({"text": "بغداد " * 300_000, "entities": []}, ensure_ascii=False) + "\n")
    config = tmp_path / "huge.yaml"
    config.write_text(f"name: huge\ndata:\n  train: {data}\n  format: jsonl\n", encoding="utf-8")
    out, err, _ = _probe(config)
    assert out == "1 False False", (out, err)
    assert f"{data}:1: line longer than" in err, err


def _counting_words(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count each time a sentence lists all its words (`Sentence.words` builds the list anew every time)."""
    calls = [0]
    words = Sentence.words.fget  # type: ignore[attr-defined]

    def counted(sentence: Sentence) -> list[str]:
        calls[0] += 1
        return words(sentence)

    monkeypatch.setattr(Sentence, "words", property(counted))
    return calls


def test_data_check_reads_a_long_sentence_a_constant_number_of_times(monkeypatch: pytest.MonkeyPatch) -> None:
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    # 3,000 words of 17 x U+FDFA, each normalized to 306 letters, in one sentence with a span on every other word:
    # the finding and the consistency pass listed every word once per word or span (quadratic: 40 s on 10k words).
    text = " ".join(["\ufdfa" * 17] * 3000)
    sentence = Sentence(text, split_words(text), {"entities": [TagSpan(i, i + 1, "X") for i in range(0, 3000, 2)]})
    backend = Tokenizer(models.WordLevel({"[UNK]": 0, "ﷺ": 1}, unk_token="[UNK]"))
    backend.pre_tokenizer = pre_tokenizers.Split("", "isolated")
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=backend, unk_token="[UNK]")
    calls = _counting_words(monkeypatch)
    finding = normalization_cost_finding([sentence], tokenizer, NormalizerSettings.preset("default"))
    assert finding.count == 3000 and len(finding.examples) == 1, finding
    assert find_inconsistencies([sentence])["entities"], "every other word is annotated: the rest are inconsistent"
    assert calls[0] <= 10, calls[0]


def test_one_source_for_the_work_limits() -> None:
    from hadath.cli import _parser

    limits = Limits()
    assert (limits.max_characters, limits.max_pieces) == (MAX_CHARACTERS, MAX_PIECES)
    for command in (["serve", "m"], ["predict", "m"]):
        args = _parser().parse_args(command)
        assert (args.max_characters, args.max_pieces) == (MAX_CHARACTERS, MAX_PIECES), command


def test_a_line_over_the_work_limits_is_a_skipped_record_naming_it() -> None:
    from tokenizers import Tokenizer, models, pre_tokenizers

    backend = Tokenizer(models.WordLevel({"[UNK]": 0}, unk_token="[UNK]"))
    backend.pre_tokenizer = pre_tokenizers.Split("", "isolated")  # one piece a character: 306 for a bomb word

    class Light:  # what LightTokenizer gives request_cost: a `tokenizers` backend
        def __init__(self) -> None:
            self.backend = backend

    settings = NormalizerSettings.preset("default")
    check = line_cost_check(Light(), settings, max_characters=100_000, max_pieces=5_000)
    bomb = " ".join(["\ufdfa" * 17] * 20)  # 340 characters in, 6,120 pieces out
    lines = ["زار محمد بغداد\n", bomb + "\n", json.dumps({"id": 7, "text": bomb}) + "\n", "\ufdfa " * 200 + "\n"]
    records = list(input_records(lines, "auto", "in.txt", check))
    assert records[0] == {"text": "زار محمد بغداد"}
    assert isinstance(records[1], Skipped) and isinstance(records[2], Skipped)
    assert records[1].message == (
        "in.txt:2: line is over the limit of 5000 subword pieces for the model — split it (or raise --max-pieces)"
    )
    assert records[2].message.startswith("in.txt:3: line is over the limit of 5000 subword pieces")
    assert records[3] == {"text": "\ufdfa " * 200}  # 200 words of 18 pieces: within both limits
    tight = line_cost_check(Light(), settings, max_characters=1_000, max_pieces=5_000)
    (refused,) = input_records([bomb], "text", "in.txt", tight)
    assert isinstance(refused, Skipped) and "in.txt:1: line is over the limit of 1000 characters once normalized" in (
        refused.message
    ), refused
