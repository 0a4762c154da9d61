"""The attribute head and its scoring on tiny inputs: the window before a trigger, the per-piece labels, the NumPy
pooling, the config switch, the cue-rule baseline and the factuality scores."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from hadath.config import ConfigError, load_config
from hadath.data.align import IGNORE
from hadath.data.encode import factuality_labels
from hadath.data.factuality import DEFAULT, Factuality, attribute_labels
from hadath.data.readers.jsonl import parse_record
from hadath.data.schemes import TagSpan
from hadath.evaluation.factuality import attribute_scores, cue_factuality, reported_event_scores
from hadath.inference.factuality import only_reported, trigger_factuality
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
