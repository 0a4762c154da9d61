"""The peer benchmarks' own code: the recipe on a pretrained folder, its prediction file, the paired bootstrap of
Hadath against it over test sentences, and the dev learning curve read from a run (benchmarks/decoding_quality.py)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import decoding_quality  # noqa: E402
import standard_recipe  # noqa: E402

from hadath.evaluation.bootstrap import paired_bootstrap, resample_weights  # noqa: E402

GOLD = [["B-PER", "O"], ["B-LOC", "I-LOC"], ["O", "B-ORG"], ["B-PER", "O"]] * 10


def _write(directory: Path, predicted: list[list[str]]) -> None:
    sentences = [([f"w{i}" for i in range(len(tags))], tags) for tags in GOLD]
    standard_recipe.write_predictions(directory / decoding_quality.PREDICTIONS, sentences, predicted)


def test_paired_margin_scores_both_systems_on_the_same_sentences_per_seed_and_pooled(tmp_path: Path) -> None:
    # Hadath right everywhere; the recipe misses every LOC (a quarter of the spans): F1 100 vs 85.71.
    recipe = [["O", "O"] if tags[0] == "B-LOC" else tags for tags in GOLD]
    outputs = {}
    for seed in ("1", "2"):
        outputs[seed] = tmp_path / f"seed-{seed}"
        _write(outputs[seed] / "crf", GOLD)
        _write(outputs[seed] / "standard", recipe)
    result = decoding_quality.paired_margin(outputs, "crf")
    pooled = result["seeds_pooled"]
    assert (pooled["hadath_f1"], pooled["recipe_f1"], pooled["margin"]) == (100.0, 85.71, 14.29)
    assert 0 < pooled["ci95"][0] < 14.29 < pooled["ci95"][1] and pooled["p_no_difference"] < 0.05
    assert result["per_seed"]["1"] == result["per_seed"]["2"] and result["per_seed"]["1"]["margin"] == 14.29
    _write(outputs["2"] / "standard", [["O", "O"]] * len(GOLD))
    recipe_gold = tmp_path / "seed-2" / "standard" / decoding_quality.PREDICTIONS
    recipe_gold.write_text(recipe_gold.read_text().replace("B-PER O", "B-ORG O", 1))
    assert "gold tags differ" in decoding_quality.paired_margin(outputs, "crf")["error"]


def test_the_paired_interval_is_the_percentile_of_same_resample_differences() -> None:
    """A direct recomputation: each resample draws sentences once and scores both systems on that draw."""
    rng = np.random.default_rng(3)
    gold = rng.integers(1, 4, size=80)
    a = np.stack([rng.integers(0, 2, size=80), gold, gold], axis=1)
    b = np.stack([np.minimum(a[:, 0] + rng.integers(0, 2, size=80), gold), gold, gold], axis=1)
    result = paired_bootstrap(a, b, samples=400, seed=7)
    weights = resample_weights(80, 400, 7)
    deltas = []
    for row in weights:
        drawn = np.repeat(np.arange(80), row)
        f1 = [2 * c[drawn, 0].sum() / (c[drawn, 1].sum() + c[drawn, 2].sum()) for c in (a, b)]
        deltas.append(f1[1] - f1[0])
    assert (result.low, result.high) == pytest.approx(tuple(np.percentile(deltas, [2.5, 97.5])))
    observed = 2 * b[:, 0].sum() / (2 * gold.sum()) - 2 * a[:, 0].sum() / (2 * gold.sum())
    assert result.delta == pytest.approx(observed)
    extreme = sum(abs(d - observed) >= abs(observed) - 1e-12 for d in deltas)
    assert result.p_value == pytest.approx((extreme + 1) / 401)


def test_learning_curve_and_kept_epoch_come_from_the_training_log(tmp_path: Path) -> None:
    log = [{"loss": 1.0, "epoch": 0.5}, {"eval_entities_f1": 0.5, "eval_mean_f1": 0.4, "epoch": 1.0},
           {"eval_entities_f1": 0.7, "eval_mean_f1": 0.6, "epoch": 2.0},
           {"eval_entities_f1": 0.8, "eval_mean_f1": 0.55, "epoch": 3.0}]  # fmt: skip
    (tmp_path / "training_log.json").write_text(json.dumps(log))
    assert decoding_quality.learning_curve(tmp_path) == [
        {"epoch": 1.0, "dev_f1": 50.0}, {"epoch": 2.0, "dev_f1": 70.0}, {"epoch": 3.0, "dev_f1": 80.0}
    ]  # fmt: skip
    assert decoding_quality.selected_dev_f1(tmp_path, "mean_f1") == 70.0  # the epoch mean_f1 kept, not the max
    assert decoding_quality.selected_dev_f1(tmp_path / "absent", "mean_f1") is None
    per_seed = {"1": {"dev_entities_f1": {"crf": 70.0, "viterbi": 72.0}}, "2": {"dev_entities_f1": {"crf": 71.0}}}
    assert decoding_quality.choose_best(per_seed, "dev") == "viterbi"
    assert decoding_quality.choose_best(per_seed, "argmax") == "argmax"


def test_the_recipe_fine_tunes_a_pretrained_folder_with_its_own_tokenizer(sentencepiece_dir: Path) -> None:
    from hadath.config import ModelConfig

    labels = ["O", "B-PER", "I-PER"]
    tokenizer, model = standard_recipe.recipe_model(ModelConfig(name_or_path=str(sentencepiece_dir)), labels)
    assert model.config.id2label == dict(enumerate(labels)) and tokenizer.name_or_path == str(sentencepiece_dir)
    sentences = [(["محمد", "في", "القاهرة"], ["B-PER", "O", "O"])]
    predicted = standard_recipe.predict_tags(model, tokenizer, sentences, model.config.id2label)
    assert len(predicted[0]) == 3 and set(predicted[0]) <= set(labels)


def test_the_recipe_trains_without_and_scores_on_hadaths_dev_carve_out(tmp_path: Path) -> None:
    from hadath.config import load_config
    from hadath.data.config_splits import read_splits

    corpus = tmp_path / "train.txt"
    corpus.write_text("".join(f"كلمة{i} O\nعلي B-PER\n\n" for i in range(20)), encoding="utf-8")
    config_file = tmp_path / "split.yaml"
    config_file.write_text(f"data: {{train: {corpus}, format: conll, split: {{dev: 0.25, seed: 3}}}}\n",
                           encoding="utf-8")  # fmt: skip
    config = load_config(str(config_file), [])
    train, dev, test = standard_recipe.config_splits(config)
    hadath_dev = [list(s.words) for s in read_splits(config).dev]
    assert [words for words, _ in dev] == hadath_dev and len(dev) == 5
    assert not {tuple(w) for w, _ in train} & {tuple(w) for w, _ in dev} and len(train) == 15
    assert test == [] and all(tags == ["O", "B-PER"] for _, tags in dev)


def test_train_speed_runs_both_recipes_on_a_pretrained_config(sentencepiece_dir: Path, tmp_path: Path) -> None:
    import train_speed

    corpus = tmp_path / "train.txt"
    corpus.write_text("محمد B-PER\nفي O\nالقاهرة B-LOC\n\nزار O\nعلي B-PER\nبغداد B-LOC\n\n" * 8, encoding="utf-8")
    config = tmp_path / "pretrained.yaml"
    config.write_text(f"data: {{train: {corpus}, format: conll}}\nmodel: {{name_or_path: {sentencepiece_dir}}}\n"
                      "training: {batch_size: 4, tensorboard: false}\n", encoding="utf-8")  # fmt: skip
    hadath = train_speed.run_hadath(str(config), "", 2, tmp_path / "hadath", [])
    recipe = train_speed.run_standard(str(config), "", 2, tmp_path / "recipe", True, [])
    # 2 steps at batch 4 each: the pretrained folder and its own tokenizer on both sides, no scratch vocabulary.
    assert hadath["real_tokens"] > 0 and recipe["real_tokens"] > 0
    assert hadath["train_runtime_s"] > 0 and recipe["train_runtime_s"] > 0


def test_train_speed_plans_extra_hadath_runs_on_top_of_the_shared_overrides() -> None:
    import train_speed

    runs = train_speed.planned_runs(
        ["model.name_or_path=E"], [["softmax-threads-2", "training.threads=2", "model.decoding=viterbi"]], ["standard"]
    )
    assert runs == {
        "hadath": ("hadath", ["model.name_or_path=E"]),
        "softmax-threads-2": ("hadath", ["model.name_or_path=E", "training.threads=2", "model.decoding=viterbi"]),
        "standard-grouped": ("standard-grouped", ["model.name_or_path=E"]),
    }
    with pytest.raises(SystemExit, match="give a new NAME"):
        train_speed.planned_runs([], [["hadath", "training.threads=2"]], [])
    with pytest.raises(SystemExit, match="give a new NAME"):
        train_speed.planned_runs([], [["threads-2"]], [])


def test_train_speed_rounds_alternate_and_report_medians() -> None:
    import train_speed

    assert [train_speed.round_order(["a", "b", "c"], n) for n in range(3)] == [
        ["a", "b", "c"], ["c", "b", "a"], ["a", "b", "c"]]  # fmt: skip
    speeds = [(700, 800), (650, 640), (760, 780)]  # hadath, recipe per round: the machine drifts between rounds
    rounds = [{"hadath": {"tokens_per_s": h, "peak_rss_mb": i}, "standard-grouped": {"tokens_per_s": r}}
              for i, (h, r) in enumerate(speeds)]  # fmt: skip
    summary = train_speed.summarize(rounds, ["hadath"], ["standard-grouped"])
    assert summary["hadath_over_standard_grouped_rounds"] == [0.875, 1.016, 0.974]
    assert summary["hadath_over_standard_grouped"] == 0.974  # the median ratio, not the ratio of medians (0.897)
    assert summary["hadath"]["tokens_per_s"] == 700 and summary["hadath"]["peak_rss_mb"] == 0
    assert summary["standard-grouped"]["tokens_per_s_rounds"] == [800, 640, 780]
    one = train_speed.summarize(rounds[:1], ["hadath"], ["standard-grouped"])
    assert one == {**rounds[0], "hadath_over_standard_grouped": 0.875}  # one round: the old JSON, unchanged
