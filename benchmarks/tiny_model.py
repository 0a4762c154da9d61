"""The small scratch model the inference and evaluation benchmarks measure: a 2-layer, 128-wide BERT trained for a
few steps with `hadath train` (in a subprocess, from a config written to a temporary directory)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def train_tiny_model(
    workdir: Path, name: str, train: Path, max_steps: int, *, test: Path | None = None, max_length: int = 128,
    stride: int = 32, vocab_size: int = 4000, learning_rate: float = 0.001, shape: tuple[int, int] = (2, 128),
    batch_size: int = 32,
) -> Path:  # fmt: skip
    """Train the tiny model (or another `shape`: layers, hidden size) on a CoNLL file; returns its exported model
    directory."""
    layers, hidden = shape
    config = workdir / f"{name}.yaml"
    splits = f"train: {train}" + (f", test: {test}" if test else "")
    config.write_text(
        f"name: {name}\n"
        f"data: {{{splits}, format: conll, on_error: repair}}\n"
        f"model: {{max_length: {max_length}, stride: {stride}, scratch: {{vocab_size: {vocab_size},"
        f" hidden_size: {hidden}, num_layers: {layers}, num_heads: {max(2, hidden // 64)},"
        f" intermediate_size: {4 * hidden}}}}}\n"
        f"training: {{max_steps: {max_steps}, batch_size: {batch_size}, learning_rate: {learning_rate},"
        " logging_steps: 1000, tensorboard: false}\n",
        encoding="utf-8",
    )
    run = workdir / "run"
    done = subprocess.run([sys.executable, "-m", "hadath", "train", str(config), "--output-dir", str(run)],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"hadath train failed ({done.returncode}): {done.stderr[-2000:]}")
    return run / "model"
