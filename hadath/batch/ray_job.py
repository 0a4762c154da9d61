"""`hadath predict --engine ray`: shards tagged by a Ray Data actor pool, progress while it runs, a summary at the end.

Ray is imported only here and only when the job starts, so `hadath predict` without `--engine ray` never loads it.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hadath.batch.plan import FileError, Shard, check_job, input_files, job_settings, plan_shards
from hadath.batch.shard_worker import SHARDS_DIR, ShardTagger, errors_path, shard_path
from hadath.config import ConfigError, ShardFormat
from hadath.inference.request_cost import MAX_CHARACTERS, MAX_PIECES
from hadath.predict_input import MAX_LINE_CHARS

# The raylet connects to its own object store, started a moment before on another thread, and when the store is not
# yet listening retries a second later (Ray's default: 10 tries, 1000 ms apart): on 2 busy cores that added 1.0 s to
# `ray.init` in about half the starts. Tries 100 ms apart, as many seconds of patience in all.
LOCAL_RAY_CONFIG = {"raylet_client_connect_timeout_milliseconds": 100, "raylet_client_num_connect_attempts": 100}
# A worker error of these kinds is the user's to fix (a damaged model file, a bad setting) and carries its own
# `WHAT: problem — fix` line: the job ends with that line, as plain `predict` would.
USER_ERRORS = ("ValueError", "ConfigError", "FileNotFoundError")
ERRORS_FILE = "errors.jsonl"
SUMMARY_FILE = "summary.json"
INSTALL_HINT = "pip install 'hadath[ray]' (or pip install 'ray[data]>=2.40')"


@dataclass(frozen=True)
class BatchJob:
    """Everything `hadath predict --engine ray` was asked to do."""

    model_dir: Path
    inputs: list[str]
    output_dir: Path
    input_format: str = "auto"
    output_format: ShardFormat = "jsonl"
    batch_size: int = 32
    shard_lines: int = 10240
    workers: int = 1
    cpus_per_worker: int = 1
    gpus_per_worker: float = 0.0
    device: str = "auto"
    address: str | None = None
    max_chars: int = MAX_LINE_CHARS
    max_characters: int = MAX_CHARACTERS
    max_pieces: int = MAX_PIECES


def import_ray() -> Any:
    """The `ray` module, or a one-line error saying how to install it."""
    try:
        import ray
        import ray.data  # noqa: F401  (the extra is ray[data]: core Ray alone lacks it)
    except ImportError:
        raise ConfigError(f"--engine ray needs Ray Data, which is not installed — {INSTALL_HINT}") from None
    return ray


def run_job(job: BatchJob) -> dict[str, Any]:
    """Plan the shards, tag those not yet written, merge the errors, write and return the summary."""
    ray = import_ray()
    began, timeline = time.perf_counter(), _Timeline(time.time())
    files = input_files(job.inputs)
    shards, file_errors = plan_shards(files, job.batch_size, job.shard_lines)
    options = {
        "input_format": job.input_format,
        "output_format": job.output_format,
        "batch_size": job.batch_size,
        "shard_lines": job.shard_lines,
        "max_chars": job.max_chars,
        "max_characters": job.max_characters,
        "max_pieces": job.max_pieces,
    }
    check_job(job.output_dir, job_settings(job.model_dir, files, options))
    _remove_stale_temporaries(job.output_dir)
    pending = [shard for shard in shards if not shard_path(job.output_dir, shard, job.output_format).is_file()]
    total = sum(shard.lines for shard in shards)
    already = total - sum(shard.lines for shard in pending)
    progress = _Progress(total, already)
    timeline.planned = time.time()
    if pending:
        _tag_pending(ray, job, pending, options=options, progress=progress, timeline=timeline)
    else:
        progress.close()
    errors = _merge_errors(job.output_dir, shards, file_errors)
    records = _count_records(job.output_dir, shards, job.output_format)
    wall = time.perf_counter() - began
    summary = {
        "rows": records,
        "errors": errors,
        "lines": total,
        "shards": len(shards),
        "shards_skipped": len(shards) - len(pending),
        "wall_seconds": round(wall, 2),
        "rows_per_second": round((total - already) / wall, 1) if wall > 0 else None,
        "worker_seconds": round(timeline.worker_seconds, 2),
        "began_at": round(timeline.began, 3),  # epoch seconds: where the phases start
        "phases": timeline.phases(time.time()),
        "output_dir": str(job.output_dir),
    }
    temporary = job.output_dir / (SUMMARY_FILE + ".tmp")
    temporary.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    temporary.replace(job.output_dir / SUMMARY_FILE)
    return summary


def _tag_pending(
    ray: Any, job: BatchJob, pending: list[Shard], *, options: dict[str, Any], progress: _Progress, timeline: _Timeline
) -> None:
    """Start Ray unless a session is already connected, tag the pending shards, stop the Ray this job started."""
    owned = not ray.is_initialized()  # a session already connected (a notebook, the tests) is left running
    if owned:
        start_ray(job.address, job.workers * job.cpus_per_worker)
        timeline.ray_started = time.time()
    quiet_ray_data()
    try:
        for row in _tag(ray, job, pending, options).iter_rows():
            progress.shard_done(int(row["rows"]) + int(row["errors"]))
            timeline.shard_done(float(row["started"]), float(row["seconds"]))
    except ray.exceptions.RayError as error:  # its message is the worker's whole traceback (shown above by Ray)
        raise worker_failure(str(error)) from error
    finally:
        progress.close()
        if owned:
            stopping = time.time()
            stop_ray(local=not job.address)
            timeline.shutdown = time.time() - stopping


@dataclass
class _Timeline:
    """Where a job's time went: planning, Ray's start, the wait for the first shard (actors starting, models
    loading), the tagging, what follows the last shard, and Ray's shutdown. Epoch seconds, so that the actors' clocks
    compare with the driver's."""

    began: float
    planned: float = 0.0
    ray_started: float | None = None  # None: the job joined a Ray session already connected
    first_shard: float = float("inf")  # when the first shard started
    last_shard: float = 0.0  # when the last shard ended
    worker_seconds: float = 0.0  # the actors' time reading, tagging and writing shards, summed
    shutdown: float = 0.0

    def shard_done(self, started: float, seconds: float) -> None:
        """Count one finished shard."""
        self.first_shard = min(self.first_shard, started)
        self.last_shard = max(self.last_shard, started + seconds)
        self.worker_seconds += seconds

    def phases(self, ended: float) -> dict[str, float]:
        """Seconds per phase, adding up to the job's wall time (empty when no shard was tagged)."""
        if self.last_shard == 0.0:
            return {}
        ray_up = self.ray_started or self.planned
        spans = {
            "planning": self.planned - self.began,
            "ray_start": ray_up - self.planned,
            "until_first_shard": self.first_shard - ray_up,
            "tagging": self.last_shard - self.first_shard,
            "after_last_shard": ended - self.last_shard - self.shutdown,
            "ray_shutdown": self.shutdown,
        }
        return {name: round(seconds, 2) for name, seconds in spans.items()}


