"""Every file in configs/ is loaded, and each one that needs no network trains for 2 steps (after LitGPT's
tests/test_config_hub.py), so a shipped config cannot rot without the suite noticing.

The training runs keep each config's data, format, columns, scheme, normalization, decoding and recipe, and only
shrink the sizes through `--set` overrides (a 1-layer, 32-wide scratch BERT, small batches, 2 optimizer steps) to stay
fast. Configs that read ../shared/data skip when it is absent; arabert.yaml names a hub model and is only loaded. A
config naming an imported encoder folder (`encoders/…`, what `hadath encoder import` writes) that is absent trains on
a tiny XLM-R-style stand-in of the same tokenizer family (tests/tiny_encoders.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hadath.cli import main
from hadath.config import load_config

ROOT = Path(__file__).resolve().parents[1]
CONFIGS = sorted((ROOT / "configs").glob("*.yaml"))
NEEDS_HUB = {"arabert.yaml"}  # downloads aubmindlab/bert-base-arabertv02: no network in tests
TINY = [
    "training.max_steps=2",
    "training.batch_size=4",
    "training.eval_batch_size=32",
    "training.tensorboard=false",
    "model.scratch.vocab_size=300",
    "model.scratch.hidden_size=32",
    "model.scratch.num_layers=1",
    "model.scratch.num_heads=2",
    "model.scratch.intermediate_size=64",
]


def _data_files(path: Path) -> list[Path]:
    config = load_config(path)
    return [Path(value) for value in (config.data.train, config.data.dev, config.data.test) if value]


def test_the_configs_folder_is_not_empty_and_every_hub_exception_exists() -> None:
    names = {path.name for path in CONFIGS}
    assert "quickstart.yaml" in names and names >= NEEDS_HUB


@pytest.mark.parametrize("path", CONFIGS, ids=lambda path: path.name)
def test_config_loads(path: Path) -> None:
    config = load_config(path)
    assert config.name == path.stem
    assert config.data.train and Path(config.data.train).is_absolute()
    if path.name in NEEDS_HUB:
        assert config.model.name_or_path and not Path(config.model.name_or_path).exists()
    for data_file in _data_files(path):
        # Bundled data must be there; only the third-party corpora under ../shared may be absent.
        assert data_file.exists() or "shared" in data_file.parts, data_file


@pytest.mark.slow
@pytest.mark.parametrize("path", [path for path in CONFIGS if path.name not in NEEDS_HUB], ids=lambda path: path.name)
def test_config_trains_two_steps(path: Path, tmp_path: Path, sentencepiece_dir: Path) -> None:
    missing = [data_file for data_file in _data_files(path) if not data_file.exists()]
    if missing:
        pytest.skip(f"{missing[0]} is absent (third-party corpus under ../shared/data)")
    run = tmp_path / "run"
    settings = list(TINY)
    encoder = load_config(path).model.name_or_path
    if encoder and not Path(encoder).exists():
        assert Path(encoder).parent == ROOT / "encoders", f"{path.name} names a folder outside encoders/: {encoder}"
        settings.append(f"model.name_or_path={sentencepiece_dir}")
    assert main(["train", str(path), "--output-dir", str(run), *(f"--set={item}" for item in settings)]) == 0
    state = json.loads(next(run.glob("checkpoints/checkpoint-*/trainer_state.json")).read_text(encoding="utf-8"))
    assert state["global_step"] == 2
    metrics = json.loads((run / "metrics.json").read_text(encoding="utf-8"))
    # Scored on the config's test data (a tag layer with no spans there has no block: Wojood's entities_4).
    scores = [block["f1"] for block in metrics.values() if isinstance(block, dict) and "f1" in block]
    assert "entities" in metrics and scores and all(0.0 <= f1 <= 1.0 for f1 in scores)
    assert (run / "model" / "hadath.json").is_file()
