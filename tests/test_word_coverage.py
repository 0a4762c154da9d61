"""One prediction per input word, in every layer, end to end: words that tokenize to nothing (lone shadda, ZWNJ/ZWJ,
a control character, a private-use character, a bare tatweel) go through train, evaluate and predict; scores are
per word from the first-subword decision even when training labels every subword; unknown labels are refused."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
import torch
from seqeval.metrics import f1_score
from tokenizers import normalizers
from transformers import AutoTokenizer

from hadath.cli import main
from hadath.data.align import word_pieces
from hadath.data.encode import SENTENCE_LABELS, LabelSpace, encode_windows
from hadath.data.readers import ReadOptions, read_sentences
from hadath.data.sentence import Sentence
from hadath.data.words import split_words
from hadath.evaluation.evaluate import apply_label_map, check_labels, unknown_labels
from hadath.inference.tagger import Tagger
from hadath.models.decoding import viterbi_decode

pytestmark = pytest.mark.slow

# The CoNLL reader keeps a token made of zero-width marks alone (with a warning); it gets a placeholder piece.
ZERO_PIECE = {
    "lone shadda": "\u0651",
    "zero-width non-joiner": "\u200c",
    "zero-width joiner": "\u200d",
    "zero-width non-joiner on a tatweel": "\u0640\u200c",
    "control character": "\x01",
    "private-use character": "\ue000",
    "bare tatweel": "\u0640",
}
LONE_MARKS = ("\u200c", "\u200d")
# Hadath never normalizes a word to nothing (a bare tatweel or lone mark keeps itself): no word is normalized away.
NORMALIZED_AWAY: set[str] = set()
COLUMNS = {"entities": 1, "events": 2}
Row = tuple[str, str, str]


def _sentences() -> list[list[Row]]:
    sentences: list[list[Row]] = []
    for index, mark in enumerate(ZERO_PIECE.values()):
        # Half the marks sit inside an entity, half between words: both must keep their word.
        inside = "I-PER" if index % 2 == 0 else "O"
        sentences.append(
            [("قال", "O", "O"), ("محمد", "B-PER", "O"), (mark, inside, "O"), ("إن", "O", "O"),
             ("الهجوم", "O", "B-ATTACK"), ("وقع", "O", "O"), ("في", "O", "O"), ("بغداد", "B-LOC", "O")]
        )  # fmt: skip
    sentences.append([(mark, "O", "O") for mark in ZERO_PIECE.values()])
    sentences.append([("\u0640", "O", "O")])
    # Longer than the 32-piece window whatever the vocabulary (38 words, each at least one piece): cut into
    # overlapping windows, each word predicted once.
    long = [("اعتقلت", "O", "B-ARREST"), ("الشرطة", "O", "O")]
    for number in range(12):
        long += [(list(ZERO_PIECE.values())[number % 6], "O", "O"), ("في", "O", "O"), ("كركوك", "B-LOC", "O")]
    sentences.append(long)
    return sentences


def _write_conll(path: Path, sentences: list[list[Row]]) -> Path:
    path.write_text("\n\n".join("\n".join(" ".join(row) for row in s) for s in sentences) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A tiny model trained (labelling every subword) on the zero-piece corpus, plus a copy whose tokenizer deletes
    control and private-use characters the way AraBERT's BertNormalizer does."""
    root = tmp_path_factory.mktemp("coverage")
    data = _write_conll(root / "zero.conll", _sentences())
    config = root / "tiny.yaml"
    config.write_text(
        f"name: coverage\ndata: {{train: {data}, format: conll, columns: {{entities: 1, events: 2}}}}\n"
        "model: {max_length: 32, stride: 8, label_all_subwords: true, scratch: {vocab_size: 60, hidden_size: 32,"
        " num_layers: 1, num_heads: 2, intermediate_size: 64}}\n"
        "training: {max_steps: 30, batch_size: 8, learning_rate: 0.01, logging_steps: 10}\n",
        encoding="utf-8",
    )
    assert main(["train", str(config), "--output-dir", str(root / "run")]) == 0
    cleaning = root / "cleaning-model"
    shutil.copytree(root / "run" / "model", cleaning)
    tokenizer = AutoTokenizer.from_pretrained(cleaning)
    tokenizer.backend_tokenizer.normalizer = normalizers.Sequence(
        [normalizers.NFC(), normalizers.BertNormalizer(clean_text=True, handle_chinese_chars=False, lowercase=False)]
    )
    tokenizer.save_pretrained(cleaning)
    return {"data": data, "run": root / "run", "model": root / "run" / "model", "cleaning": cleaning}


