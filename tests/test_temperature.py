"""Temperature scaling of span scores: the fit, the scaled lattice, and hadath.json with and without temperatures."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from hadath.data.encode import LabelSpace
from hadath.data.normalize import NormalizerSettings
from hadath.evaluation.calibration import calibration
from hadath.evaluation.temperature import calibrate_layer, fit_temperature
from hadath.inference.layer_scores import LayerScores, decode_path, path_scores
from hadath.inference.metadata import METADATA_FILE, MetadataError, ModelMetadata
from hadath.models.decoding import ChainScores, build_constraints

TAGS = ["O", "B-PER", "I-PER"]


def _metadata(decoding: str, **extra: object) -> ModelMetadata:
    chains = {}
    if decoding == "crf":
        chains = {"entities": ChainScores(np.zeros(3), np.full((3, 3), 0.5), np.zeros(3))}
    return ModelMetadata(labels=LabelSpace({"entities": TAGS}, []), normalizer=NormalizerSettings(), max_length=64,
                         stride=8, decoding=decoding, threshold=0.5, chains=chains, **extra)  # type: ignore[arg-type]  # fmt: skip


def test_the_fit_finds_the_temperature_of_an_overconfident_score() -> None:
    # Every span scored sigmoid(4.6) = 0.99 while 70% are right: the NLL is lowest where sigmoid(4.6 / t) = 0.7.
    correct = [True] * 70 + [False] * 30
    logit = 4.6

    def scores_at(t: float) -> list[float]:
        return [1.0 / (1.0 + np.exp(-logit / t))] * len(correct)

    temperature = fit_temperature(scores_at, correct)
    assert temperature == pytest.approx(logit / np.log(0.7 / 0.3), rel=0.01)
    assert (
        calibration(scores_at(temperature), correct)["ece"] < 0.005 < 0.25 < calibration(scores_at(1.0), correct)["ece"]
    )
    assert fit_temperature(scores_at, []) == 1.0


@pytest.mark.parametrize("decoding", ["argmax", "viterbi", "crf"])
def test_a_temperature_above_one_calibrates_overconfident_lattice_spans(decoding: str) -> None:
    # 40 dev sentences of 3 words, each decoded `B-PER O O` at probability ~0.99; only 60% of them are gold PER.
    metadata = _metadata(decoding)
    constraints = build_constraints(TAGS, "IOB2")
    matrix = np.log(np.array([[0.005, 0.99, 0.005], [0.99, 0.005, 0.005], [0.99, 0.005, 0.005]]))
    decoded = [LayerScores(matrix, decode_path(metadata, constraints, "entities", matrix))] * 40
    gold = [["B-PER", "O", "O"]] * 24 + [["O", "O", "O"]] * 16
    fit = calibrate_layer(metadata, constraints, "entities", gold, decoded, switch="auto")
    assert fit.dev_spans == 40 and fit.dev_ece_before > 0.3
    assert fit.temperature > 1.5 and fit.dev_ece_after < 0.05
    # The path is the same at any temperature; only the scores move, and at 1 they are the network's own.
    hot = path_scores(metadata, constraints, "entities", LayerScores(matrix, decoded[0].path, fit.temperature))
    cold = path_scores(metadata, constraints, "entities", decoded[0])
    assert hot[1][0] < cold[1][0] and np.all(hot[0] < cold[0])
    assert calibrate_layer(metadata, constraints, "entities", gold, decoded, switch=False).temperature == 1.0


def test_auto_leaves_a_calibrated_layer_alone() -> None:
    metadata = _metadata("viterbi")
    constraints = build_constraints(TAGS, "IOB2")
    matrix = np.log(np.array([[0.2, 0.6, 0.2], [0.9, 0.05, 0.05]]))
    decoded = [LayerScores(matrix, decode_path(metadata, constraints, "entities", matrix))] * 10
    score = path_scores(metadata, constraints, "entities", decoded[0])[1][0]
    right = round(score * 10)
    gold = [["B-PER", "O"]] * right + [["O", "O"]] * (10 - right)
    fit = calibrate_layer(metadata, constraints, "entities", gold, decoded, switch="auto")
    assert fit.dev_ece_before <= 0.05 and fit.temperature == 1.0


def test_hadath_json_keeps_temperatures_and_an_older_file_without_them_loads_at_one(tmp_path: Path) -> None:
    plain = _metadata("viterbi")
    plain.save(tmp_path)
    assert "temperatures" not in json.loads((tmp_path / METADATA_FILE).read_text(encoding="utf-8"))
    assert ModelMetadata.load(tmp_path).temperature("entities") == 1.0
    calibrated = _metadata("viterbi", temperatures={"entities": 1.7})
    calibrated.save(tmp_path)
    assert ModelMetadata.load(tmp_path) == calibrated and calibrated.temperature("entities") == 1.7
    data = json.loads((tmp_path / METADATA_FILE).read_text(encoding="utf-8"))
    for bad, message in (({"entities": 0}, "must be a positive number"), ({"events": 2.0}, "names no layer")):
        (tmp_path / METADATA_FILE).write_text(json.dumps({**data, "temperatures": bad}), encoding="utf-8")
        with pytest.raises(MetadataError, match=message):
            ModelMetadata.load(tmp_path)


@pytest.mark.slow
def test_training_fits_a_temperature_on_dev_and_every_score_uses_it(tmp_path: Path) -> None:
    from hadath.cli import main
    from hadath.data.readers import read_sentences
    from hadath.inference.tagger import Tagger

    corpus = Path(__file__).resolve().parents[1] / "data" / "corpus"
    small = tmp_path / "small.jsonl"
    small.write_text("".join((corpus / "dev.jsonl").read_text(encoding="utf-8").splitlines(True)[:64]), "utf-8")
    splits = [item for split in ("train", "dev", "test") for item in ("--set", f"data.{split}={small}")]
    run = tmp_path / "run"
    code = main(["train", str(corpus.parents[1] / "configs" / "scratch.yaml"), "--output-dir", str(run), *splits,
                 "--set", "training.max_steps=48", "--set", "training.batch_size=8",
                 "--set", "evaluation.calibrate=true", "--set", "training.tensorboard=false",
                 "--set", "training.early_stopping_patience=0"])  # fmt: skip
    assert code == 0
    temperatures = json.loads((run / "model" / METADATA_FILE).read_text(encoding="utf-8"))["temperatures"]
    assert set(temperatures) == {"entities", "events"} and all(t != 1.0 for t in temperatures.values())
    block = json.loads((run / "metrics.json").read_text(encoding="utf-8"))["entities"]["calibration"]
    assert block["temperature"] == temperatures["entities"]
    # dev is the test split here: metrics.json's ECE at 1 and at the temperature are the dev fit's before and after,
    # which run.json reports (metrics.json holds only what `hadath evaluate` of the model reproduces).
    fitted = json.loads((run / "run.json").read_text(encoding="utf-8"))["span_temperature"]
    assert f"entities {temperatures['entities']} ({block['ece_at_temperature_1']:.4f} → {block['ece']:.4f})" in fitted
    # Loaded back, the tagger scores spans at the saved temperature; the tags are those of temperature 1.
    tagger = Tagger.load(run / "model", device="cpu")
    predictions = list(tagger.iter_predictions(read_sentences(small), uncalibrated=True))
    pairs = [(score, raw) for p in predictions for score, raw in
             zip(p.span_scores["entities"], p.uncalibrated_span_scores["entities"], strict=True)]  # fmt: skip
    assert pairs and any(score != raw for score, raw in pairs)
    hotter = temperatures["entities"] > 1.0
    assert all((score <= raw + 1e-9) if hotter else (score >= raw - 1e-9) for score, raw in pairs)
