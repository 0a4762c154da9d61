"""`hadath data check`: label sets across splits, orphan I- tags, zero-piece words, long sequences, duplicates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tokenizers import normalizers

from hadath.cli import main
from hadath.data.check import (
    duplicate_findings,
    label_set_findings,
    length_findings,
    normalization_cost_finding,
    orphan_tags,
    zero_piece_findings,
    zero_piece_kind,
)
from hadath.data.normalize import NormalizerSettings
from hadath.data.readers.options import ReadOptions
from hadath.data.schemes import TagSpan
from hadath.data.sentence import Sentence
from hadath.data.words import split_words
from hadath.models.scratch import train_wordpiece

DEFAULT = NormalizerSettings.preset("default")


def _sentence(text: str, spans: dict[str, list[TagSpan]] | None = None, source: str = "f:1") -> Sentence:
    return Sentence(text, split_words(text), spans or {}, [], source)


@pytest.fixture(scope="module")
def cleaning_tokenizer():  # type: ignore[no-untyped-def]
    """A WordPiece tokenizer that, like AraBERT's, deletes control and private-use characters."""
    tokenizer = train_wordpiece(["قال", "محمد", "في", "بغداد", "كركوك"] * 5, vocab_size=120, min_frequency=1)
    tokenizer.backend_tokenizer.normalizer = normalizers.Sequence(
        [normalizers.NFC(), normalizers.BertNormalizer(clean_text=True, handle_chinese_chars=False, lowercase=False)]
    )
    return tokenizer


def test_label_sets_name_unseen_and_unscored_types() -> None:
    train = [_sentence("قال محمد", {"entities": [TagSpan(1, 2, "PER")], "events": [TagSpan(0, 1, "STATEMENT")]})]
    test = [_sentence("في بغداد", {"entities": [TagSpan(1, 2, "LOC")]})]
    unseen, unscored = label_set_findings({"train": train, "test": test})
    assert unseen.examples == ["test entities: LOC"]
    assert unscored.examples == ["test entities: PER", "test events: STATEMENT"]
    assert "can never predict" in unseen.action


def test_orphan_inside_tags_are_found_with_their_line(tmp_path: Path) -> None:
    path = tmp_path / "d.conll"
    path.write_text("قال O\nمحمد I-PER\nعلي I-PER\n\nفي O\nبغداد B-PER\nكركوك I-LOC\n\nمحمد I-PER\n", encoding="utf-8")
    assert orphan_tags(path, ReadOptions()) == [
        f"{path}:2: I-PER after O",
        f"{path}:7: I-LOC after B-PER",
        f"{path}:9: I-PER after O",  # a sentence break resets: I- cannot continue the previous sentence
    ]
    assert orphan_tags(path, ReadOptions(scheme="IOB1")) == []  # IOB1 opens entities with I- by design


def test_zero_piece_words_are_counted_by_kind(cleaning_tokenizer) -> None:  # type: ignore[no-untyped-def]
    assert zero_piece_kind("\u0651") == "lone diacritic (haraka, shadda)"
    assert zero_piece_kind("\u0640") == "bare tatweel"
    assert zero_piece_kind("\u200c") == "zero-width or bidi mark"
    assert zero_piece_kind("\x01") == "control character"
    assert zero_piece_kind("\ue000") == "private-use character"
    assert zero_piece_kind("\u0640\u200c") == "mixed marks"
    words = ["قال", "\u0651", "محمد", "\u200c", "\u200d", "\x01", "\ue000", "\u0640", "\u0640", "\u064e\u0651"]
    # Normalization never empties a word: the tatweel and the marks reach the tokenizer, which knows none of them.
    text = " ".join(words)
    offsets, cursor = [], 0
    for word in words:
        offsets.append((cursor, cursor + len(word)))
        cursor += len(word) + 1
    sentence = Sentence(text, offsets, {}, [], "f.conll:3")
    findings = {f.check: f for f in zero_piece_findings({"train": [sentence]}, cleaning_tokenizer, DEFAULT)}
    counts = {name.removeprefix("words that tokenize to nothing: "): f.count for name, f in findings.items()}
    assert counts == {
        "control character": 1,
        "private-use character": 1,
        "zero-width or bidi mark": 2,
        "words the tokenizer only knows as [UNK]": 4,
    }
    assert findings["words that tokenize to nothing: zero-width or bidi mark"].examples == [
        "f.conll:3 word 4: U+200C",
        "f.conll:3 word 5: U+200D",
    ]
    assert "placeholder" in findings["words that tokenize to nothing: control character"].action


