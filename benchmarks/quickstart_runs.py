"""Fresh quickstart runs: test F1, epochs trained and wall time of each, and whether every run scored the same.

    python benchmarks/quickstart_runs.py [--runs 3] [--config configs/quickstart.yaml] [--set key=value ...]

Each run is `hadath train` in its own process, with its own PYTHONHASHSEED, into a new temporary directory (nothing
reused). Printed JSON: per run the F1 of every layer, the epochs trained (early stopping), the training wall time
(from run.json) and the whole command's wall time; `identical_metrics` is true when every metrics.json is equal.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def one_run(config: str, overrides: list[str], output: Path, hash_seed: int) -> dict[str, Any]:
    """Train once into `output`; the facts of the run."""
    command = [sys.executable, "-m", "hadath", "train", config, "--output-dir", str(output)]
    for item in overrides:
        command += ["--set", item]
    env = {**os.environ, "PYTHONHASHSEED": str(hash_seed), "HF_HUB_OFFLINE": "1"}
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=env)
    wall = time.perf_counter() - started
    metrics = json.loads((output / "metrics.json").read_text(encoding="utf-8"))
    facts = json.loads((output / "run.json").read_text(encoding="utf-8"))
    log = json.loads((output / "training_log.json").read_text(encoding="utf-8"))
    return {
        "f1": {layer: block["f1"] for layer, block in metrics.items() if isinstance(block, dict) and "f1" in block},
        "epochs_trained": max((entry.get("epoch", 0) for entry in log), default=0),
        "training_wall_s": facts["training_wall_s"],
        "command_wall_s": round(wall, 1),
        "metrics": metrics,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--config", default=str(ROOT / "configs" / "quickstart.yaml"))
    parser.add_argument("--set", dest="overrides", action="append", default=["training.tensorboard=false"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        runs = [one_run(args.config, args.overrides, Path(scratch) / f"run-{i}", i) for i in range(args.runs)]
    report = {
        "config": args.config,
        "overrides": args.overrides,
        "load_average": os.getloadavg(),
        "identical_metrics": all(run["metrics"] == runs[0]["metrics"] for run in runs),
        "runs": [{key: value for key, value in run.items() if key != "metrics"} for run in runs],
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