def _placeholder_marks(tokenizer_deletes: bool) -> set[str]:
    # A word of lone joiners is kept as it is by Hadath; a cleaning tokenizer (BertNormalizer) deletes it as it deletes
    # control and private-use characters.
    return NORMALIZED_AWAY | ({"\x01", "\ue000", *LONE_MARKS} if tokenizer_deletes else set())


@pytest.mark.parametrize("model_key", ["model", "cleaning"])
def test_evaluate_gives_every_word_one_prediction_per_layer(
    trained: dict[str, Path], tmp_path: Path, model_key: str
) -> None:
    if model_key == "cleaning":
        tokenizer = AutoTokenizer.from_pretrained(trained["cleaning"])
        assert tokenizer("\x01\ue000", add_special_tokens=False)["input_ids"] == []  # the path under test
    assert main(["evaluate", str(trained[model_key]), str(trained["data"]), "--output-dir", str(tmp_path)]) == 0
    sentences = read_sentences(trained["data"], ReadOptions(columns=COLUMNS))
    for layer in COLUMNS:
        blocks = (tmp_path / f"predictions-{layer}.conll").read_text(encoding="utf-8").strip("\n").split("\n\n")
        assert [len(block.split("\n")) for block in blocks] == [len(s.word_offsets) for s in sentences]
        gold = [line.split()[1] for block in blocks for line in block.split("\n")]
        assert gold == [tag for s in sentences for tag in s.tags(layer)]
    words = [word for sentence in _sentences() for word, _, _ in sentence]
    expected = sum(word in _placeholder_marks(model_key == "cleaning") for word in words)
    report = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert f"- words given a placeholder piece: {expected}\n" in report
    assert f"- words (one prediction each, every layer): {len(words)}\n" in report
    assert "- sentences split into windows: 1\n" in report  # the long one: windows must not drop or repeat words


