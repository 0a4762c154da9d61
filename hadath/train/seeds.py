"""Multi-seed runs: one full run per seed (DIR/seed-<n>/), then every metric as mean and standard deviation."""

from __future__ import annotations

import dataclasses
import json
import shutil
import statistics
from pathlib import Path
from typing import Any

from hadath.config import ExperimentConfig, save_config
from hadath.train.recipe import run_training


def aggregate(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Mean of every number across runs (same nesting as metrics.json), with `std` beside each headline block."""
    first = runs[0]
    merged: dict[str, Any] = {}
    for key, value in first.items():
        values = [run[key] for run in runs if key in run]
        if isinstance(value, dict):
            merged[key] = aggregate(values)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            merged[key] = round(statistics.fmean(values), 6)
            if len(values) > 1:
                merged.setdefault("std", {})[key] = round(statistics.stdev(values), 6)
        elif all(run.get(key) == value for run in runs):
            merged[key] = value
        # Anything else differs by seed and has no mean (such as one seed's bootstrap `f1_ci95`): it stays in that
        # seed's own metrics.json rather than being passed off as the summary's.
    return merged


def run_seeds(config: ExperimentConfig, output_dir: Path, resume: bool = False) -> dict[str, Any]:
    """Train once per seed in `training.seeds` (or once with `training.seed`); DIR/metrics.json holds mean ± std
    and DIR/model the first seed's model."""
    seeds = config.training.seeds
    if len(seeds) <= 1:
        if seeds:
            config = dataclasses.replace(config, training=dataclasses.replace(config.training, seed=seeds[0]))
        return run_training(config, output_dir, resume)
    results = []
    for seed in seeds:
        training = dataclasses.replace(config.training, seed=seed, seeds=[])
        metrics = run_training(dataclasses.replace(config, training=training), output_dir / f"seed-{seed}", resume)
        if not metrics:  # a non-main DDP process: the main one writes the summary
            return {}
        results.append(metrics)
    summary = aggregate(results)
    summary["seeds"] = list(seeds)
    output_dir.mkdir(parents=True, exist_ok=True)
    save_config(config, output_dir / "config.yaml")
    (output_dir / "metrics.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    lines = [f"# Hadath run `{config.name}` over seeds {', '.join(map(str, seeds))}", "",
             "| layer | precision | recall | F1 (mean ± std) |", "|---|---:|---:|---:|"]  # fmt: skip
    for layer, block in summary.items():
        if isinstance(block, dict) and "f1" in block:
            std = block.get("std", {}).get("f1", 0.0)
            lines.append(
                f"| {layer} | {block['precision']:.4f} | {block['recall']:.4f} | {block['f1']:.4f} ± {std:.4f} |"
            )
    lines += ["", "Each seed's full report, with its bootstrap 95% interval over test sentences, is in "
              "`seed-<n>/report.md`; this summary has no interval of its own, only the spread across seeds. "
              "`model/` is the first seed's model."]  # fmt: skip
    (output_dir / "report.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    model_dir = output_dir / "model"
    shutil.rmtree(model_dir, ignore_errors=True)
    shutil.copytree(output_dir / f"seed-{seeds[0]}" / "model", model_dir)
    return summary
