"""Batch tagging speed: plain `hadath predict` against `hadath predict --engine ray` with 1, 2, ... workers.

On N raw text lines (ANERcorp test sentences, read from ../shared/data and repeated up to N; never copied into the
repository), with one model (an ONNX directory, e.g. anercorp-tiny exported with `hadath export --onnx --int8`).
Each engine runs as a whole process, as a user would start it (imports, Ray start-up, model load, tagging, writing),
and is timed from start to exit (plain `predict` with one onnxruntime thread per core, its best on a quiet machine;
each Ray actor and bare process with one thread: OMP_NUM_THREADS, which `threads: auto` reads), with the peak
resident memory of its whole process tree (Ray's own daemons and workers included), polled every 0.2 s. The Ray
records are checked to be the plain records plus `source` and `line`, byte for byte.

- rows_per_s: lines / process wall time (what a user sees on this input size);
- in_actor_rows_per_s_per_worker: lines / the actors' summed time reading, tagging and writing shards;
- overhead_per_worker: 1 - rows_per_s(k workers) / (k × in-actor rate of 1 worker): what Ray start-up, scheduling,
  shared cores and writing cost against k perfectly parallel copies of one worker's tagging loop;
- not_tagging_s: wall time minus the actors' tagging time divided by k (start-up, planning, waiting on the last
  shard), the part of the overhead that does not grow with the input;
- phases (from the job's summary.json, plus the process's own start and exit): python_start (interpreter, imports,
  model check), planning, ray_start (ray.init), until_first_shard (Ray Data's executor and actors starting, the
  model loading in each actor), tagging (first shard start to last shard end: the steady state), after_last_shard,
  ray_shutdown, python_exit; steady_rows_per_s = lines / tagging.
- bare_k: the same shards tagged by k plain processes without Ray (each loads the model and runs the actors' own
  `ShardTagger.tag_shard` on every k-th shard, all k at once), with their in-process rows/s per worker: what the
  cores give k copies of the tagging loop, so the Ray runs' steady-state loss splits into the machine's and Ray's.
- lines_for_target: the input size at which this worker count's overhead would fall to the 20% target, if the
  fixed cost (wall - tagging) and the steady rate stay as measured.

Prints one JSON object. `--no-plain` runs Ray only (for a larger input where only the Ray overhead is asked).
`--existing-cluster` runs the Ray jobs on a local cluster started beforehand (untimed), as `--address` would on a
cluster that is already up: what remains is the job's own start-up, not the cluster's.

    .venv/bin/python benchmarks/batch_speed.py ONNX_DIR [--lines 20000] [--workers 1,2] [--no-plain] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import psutil

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "anercorp"
TARGETS = {"ray_2_workers_vs_plain": 1.0, "overhead_per_worker": 0.20}


def sentences(count: int) -> list[str]:
    """ANERcorp test sentences as raw text (first column of each CoNLL block), repeated up to `count` lines."""
    blocks = (SHARED / "test.txt").read_text(encoding="utf-8").replace("\r\n", "\n").split("\n\n")
    texts = [" ".join(line.split()[0] for line in b.splitlines() if line.strip()) for b in blocks if b.strip()]
    return (texts * (count // len(texts) + 1))[:count]


def timed(command: list[str], threads: int, stdout: Path | None = None) -> dict[str, float]:
    """Run a command with `threads` CPU threads per process; its wall time, the peak summed RSS of its process tree
    and when it was launched (epoch)."""
    peak = 0
    started, launched = time.perf_counter(), time.time()
    with open(stdout or os.devnull, "wb") as out:
        env = {**os.environ, "OMP_NUM_THREADS": str(threads)}  # predict's thread policy reads it (`threads: auto`)
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.PIPE, env=env)
        errors: list[bytes] = []
        reader = threading.Thread(target=lambda: errors.append(process.stderr.read() if process.stderr else b""))
        reader.start()
        root = psutil.Process(process.pid)
        while process.poll() is None:
            peak = max(peak, _tree_rss(root))
            time.sleep(0.2)
        process.wait()
        reader.join()
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command[:6])}... failed ({process.returncode}): {errors[0][-2000:].decode()}")
    return {"wall_s": round(seconds, 2), "peak_rss_mb": round(peak / 1e6, 1), "launched_at": launched}


def _tree_rss(root: psutil.Process) -> int:
    total = 0
    try:
        processes = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    for process in processes:
        try:
            total += process.memory_info().rss
        except psutil.NoSuchProcess:
            continue
    return total


def same_records(plain: Path, shards: Path) -> bool:
    """Every Ray record is the plain record of its line with `source` and `line` appended, and every line has one."""
    expected = plain.read_text(encoding="utf-8").splitlines()
    seen = 0
    for path in sorted(shards.glob("*[0-9].jsonl")):
        for record in path.read_text(encoding="utf-8").splitlines():
            fields = json.loads(record)
            tail = f', "source": {json.dumps(fields["source"], ensure_ascii=False)}, "line": {fields["line"]}}}'
            if record[: -len(tail)] + "}" != expected[fields["line"] - 1]:
                return False
            seen += 1
    return seen == len(expected)


def plain_run(hadath: list[str], args: argparse.Namespace, output: Path) -> dict[str, float]:
    """Plain `hadath predict` on the lines, records to `output`."""
    # At its best on a quiet machine: one onnxruntime thread per core (its default on a shared one is half).
    run = timed([*hadath, str(args.batch_size)], len(os.sched_getaffinity(0)), stdout=output)
    del run["launched_at"]
    run["rows_per_s"] = round(args.lines / run["wall_s"], 1)
    return run


def ray_run(hadath: list[str], args: argparse.Namespace, workers: int, workdir: Path) -> dict[str, Any]:
    """`--engine ray` with `workers` actors: speed, where the time went, and whether its records equal plain ones."""
    output = workdir / f"ray-{workers}"
    engine = ["--engine", "ray", "--output-dir", str(output), "--workers", str(workers)]
    if args.existing_cluster:
        engine += ["--address", "auto"]
    run: dict[str, Any] = timed([*hadath, str(args.batch_size), *engine], threads=1)  # each actor: 1 thread, 1 core
    summary = json.loads((output / "summary.json").read_text(encoding="utf-8"))
    run["rows_per_s"] = round(args.lines / run["wall_s"], 1)
    run["in_actor_rows_per_s_per_worker"] = round(args.lines / summary["worker_seconds"], 1)
    # What is not tagging, if the shards were spread evenly: start-up (imports, Ray, actors, model load),
    # planning, scheduling and the wait for the last shard.
    run["not_tagging_s"] = round(run["wall_s"] - summary["worker_seconds"] / workers, 2)
    phases = summary["phases"]
    python_start = summary["began_at"] - run.pop("launched_at")
    run["phases"] = {
        "python_start": round(python_start, 2),
        **phases,
        "python_exit": round(run["wall_s"] - python_start - summary["wall_seconds"], 2),
    }
    run["steady_rows_per_s"] = round(args.lines / phases["tagging"], 1)
    run["fixed_s"] = round(run["wall_s"] - phases["tagging"], 2)
    if not args.no_plain:
        run["identical_to_plain"] = same_records(workdir / "plain.jsonl", output / "shards")
    return run


BARE_WORKER = """
import json, sys, time
from pathlib import Path
from hadath.batch.plan import Shard
from hadath.batch.shard_worker import ShardTagger
model, output, options, rows = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), json.loads(sys.argv[4])
tagger = ShardTagger(model, output, options, threads=1)
began = time.perf_counter()
tagged = sum(sum(tagger.tag_shard(Shard.from_row(row))) for row in rows)
print(json.dumps({"lines": tagged, "seconds": time.perf_counter() - began}))
"""


def bare_run(args: argparse.Namespace, workers: int, lines: Path, workdir: Path) -> dict[str, Any]:
    """The Ray job's shards tagged by `workers` plain processes at once (no Ray): in-process rows/s per worker."""
    from hadath.batch.plan import plan_shards
    from hadath.batch.ray_job import BatchJob

    shards, _ = plan_shards([lines], args.batch_size, BatchJob.shard_lines)  # the Ray runs' default
    options = {"input_format": "auto", "output_format": "jsonl", "batch_size": args.batch_size}
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", BARE_WORKER, str(args.model_dir), str(workdir / f"bare-{workers}"),
             json.dumps(options), json.dumps([shard.as_row() for shard in shards[index::workers]])],
            stdout=subprocess.PIPE, env={**os.environ, "OMP_NUM_THREADS": "1"},
        )
        for index in range(workers)
    ]  # fmt: skip
    reports = [json.loads(process.communicate()[0]) for process in processes]
    rates = [report["lines"] / report["seconds"] for report in reports if report["lines"]]
    return {"in_process_rows_per_s_per_worker": round(sum(rates) / len(rates), 1)}


