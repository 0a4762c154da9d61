"""The folder `hadath evaluate` writes, all or nothing: staged beside its destination and installed by one rename,
so a kill mid-write leaves the previous evaluation whole (never a new metrics.json beside an old report.md).

Because the whole folder is replaced, only a new or empty folder, or one that holds nothing but an earlier
evaluation's files, is accepted as the destination.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from hadath.data.owned_folders import STAGING_MARKER, install_directory, make_staging
from hadath.evaluation.evaluate import Evaluation, write_evaluation

EVALUATION_FILES = ("metrics.json", "report.md", "report.html")
PREDICTION_FILES = "predictions-*.conll"


def _foreign_entries(directory: Path) -> list[str]:
    """Names in `directory` that an evaluation does not write."""
    return sorted(
        entry.name
        for entry in directory.iterdir()
        if entry.name not in (*EVALUATION_FILES, STAGING_MARKER)
        and not (entry.is_file() and not entry.is_symlink() and entry.match(PREDICTION_FILES))
    )


def check_evaluation_destination(directory: Path) -> None:
    """Refuse a file, or a folder holding anything but an earlier evaluation, before any model time is spent."""
    if directory.is_file() or directory.is_symlink():
        raise ValueError(f"{directory}: is a file or a link — pass a folder path for --output-dir")
    if not directory.is_dir():
        return
    foreign = _foreign_entries(directory)
    if foreign:
        shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
        raise ValueError(
            f"{directory}: holds files that are not an evaluation's ({shown}) and evaluate replaces the whole "
            "folder — pass a new or empty --output-dir"
        )


def write_evaluation_dir(
    evaluation: Evaluation,
    directory: Path,
    title: str,
    extra: dict[str, Any],
    training_log: Sequence[Mapping[str, Any]] = (),
) -> None:
    """`write_evaluation` into a staging sibling, then one rename into `directory` (the old evaluation retired)."""
    directory = directory.resolve()
    check_evaluation_destination(directory)
    staging = make_staging(directory)
    try:
        write_evaluation(evaluation, staging, title, extra, training_log)
        install_directory(staging, directory)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
