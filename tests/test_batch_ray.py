"""`hadath predict --engine ray`: shard planning, records identical to plain predict, resume, errors file, no Ray import
on the plain path. The Ray tests share one local Ray (startup is slow on small machines) and skip without Ray."""

from __future__ import annotations

import importlib.util
import io
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from hadath.batch.plan import check_job, chunk_edges, input_files, plan_shards
from hadath.cli import main
from hadath.config import ConfigError
from hadath.predict_input import PREDICT_CHUNK

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "corpus"
BATCH = 4


def _dev_texts() -> list[str]:
    return [json.loads(line)["text"] for line in (CORPUS / "dev.jsonl").read_text(encoding="utf-8").splitlines()]


def test_shards_fall_on_predict_chunk_edges_and_offsets_point_at_their_first_line(tmp_path: Path) -> None:
    lines = [f"سطر {n}" for n in range(1, 2 * PREDICT_CHUNK + 40)]
    path = tmp_path / "in.txt"
    path.write_text("\n".join(lines), encoding="utf-8")  # no newline after the last line: it still counts
    shards, errors = plan_shards([path], BATCH, shard_lines=PREDICT_CHUNK)
    assert errors == []
    first, rest = chunk_edges(BATCH, PREDICT_CHUNK)
    assert (first, rest) == (BATCH + PREDICT_CHUNK, PREDICT_CHUNK)
    assert [(s.first, s.last) for s in shards] == [(1, first), (first + 1, first + rest), (first + rest + 1, 2087)]
    assert shards[0].chunk_starts == (1, BATCH + 1) and shards[1].chunk_starts == (first + 1,)
    raw = path.read_bytes()
    for shard in shards:
        assert raw[shard.offset :].decode("utf-8").split("\n", 1)[0] == lines[shard.first - 1]
    again, _ = plan_shards([path], BATCH, shard_lines=PREDICT_CHUNK)
    assert [s.name for s in again] == [s.name for s in shards]
    assert len({s.name for s in shards}) == 3


def test_inputs_from_folders_and_globs_and_a_utf16_file_is_one_error(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    for name in ("b.txt", "a.jsonl", "sub/c.txt", ".hidden.txt", "notes.md"):
        (tmp_path / name).write_text("نص\n", encoding="utf-8")
    found = [p.relative_to(tmp_path).as_posix() for p in input_files([str(tmp_path)])]
    assert found == ["a.jsonl", "b.txt", "sub/c.txt"]
    assert input_files([str(tmp_path / "*.txt"), str(tmp_path / "b.txt")]) == [tmp_path / "b.txt"]
    with pytest.raises(FileNotFoundError, match="matches no file"):
        input_files([str(tmp_path / "*.xml")])
    utf16 = tmp_path / "wide.txt"
    utf16.write_text("نص\n", encoding="utf-16")
    shards, errors = plan_shards([utf16], BATCH, PREDICT_CHUNK)
    assert shards == [] and [(e.line, "UTF-16" in e.message) for e in errors] == [(1, True)]


def test_a_restart_with_other_settings_is_refused(tmp_path: Path) -> None:
    check_job(tmp_path, {"batch_size": 4, "inputs": {"a": 1}})
    check_job(tmp_path, {"batch_size": 4, "inputs": {"a": 1}})
    with pytest.raises(ConfigError, match="different batch_size"):
        check_job(tmp_path, {"batch_size": 8, "inputs": {"a": 1}})
    with pytest.raises(ConfigError, match="different inputs"):
        check_job(tmp_path, {"batch_size": 4, "inputs": {"a": 2}})


def test_plain_predict_does_not_import_ray_and_ray_engine_without_ray_says_how_to_install(tmp_path: Path) -> None:
    script = (
        "import sys; sys.modules['ray'] = None\n"  # as if Ray were not installed
        "from hadath.cli import main\n"
        f"code = main(['predict', {str(tmp_path)!r}, {str(tmp_path / 'x.txt')!r}, '--engine', 'ray', "
        f"'--output-dir', {str(tmp_path / 'out')!r}])\n"
        "print('exit', code)\n"
    )
    (tmp_path / "x.txt").write_text("نص\n", encoding="utf-8")
    for name in ("config.json", "model.safetensors", "hadath.json", "hadath_heads.safetensors"):
        (tmp_path / name).write_text("{}")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=_env(), timeout=120)
    assert "exit 1" in result.stdout
    assert result.stderr.strip().count("\n") == 0 and "pip install 'hadath[ray]'" in result.stderr


