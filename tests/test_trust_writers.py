"""Writers that survive a kill and a second writer: one process per output folder (a lock naming its PID, taken over
once the owner is dead), staging folders of live writers left alone, evaluate installed whole by one rename, and an
export destination replaced only when its hadath.json really is a Hadath model's."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from hadath.cli import main

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "corpus"
pytestmark = pytest.mark.slow
Run = Callable[[list[str]], tuple[int, list[str], str]]
HOLDER = """
import sys, time
from pathlib import Path
from hadath.data.owned_folders import hold_folder
with hold_folder(Path(sys.argv[1]), sys.argv[2]):
    print("ready", flush=True)
    time.sleep(120)
"""


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("run")
    lines = (CORPUS / "train.jsonl").read_text(encoding="utf-8").splitlines()
    (folder / "train.jsonl").write_text("\n".join(lines[:40]) + "\n", encoding="utf-8")
    dev = folder / "dev.jsonl"
    dev.write_text("\n".join(lines[40:52]) + "\n", encoding="utf-8")
    code = main(
        ["train", str(ROOT / "configs" / "scratch.yaml"), "--output-dir", str(folder / "run"),
         "--set", "training.max_steps=2", "--set", "training.logging_steps=2", "--set", "training.tensorboard=false",
         "--set", f"data.train={folder / 'train.jsonl'}", "--set", f"data.dev={dev}", "--set", f"data.test={dev}"]
    )  # fmt: skip
    assert code == 0
    return folder / "run" / "model"


@contextmanager
def another_writer(directory: Path, command: str) -> Iterator[subprocess.Popen[str]]:
    """A real second process holding `directory`'s lock until the block ends (then SIGKILLed: no cleanup runs)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(directory), command], stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        yield holder
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=10)


def _busy(lines: list[str], directory: Path, pid: int) -> bool:
    return (
        len(lines) == 1
        and lines[0].startswith(f"hadath: error: {directory.resolve()}: another hadath (PID {pid})")
        and " — " in lines[0]
    )


def test_a_second_writer_is_refused_and_a_dead_ones_lock_is_taken_over(
    model_dir: Path, cli: Run, tmp_path: Path
) -> None:
    target = tmp_path / "export"
    with another_writer(target, "export") as holder:
        code, lines, _ = cli(["export", str(model_dir), "--output-dir", str(target)])
        assert code == 1 and _busy(lines, target, holder.pid), lines
        assert not target.exists()
    # The holder was SIGKILLed: its lock file may remain, but the kernel released the lock with the process.
    code, lines, _ = cli(["export", str(model_dir), "--output-dir", str(target)])
    assert code == 0, lines
    assert (target / "hadath.json").is_file()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["export"]  # the lock file is gone too


def test_train_and_evaluate_refuse_a_folder_another_process_writes(model_dir: Path, cli: Run, tmp_path: Path) -> None:
    run = tmp_path / "run"
    with another_writer(run, "train") as holder:
        config = ROOT / "configs" / "scratch.yaml"
        code, lines, _ = cli(["train", str(config), "--output-dir", str(run), "--set", "training.max_steps=1"])
        assert code == 1 and _busy(lines, run, holder.pid), lines
        assert not run.exists()
    report = tmp_path / "eval"
    with another_writer(report, "evaluate") as holder:
        code, lines, _ = cli(["evaluate", str(model_dir), str(CORPUS / "dev.jsonl"), "--output-dir", str(report)])
        assert code == 1 and _busy(lines, report, holder.pid), lines
        assert not report.exists()


def test_a_live_writers_staging_folder_is_left_alone(model_dir: Path, cli: Run, tmp_path: Path) -> None:
    from hadath.data.owned_folders import STAGING_MARKER

    # Another export of the same name elsewhere is mid-write: its marker names a live process.
    with another_writer(tmp_path / "elsewhere", "export") as holder:
        staging = tmp_path / ".model.hadath-staging-l1ve00"
        staging.mkdir()
        (staging / STAGING_MARKER).write_text(f"{holder.pid}\n")
        (staging / "config.json").write_text("{}")
        assert cli(["export", str(model_dir), "--output-dir", str(tmp_path / "model")])[0] == 0
        assert (staging / "config.json").is_file()
    # Its owner is dead now: the next export clears it.
    assert cli(["export", str(model_dir), "--output-dir", str(tmp_path / "model")])[0] == 0
    assert not staging.exists()


def test_export_replaces_only_a_folder_whose_hadath_json_is_a_model(model_dir: Path, cli: Run, tmp_path: Path) -> None:
    precious = tmp_path / "mine"
    precious.mkdir()
    (precious / "hadath.json").write_text("x\n")
    (precious / "thesis.tex").write_text("years of work")
    code, lines, _ = cli(["export", str(model_dir), "--output-dir", str(precious)])
    assert code == 1 and len(lines) == 1, lines
    assert lines[0].startswith(f"hadath: error: {precious}: ") and "not a Hadath model" in lines[0], lines
    assert "--force" in lines[0]
    assert (precious / "thesis.tex").read_text() == "years of work"
    # An earlier export is still replaced.
    assert cli(["export", str(model_dir), "--output-dir", str(tmp_path / "model")])[0] == 0
    assert cli(["export", str(model_dir), "--output-dir", str(tmp_path / "model")])[0] == 0


def test_evaluate_installs_its_folder_whole(
    model_dir: Path, cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hadath.evaluation.evaluate as evaluate_module

    report = tmp_path / "eval"
    data = str(CORPUS / "dev.jsonl")
    assert cli(["evaluate", str(model_dir), data, "--output-dir", str(report)])[0] == 0
    before = {path.name: path.read_bytes() for path in report.iterdir()}
    assert {"metrics.json", "report.md", "report.html", "predictions-entities.conll"} <= set(before)

    def dies_mid_write(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")  # after metrics.json and the predictions are written, before the reports

    monkeypatch.setattr(evaluate_module, "write_report", dies_mid_write)
    code, lines, _ = cli(["evaluate", str(model_dir), data, "--output-dir", str(report), "--decoding", "argmax"])
    assert code == 1 and "disk full" in lines[0], lines
    assert {path.name: path.read_bytes() for path in report.iterdir()} == before  # the old evaluation, whole
    assert sorted(path.name for path in tmp_path.iterdir()) == ["eval"]  # no staging left behind


def test_evaluate_refuses_a_folder_of_other_files(model_dir: Path, cli: Run, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    code, lines, _ = cli(["evaluate", str(model_dir), str(CORPUS / "dev.jsonl"), "--output-dir", str(tmp_path)])
    assert code == 1 and len(lines) == 1, lines
    assert lines[0].startswith(f"hadath: error: {tmp_path}: holds files that are not an evaluation's (notes.txt)")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["notes.txt"]
