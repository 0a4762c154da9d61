"""What int8 costs in entity F1: one trained model exported as fp32 ONNX, `--int8` (each layer's feed-forward output
kept fp32) and `--int8-all` (every projection quantized), each scored on the config's dev split and its test split
exactly as `hadath evaluate` scores (the model's own decoding). Prints JSON with every F1 and each int8 export's
difference to fp32, in points.

    python benchmarks/int8_accuracy.py --model-dir runs/e5-anercorp-seed1/model --config configs/e5-small-anercorp.yaml

The config names the data (for ANERcorp its dev is a seeded carve-out of the training documents, so it is read
through the config rather than from a file). Choose between the exports on dev; test is for reporting.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

EXPORTS = {"fp32": ["--onnx"], "int8": ["--onnx", "--int8"], "int8_all": ["--onnx", "--int8", "--int8-all"]}


def export(model_dir: Path, flags: list[str], output: Path) -> None:
    command = [sys.executable, "-m", "hadath", "export", str(model_dir), *flags, "--output-dir", str(output)]
    done = subprocess.run(command, capture_output=True, text=True, encoding="utf-8", check=False)
    if done.returncode != 0:
        raise SystemExit(f"hadath export {' '.join(flags)} failed:\n{done.stderr[-2000:]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model-dir", type=Path, required=True, help="a run's model/ (PyTorch)")
    parser.add_argument("--config", required=True, help="the config it was trained with (its dev and test splits)")
    parser.add_argument("--set", dest="overrides", action="append", default=[])
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--keep", type=Path, help="keep the exports here instead of a temporary directory")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from hadath.config import load_config
    from hadath.data.config_splits import read_splits
    from hadath.evaluation.evaluate import score
    from hadath.inference.tagger import Tagger

    splits = read_splits(load_config(args.config, args.overrides))
    named = {"dev": splits.dev, "test": splits.test}
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="int8-accuracy-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        f1: dict[str, dict[str, float]] = {}
        for name, flags in EXPORTS.items():
            export(args.model_dir, flags, workdir / name)
            tagger = Tagger.load(workdir / name, device="cpu", threads=args.threads)
            f1[name] = {split: round(100 * score(tagger, sentences).metrics["entities"]["f1"], 2)
                        for split, sentences in named.items() if sentences}  # fmt: skip
        result: dict[str, Any] = {
            "model": str(args.model_dir),
            "sentences": {split: len(sentences) for split, sentences in named.items()},
            "entity_f1": f1,
            "delta_vs_fp32": {
                name: {split: round(f1[name][split] - f1["fp32"][split], 2) for split in f1["fp32"]}
                for name in ("int8", "int8_all")
            },  # fmt: skip
        }
        print(json.dumps(result, indent=2))
    finally:
        if args.keep is None:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
