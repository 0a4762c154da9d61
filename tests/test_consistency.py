"""Annotation consistency: one string, one reading per layer — found with counts and FILE:LINE, text and JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hadath.cli import main
from hadath.data.consistency import find_inconsistencies
from hadath.data.normalize import NormalizerSettings, normalize_word
from hadath.data.schemes import TagSpan
from hadath.data.sentence import Sentence
from hadath.data.words import split_words

DEFAULT = NormalizerSettings.preset("default")


def _sentence(text: str, layers: dict[str, list[TagSpan]], source: str) -> Sentence:
    return Sentence(text, split_words(text), layers, [], source)


def test_strings_read_two_ways_are_counted_with_their_first_location() -> None:
    sentences = [
        _sentence("استهدف مسلحون رتلا", {"events": [TagSpan(0, 1, "ATTACK")]}, "train.jsonl:1"),
        _sentence("الهجوم الذي استهدف المدينة", {"events": [TagSpan(0, 1, "ATTACK")]}, "train.jsonl:2"),
        _sentence("ثم استهدف مسلحون قرية", {}, "train.jsonl:3"),
        _sentence("زار سالم الجبوري بغداد", {"entities": [TagSpan(1, 3, "PER"), TagSpan(3, 4, "LOC")]}, "a:1"),
        _sentence("في مطار بغداد الدولي", {"entities": [TagSpan(1, 4, "LOC")]}, "a:2"),  # inside a span: no reading
        _sentence("عاد الجبوري إلى بغداد", {"entities": [TagSpan(3, 4, "ORG")]}, "a:3"),
    ]
    found = find_inconsistencies(sentences, lambda word: normalize_word(word, DEFAULT))
    assert [(i.text, dict(i.counts), i.where) for i in found["events"]] == [
        ("استهدف", {"ATTACK": 1, "O": 2}, {"ATTACK": "train.jsonl:1", "O": "train.jsonl:2"})
    ]
    (bagdad,) = found["entities"]  # "سالم الجبوري" is one span; "الجبوري" alone was never annotated
    assert (bagdad.text, dict(bagdad.counts), bagdad.minority) == ("بغداد", {"LOC": 1, "ORG": 1}, 1)
    assert bagdad.describe() == '"بغداد" (entities): LOC 1× (a:1), ORG 1× (a:3)'


def test_consistent_and_diacritized_copies_are_not_reported() -> None:
    sentences = [
        _sentence("قال الوزير", {"events": [TagSpan(0, 1, "STATEMENT")]}, "f:1"),
        _sentence("قَالَ النائب", {"events": [TagSpan(0, 1, "STATEMENT")]}, "f:2"),
    ]
    assert find_inconsistencies(sentences, lambda word: normalize_word(word, DEFAULT)) == {"events": []}


def test_data_check_reports_inconsistencies_in_text_and_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "train.conll").write_text(
        "زار O\nبغداد B-LOC\n\nفي O\nبغداد O\nأمس O\n\nمن O\nبغداد B-LOC\n", encoding="utf-8"
    )
    config = tmp_path / "exp.yaml"
    config.write_text("data: {train: train.conll, format: conll}\n", encoding="utf-8")
    assert main(["data", "check", str(config), "--json"]) == 0
    findings = {f["check"]: f for f in json.loads(capsys.readouterr().out)["findings"]}
    finding = findings["strings annotated inconsistently (entities)"]
    assert finding["count"] == 1
    assert finding["examples"] == [f'"بغداد" (entities): LOC 2× ({tmp_path / "train.conll"}:1), '
                                   f'O 1× ({tmp_path / "train.conll"}:4)']  # fmt: skip
    assert main(["data", "check", str(config)]) == 0
    assert "[WARN] strings annotated inconsistently (entities): 1 — trained as they are" in capsys.readouterr().out