@pytest.mark.parametrize("model_key", ["model", "cleaning"])
def test_predict_gives_every_word_one_prediction_per_layer(
    trained: dict[str, Path], tmp_path: Path, model_key: str, capsys: pytest.CaptureFixture[str]
) -> None:
    tagger = Tagger.load(trained[model_key], device="cpu")
    sentences = read_sentences(trained["data"], ReadOptions(columns=COLUMNS))
    for sentence, prediction in zip(sentences, tagger.predict_sentences(sentences, batch_size=3), strict=True):
        assert set(prediction.tags) == set(COLUMNS)
        for layer in COLUMNS:
            assert len(prediction.tags[layer]) == len(prediction.tag_scores[layer]) == len(sentence.word_offsets)
    lone = Sentence(f"قال {LONE_MARKS[0]} محمد {LONE_MARKS[1]}", [(0, 3), (4, 5), (6, 10), (11, 12)])
    (prediction,) = tagger.predict_sentences([lone])
    assert all(len(prediction.tags[layer]) == 4 for layer in COLUMNS)
    texts = [sentence.text for sentence in sentences]
    raw = [Sentence(text, split_words(text)) for text in texts]
    for sentence, prediction in zip(raw, tagger.predict_sentences(raw), strict=True):
        assert all(len(prediction.tags[layer]) == len(sentence.word_offsets) for layer in COLUMNS)
    source = tmp_path / "in.txt"
    source.write_text("\n".join(texts) + "\n", encoding="utf-8")
    assert main(["predict", str(trained[model_key]), str(source)]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [record["text"] for record in records] == texts
    assert any(record["entities"] + record["events"] for record in records), "no spans: the offsets go unchecked"
    for record in records:
        for span in record["entities"] + record["events"]:
            assert record["text"][span["start"] : span["end"]] == span["text"]


def test_run_report_and_manifest_count_the_placeholder_words(trained: dict[str, Path]) -> None:
    facts = json.loads((trained["run"] / "run.json").read_text(encoding="utf-8"))
    words = [word for sentence in _sentences() for word, _, _ in sentence]
    assert facts["training_placeholder_words"] == sum(word in NORMALIZED_AWAY for word in words)
    assert facts["evaluated_words"] == len(words)
    for directory in (trained["run"], trained["model"]):
        manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["data_files"]["train"]["path"] == str(trained["data"])
        assert manifest["config"]["model"]["label_all_subwords"] is True


def test_scores_come_from_the_first_subword_even_when_training_labelled_all(trained: dict[str, Path]) -> None:
    tagger = Tagger.load(trained["model"], device="cpu")
    sentences = read_sentences(trained["data"], ReadOptions(columns=COLUMNS))
    predictions = tagger.predict_sentences(sentences)
    pieces = word_pieces(sentences, tagger.tokenizer, tagger.metadata.normalizer)
    assert any(len(p) > 1 for row in pieces.pieces for p in row), "no multi-piece word: the test would prove nothing"
    windows = encode_windows(pieces, tagger.tokenizer, tagger.metadata.max_length, tagger.metadata.stride)
    checked = 0
    for window in windows:
        if window.window.start != 0 or window.window.end != len(sentences[window.sentence].word_offsets):
            continue  # multi-window sentences are covered by the coverage tests
        with torch.inference_mode():
            ids = torch.tensor([window.input_ids])
            outputs = tagger.model(input_ids=ids, attention_mask=torch.ones_like(ids))
        first = [i for i, owner in enumerate(window.owners) if owner >= 0 and window.owners[i - 1] != owner]
        for layer, names in tagger.metadata.labels.layers.items():
            matrix = torch.log_softmax(outputs[f"logits_{layer}"][0], dim=-1).numpy()[first]
            expected = [names[i] for i in viterbi_decode(matrix, tagger.constraints[layer])]
            assert predictions[window.sentence].tags[layer] == expected
        checked += 1
    assert checked >= 6
    # metrics.json is seqeval over exactly one row per word, whatever the training-time subword labels were.
    metrics = json.loads((trained["run"] / "metrics.json").read_text(encoding="utf-8"))
    for layer in COLUMNS:
        rows = [
            line.split() for line in (trained["run"] / f"predictions-{layer}.conll").read_text().splitlines() if line
        ]
        assert len(rows) == sum(len(s.word_offsets) for s in sentences)
        gold = [s.tags(layer) for s in sentences]
        predicted = [p.tags[layer] for p in predictions]
        assert metrics[layer]["f1"] == pytest.approx(f1_score(gold, predicted, zero_division=0), abs=1e-6)
        spans = sum(len(s.layers.get(layer, [])) for s in sentences)
        assert sum(row["support"] for row in metrics[layer]["per_type"].values()) == spans


def test_evaluate_refuses_unknown_labels_and_accepts_a_label_map(
    trained: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    foreign = _write_conll(
        tmp_path / "foreign.conll",
        [[("قال", "O", "O"), ("محمد", "B-PERS", "O"), ("في", "O", "O"), ("بغداد", "B-MISC", "O")],
         [("زار", "O", "O"), ("علي", "B-PERS", "O"), ("كركوك", "B-LOC", "O")]],
    )  # fmt: skip
    out = tmp_path / "eval"
    assert main(["evaluate", str(trained["model"]), str(foreign), "--output-dir", str(out)]) == 1
    message = capsys.readouterr().err.strip()
    assert message == (
        f"hadath: error: {foreign}: labels the model does not know — entities: MISC, PERS (model knows LOC, PER) — "
        "map them with `--label-map MISC=O,PERS=PER` (NAME=MODEL_NAME; O drops the type) or evaluate a model "
        "trained on these labels"
    )
    assert not out.exists()
    assert main(["evaluate", str(trained["model"]), str(foreign), "--output-dir", str(out),
                 "--label-map", "PERS=PER,MISC=O"]) == 0  # fmt: skip
    per_type = json.loads((out / "metrics.json").read_text())["entities"]["per_type"]
    assert {name: row["support"] for name, row in per_type.items()} == {"LOC": 1, "PER": 2}


def test_unknown_labels_cover_sentence_labels_and_skip_missing_heads() -> None:
    space = LabelSpace({"entities": ["O", "B-PER", "I-PER"]}, ["SECURITY"])
    text = "قال محمد"
    sentence = Sentence(text, split_words(text), {}, ["SPORT", "SECURITY"])
    sentence.layers = {"entities": [], "events": []}
    assert unknown_labels(space, [sentence]) == {SENTENCE_LABELS: ["SPORT"]}
    with pytest.raises(ValueError, match="sentence labels: SPORT \\(model knows SECURITY\\)"):
        check_labels(space, [sentence], "x.jsonl")
    (mapped,) = apply_label_map([sentence], {"SPORT": "O"})
    assert mapped.labels == ["SECURITY"] and sentence.labels == ["SPORT", "SECURITY"]
    check_labels(space, [mapped], "x.jsonl")
    assert np.isclose(len(mapped.word_offsets), 2)
