"""Config loading: typed, strict, overridable, paths relative to the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from hadath.config import ConfigError, load_config

ROOT = Path(__file__).resolve().parents[1]


def test_scratch_config_loads_with_absolute_paths() -> None:
    config = load_config(ROOT / "configs" / "scratch.yaml")
    assert config.name == "scratch"
    assert Path(config.data.train).is_absolute() and Path(config.data.train).is_file()
    assert config.model.name_or_path is None


def test_overrides_are_typed(tmp_path: Path) -> None:
    config = load_config(ROOT / "configs" / "scratch.yaml", ["training.epochs=2", "model.decoding=argmax"])
    assert config.training.epochs == 2.0 and config.model.decoding == "argmax"
    with pytest.raises(ConfigError, match="must be int"):
        load_config(ROOT / "configs" / "scratch.yaml", ["training.batch_size=big"])


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


BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
)


def test_alias_bomb_in_a_typed_field_fails_fast(tmp_path: Path) -> None:
    import time

    path = tmp_path / "bomb.yaml"
    # 9**9 leaves behind 80 aliases in a few hundred bytes: repr or any walk of it never ends.
    path.write_text(BOMB.replace("i: &i", "name: &i"), encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(ConfigError, match="aliases") as error:
        load_config(path)
    assert time.perf_counter() - started < 5 and len(str(error.value)) < 300


def test_expansion_is_bounded_below_the_alias_limit(tmp_path: Path) -> None:
    path = tmp_path / "wide.yaml"
    leaves = ", ".join(["x"] * 2000)
    path.write_text(f"a: &a [{leaves}]\nname: [{', '.join(['*a'] * 60)}]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="expands to more than"):
        load_config(path)


def test_type_error_quotes_only_a_prefix_of_the_value(tmp_path: Path) -> None:
    path = tmp_path / "long.yaml"
    path.write_text("training:\n  epochs: [" + ", ".join(["123456789"] * 5000) + "]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="`training.epochs` must be float") as error:
        load_config(path)
    assert len(str(error.value)) < 300, str(error.value)


def test_huge_integer_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "digits.yaml"
    path.write_text("training:\n  epochs: " + "9" * 5000 + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=str(path)):
        load_config(path)


@pytest.mark.parametrize("ratio", ["1.0", "1.5", "-0.1"])
def test_warmup_ratio_outside_a_fraction_is_refused(ratio: str) -> None:
    """transformers reads warmup >= 1 as a step count: 1.5 must not silently become one warmup step."""
    with pytest.raises(ConfigError, match=r"`training.warmup_ratio` must be in \[0, 1\), got .* — a fraction"):
        load_config(ROOT / "configs" / "scratch.yaml", [f"training.warmup_ratio={ratio}"])
    assert load_config(ROOT / "configs" / "scratch.yaml", ["training.warmup_ratio=0"]).training.warmup_ratio == 0
