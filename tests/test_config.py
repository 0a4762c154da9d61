"""Config loading: typed, strict, overridable, paths relative to the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from hadath.config import ConfigError, load_config

ROOT = Path(__file__).resolve().parents[1]


def test_quickstart_config_loads_with_absolute_paths() -> None:
    config = load_config(ROOT / "configs" / "quickstart.yaml")
    assert config.name == "quickstart"
    assert Path(config.data.train).is_absolute() and Path(config.data.train).is_file()
    assert config.model.name_or_path is None


def test_overrides_are_typed(tmp_path: Path) -> None:
    config = load_config(ROOT / "configs" / "quickstart.yaml", ["training.epochs=2", "model.decoding=argmax"])
    assert config.training.epochs == 2.0 and config.model.decoding == "argmax"
    with pytest.raises(ConfigError, match="must be int"):
        load_config(ROOT / "configs" / "quickstart.yaml", ["training.batch_size=big"])


def test_unknown_key_suggests_the_nearest(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("data:\n  train: x.jsonl\ntraining:\n  epocs: 3\n")
    with pytest.raises(ConfigError, match="unknown key `training.epocs` — did you mean `training.epochs`"):
        load_config(path)


def test_out_of_range_values_are_rejected(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("data:\n  train: x.jsonl\nmodel:\n  decoding: beam\n")
    with pytest.raises(ConfigError, match="use one of: viterbi, argmax"):
        load_config(path)


@pytest.mark.parametrize("ratio", ["1.0", "1.5", "-0.1"])
def test_warmup_ratio_outside_a_fraction_is_refused(ratio: str) -> None:
    """transformers reads warmup >= 1 as a step count: 1.5 must not silently become one warmup step."""
    with pytest.raises(ConfigError, match=r"`training.warmup_ratio` is .* use a value in \[0, 1\)"):
        load_config(ROOT / "configs" / "quickstart.yaml", [f"training.warmup_ratio={ratio}"])
    assert load_config(ROOT / "configs" / "quickstart.yaml", ["training.warmup_ratio=0"]).training.warmup_ratio == 0