def worker_failure(traceback: str) -> Exception:
    """The error to end the job with, from a failed worker's traceback text (Ray hands a failed actor's error to the
    driver only as text): the worker's own one-line user error (`ValueError: DIR: problem — fix`, e.g. a damaged
    model file) as the same `ValueError`, anything else as `RuntimeError("a Ray worker failed: <last line>")`."""
    last = traceback.strip().splitlines()[-1] if traceback.strip() else ""
    name, _, message = last.partition(": ")
    if name in USER_ERRORS and message:
        return ValueError(message)
    return RuntimeError(f"a Ray worker failed: {last}")


def start_ray(address: str | None, cpus_needed: int) -> None:
    """A local Ray just for this job, or the cluster at `address`, with Ray's notices (token authentication,
    "progress bars disabled") kept off the terminal; errors still show, and a failed shard raises here."""
    ray = import_ray()
    settings: dict[str, Any] = {"include_dashboard": False, "logging_level": logging.ERROR}
    if address:
        ray.init(address=address, **settings)
        return
    # Enough CPU slots for the pool even on a small machine: more workers than cores oversubscribes rather than
    # waiting for ever on resources that will not come.
    cpus = max(os.cpu_count() or 1, cpus_needed)
    ray.init(address="local", num_cpus=cpus, _system_config=LOCAL_RAY_CONFIG, **settings)