def test_a_normalization_that_raises_pieces_per_word_is_named_with_what_to_set_instead() -> None:
    # A vocabulary learned on hamza forms as written, the way a pretrained one is: without the hamza, أحمد is pieces.
    written = ["أحمد", "إلى", "أن", "قال", "آمن", "في", "بغداد", "اليوم"]
    tokenizer = train_wordpiece(written * 5, vocab_size=60, min_frequency=1)
    train = [_sentence("قال أحمد إلى بغداد", source="f:1"), _sentence("أن آمن في بغداد", source="f:2")]
    finding = normalization_cost_finding(train, tokenizer, DEFAULT)
    assert finding.count == 4  # أحمد إلى أن آمن: one piece each as written, more once the alef is unified
    assert finding.action.startswith("preset default: ")
    figures = [word for word in finding.action.replace(",", " ").split() if word[0].isdigit() and "." in word]
    assert float(figures[0]) > float(figures[1]) == 1.0
    assert finding.action.endswith("set data.normalize.preset: pretrained")
    assert finding.examples == [
        "f:1 word 2: 'أحمد' 1 -> 3 pieces",
        "f:1 word 3: 'إلى' 1 -> 2 pieces",
        "f:2 word 1: 'أن' 1 -> 2 pieces",
    ]
    assert normalization_cost_finding(train, tokenizer, NormalizerSettings.preset("pretrained")).ok
    # A vocabulary learned on the normalized words (the scratch encoder) is not dearer with the default.
    unified = train_wordpiece(["احمد", "الى", "ان", "قال", "امن", "في", "بغداد"] * 5, vocab_size=60, min_frequency=1)
    assert normalization_cost_finding(train, unified, DEFAULT).ok


def test_long_sentences_are_reported_as_windowed(cleaning_tokenizer) -> None:  # type: ignore[no-untyped-def]
    long = _sentence(" ".join(["محمد في بغداد"] * 10), source="f:5")
    short = _sentence("قال محمد", source="f:9")
    windowed, truncated = length_findings({"train": [short, long]}, cleaning_tokenizer, DEFAULT, 16, 4)
    assert (windowed.count, windowed.examples, truncated.count) == (1, ["f:5"], 0)
    assert "(16 pieces)" in windowed.check


def test_duplicates_across_splits_match_after_normalization() -> None:
    train = [_sentence("قال محمد في بغداد", source="train:1"), _sentence("زار علي كركوك", source="train:2")]
    test = [_sentence("قَالَ مُحَمَّد في بغداد", source="test:1"), _sentence("زار علي الموصل", source="test:2")]
    finding = duplicate_findings({"train": train, "test": test}, DEFAULT)
    assert (finding.count, finding.examples) == (1, ["test:1 (also train:1)"])
    assert duplicate_findings({"train": train, "test": test}, NormalizerSettings.preset("none")).count == 0


def test_cli_data_check_reports_every_finding(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "train.conll").write_text(
        "قال O\nمحمد B-PER\nفي O\nبغداد B-LOC\n\nزار O\nعلي I-PER\n\u0640 O\n", encoding="utf-8"
    )
    (tmp_path / "test.conll").write_text("قال O\nمحمد B-PER\nفي O\nبغداد B-LOC\n\nفي O\nالموصل B-GPE\n")
    config = tmp_path / "exp.yaml"
    config.write_text("data: {train: train.conll, test: test.conll, format: conll}\n", encoding="utf-8")
    assert main(["data", "check", str(config), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["splits"] == {"train": {"sentences": 2, "words": 7}, "test": {"sentences": 2, "words": 6}}
    counts = {finding["check"]: finding["count"] for finding in report["findings"]}
    assert counts["labels in dev/test that train lacks"] == 1
    assert counts["orphan I- tags"] == 1
    assert counts["words that tokenize to nothing"] == 0  # the bare tatweel is kept, and the vocabulary learns it
    assert counts["training words normalization splits into more pieces"] == 0  # its vocabulary is of normalized words
    assert counts["sentences shared between splits"] == 1
    assert main(["data", "check", str(config)]) == 0
    text = capsys.readouterr().out
    assert "[WARN] orphan I- tags: 1 — read as the start of an entity" in text
    assert f"{tmp_path / 'train.conll'}:7: I-PER after O" in text
