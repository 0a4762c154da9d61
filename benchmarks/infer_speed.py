"""Inference speed: transformers' token-classification pipeline against `hadath predict` on the int8 ONNX export.

On the first 800 sentences of ANERcorp test (read from ../shared/data, never copied into the repository), with one
model: a tiny scratch BERT trained on ANERcorp train (or `--model-dir`, a PyTorch model directory). That model is
exported with `hadath export --onnx --int8`, then:

- baseline: `pipeline("token-classification", model=DIR, aggregation_strategy="simple", batch_size=32)` on the 800
  texts, timed around the call only (model load excluded, which favours the baseline);
- Hadath: `hadath predict ONNX_DIR texts.txt` as a whole process (start, imports, load, predict, write), with the
  time from process start to the first record on stdout;
- quality: `hadath evaluate` entity F1 of the int8 ONNX model and of the fp32 PyTorch model on the same sentences.

Prints one JSON object.

    .venv/bin/python benchmarks/infer_speed.py [--model-dir DIR] [--sentences 800] [--max-steps 400] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tiny_model import train_tiny_model

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "anercorp"
TARGETS = {"speedup": 5.0, "f1_gap_points": 0.5, "first_prediction_s": 3.0}


def hadath(*args: str) -> subprocess.CompletedProcess[str]:
    """Run a `hadath` command in a subprocess; stop the benchmark with its stderr when it fails."""
    done = subprocess.run([sys.executable, "-m", "hadath", *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"hadath {args[0]} failed ({done.returncode}): {done.stderr[-2000:]}")
    return done


def test_sentences(count: int, workdir: Path) -> tuple[list[str], Path]:
    """The first `count` sentences of ANERcorp test: their texts, and a CoNLL file of them for `hadath evaluate`."""
    blocks = (SHARED / "test.txt").read_text(encoding="utf-8").replace("\r\n", "\n").split("\n\n")
    blocks = [block.strip("\n") for block in blocks if block.strip()][:count]
    conll = workdir / "test-800.conll"
    conll.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    texts = [" ".join(line.split()[0] for line in block.splitlines() if line.strip()) for block in blocks]
    return texts, conll


def time_pipeline(model_dir: Path, texts: list[str]) -> dict[str, float]:
    """transformers' aggregated token-classification pipeline on all texts."""
    from transformers import pipeline

    started = time.perf_counter()
    tagger = pipeline("token-classification", model=str(model_dir), aggregation_strategy="simple", device="cpu")
    loaded = time.perf_counter()
    tagger(texts[:32], batch_size=32)  # warm-up, as a long-running service would be
    begin = time.perf_counter()
    tagger(texts, batch_size=32)
    seconds = time.perf_counter() - begin
    return {"load_s": loaded - started, "predict_s": seconds, "sentences_per_s": len(texts) / seconds}


def time_hadath_predict(onnx_dir: Path, texts_file: Path, count: int) -> dict[str, float]:
    """`hadath predict` as a whole process: wall time, and time from start to the first record on stdout."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "hadath", "predict", str(onnx_dir), str(texts_file)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        encoding="utf-8",
    )
    assert process.stdout is not None
    first = process.stdout.readline()
    first_at = time.perf_counter() - started
    records = 1 + sum(1 for _ in process.stdout) if first else 0
    if process.wait() != 0 or records != count:
        raise SystemExit(f"hadath predict failed (exit {process.returncode}, {records} of {count} records)")
    seconds = time.perf_counter() - started
    return {"process_s": seconds, "first_prediction_s": first_at, "sentences_per_s": count / seconds}


def entity_f1(model_dir: Path, conll: Path, output: Path) -> float:
    """Entity F1 from `hadath evaluate`."""
    hadath("evaluate", str(model_dir), str(conll), "--output-dir", str(output))
    metrics = json.loads((output / "metrics.json").read_text(encoding="utf-8"))
    return float(metrics["entities"]["f1"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model-dir", type=Path, help="PyTorch model directory (default: train a tiny one)")
    parser.add_argument("--sentences", type=int, default=800)
    parser.add_argument("--max-steps", type=int, default=300, help="training steps of the tiny model")
    parser.add_argument("--keep", type=Path, help="keep the work files here instead of a temporary directory")
    args = parser.parse_args()
    if not (SHARED / "test.txt").is_file():
        raise SystemExit(f"{SHARED}: ANERcorp not found — this benchmark needs ../shared/data/anercorp")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="infer-speed-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        train_started = time.perf_counter()
        model_dir = args.model_dir or train_tiny_model(
            workdir,
            "infer-speed",
            SHARED / "train.txt",
            args.max_steps,
            max_length=512,
            stride=64,
            vocab_size=8000,
            learning_rate=0.002,
        )
        train_s = time.perf_counter() - train_started
        onnx_dir = workdir / "onnx-int8"
        texts, conll = test_sentences(args.sentences, workdir)
        texts_file = workdir / "texts.txt"
        texts_file.write_text("\n".join(texts) + "\n", encoding="utf-8")
        export = hadath("export", str(model_dir), "--onnx", "--int8", "--output-dir", str(onnx_dir))
        parity = json.loads((onnx_dir / "onnx.json").read_text(encoding="utf-8"))["parity"]
        baseline = time_pipeline(model_dir, texts)
        fast = time_hadath_predict(onnx_dir, texts_file, len(texts))
        f1_torch = entity_f1(model_dir, conll, workdir / "eval-torch")
        f1_onnx = entity_f1(onnx_dir, conll, workdir / "eval-onnx-int8")
        result: dict[str, Any] = {
            "sentences": len(texts),
            "cpu_cores": os.cpu_count(),
            "model_dir": str(model_dir) if args.model_dir else f"tiny scratch BERT, {args.max_steps} steps",
            "train_s": round(train_s, 1),
            "export_line": export.stderr.strip().splitlines()[-1],
            "export_parity": parity,
            "pipeline": {k: round(v, 3) for k, v in baseline.items()},
            "hadath_predict_onnx_int8": {k: round(v, 3) for k, v in fast.items()},
            "speedup": round(fast["sentences_per_s"] / baseline["sentences_per_s"], 2),
            "entity_f1": {
                "pytorch_fp32": round(f1_torch, 4),
                "onnx_int8": round(f1_onnx, 4),
                "gap_points": round(100 * abs(f1_torch - f1_onnx), 2),
            },
            "targets": TARGETS,
        }
        result["meets_targets"] = {
            "speedup": result["speedup"] >= TARGETS["speedup"],
            "f1_gap_points": result["entity_f1"]["gap_points"] <= TARGETS["f1_gap_points"],
            "first_prediction_s": fast["first_prediction_s"] <= TARGETS["first_prediction_s"],
        }
        print(json.dumps(result, indent=2, ensure_ascii=False))
    finally:
        if args.keep is None:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
