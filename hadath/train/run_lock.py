"""One `hadath train` per run directory: two runs started into one folder would otherwise interleave their
checkpoints and model export (one died on the other's staging folder; another time both exited 0 with one model)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from hadath.data.owned_folders import hold_folder


@contextlib.contextmanager
def hold_run_dir(directory: Path) -> Iterator[None]:
    """Hold the run directory's lock for the whole run (see `hadath/data/owned_folders.py`). In a distributed run only
    the main process (RANK 0) takes it: the other ranks of the same run write into the folder with its leave."""
    if int(os.environ.get("RANK", "0")) != 0:
        yield
        return
    with hold_folder(directory, "train"):
        yield
