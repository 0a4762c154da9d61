"""What `hadath train` prints and how many threads it runs on: one bar, one line per epoch, a closing table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hadath.cli import main
from hadath.config import ConfigError, load_config
from hadath.inference import threads
from hadath.train.summary import closing_summary

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "configs" / "scratch.yaml"
METRICS = {
    "entities": {"precision": 0.75, "recall": 0.8, "f1": 0.774194, "f1_ci95": [0.72, 0.8]},
    "classification": {"precision": 0.9, "recall": 0.7, "f1": 0.7875},
}


def test_threads_is_auto_or_a_positive_count() -> None:
    assert load_config(CONFIG).training.threads == "auto"
    assert load_config(CONFIG, ["training.threads=3"]).training.threads == 3
    with pytest.raises(ConfigError, match="`training.threads` must be >= 1, got 0 — use auto or a count"):
        load_config(CONFIG, ["training.threads=0"])
    with pytest.raises(ConfigError, match="`training.threads` is 'many' — use one of: auto"):
        load_config(CONFIG, ["training.threads=many"])


def test_auto_threads_take_omp_num_threads_else_half_the_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(threads, "usable_cores", lambda: 2)
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    assert threads.resolve_threads("auto") == 1
    monkeypatch.setattr(threads, "usable_cores", lambda: 16)
    assert threads.resolve_threads("auto") == 8
    monkeypatch.setenv("OMP_NUM_THREADS", "3")
    assert threads.resolve_threads("auto") == 3
    assert threads.resolve_threads(5) == 5


def test_closing_summary_on_the_bundled_corpus(tmp_path: Path) -> None:
    (tmp_path / "run.json").write_text(json.dumps({"evaluated_split": "test (304 sentences)"}))
    text = closing_summary(load_config(CONFIG), tmp_path, METRICS)
    assert "scored on test (304 sentences)" in text
    assert "  entities            0.7500   0.8000   0.7742   [0.720, 0.800]" in text
    assert "  classification      0.9000   0.7000   0.7875   —" in text
    assert f"model    {tmp_path / 'model'}" in text and str(tmp_path / "report.html") in text
    assert len([line for line in text.split("next:")[1].splitlines() if "  # " in line]) == 3
    assert "the bundled corpus is synthetic" in text


def test_closing_summary_over_seeds_says_it_is_a_mean(tmp_path: Path) -> None:
    (tmp_path / "seed-1").mkdir()
    (tmp_path / "seed-1" / "run.json").write_text(json.dumps({"evaluated split": "test (9 sentences)"}))
    metrics = {"entities": {**METRICS["entities"], "std": {"f1": 0.01}}, "seeds": [1, 2]}
    config = load_config(CONFIG, [f"data.train={tmp_path / 'mine.jsonl'}"])
    text = closing_summary(config, tmp_path, metrics)
    assert text.splitlines()[0].startswith("hadath: run `scratch` scored on mean over seeds 1, 2")
    assert "± std of F1" in text and "± 0.0100" in text
    assert "synthetic" not in text


@pytest.mark.slow
def test_training_prints_one_line_per_epoch_and_no_log_dicts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    small = tmp_path / "small.jsonl"
    small.write_text("".join((ROOT / "data/corpus/dev.jsonl").read_text(encoding="utf-8").splitlines(True)[:48]))
    overrides = [f"data.{split}={small}" for split in ("train", "dev", "test")]
    overrides += ["training.tensorboard=false", "training.batch_size=8", "training.epochs=2"]
    arguments = [item for override in [*overrides, "training.logging_steps=2"] for item in ("--set", override)]
    assert main(["train", str(CONFIG), "--output-dir", str(tmp_path / "run"), *arguments]) == 0
    err = capsys.readouterr().err
    assert "{'" not in err
    epochs = [line for line in err.splitlines() if line.startswith("epoch ")]
    assert len(epochs) == 2 and epochs[0].startswith("epoch 1/2  loss ") and "dev F1 entities" in epochs[0]
    assert "hadath: run `scratch` scored on test (48 sentences)" in err
    assert "Writing model shards" not in err and "tokenizing" not in err


def test_apply_threads_sets_torch_intra_op_threads() -> None:
    import torch

    before = torch.get_num_threads()
    try:
        assert threads.apply_threads(1) == 1 and torch.get_num_threads() == 1
    finally:
        torch.set_num_threads(before)
