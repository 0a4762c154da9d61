"""One source of truth per choice set: the `Literal` aliases in hadath/config.py drive the config validation, the
CLI's choices and defaults, and the stages' own tables."""

from __future__ import annotations

import argparse
import dataclasses
import typing
from pathlib import Path

import pytest

from hadath import cli, config
from hadath.config import ConfigError, DataConfig, load_config
from hadath.data.normalize import PRESETS
from hadath.data.readers import FORMATS, READERS
from hadath.data.schemes import ALIASES, SCHEMES, canonical_scheme
from hadath.data.writers import WRITE_FORMATS
from hadath.data_commands import parse_columns, parse_pairs
from hadath.models.joint import POOLINGS

ROOT = Path(__file__).resolve().parents[1]


def _choice_fields(cls: type, prefix: str = "") -> dict[str, tuple[str, ...]]:
    """Dotted key -> choices for every `Literal` field of the config schema."""
    found: dict[str, tuple[str, ...]] = {}
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        annotation = hints[f.name]
        if dataclasses.is_dataclass(annotation):
            found.update(_choice_fields(annotation, f"{prefix}{f.name}."))  # type: ignore[arg-type]
        elif typing.get_origin(annotation) is typing.Literal:
            found[prefix + f.name] = typing.get_args(annotation)
    return found


CHOICE_FIELDS = _choice_fields(config.ExperimentConfig)


def _action(parser: argparse.ArgumentParser, *path: str, flag: str) -> argparse.Action:
    for name in path:
        sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        parser = sub.choices[name]
    return next(a for a in parser._actions if flag in a.option_strings)


def test_the_config_has_the_choice_fields_the_layout_issue_names() -> None:
    expected = {
        "data.format", "data.scheme", "data.on_error", "data.normalize.preset", "model.decoding", "model.pooling",
        "training.precision", "training.lr_scheduler", "training.device",
    }  # fmt: skip
    assert expected <= set(CHOICE_FIELDS)


@pytest.mark.parametrize("key", sorted(CHOICE_FIELDS))
def test_every_choice_field_accepts_each_choice_and_refuses_others(key: str, tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("data:\n  train: x.jsonl\n", encoding="utf-8")
    for choice in CHOICE_FIELDS[key]:
        if key == "model.decoding" and choice == "crf":
            continue  # crf is valid, and checked against label_all_subwords elsewhere
        assert config.flatten(load_config(path, [f"{key}={choice}"]))[key] == choice
    with pytest.raises(ConfigError, match=f"`{key}` is 'nonsense' — use one of: {', '.join(CHOICE_FIELDS[key])}"):
        load_config(path, [f"{key}=nonsense"])


def test_stage_tables_cover_exactly_their_choice_sets() -> None:
    assert tuple(READERS) == WRITE_FORMATS == typing.get_args(config.FileFormat)
    assert FORMATS == ("auto", *WRITE_FORMATS) == CHOICE_FIELDS["data.format"]
    assert tuple(PRESETS) == CHOICE_FIELDS["data.normalize.preset"]
    assert CHOICE_FIELDS["model.pooling"] == POOLINGS
    assert typing.get_args(config.TagScheme) == SCHEMES
    assert tuple(ALIASES) == typing.get_args(config.SchemeAlias)
    # Every scheme name the config accepts is one the readers understand.
    assert {canonical_scheme(name) for name in CHOICE_FIELDS["data.scheme"] if name != "auto"} == set(SCHEMES)


@pytest.mark.parametrize(
    ("path", "flag", "key"),
    [
        (("data", "validate"), "--format", "data.format"),
        (("data", "stats"), "--scheme", "data.scheme"),
        (("data", "convert"), "--on-error", "data.on_error"),
        (("evaluate",), "--decoding", "model.decoding"),
    ],
)
def test_cli_choices_and_defaults_are_the_configs(path: tuple[str, ...], flag: str, key: str) -> None:
    action = _action(cli._parser(), *path, flag=flag)
    assert tuple(action.choices or ()) == CHOICE_FIELDS[key]
    if path[0] == "data":
        assert action.default == config.flatten(config.ExperimentConfig())[key]


def test_convert_targets_are_the_writable_formats() -> None:
    assert tuple(_action(cli._parser(), "data", "convert", flag="--to").choices or ()) == WRITE_FORMATS


def test_a_scheme_alias_is_accepted_alike_on_the_command_line_and_in_a_config(tmp_path: Path) -> None:
    conll = tmp_path / "t.conll"
    conll.write_text("محمد S-PER\nفي O\n\n", encoding="utf-8")
    assert cli.main(["data", "validate", str(conll), "--scheme", "IOBES"]) == 0
    path = tmp_path / "c.yaml"
    path.write_text(f"data:\n  train: {conll}\n", encoding="utf-8")
    assert load_config(path, ["data.scheme=IOBES"]).data.scheme == "IOBES"
    with pytest.raises(SystemExit):
        cli._parser().parse_args(["data", "validate", str(conll), "--scheme", "BEIO"])
    with pytest.raises(ConfigError, match="data.scheme"):
        load_config(path, ["data.scheme=BEIO"])


def test_config_and_cli_default_format_is_auto() -> None:
    assert DataConfig().format == "auto"
    assert cli._parser().parse_args(["data", "validate", "x"]).format == "auto"


def test_one_key_value_parser_for_every_flag() -> None:
    assert parse_pairs(" A = B ,C=D,", "--x", "A=B") == {"A": "B", "C": "D"}
    assert parse_columns("entities=1,events=2") == {"entities": 1, "events": 2}
    with pytest.raises(ConfigError, match=r"^--tag-map PERS: expected OLD=NEW"):
        parse_pairs("PERS", "--tag-map", "OLD=NEW pairs")
    with pytest.raises(ConfigError, match=r"^--columns entities=0: expected layer=column with column >= 1"):
        parse_columns("entities=0")


def test_a_model_file_with_an_unknown_decoder_is_refused_not_decoded_as_viterbi(tmp_path: Path) -> None:
    import json

    from hadath.data.encode import LabelSpace
    from hadath.data.normalize import NormalizerSettings
    from hadath.inference.metadata import METADATA_FILE, ModelMetadata

    space = LabelSpace({"entities": ["O", "B-PER", "I-PER"]}, [])
    metadata = ModelMetadata(
        labels=space, normalizer=NormalizerSettings(), max_length=64, stride=8, decoding="argmax", threshold=0.5
    )
    metadata.save(tmp_path)
    assert ModelMetadata.load(tmp_path) == metadata
    data = json.loads((tmp_path / METADATA_FILE).read_text(encoding="utf-8"))
    (tmp_path / METADATA_FILE).write_text(json.dumps({**data, "decoding": "beam"}), encoding="utf-8")
    with pytest.raises(ValueError, match="`decoding` is 'beam', not one of viterbi, argmax, crf — re-export"):
        ModelMetadata.load(tmp_path)