def stop_ray(local: bool) -> None:
    """`ray.shutdown()`; for a local Ray started by `ray.init`, its autoscaler monitor is killed first.

    `ray.shutdown()` stops the raylet and the GCS before the monitor; the monitor answers SIGTERM by reporting to the
    GCS, which is gone, until `ray.shutdown()` kills it a second later: 1.0 of the 1.4 s a shutdown took on 2 cores.
    The monitor of a one-node cluster of fixed size has nothing to save, so it is killed at once while the GCS is
    still up. `kill_monitor` is an internal of Ray's node (present since Ray 1.x); without it, the plain shutdown."""
    ray = import_ray()
    node = getattr(getattr(getattr(ray, "_private", None), "worker", None), "_global_node", None)
    if local and node is not None and hasattr(node, "kill_monitor"):
        node.kill_monitor(check_alive=False)
    ray.shutdown()


def quiet_ray_data() -> None:
    """Our progress line replaces Ray Data's per-operator bars and execution banners."""
    ray = import_ray()
    logging.getLogger("ray.data").setLevel(logging.ERROR)
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False
    context.print_on_execution_start = False
    context.verbose_stats_logs = False


def _tag(ray: Any, job: BatchJob, pending: list[Shard], options: dict[str, Any]) -> Any:
    """The Ray Data pipeline: one row per pending shard, tagged (and written) by a fixed pool of actors."""
    dataset = ray.data.from_items([shard.as_row() for shard in pending], override_num_blocks=len(pending))
    return dataset.map_batches(
        ShardTagger,
        fn_constructor_kwargs={
            "model_dir": str(job.model_dir.resolve()),
            "output_dir": str(job.output_dir.resolve()),
            "options": options,
            "device": job.device,
            "threads": job.cpus_per_worker,
        },
        batch_size=1,
        # One shard at a time per actor: a shard is seconds of work, so queueing a second one on a busy actor (Ray's
        # default) would only leave another actor idle, e.g. both shards of a small job on the first actor up.
        compute=ray.data.ActorPoolStrategy(size=job.workers, max_tasks_in_flight_per_actor=1),
        num_cpus=job.cpus_per_worker,
        num_gpus=job.gpus_per_worker,
    )


class _Progress:
    """`rows done / total, rows per second` on stderr as shards finish (a tqdm bar on a terminal)."""

    def __init__(self, total: int, already: int) -> None:
        from tqdm.auto import tqdm

        self.began = time.perf_counter()
        self.bar = tqdm(total=total, initial=already, desc="predict", unit="row", file=sys.stderr, dynamic_ncols=True)

    def shard_done(self, rows: int) -> None:
        """Count a finished shard's rows."""
        self.bar.update(rows)

    def close(self) -> None:
        """Leave the final count on screen."""
        self.bar.close()


def _remove_stale_temporaries(output_dir: Path) -> None:
    """Half-written files of a killed run: never read, safe to delete before the restart writes them again."""
    for leftover in (output_dir / SHARDS_DIR).glob(".*.tmp"):
        leftover.unlink(missing_ok=True)


def _merge_errors(output_dir: Path, shards: list[Shard], file_errors: list[FileError]) -> int:
    """`errors.jsonl`: every bad line of every shard, in input order, then unreadable files; returns the count."""
    lines = [
        json.dumps({"source": error.source, "line": error.line, "error": error.message}, ensure_ascii=False) + "\n"
        for error in file_errors
    ]
    for shard in shards:
        path = errors_path(output_dir, shard)
        if path.is_file():
            lines += path.read_text(encoding="utf-8").splitlines(keepends=True)
    temporary = output_dir / (ERRORS_FILE + ".tmp")
    temporary.write_text("".join(lines), encoding="utf-8")
    temporary.replace(output_dir / ERRORS_FILE)
    return len(lines)


def _count_records(output_dir: Path, shards: list[Shard], output_format: ShardFormat) -> int:
    if output_format == "parquet":
        import pyarrow.parquet as pq

        return sum(int(pq.ParquetFile(shard_path(output_dir, s, output_format)).metadata.num_rows) for s in shards)
    return sum(shard_path(output_dir, s, output_format).read_bytes().count(b"\n") for s in shards)


__all__ = ["ERRORS_FILE", "SUMMARY_FILE", "BatchJob", "import_ray", "run_job", "start_ray"]
