"""On a tiny trained model: one input line is held to the server's work limits in both predict engines, an ONNX
export gets the load checks a PyTorch folder gets (and the file hashes its onnx.json records), and an export is loaded
back and compared before it is installed, so a damaged write is never published."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from hadath.cli import main

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "corpus"
pytestmark = pytest.mark.slow
Run = Callable[[list[str]], tuple[int, list[str], str]]
TEXT = "زار محمد بغداد"
# 2,000 words of 17 x U+FDFA: 36,000 characters (inside --max-chars) that normalize to 612,000 letters and about
# 200,000 pieces; the tiny model took ~50 s on it, a line of it in a file held predict that long each time.
BOMB = " ".join(["\ufdfa" * 17] * 2000)


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("run")
    lines = (CORPUS / "train.jsonl").read_text(encoding="utf-8").splitlines()
    (folder / "train.jsonl").write_text("\n".join(lines[:40]) + "\n", encoding="utf-8")
    code = main(
        ["train", str(ROOT / "configs" / "scratch.yaml"), "--output-dir", str(folder / "run"),
         "--set", "training.max_steps=2", "--set", "training.logging_steps=2", "--set", "training.tensorboard=false",
         "--set", f"data.train={folder / 'train.jsonl'}", "--set", "data.dev=null", "--set", "data.test=null"]
    )  # fmt: skip
    assert code == 0
    return folder / "run" / "model"


def test_predict_skips_a_line_over_the_work_limits_and_tags_the_rest(model_dir: Path, cli: Run, tmp_path: Path) -> None:
    source = tmp_path / "in.txt"
    source.write_text(f"{TEXT}\n{BOMB}\n{TEXT}\n", encoding="utf-8")
    started = time.perf_counter()
    code, lines, out = cli(["predict", str(model_dir), str(source)])
    assert time.perf_counter() - started < 30
    assert code == 1, lines
    assert [json.loads(line)["text"] for line in out.splitlines()] == [TEXT, TEXT]
    assert lines[0] == (
        f"hadath: skipped {source}:2: line is over the limit of 60000 subword pieces for the model — split it (or "
        "raise --max-pieces)"
    ), lines
    assert lines[-1].startswith("hadath: error: 1 of 3 records skipped"), lines
    # The limit is the user's to raise, per line, as the server's is per request.
    code, lines, out = cli(["predict", str(model_dir), str(source), "--max-pieces", "5", "--max-characters", "10"])
    assert code == 1 and out == "", (lines, out)
    assert "line is over the limit of 10 characters once normalized" in lines[0], lines


def test_the_batch_worker_skips_a_line_over_the_work_limits(model_dir: Path, tmp_path: Path) -> None:
    from hadath.batch.plan import plan_shards
    from hadath.batch.shard_worker import ShardTagger, errors_path, shard_path
    from hadath.predict_input import PREDICT_CHUNK

    source = tmp_path / "in.txt"
    source.write_text(f"{TEXT}\n{BOMB}\n{'بغداد ' * 10_000}\n{TEXT}\n", encoding="utf-8")
    (shard,), _ = plan_shards([source], 8, PREDICT_CHUNK)
    options = {"input_format": "auto", "output_format": "jsonl", "batch_size": 8, "max_chars": 50_000}
    worker = ShardTagger(str(model_dir), str(tmp_path / "out"), options)
    started = time.perf_counter()
    assert worker.tag_shard(shard) == (2, 2)
    assert time.perf_counter() - started < 20
    errors = [json.loads(line) for line in errors_path(tmp_path / "out", shard).read_text().splitlines()]
    assert [(error["line"], error["error"]) for error in errors] == [
        (2, f"{source}:2: line is over the limit of 60000 subword pieces for the model — split it (or raise "
            "--max-pieces)"),
        (3, f"{source}:3: line longer than 50000 characters — split it (or raise --max-chars)"),
    ]  # fmt: skip
    records = [json.loads(line) for line in shard_path(tmp_path / "out", shard, "jsonl").read_text().splitlines()]
    assert [(record["line"], record["text"]) for record in records] == [(1, TEXT), (4, TEXT)]
