"""Does dev select? Dev F1 per epoch, and test F1 of the exported (dev-best) checkpoint against the last one.

Trains one config (default: the quickstart on the bundled corpus) unless DIR already holds a finished run, then
reads the dev scores the Trainer logged each epoch from DIR/training_log.json, scores DIR/model (the dev-best
checkpoint, loaded at the end of training and exported) on test, and scores the last epoch's checkpoint (kept beside
the best one in DIR/checkpoints) on test through the same Tagger. Prints one JSON object.

    .venv/bin/python benchmarks/dev_selection.py --output DIR [--config configs/scratch.yaml] [--set KEY=VALUE]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path
from typing import Any

from safetensors.torch import load_file

from hadath.config import load_config
from hadath.data.readers import ReadOptions, read_corpus
from hadath.evaluation.evaluate import score
from hadath.inference.tagger import Tagger
from hadath.models.decoding import ChainScores
from hadath.train.recipe import run_training

ROOT = Path(__file__).resolve().parents[1]


def dev_curve(run: Path) -> list[dict[str, Any]]:
    """Per evaluated epoch: the epoch and every `eval_<layer>_f1` the Trainer logged."""
    log = json.loads((run / "training_log.json").read_text(encoding="utf-8"))
    rows = [{k: v for k, v in entry.items() if k == "epoch" or k.endswith("_f1")} for entry in log]
    return [row for row in rows if len(row) > 1]


def last_checkpoint_tagger(run: Path) -> tuple[Tagger, str]:
    """The exported model with the last checkpoint's weights (encoder, heads and CRF scores) swapped in."""
    tagger = Tagger.load(run / "model", device="cpu")
    last = max((run / "checkpoints").glob("checkpoint-*"), key=lambda p: int(p.name.rsplit("-", 1)[1]))
    state = load_file(str(last / "model.safetensors"))
    crf = {k: v for k, v in state.items() if k.startswith("crfs.")}
    missing, _ = tagger.model.load_state_dict({k: v for k, v in state.items() if k not in crf}, strict=False)  # type: ignore[union-attr]
    assert not missing, f"checkpoint lacks {missing[:3]}"
    chains = {
        layer: ChainScores(*(crf[f"crfs.{layer}.{part}"].double().numpy() for part in ("start", "transitions", "end")))
        for layer in {key.split(".")[1] for key in crf}
    }
    tagger.metadata = dataclasses.replace(tagger.metadata, chains=chains)
    return tagger, last.name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", default=str(ROOT / "configs" / "scratch.yaml"))
    parser.add_argument("--output", required=True, type=Path)
    parser.add_argument("--set", action="append", default=[], dest="overrides")
    args = parser.parse_args(argv)
    config = load_config(args.config, args.overrides)
    if not (args.output / "model").is_dir():
        run_training(config, args.output)
    test, _ = read_corpus(config.data.test, ReadOptions.from_config(config.data), config.data.format)
    exported = json.loads((args.output / "metrics.json").read_text(encoding="utf-8"))
    tagger, last_name = last_checkpoint_tagger(args.output)
    state = json.loads((args.output / "checkpoints" / last_name / "trainer_state.json").read_text())
    last = score(tagger, test).metrics
    layers = [layer for layer in exported if "f1" in exported[layer] and layer != "classification"]
    result = {
        "config": args.config,
        "overrides": args.overrides,
        "dev_f1_per_epoch": dev_curve(args.output),
        "best_checkpoint": Path(state.get("best_model_checkpoint") or "").name,
        "last_checkpoint": last_name,
        "test_f1_exported_best": {layer: exported[layer]["f1"] for layer in layers},
        "test_f1_last": {layer: last[layer]["f1"] for layer in layers},
    }
    json.dump(result, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
