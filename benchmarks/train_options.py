"""Training cost switches on a pretrained encoder: seconds per optimizer step and test F1 (seeds) for each option.

    python benchmarks/train_options.py [--config configs/quickstart.yaml] [--options baseline frozen-embeddings ...]
        [--full-encoder encoders/multilingual-e5-small] [--steps 10 40] [--seeds 1 2 3] [--busy] [--set KEY=VALUE ...]

Each run is its own `hadath train` process, one at a time. Seconds per step come from two runs of each option, of
`--steps A B` optimizer steps with no dev split: (runtime_B − runtime_A) / (B − A), which cancels start-up, the first
slow steps and the end of training. With `--seeds`, each option also trains the config as written once per seed and
reports test F1 of every layer, mean ± std. `--busy` runs every training beside one CPU-burning process (what a
shared machine does to a thread count). Prints JSON; the load average before each run, and run.json's `cpu_threads`
(the count each run trained on), are recorded beside it.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OPTIONS: dict[str, list[str]] = {
    "baseline": [],
    "full-vocabulary": [],  # model.name_or_path set from --full-encoder
    "frozen-embeddings": ["training.freeze_word_embeddings=true"],
    "random-batches": ["training.group_by_length=false"],
    "bf16-autocast": ["training.precision=bf16"],
    "torch-compile": ["training.torch_compile=true"],
    # The baseline's `threads: auto` trains on the thread tuner (hadath/train/thread_tuner.py); these fix the count.
    "threads-1": ["training.threads=1"],
    "threads-2": ["training.threads=2"],
}
BURN = "while True: pass"


def _train(config: str, overrides: list[str], output: Path) -> dict[str, Any]:
    load = os.getloadavg()[0]
    command = [sys.executable, "-m", "hadath", "train", config, "--output-dir", str(output), "--overwrite",
               *[item for value in overrides for item in ("--set", value)]]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr[-2000:]}")
    log = json.loads((output / "training_log.json").read_text(encoding="utf-8"))
    runtime = next(entry["train_runtime"] for entry in reversed(log) if "train_runtime" in entry)
    metrics = json.loads((output / "metrics.json").read_text(encoding="utf-8"))
    scores = {name: block["f1"] for name, block in metrics.items() if isinstance(block, dict) and "f1" in block}
    threads = json.loads((output / "run.json").read_text(encoding="utf-8")).get("cpu_threads")
    return {"train_runtime_s": runtime, "test_f1": scores, "load_before": round(load, 2), "threads": threads}


def seconds_per_step(config: str, overrides: list[str], steps: tuple[int, int], work: Path) -> dict[str, Any]:
    """Steady-state seconds per step from two runs of different lengths."""
    runs = []
    for count in steps:
        fixed = [f"training.max_steps={count}", "data.dev=null", "training.tensorboard=false"]
        runs.append(_train(config, [*overrides, *fixed], work / f"steps-{count}"))
    per_step = (runs[1]["train_runtime_s"] - runs[0]["train_runtime_s"]) / (steps[1] - steps[0])
    return {"s_per_step": round(per_step, 3), "load_before": [run["load_before"] for run in runs],
            "threads": [run["threads"] for run in runs]}  # fmt: skip


def seeded_f1(config: str, overrides: list[str], seeds: list[int], work: Path) -> dict[str, Any]:
    """Test F1 per layer over seeds: mean, std and each run."""
    runs = [_train(config, [*overrides, f"training.seed={seed}"], work / f"seed-{seed}") for seed in seeds]
    layers = runs[0]["test_f1"]
    summary: dict[str, Any] = {}
    for layer in layers:
        values = [run["test_f1"][layer] for run in runs]
        spread = statistics.stdev(values) if len(values) > 1 else 0.0
        summary[layer] = {"mean": round(statistics.mean(values), 4), "std": round(spread, 4), "runs": values}
    summary["load_before"] = [run["load_before"] for run in runs]
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", default=str(ROOT / "configs" / "quickstart.yaml"))
    parser.add_argument("--options", nargs="+", choices=list(OPTIONS), default=list(OPTIONS))
    parser.add_argument("--full-encoder", type=Path, help="a full-vocabulary import (for full-vocabulary)")
    parser.add_argument("--steps", type=int, nargs=2, default=[10, 40], metavar=("A", "B"))
    parser.add_argument("--seeds", type=int, nargs="*", default=[], help="also train each option on these seeds")
    parser.add_argument("--busy", action="store_true", help="run beside one CPU-burning process")
    parser.add_argument("--set", dest="overrides", action="append", default=[], help="for every run")
    args = parser.parse_args()
    if "full-vocabulary" in args.options and not args.full_encoder:
        parser.error("full-vocabulary needs --full-encoder DIR (hadath encoder import multilingual-e5-small ...)")
    results: dict[str, Any] = {"config": args.config, "steps": args.steps, "seeds": args.seeds, "busy": args.busy,
                               "options": {}}  # fmt: skip
    burner = subprocess.Popen([sys.executable, "-c", BURN]) if args.busy else None
    try:
        _run_options(args, results)
    finally:
        if burner is not None:
            burner.kill()
    base = results["options"].get("baseline", {}).get("s_per_step")
    if base:
        for entry in results["options"].values():
            entry["speed_vs_baseline"] = round(base / entry["s_per_step"], 3)
    print(json.dumps(results, indent=2))


def _run_options(args: argparse.Namespace, results: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as temporary:
        for option in args.options:
            overrides = [*args.overrides, *OPTIONS[option]]
            if option == "full-vocabulary":
                overrides.append(f"model.name_or_path={args.full_encoder.resolve()}")
            work = Path(temporary) / option
            entry = {"overrides": overrides, **seconds_per_step(args.config, overrides, tuple(args.steps), work)}
            if args.seeds:
                entry["f1"] = seeded_f1(args.config, overrides, args.seeds, work)
            results["options"][option] = entry
            print(json.dumps({option: entry}), file=sys.stderr)


if __name__ == "__main__":
    main()