@pytest.mark.parametrize("value", ["-1", "-0.5", "nan", "inf", "many"])
def test_a_negative_or_non_finite_gpu_share_is_a_one_line_usage_error(
    value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["predict", "MODEL", "in.txt", "--engine", "ray", "--output-dir", "out", "--num-gpus-per-worker", value]
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    error = capsys.readouterr().err.strip().splitlines()[-1]
    assert error.startswith("hadath predict: error: argument --num-gpus-per-worker: ")
    assert error.endswith(("must be a finite number, 0 or more", "is not a number"))


@pytest.mark.parametrize(("value", "share"), [("0", 0.0), ("0.25", 0.25), ("2", 2.0)])
def test_a_gpu_share_of_zero_or_more_is_accepted(value: str, share: float) -> None:
    from hadath.cli import _parser

    args = _parser().parse_args(["predict", "MODEL", "in.txt", "--engine", "ray", "--num-gpus-per-worker", value])
    assert args.num_gpus_per_worker == share


def test_a_worker_user_error_ends_the_job_as_that_error_anything_else_as_a_worker_failure() -> None:
    from hadath.batch.ray_job import worker_failure

    trace = "Traceback (most recent call last):\n  File ...\nValueError: m: cannot load the model (X) — re-export it\n"
    user = worker_failure(trace)
    assert type(user) is ValueError and str(user) == "m: cannot load the model (X) — re-export it"
    crash = worker_failure("Traceback ...\nZeroDivisionError: division by zero")
    assert type(crash) is RuntimeError and str(crash) == "a Ray worker failed: ZeroDivisionError: division by zero"
    assert str(worker_failure("")) == "a Ray worker failed: "


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"}


# --- on a local Ray -------------------------------------------------------------------------------------------------

needs_ray = pytest.mark.skipif(
    importlib.util.find_spec("ray") is None, reason="Ray is an optional extra: pip install 'hadath[ray]'"
)


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("run")
    code = main(
        ["train", str(ROOT / "configs" / "scratch.yaml"), "--output-dir", str(output),
         "--set", "training.max_steps=40", "--set", "training.logging_steps=20",
         "--set", f"data.test={CORPUS / 'dev.jsonl'}"]
    )  # fmt: skip
    assert code == 0  # 40 steps: enough for the model to predict spans, so records have something to differ in
    return output / "model"


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    import ray

    from hadath.batch.ray_job import start_ray

    start_ray(None, cpus_needed=1)
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("inputs")
    texts = _dev_texts()
    many = (texts * (1 + (PREDICT_CHUNK + 200) // len(texts)))[: PREDICT_CHUNK + 200]  # two shards
    many[7] = ""  # an empty line is tagged too (an empty record), as plain predict does
    (folder / "news.txt").write_text("\ufeff" + "\n".join(many) + "\n", encoding="utf-8")
    jsonl = [json.dumps({"id": n, "text": t}, ensure_ascii=False) for n, t in enumerate(texts[:30])]
    (folder / "items.jsonl").write_text("\n".join(jsonl) + "\n", encoding="utf-8")
    return {"news": folder / "news.txt", "items": folder / "items.jsonl"}


@pytest.mark.slow
def test_plain_predict_never_imports_ray(model_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("اعتقلت الشرطة محمد في بغداد\n", encoding="utf-8")
    script = (
        "import sys\nfrom hadath.cli import main\n"
        f"assert main(['predict', {str(model_dir)!r}, {str(tmp_path / 'x.txt')!r}]) == 0\n"
        "print('ray imported:', 'ray' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=_env(), timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "ray imported: False"


def _run(model_dir: Path, paths: list[Path], output: Path, *extra: str) -> int:
    args = ["predict", str(model_dir), *map(str, paths), "--engine", "ray", "--output-dir", str(output)]
    return main([*args, "--batch-size", str(BATCH), "--shard-lines", str(PREDICT_CHUNK), *extra])


def _plain(model_dir: Path, path: Path, input_format: str) -> list[str]:
    buffer = io.StringIO()
    with redirect_stdout(buffer):
        assert (
            main(["predict", str(model_dir), str(path), "--batch-size", str(BATCH), "--input-format", input_format])
            == 0
        )
    return buffer.getvalue().splitlines()


def _shard_records(output: Path) -> list[str]:
    return [line for path in sorted((output / "shards").glob("*[0-9].jsonl")) for line in path.read_text().splitlines()]


@pytest.mark.slow
@needs_ray
def test_ray_records_are_plain_predict_records_with_source_and_line(
    model_dir: Path, local_ray: None, inputs: dict[str, Path], tmp_path: Path
) -> None:
    assert _run(model_dir, [inputs["news"], inputs["items"]], tmp_path / "out") == 0
    expected = {
        str(path): _plain(model_dir, path, fmt) for path, fmt in ((inputs["news"], "auto"), (inputs["items"], "jsonl"))
    }
    records = _shard_records(tmp_path / "out")
    assert len(records) == sum(map(len, expected.values())) == PREDICT_CHUNK + 200 + 30
    # The model tags something (97 spans on corpus v3, where half the sentences carry no event), so the byte-for-byte
    # comparison below compares spans, not empty lists.
    assert sum(len(json.loads(r)["entities"]) + len(json.loads(r)["events"]) for r in records) > 50
    ordered = sorted(records, key=lambda r: (json.loads(r)["source"], json.loads(r)["line"]))
    seen = set()
    for record in ordered:
        source, line = json.loads(record)["source"], json.loads(record)["line"]
        tail = f', "source": {json.dumps(source, ensure_ascii=False)}, "line": {line}}}'
        assert record.endswith(tail)
        assert record[: -len(tail)] + "}" == expected[source][line - 1], (source, line)  # byte for byte
        seen.add((source, line))
    assert len(seen) == len(records)  # nothing duplicated
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert (summary["rows"], summary["errors"], summary["shards"], summary["shards_skipped"]) == (len(records), 0, 3, 0)
    phases = summary["phases"]  # where the time went: Ray was already running, so no start or shutdown here
    assert list(phases) == ["planning", "ray_start", "until_first_shard", "tagging", "after_last_shard", "ray_shutdown"]
    assert phases["ray_start"] == phases["ray_shutdown"] == 0 and phases["tagging"] > 0
    assert min(phases.values()) >= 0 and sum(phases.values()) == pytest.approx(summary["wall_seconds"], abs=0.1)
    assert summary["worker_seconds"] <= phases["tagging"] + 0.05  # one actor: its shards lie inside the window


@needs_ray
def test_the_local_ray_retries_its_connections_often(local_ray: None) -> None:
    import ray

    from hadath.batch.ray_job import LOCAL_RAY_CONFIG

    # Ray's default, one try a second, made `ray.init` wait a whole second for the raylet's own object store in about
    # half the starts on 2 cores.
    config = ray._private.state.state.get_system_config()
    assert {key: config.get(key) for key in LOCAL_RAY_CONFIG} == LOCAL_RAY_CONFIG
    assert LOCAL_RAY_CONFIG["raylet_client_connect_timeout_milliseconds"] <= 100


@pytest.mark.slow
@needs_ray
def test_a_killed_job_resumes_to_the_same_records_without_redoing_finished_shards(
    model_dir: Path, local_ray: None, inputs: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "out"
    assert _run(model_dir, [inputs["news"]], output) == 0
    shards = sorted((output / "shards").glob("*.jsonl"))
    before = {path.name: path.read_bytes() for path in shards}
    kept = {path.name: path.stat().st_mtime_ns for path in shards[1:]}
    # What a kill leaves behind: one shard never renamed into place, only its half-written temporary file.
    shards[0].rename(output / "shards" / f".{shards[0].name}.0123.tmp")
    (output / "shards" / f".{shards[0].name}.0123.tmp").write_bytes(before[shards[0].name][:100])
    assert _run(model_dir, [inputs["news"]], output) == 0
    assert {path.name: path.read_bytes() for path in sorted((output / "shards").glob("*.jsonl"))} == before
    assert {path.name: path.stat().st_mtime_ns for path in shards[1:]} == kept  # not tagged again
    assert not list((output / "shards").glob(".*.tmp"))
    summary = json.loads((output / "summary.json").read_text())
    assert (summary["shards"], summary["shards_skipped"], summary["rows"]) == (2, 1, PREDICT_CHUNK + 200)
    assert _run(model_dir, [inputs["news"]], output, "--batch-size", "8") == 1
    assert "different batch_size (4 there, 8 now)" in capsys.readouterr().err


@pytest.mark.slow
@needs_ray
def test_bad_lines_go_to_the_errors_file_and_the_job_goes_on(model_dir: Path, local_ray: None, tmp_path: Path) -> None:
    good = json.dumps({"text": "اعتقلت الشرطة محمد في بغداد"}, ensure_ascii=False).encode()
    jsonl = tmp_path / "in.jsonl"
    jsonl.write_bytes(b"\n".join([good, b'{"title": "no text"}', good, b"\xff\xfe broken \xc3", good]) + b"\n")
    wide = tmp_path / "wide.txt"
    wide.write_text("نص\n", encoding="utf-16")
    assert _run(model_dir, [jsonl, wide], tmp_path / "out") == 0
    errors = [json.loads(line) for line in (tmp_path / "out" / "errors.jsonl").read_text().splitlines()]
    assert [(e["source"], e["line"]) for e in errors] == [(str(wide), 1), (str(jsonl), 2), (str(jsonl), 4)]
    assert errors[0]["error"] == f"{wide}:1: file is UTF-16 — re-save it as UTF-8 (e.g. iconv -f UTF-16 -t UTF-8)"
    assert errors[1]["error"] == f"{jsonl}:2: not a JSON object with a string `text` — fix the line"
    assert errors[2]["error"] == f"{jsonl}:4: not valid UTF-8 (byte 0xff) — re-save the file as UTF-8"
    records = [json.loads(line) for line in _shard_records(tmp_path / "out")]
    assert [r["line"] for r in records] == [1, 3, 5]
    assert all(r["text"] == "اعتقلت الشرطة محمد في بغداد" for r in records)
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert (summary["rows"], summary["errors"], summary["lines"]) == (3, 3, 5)


@pytest.mark.slow
def test_parquet_in_and_out_without_ray(model_dir: Path, tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from hadath.batch.shard_worker import ShardTagger, errors_path, shard_path

    texts = ["اعتقلت الشرطة محمد في بغداد", None, "شنت طائرات التحالف غارات على مواقع داعش في كركوك"]
    source = tmp_path / "rows.parquet"
    pq.write_table(pa.table({"id": [1, 2, 3], "text": texts}), source)
    (shard,), _ = plan_shards([source], BATCH, PREDICT_CHUNK)
    options = {"input_format": "auto", "output_format": "parquet", "batch_size": BATCH}
    worker = ShardTagger(str(model_dir), str(tmp_path / "out"), options)
    assert worker.tag_shard(shard) == (2, 1)
    table = pq.read_table(shard_path(tmp_path / "out", shard, "parquet")).to_pylist()
    assert [(row["source"], row["line"]) for row in table] == [(str(source), 1), (str(source), 3)]
    plain = main_records(model_dir, [texts[0], texts[2]])
    assert [json.loads(row["record"]) for row in table] == [
        {**record, "source": str(source), "line": line} for record, line in zip(plain, (1, 3), strict=True)
    ]
    error = json.loads(errors_path(tmp_path / "out", shard).read_text())
    assert error == {"source": str(source), "line": 2, "error": f"{source}:2: `text` is NoneType, not a string"}


def main_records(model_dir: Path, texts: list[str]) -> list[dict[str, object]]:
    from hadath.inference.tagger import Tagger

    return Tagger.load(model_dir).predict(texts, batch_size=BATCH)


# --- a Ray started by the job itself -------------------------------------------------------------------------------


# The last time (monotonic) each command line among a job's processes was seen alive, filled by `_cli_job`.
LastSeen = dict[str, float]


def _cli_job(
    args: list[str], logs: Path, kill: str | None = None, last_seen: LastSeen | None = None
) -> tuple[int, str, dict[int, float]]:
    """Run `hadath ARGS` as its own process; its exit code, stderr and every process it started (pid: start time),
    polled while it ran: Ray's daemons and workers. `kill`: SIGKILL the first process whose command line shows it."""
    psutil = pytest.importorskip("psutil")
    seen = {} if last_seen is None else last_seen
    with open(logs / "stdout", "wb") as out, open(logs / "stderr", "wb") as err:
        process = subprocess.Popen([sys.executable, "-m", "hadath", *args], stdout=out, stderr=err, env=_env())
        root, started = psutil.Process(process.pid), {}
        while process.poll() is None:
            try:
                for child in root.children(recursive=True):
                    started[child.pid] = child.create_time()
                    seen[" ".join(child.cmdline())] = time.monotonic()
                    if kill and kill in " ".join(child.cmdline()):
                        child.kill()
                        kill = None
            except psutil.NoSuchProcess:
                pass
            time.sleep(0.05)
    assert kill is None, f"no process showed {kill!r}"
    return process.returncode, (logs / "stderr").read_text(encoding="utf-8"), started


def _survivors(started: dict[int, float], grace: float = 5.0) -> list[str]:
    """Those of `started` still running `grace` seconds after the job exited (zombies excepted: dead, not reaped)."""
    import psutil

    deadline = time.monotonic() + grace
    while True:
        alive = []
        for pid, created in started.items():
            try:
                process = psutil.Process(pid)
                if process.create_time() == created and process.status() != psutil.STATUS_ZOMBIE:
                    alive.append(f"{pid} {' '.join(process.cmdline())[:120]}")
            except psutil.NoSuchProcess:
                continue
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.2)


@pytest.mark.slow
@needs_ray
def test_a_job_owned_ray_stops_at_once_and_leaves_no_process_behind(model_dir: Path, tmp_path: Path) -> None:
    source = tmp_path / "in.txt"
    source.write_text("\n".join(_dev_texts()[:20]) + "\n", encoding="utf-8")
    output = tmp_path / "out"
    args = ["predict", str(model_dir), str(source), "--engine", "ray", "--output-dir", str(output), "--workers", "2"]
    last_seen: LastSeen = {}
    code, stderr, started = _cli_job(args, tmp_path, last_seen=last_seen)
    assert code == 0, stderr
    assert len(started) >= 6  # Ray's daemons (GCS, raylet, agents, monitors) and its workers were seen
    assert _survivors(started) == []
    # `ray.shutdown()` alone stops the GCS first and then waits 1 s on the autoscaler monitor, which cannot stop once
    # the GCS is gone; the job kills the monitor while the GCS still runs.
    monitor = max(t for line, t in last_seen.items() if "autoscaler/_private/monitor.py" in line)
    gcs = max(t for line, t in last_seen.items() if "gcs_server" in line)
    assert monitor <= gcs
    assert json.loads((output / "summary.json").read_text())["phases"]["ray_shutdown"] > 0
    assert len(_shard_records(output)) == 20


@pytest.mark.slow
@needs_ray
def test_a_failing_job_still_stops_the_ray_it_started(model_dir: Path, tmp_path: Path) -> None:
    broken = tmp_path / "model"
    shutil.copytree(model_dir, broken)
    (broken / "model.safetensors").write_bytes(b"not weights")  # complete on disk, fails to load in the actor
    source = tmp_path / "in.txt"
    source.write_text("\n".join(_dev_texts()[:5]) + "\n", encoding="utf-8")
    args = ["predict", str(broken), str(source), "--engine", "ray", "--output-dir", str(tmp_path / "out")]
    code, stderr, started = _cli_job(args, tmp_path)
    assert code == 1
    last = stderr.strip().splitlines()[-1]  # the worker's traceback above it is Ray's, from the worker's log
    # The same one line as plain `predict` on this model.
    assert last.startswith(f"hadath: error: {broken}: cannot load the model (SafetensorError: "), stderr[-2000:]
    assert last.endswith("— a file in it is damaged: re-run `hadath export` (or training) to rewrite it")
    assert started and _survivors(started) == []
    assert not list((tmp_path / "out" / "shards").glob("*.jsonl"))


@pytest.mark.slow
@needs_ray
def test_an_actor_killed_mid_job_is_restarted_and_the_job_ends_with_every_record(
    model_dir: Path, inputs: dict[str, Path], tmp_path: Path
) -> None:
    output = tmp_path / "out"
    args = ["predict", str(model_dir), str(inputs["news"]), "--engine", "ray", "--output-dir", str(output),
            "--batch-size", str(BATCH), "--shard-lines", str(PREDICT_CHUNK)]  # fmt: skip
    code, stderr, started = _cli_job(
        args, tmp_path, kill="ShardTagger"
    )  # the one map actor (Ray Data names it after the class), once it is one
    assert code == 0, stderr[-2000:]
    assert len(_shard_records(output)) == PREDICT_CHUNK + 200
    assert _survivors(started) == []
