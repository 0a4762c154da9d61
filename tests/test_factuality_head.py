"""The attribute head and its scoring on tiny inputs: the window before a trigger, the per-piece labels, the NumPy
pooling, the config switch, the cue-rule baseline and the factuality scores, and the cue features (their classes
per word, the head's learned scores, their NumPy side and their place in hadath.json)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch

from hadath.config import ConfigError, load_config
from hadath.data.align import IGNORE
from hadath.data.encode import LabelSpace, factuality_labels
from hadath.data.factuality import DEFAULT, Factuality, attribute_labels
from hadath.data.factuality_cues import CUE_CLASSES, CUE_PRIOR, cue_prior, word_cues
from hadath.data.normalize import NormalizerSettings
from hadath.data.readers.jsonl import parse_record
from hadath.data.schemes import TagSpan
from hadath.evaluation.factuality import attribute_scores, cue_factuality, reported_event_scores
from hadath.inference.factuality import only_reported, trigger_factuality, with_cue_scores
from hadath.inference.metadata import MetadataError, ModelMetadata
from hadath.models.factuality import FactualityHead, window_before
from hadath.train.recipe import wants_factuality

# لم 0-2, يعتقل 3-8, الأمن 9-14, أحدا 15-19, بعد 20-23, هجوم 24-28, أمس 29-32
RECORD = {"text": "لم يعتقل الأمن أحدا بعد هجوم أمس", "events": [[3, 8, "ARREST", {"polarity": "negative"}],
                                                              [24, 28, "ATTACK"]]}  # fmt: skip


def test_window_before_is_the_maximum_over_the_previous_pieces() -> None:
    hidden = torch.tensor([[3.0, -1.0], [1.0, 5.0], [2.0, 0.0], [0.5, 0.5]]).view(1, 4, 2)
    window = window_before(hidden, width=2)[0].tolist()
    assert window == [[0.0, 0.0], [3.0, 0.0], [3.0, 5.0], [2.0, 5.0]]


def test_head_scores_every_piece_and_learns_only_from_trigger_pieces() -> None:
    sizes = [len(values) for values in attribute_labels().values()]
    head = FactualityHead(8, sizes)
    logits = head(torch.randn(2, 5, 8), torch.ones(2, 5, dtype=torch.long))
    assert logits.shape == (2, 5, sum(sizes))
    labels = torch.full((2, 5, 4), IGNORE)
    assert head.loss(logits, labels).item() == 0.0
    labels[0, 1] = torch.tensor([1, 1, 0, 3])
    loss = head.loss(logits, labels)
    loss.backward()
    assert loss.item() > 0 and head.out.weight.grad is not None and head.out.weight.grad.abs().sum() > 0


def test_factuality_labels_sit_on_each_trigger_words_lead_piece() -> None:
    sentence = parse_record(RECORD, Path("x.jsonl"), 1)
    owners = [-1, 0, 1, 1, 2, 3, 4, 5, 5, 6, -1]  # [CLS], words (يعتقل and هجوم in two pieces), [SEP]
    rows = factuality_labels(sentence, owners, attribute_labels())
    ignore = [IGNORE] * 4
    assert rows == [ignore, ignore, [1, 0, 0, 0], ignore, ignore, ignore, ignore, [0, 0, 0, 0], ignore, ignore, ignore]


def test_trigger_factuality_pools_the_words_and_normalises_each_attribute() -> None:
    attributes = attribute_labels()
    words = np.zeros((3, 10), dtype=np.float32)
    words[1, 1] = 4.0  # negative
    words[2, 1] = 2.0
    words[1, 9] = words[2, 9] = 3.0  # future
    found = trigger_factuality(words, 1, 3, attributes)
    assert found.factuality == Factuality(polarity="negative", tense="future")
    assert found.scores["polarity"] == pytest.approx(np.exp(3.0) / (1 + np.exp(3.0)))
    assert not found.reported and found.record()["attributes"]["tense"] == "future"
    assert trigger_factuality(words, 0, 1, attributes).reported


def test_only_reported_keeps_the_reported_events_and_the_line() -> None:
    record = {"text": "x", "entities": [], "events": [{"label": "ATTACK", "reported": False}], "labels": []}
    assert only_reported(record) == {**record, "events": []}
    kept = {"label": "KILL", "reported": True}
    assert only_reported({**record, "events": [*record["events"], kept]})["events"] == [kept]


@pytest.mark.parametrize(
    ("text", "start", "expected"),
    [
        ("لم يعتقل الأمن أحدا", 1, Factuality(polarity="negative")),
        ("نفى الجيش وقوع أي هجوم", 4, Factuality(polarity="negative")),
        ("هدد التنظيم بشن هجمات على المدينة", 3, Factuality(modality="other")),
        ("وسننسحب من المدينة", 0, Factuality(modality="other", tense="future")),
        ("قال المصدر إن مسلحين هاجموا المركز", 4, DEFAULT),
    ],
)
def test_cue_rules(text: str, start: int, expected: Factuality) -> None:
    assert cue_factuality(text.split(), TagSpan(start, start + 1, "ATTACK")) == expected


def test_attribute_scores_are_accuracy_and_macro_f1_over_used_values() -> None:
    gold = [Factuality(polarity="negative"), DEFAULT, DEFAULT, DEFAULT]
    predicted = [DEFAULT] * 4
    polarity = attribute_scores(gold, predicted)["polarity"]
    assert polarity["accuracy"] == 0.75 and polarity["support"] == 4
    assert polarity["f1"] == pytest.approx((0.0 + 2 * 0.75 * 1 / 1.75) / 2, abs=1e-6)
    assert attribute_scores(gold, gold)["polarity"]["f1"] == 1.0


def test_reported_event_f1_counts_only_reported_events() -> None:
    sentence = parse_record(RECORD, Path("x.jsonl"), 1)
    right = {(1, 2, "ARREST"): Factuality(polarity="negative"), (5, 6, "ATTACK"): DEFAULT}
    assert reported_event_scores([sentence], [right]) == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 1}
    wrong = {(1, 2, "ARREST"): DEFAULT, (5, 6, "ATTACK"): DEFAULT}
    assert reported_event_scores([sentence], [wrong])["precision"] == 0.5


def test_the_switch_follows_the_training_data_under_auto(tmp_path: Path) -> None:
    negated = [parse_record(RECORD, Path("x.jsonl"), 1)]
    plain = [parse_record({"text": RECORD["text"], "events": [[24, 28, "ATTACK"]]}, Path("x.jsonl"), 1)]
    assert wants_factuality("auto", negated) and not wants_factuality("auto", plain)
    assert wants_factuality(True, plain) and not wants_factuality(False, negated)
    path = tmp_path / "c.yaml"
    for value, expected in (("auto", "auto"), ("true", True), ("false", False)):
        path.write_text(f"data: {{train: x.jsonl}}\nmodel: {{factuality: {value}}}\n", encoding="utf-8")
        assert load_config(path).model.factuality == expected
    path.write_text("data: {train: x.jsonl}\nmodel: {factuality: maybe}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"`model.factuality` is 'maybe' — use one of: auto, true, false"):
        load_config(path)


def test_word_cues_mark_the_words_each_cue_class_stands_before() -> None:
    words = ["لم", "يعتقل", "الأمن", "أحدا", "وسوف", "ينسحب", "الجيش", "ثم", "ستهاجم", "قوات", "أخرى"]
    rows = word_cues(words)
    assert rows[0] == (0.0, 0.0, 0.0)  # nothing before لم
    assert rows[1] == (1.0, 0.0, 0.0)  # لم before it
    assert rows[4] == (1.0, 1.0, 1.0)  # لم four words back; وسوف itself future (so modal)
    assert rows[5] == (0.0, 1.0, 1.0)  # وسوف before ينسحب, لم five words back
    assert rows[7] == (0.0, 1.0, 1.0) and rows[8] == (0.0, 1.0, 1.0)  # سوف three and four back
    assert rows[10] == (0.0, 1.0, 1.0) and len(rows) == len(words)  # ستهاجم (future by its prefix س) two back
    assert word_cues([]) == []


def test_cue_scores_start_from_the_cue_rules_and_learn_from_the_trigger_pieces() -> None:
    sizes = [len(values) for values in attribute_labels().values()]
    prior = cue_prior(attribute_labels())
    assert [row.index(CUE_PRIOR) for row in prior] == [1, 3, 9]  # negative, other, future
    assert sum(map(sum, prior)) == 3 * CUE_PRIOR
    head = FactualityHead(8, sizes, cues=prior)
    assert head.cue_scores is not None and head.cue_scores.shape == (len(CUE_CLASSES), sum(sizes))
    logits = head(torch.randn(1, 4, 8), torch.ones(1, 4, dtype=torch.long))
    labels = torch.full((1, 4, 4), IGNORE)
    labels[0, 2] = torch.tensor([1, 0, 0, 0])  # a negative trigger
    cues = torch.zeros(1, 4, 3)
    cues[0, 2, 0] = 1.0  # a negation cue before it
    head.loss(logits, labels, cues).backward()
    gradient = head.cue_scores.grad
    assert gradient is not None
    # Descent raises the negation row's `negative` score and lowers its `positive` one; the other rows stay.
    assert gradient[0, 1] < 0 < gradient[0, 0] and not gradient[1:].any()
    assert FactualityHead(8, sizes).cue_scores is None


def test_with_cue_scores_adds_each_words_cue_rows() -> None:
    scores = np.zeros((3, 10))
    scores[0, 1] = 2.5  # negation -> negative
    scores[2, 9] = 1.0  # future -> future
    words = ["لم", "يسجل", "سوف", "هجوم"]
    logits = with_cue_scores(np.zeros((4, 10), dtype=np.float32), words, scores)
    assert logits.dtype == np.float32 and logits[0].tolist() == [0.0] * 10
    assert logits[1, 1] == 2.5 and logits[3, 1] == 2.5 and logits[3, 9] == 1.0 and logits[2, 9] == 1.0
    assert trigger_factuality(logits, 1, 2, attribute_labels()).factuality.polarity == "negative"


def _metadata(cues: np.ndarray | None) -> ModelMetadata:
    labels = LabelSpace({"events": ["O", "B-ATTACK", "I-ATTACK"]}, [], attributes=attribute_labels())
    return ModelMetadata(labels, NormalizerSettings.preset("default"), 64, 16, "argmax", 0.5, factuality_cues=cues)


def test_cue_scores_round_trip_through_hadath_json_and_a_bad_shape_is_refused(tmp_path: Path) -> None:
    scores = np.arange(30, dtype=np.float64).reshape(3, 10) / 7
    _metadata(scores).save(tmp_path)
    loaded = ModelMetadata.load(tmp_path).factuality_cues
    assert loaded is not None and np.array_equal(loaded, scores)
    _metadata(None).save(tmp_path)
    assert "factuality_cues" not in json.loads((tmp_path / "hadath.json").read_text())
    assert ModelMetadata.load(tmp_path).factuality_cues is None
    data = json.loads((tmp_path / "hadath.json").read_text())
    for bad, problem in (([[1.0] * 10] * 2, r"must be \(3, 10\) finite numbers"), ("x", "not a numeric array")):
        (tmp_path / "hadath.json").write_text(json.dumps({**data, "factuality_cues": bad}), encoding="utf-8")
        with pytest.raises(MetadataError, match=rf"hadath.json: `factuality_cues` (is )?{problem}"):
            ModelMetadata.load(tmp_path)