def lines_for_overhead(run: dict[str, Any], ideal: float, share: float) -> int | None:
    """Lines at which rows/s reaches `share` × `ideal`: N / (fixed + N / steady) = share × ideal, solved for N."""
    steady, fixed = run["steady_rows_per_s"], run["fixed_s"]
    slack = 1 - share * ideal / steady
    return round(share * ideal * fixed / slack) if slack > 0 else None  # None: the steady rate alone misses it


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model_dir", type=Path, help="model directory (ONNX int8 export of anercorp-tiny)")
    parser.add_argument("--lines", type=int, default=20000)
    parser.add_argument("--workers", default="1,2", help="worker counts to run, comma-separated")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument(
        "--no-plain", action="store_true", help="Ray runs only (no plain predict, no bare processes, no record check)"
    )
    parser.add_argument("--keep", type=Path, help="keep the work files here instead of a temporary directory")
    parser.add_argument(
        "--existing-cluster",
        action="store_true",
        help="start a local Ray cluster first (`ray start --head`, untimed, as a cluster that is already up) and run "
        "the Ray jobs on it with `--address auto`; stopped at the end",
    )
    args = parser.parse_args()
    if not (SHARED / "test.txt").is_file():
        raise SystemExit(f"{SHARED}: ANERcorp not found — this benchmark needs ../shared/data/anercorp")
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="batch-speed-"))
    workdir.mkdir(parents=True, exist_ok=True)
    lines = workdir / "lines.txt"
    lines.write_text("\n".join(sentences(args.lines)) + "\n", encoding="utf-8")
    hadath = [sys.executable, "-m", "hadath", "predict", str(args.model_dir), str(lines), "--batch-size"]
    result: dict[str, Any] = {"lines": args.lines, "model": str(args.model_dir), "cpus": os.cpu_count()}
    if not args.no_plain:
        result["plain"] = plain_run(hadath, args, workdir / "plain.jsonl")
    if args.existing_cluster:
        ray = Path(sys.executable).with_name("ray")
        head = [str(ray), "start", "--head", f"--num-cpus={os.cpu_count()}", "--include-dashboard=false",
                "--disable-usage-stats"]  # fmt: skip
        started = subprocess.run(head, capture_output=True, text=True)
        if started.returncode != 0:  # e.g. a cluster of the user's is already up: never stop that one at the end
            raise SystemExit(
                f"ray start --head failed — is a Ray cluster already running here? {started.stderr[-300:]}"
            )
        result["existing_cluster"] = True
    try:
        for workers in (int(k) for k in args.workers.split(",")):
            result[f"ray_{workers}"] = ray_run(hadath, args, workers, workdir)
    finally:
        if args.existing_cluster:
            subprocess.run([str(Path(sys.executable).with_name("ray")), "stop"], check=False, capture_output=True)
    for workers in (int(k) for k in args.workers.split(",")) if not args.no_plain else ():
        result[f"bare_{workers}"] = bare_run(args, workers, lines, workdir)
    if not args.no_plain:
        # Plain again after the Ray runs: on a shared machine the load moves, and the faster of the two plain runs
        # is the one compared against (the favourable reading for plain predict).
        result["plain_again"] = plain_run(hadath, args, workdir / "plain-again.jsonl")
    single = result.get("ray_1")
    for key, run in result.items():
        if key.startswith("ray_") and single:
            workers = int(key.removeprefix("ray_"))
            ideal = workers * single["in_actor_rows_per_s_per_worker"]
            run["overhead_per_worker"] = round(1 - run["rows_per_s"] / ideal, 3)
            run["lines_for_target"] = lines_for_overhead(run, ideal, 1 - TARGETS["overhead_per_worker"])
    if "ray_2" in result and "plain" in result:
        best_plain = max(result["plain"]["rows_per_s"], result["plain_again"]["rows_per_s"])
        result["ray_2_workers_vs_plain"] = round(result["ray_2"]["rows_per_s"] / best_plain, 3)
    result["targets"] = TARGETS
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
