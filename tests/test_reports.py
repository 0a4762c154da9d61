"""Evaluation outputs: metrics.json blocks, prediction files that conlleval scores the same, report.md, the
self-contained report.html and the model card — from hand-made predictions, no model needed."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from test_metrics import conlleval, conlleval_prf

from hadath.config import ExperimentConfig
from hadath.data.encode import LabelSpace
from hadath.data.normalize import NormalizerSettings
from hadath.data.schemes import spans_from_tags
from hadath.data.sentence import Sentence
from hadath.evaluation.evaluate import Evaluation, write_evaluation
from hadath.evaluation.metrics import layer_metrics
from hadath.export.model_card import model_card
from hadath.inference.metadata import ModelMetadata
from hadath.inference.tagger import WordPrediction

# (words, gold entity tags, predicted entity tags): an exact hit, a boundary error, a type confusion, a stray I-
# the (unconstrained) decoder produced, a miss and a spurious span at sentence end.
SENTENCES = [
    (["قال", "محمد", "علي", "في", "بغداد"], ["O", "B-PER", "I-PER", "O", "B-LOC"],
     ["O", "B-PER", "O", "O", "B-LOC"]),
    (["زار", "وفد", "الأمم", "المتحدة", "الموصل"], ["O", "O", "B-ORG", "I-ORG", "B-LOC"],
     ["O", "O", "B-LOC", "I-LOC", "B-LOC"]),
    (["وصل", "الوزير", "إلى", "كركوك", "أمس"], ["O", "O", "O", "B-LOC", "O"], ["O", "O", "O", "I-LOC", "B-PER"]),
    (["اجتمع", "المجلس", "في", "دمشق"], ["O", "O", "O", "B-LOC"], ["O", "O", "O", "O"]),
]  # fmt: skip

LOG = [{"loss": 3.0 - 0.1 * step, "step": step, "epoch": step / 10} for step in range(1, 11)]


def sentence(words: list[str], tags: list[str]) -> Sentence:
    offsets, position = [], 0
    for word in words:
        offsets.append((position, position + len(word)))
        position += len(word) + 1
    return Sentence(" ".join(words), offsets, {"entities": spans_from_tags(tags)})


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sentences = [sentence(words, gold) for words, gold, _ in SENTENCES]
    predictions = [WordPrediction({"entities": predicted}, {}, np.zeros(0)) for _, _, predicted in SENTENCES]
    metrics = {"entities": layer_metrics([s.tags("entities") for s in sentences], [p for *_, p in SENTENCES])}
    directory = tmp_path_factory.mktemp("eval")
    evaluation = Evaluation(metrics, ["entities"], sentences, predictions)
    write_evaluation(evaluation, directory, "Evaluation on hand-made data", {"sentences": 4}, LOG)
    return directory


def test_prediction_file_scores_like_metrics_json(written: Path) -> None:
    metrics = json.loads((written / "metrics.json").read_text(encoding="utf-8"))["entities"]
    lines = (written / "predictions-entities.conll").read_text(encoding="utf-8").splitlines()
    counts = conlleval(lines)
    assert conlleval_prf(counts) == pytest.approx((metrics["precision"], metrics["recall"], metrics["f1"]), abs=1e-6)
    # gold PER LOC ORG LOC LOC LOC, predicted PER LOC LOC LOC LOC(stray I-) PER: the three one-word LOC spans are right.
    assert sum(counts["correct"].values()) == 3 and metrics["f1"] == pytest.approx(0.5)
    assert {"precision", "recall", "f1", "per_type", "strict", "partial", "macro_f1", "f1_ci95", "errors"} <= set(
        metrics
    )
    assert metrics["strict"]["precision"] == pytest.approx(2 / 5)  # strict IOB2 drops the stray I-LOC prediction
    assert metrics["errors"]["counts"] == {
        "correct": 3, "type": 1, "boundary": 1, "boundary_type": 0, "missed": 1, "spurious": 1,
    }  # fmt: skip


def test_markdown_report_names_the_scoring_and_shows_errors(written: Path) -> None:
    report = (written / "report.md").read_text(encoding="utf-8")
    assert "seqeval default mode" in report and "strict IOB2" in report and "SemEval-2013 partial" in report
    assert "[الأمم المتحدة] ORG → [الأمم المتحدة] LOC" in report
    assert "[محمد علي] PER → [محمد] PER" in report
    assert "| gold \\ predicted | LOC | ORG | PER | ∅ |" in report
    assert "| ORG | 1 | 0 | 0 | 0 |" in report  # confusion row: gold ORG predicted as LOC once


def test_html_report_is_self_contained_with_rtl_highlights(written: Path) -> None:
    page = (written / "report.html").read_text(encoding="utf-8")
    assert not re.search(r"<script|<link|<img|@import|url\(", page)
    assert set(re.findall(r"https?://[^\"' ]+", page)) == {"http://www.w3.org/2000/svg"}  # a namespace, not a fetch
    assert page.count("<svg") == 3  # learning curve, per-type F1 bars, confusion heat map
    assert "<polyline" in page
    worst = page[page.index("Worst sentences") :]
    # Sentence #2 has three errors (stray I-LOC counted as a hit, spurious PER): it ranks among the worst.
    assert '<div class="ar" dir="rtl" lang="ar">' in worst
    assert '<mark class="gold">الأمم المتحدة<sub><bdi>ORG</bdi></sub></mark>' in worst
    assert '<mark class="bad">الأمم المتحدة<sub><bdi>LOC</bdi></sub></mark>' in worst
    assert '<mark class="ok">الموصل<sub><bdi>LOC</bdi></sub></mark>' in worst


def test_model_card_has_data_config_metrics_and_use(written: Path) -> None:
    metrics = json.loads((written / "metrics.json").read_text(encoding="utf-8"))
    labels = LabelSpace({"entities": ["O", "B-LOC", "I-LOC", "B-PER", "I-PER"]}, ["SECURITY"])
    metadata = ModelMetadata(labels, NormalizerSettings.preset("default"), 128, 32, "viterbi", 0.35, "demo")
    config = ExperimentConfig(name="demo")
    config.data.train = "data/corpus/train.jsonl"
    card = model_card(metadata, config, metrics, {"evaluated split": "test (4 sentences)"})
    for heading in ("## What it predicts", "## Intended use", "## Training data", "## Configuration",
                    "## Evaluation", "## Limitations"):  # fmt: skip
        assert heading in card
    assert "- `entities`: LOC, PER" in card and "threshold 0.35" in card
    assert "`data/corpus/train.jsonl`" in card and "test (4 sentences)" in card
    f1 = metrics["entities"]["f1"]
    assert (
        f"| entities | {metrics['entities']['precision']:.4f} | {metrics['entities']['recall']:.4f} | {f1:.4f} |"
        in card
    )
    assert "Not evaluated" in model_card(metadata)
