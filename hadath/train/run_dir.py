"""Claiming a run directory before training writes into it: a finished or interrupted run is never silently mixed
with a new one (its config.yaml replaced while its old model/ and metrics stay until the end)."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from hadath.config import ConfigError


def claim_run_dir(directory: Path, resume: bool, overwrite: bool, cpu: bool = False) -> None:
    """Refuse a non-empty `directory` unless resuming it or told to overwrite it; `overwrite` removes the old run
    first (only a folder that holds a run's config.yaml, so a mistyped path never deletes unrelated files). `cpu`:
    the run trains on the CPU (`training.device: cpu`), so distributed processes talk over gloo."""
    if resume and overwrite:
        raise ConfigError("--resume continues a run and --overwrite replaces it — pass one of them")
    if int(os.environ.get("WORLD_SIZE", "1")) <= 1:
        _claim(directory, resume, overwrite)
        return
    # Under torchrun/accelerate the main process claims the folder while the others wait: a rank that ran ahead
    # and wrote into it would otherwise make the main process find it taken (or see it half removed).
    import torch
    from accelerate import PartialState

    # The same process group the Trainer joins later (without `cpu`, accelerate sees no distributed run on a CPU).
    state = PartialState(cpu=cpu or not torch.cuda.is_available())
    with state.main_process_first():
        if state.is_main_process:
            _claim(directory, resume, overwrite)


def _claim(directory: Path, resume: bool, overwrite: bool) -> None:
    if not directory.exists():
        return
    if not directory.is_dir():
        raise ConfigError(f"{directory}: is a file, not a run directory — pass another --output-dir")
    if resume or not any(directory.iterdir()):
        return
    if not overwrite:
        raise ConfigError(
            f"{directory}: already holds a run — add --resume to continue it, --overwrite to replace it, "
            "or pass another --output-dir"
        )
    if not (directory / "config.yaml").is_file():
        raise ConfigError(
            f"{directory}: not empty and holds no Hadath run (no config.yaml) — refusing to overwrite it: "
            "pass another --output-dir"
        )
    # Renamed aside first, so the new run never sees a half-deleted old one.
    retired = Path(tempfile.mkdtemp(prefix=f".{directory.name}.replaced.", dir=directory.parent))
    directory.rename(retired / directory.name)
    shutil.rmtree(retired)
