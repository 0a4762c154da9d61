"""Training steps per second with 1 and 2 intra-op threads, on a quiet machine and beside one busy process.

    python benchmarks/threads.py [--steps 20] [--max-seconds 30] [--configs CONFIG ...]

For each config (default: configs/scratch.yaml and configs/anercorp-tiny.yaml): the model and features the recipe
builds, then `--steps` optimizer steps (forward, backward, AdamW) on the same batches for every setting. "busy" rows
run beside a CPU-burning subprocess this script starts. Printed JSON: steps/s per setting and, per thread count, the
busy step time over the quiet one. A config whose data is missing (anercorp-tiny needs ../shared/data) is skipped.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import torch

ROOT = Path(__file__).resolve().parents[1]
BURN = "while True: pass"


def prepared(config_path: str, batches: int) -> tuple[torch.nn.Module, list[dict[str, torch.Tensor]]]:
    """The config's model and its first `batches` training batches."""
    from hadath.config import load_config
    from hadath.data.encode import build_label_space
    from hadath.train.collate import JointCollator
    from hadath.train.encoder import build_encoder
    from hadath.train.recipe import build_model, normalizer_settings, read_splits, training_dataset

    config = load_config(config_path)
    config = dataclasses.replace(config, data=dataclasses.replace(config.data, dev=None, test=None))
    splits = read_splits(config)
    settings = normalizer_settings(config.data.normalize)
    space = build_label_space(splits.train)
    words = (word for sentence in splits.train for word in sentence.words)
    tokenizer, token_model = build_encoder(config.model, space.layers[next(iter(space.layers))], words)
    dataset, _ = training_dataset(splits.train, tokenizer, settings=settings, space=space, model=config.model)
    collate = JointCollator(tokenizer.pad_token_id or 0)
    size = config.training.batch_size
    rows = [dataset[i] for i in range(min(len(dataset), size * batches))]
    return build_model(config.model, space, token_model), [
        collate(rows[i : i + size]) for i in range(0, len(rows), size)
    ]


def steps_per_second(
    model: torch.nn.Module, batches: list[dict[str, torch.Tensor]], threads: int, max_seconds: float
) -> float:
    """Optimizer steps per second over `batches` (after two warm-up steps) with `threads` intra-op threads, stopping
    early after `max_seconds` (a slow setting is measured on fewer steps rather than for minutes)."""
    torch.set_num_threads(threads)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4)
    model.train()

    def step(batch: dict[str, torch.Tensor]) -> None:
        optimizer.zero_grad()
        model(**batch)["loss"].backward()
        optimizer.step()

    for batch in batches[:2]:
        step(batch)
    started = time.perf_counter()
    done = 0
    for batch in batches:
        step(batch)
        done += 1
        if time.perf_counter() - started > max_seconds:
            break
    return done / (time.perf_counter() - started)


def measure(config_path: str, steps: int, max_seconds: float) -> dict[str, Any]:
    """steps/s for 1 and 2 threads, quiet and busy, and the busy/quiet step-time ratios."""
    model, batches = prepared(config_path, steps)
    rows: dict[str, float] = {}
    for load in ("quiet", "busy"):
        burner = subprocess.Popen([sys.executable, "-c", BURN]) if load == "busy" else None
        try:
            for threads in (1, 2):
                rows[f"{threads} threads, {load}"] = round(steps_per_second(model, batches, threads, max_seconds), 3)
        finally:
            if burner is not None:
                burner.kill()
                burner.wait()
    slowdown = {f"{t} threads": round(rows[f"{t} threads, quiet"] / rows[f"{t} threads, busy"], 2) for t in (1, 2)}
    return {"steps_per_s": rows, "busy_over_quiet_step_time": slowdown, "steps": len(batches)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--max-seconds", type=float, default=30.0, help="cap on one setting's timed steps")
    configs = [str(ROOT / "configs" / name) for name in ("scratch.yaml", "anercorp-tiny.yaml")]
    parser.add_argument("--configs", nargs="+", default=configs)
    args = parser.parse_args()
    from hadath.config import ConfigError

    report: dict[str, Any] = {"cpus": os.cpu_count(), "load_average_before": os.getloadavg()}
    for config_path in args.configs:
        try:
            report[Path(config_path).stem] = measure(config_path, args.steps, args.max_seconds)
        except (ConfigError, FileNotFoundError) as error:
            report[Path(config_path).stem] = {"skipped": str(error)}
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
