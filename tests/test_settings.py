"""Each setting is defined once, on its field: its help, range and default reach validation, the error messages and
`hadath train --help` from there, and a new field needs nothing else."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from hadath import cli
from hadath.config import ConfigError, ExperimentConfig, TrainingConfig, load_config
from hadath.settings import Rule, build, check_rules, reference, setting, settings_of

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = list(settings_of(ExperimentConfig))


def test_every_setting_has_a_one_line_help() -> None:
    assert len(SETTINGS) > 70
    missing = [info.key for info in SETTINGS if not info.help or "\n" in info.help]
    assert missing == []


def test_the_train_help_lists_every_setting_with_its_default_and_range(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["train", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for info in SETTINGS:
        assert f"{info.key} ({info.kind}, default" in text
    assert "training.warmup_ratio (float, default 0.1; in [0, 1)): fraction of the steps" in text
    assert "training.batch_size (int, default 16; > 0)" in text


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("training.batch_size=0", "`training.batch_size` must be > 0, got 0 — fix its value"),
        ("training.layerwise_lr_decay=1.5", "`training.layerwise_lr_decay` must be in (0, 1], got 1.5 — 1.0 turns"),
        ("model.emission_loss=-1", "`model.emission_loss` must be >= 0, got -1.0 — 0 turns it off"),
        ("data.split.dev=1.2", "`data.split.dev` must be in [0, 1), got 1.2"),
        ("training.learning_rate=.nan", "`training.learning_rate` must be > 0, got nan"),
        ("training.best_metric=loss", "`training.best_metric` must be matching .+_f1, got 'loss' — use mean_f1"),
    ],
)
def test_a_value_outside_its_declared_range_names_the_file_the_key_and_the_range(override: str, message: str) -> None:
    config = ROOT / "configs" / "scratch.yaml"
    with pytest.raises(ConfigError) as error:
        load_config(config, [override])
    assert str(error.value) == f"{config}: {message}" or str(error.value).startswith(f"{config}: {message}")


def test_rules_that_join_two_settings_still_hold() -> None:
    config = ROOT / "configs" / "scratch.yaml"
    with pytest.raises(ConfigError, match="`model.stride` must be in \\[0, max_length/2\\)"):
        load_config(config, ["model.stride=64", "model.max_length=128"])
    with pytest.raises(ConfigError, match="`data.split` fractions must sum to less than 1"):
        load_config(config, ["data.dev=null", "data.test=null", "data.split.dev=0.6", "data.split.test=0.5"])


def test_a_new_setting_is_one_field_validated_and_documented_from_it() -> None:
    """What adding a setting takes: the field below, and nothing else, gives the validation and the reference."""

    @dataclasses.dataclass
    class Training(TrainingConfig):
        label_smoothing: float = setting(0.0, "share of each target spread over the other tags", ge=0, lt=1)

    assert "label_smoothing (float, default 0.0; in [0, 1)): share of each target" in reference(Training)
    built = build(Training, {"label_smoothing": 0.1}, "training.", "c.yaml")
    assert built.label_smoothing == 0.1
    check_rules(built, "c.yaml", "training.")
    with pytest.raises(ConfigError, match=r"^c.yaml: `training.label_smoothing` must be in \[0, 1\), got 2.0"):
        check_rules(build(Training, {"label_smoothing": 2}, "training.", "c.yaml"), "c.yaml", "training.")
    with pytest.raises(ConfigError, match="unknown key `training.label_smothing` — did you mean `training.label_smo"):
        build(Training, {"label_smothing": 0.1}, "training.", "c.yaml")


def test_a_rule_reads_as_the_range_it_checks() -> None:
    assert Rule(low=0, low_open=True).describe() == "> 0"
    assert Rule(low=0, high=1, high_open=True).describe() == "in [0, 1)"
    assert Rule(low=0, high=1, low_open=True).allows(1) and not Rule(low=0, high=1, low_open=True).allows(0)
    assert Rule(low=1).allows("auto")  # a count's rule leaves `auto` to the type check


def test_the_architecture_picture_is_the_layers_contract() -> None:
    import tomllib

    contract = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    layers = contract["contracts"][0]["layers"]
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    picture = text.split("## Layers\n\n```\n", 1)[1].split("```", 1)[0].splitlines()
    assert len(picture) == len(layers)
    for line, layer in zip(picture, layers, strict=True):
        names = {name.strip().removeprefix("hadath.") for name in layer.split("|")}
        assert names == _names_shown(line), line


def _names_shown(line: str) -> set[str]:
    """The module names a picture line starts with: `hadath/serve.py | predict_input.py` -> {serve, predict_input}."""
    shown = set()
    for token in line.split():
        if token == "|":
            continue
        if not token.endswith((".py", "/")):
            break
        shown.add(token.removeprefix("hadath/").removesuffix(".py").removesuffix("/"))
    return shown
