"""Inference speed and entity F1, with each gain attributed to its cause: runtime, quantization, Hadath's code path.

On the first 800 sentences of ANERcorp test (read from ../shared/data, never copied into the repository), one model
(a trained PyTorch model directory, `--model-dir`, or a scratch model of `--shape LAYERSxHIDDEN` trained for
`--max-steps` steps, for speed only) is run five ways, all in this process, with the same thread count, each timed
around the prediction call only (model loaded, one warm-up batch done):

- `pipeline_fp32`: `pipeline("token-classification", model=DIR, aggregation_strategy="first", batch_size=32)`;
- `pipeline_int8`: the same pipeline on `torch.ao.quantization.quantize_dynamic(model, {Linear}, qint8)`, the int8
  recipe a transformers user would reach for;
- `hadath_torch_fp32`: `Tagger.load(DIR).predict(texts)` — Hadath's code path (length-sorted windows, its decoder);
- `hadath_onnx_fp32`: the same on `hadath export --onnx` (onnxruntime instead of PyTorch);
- `hadath_onnx_int8`: the same on `hadath export --onnx --int8` (onnxruntime dynamic int8, each layer's
  feed-forward output kept fp32);
- `hadath_onnx_int8_all`: the same on `--int8 --int8-all` (every projection quantized).

Entity F1 of each (unless `--no-f1`): the pipelines' entity groups are mapped to the gold words as
benchmarks/pipeline_parity.py does; Hadath's are `hadath evaluate`'s scores with the model's own decoding. Also
`hadath predict` on the int8 ONNX model as a whole process (start, imports, load, predict), with the time to the
first record. Prints one JSON object.

    .venv/bin/python benchmarks/infer_speed.py --model-dir runs/anercorp-tiny/model [--threads 2]
    .venv/bin/python benchmarks/infer_speed.py --shape 12x768 --max-steps 2 --no-f1
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
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pipeline_parity import groups_f1
from tiny_model import train_tiny_model

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "anercorp"


def hadath(*args: str) -> subprocess.CompletedProcess[str]:
    """Run a `hadath` command in a subprocess; stop the benchmark with its stderr when it fails."""
    done = subprocess.run([sys.executable, "-m", "hadath", *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"hadath {args[0]} failed ({done.returncode}): {done.stderr[-2000:]}")
    return done


def test_sentences(count: int, workdir: Path) -> Path:
    """A CoNLL file of the first `count` sentences of ANERcorp test."""
    blocks = (SHARED / "test.txt").read_text(encoding="utf-8").replace("\r\n", "\n").split("\n\n")
    blocks = [block.strip("\n") for block in blocks if block.strip()][:count]
    conll = workdir / f"test-{count}.conll"
    conll.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    return conll


def timed(predict: Callable[[list[str]], Any], texts: list[str]) -> tuple[Any, float]:
    """One warm-up batch (as a long-running service would have had), then the whole list, timed."""
    predict(texts[:32])
    started = time.perf_counter()
    output = predict(texts)
    return output, time.perf_counter() - started


def pipelines(model_dir: Path, texts: list[str]) -> dict[str, tuple[Any, float]]:
    """fp32 and quantize_dynamic int8 token-classification pipelines on the same weights."""
    import torch
    from transformers import AutoModelForTokenClassification, AutoTokenizer, pipeline

    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForTokenClassification.from_pretrained(model_dir).eval()
    int8 = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
    results = {}
    for name, weights in (("pipeline_fp32", model), ("pipeline_int8", int8)):
        tagger = pipeline("token-classification", model=weights, tokenizer=tokenizer,
                          aggregation_strategy="first", device="cpu")  # fmt: skip
        results[name] = timed(lambda batch, t=tagger: t(batch, batch_size=32), texts)
    return results


def hadath_f1(tagger: Any, sentences: list[Any]) -> float:
    from hadath.evaluation.evaluate import score

    return float(score(tagger, sentences).metrics["entities"]["f1"])


def time_hadath_predict(onnx_dir: Path, texts_file: Path, count: int, threads: int) -> dict[str, float]:
    """`hadath predict` as a whole process: wall time, and time from start to the first record on stdout."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "hadath", "predict", str(onnx_dir), str(texts_file)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, encoding="utf-8",
        env={**os.environ, "OMP_NUM_THREADS": str(threads)},  # what `threads: auto` follows
    )  # fmt: skip
    assert process.stdout is not None
    first = process.stdout.readline()
    first_at = time.perf_counter() - started
    records = 1 + sum(1 for _ in process.stdout) if first else 0
    if process.wait() != 0 or records != count:
        raise SystemExit(f"hadath predict failed (exit {process.returncode}, {records} of {count} records)")
    seconds = time.perf_counter() - started
    return {"process_s": round(seconds, 2), "first_prediction_s": round(first_at, 2),
            "sentences_per_s": round(count / seconds, 1)}  # fmt: skip


def ratio(runs: dict[str, dict[str, Any]], slower: str, faster: str) -> float:
    """How many times faster `faster` ran than `slower`."""
    return round(runs[slower]["seconds"] / runs[faster]["seconds"], 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model-dir", type=Path, help="trained PyTorch model directory (default: train a scratch one)")
    parser.add_argument("--shape", default="2x128", help="LAYERSxHIDDEN of the scratch model (without --model-dir)")
    parser.add_argument("--max-steps", type=int, default=300, help="training steps of the scratch model")
    parser.add_argument("--sentences", type=int, default=800)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1, help="CPU threads for every variant")
    parser.add_argument("--no-f1", action="store_true", help="speed only (an untrained shape)")
    parser.add_argument("--keep", type=Path, help="keep the work files here instead of a temporary directory")
    args = parser.parse_args()
    if not (SHARED / "test.txt").is_file():
        raise SystemExit(f"{SHARED}: ANERcorp not found — this benchmark needs ../shared/data/anercorp")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch

    torch.set_num_threads(args.threads)
    from hadath.data.readers import ReadOptions, read_sentences
    from hadath.inference.tagger import Tagger

    workdir = args.keep or Path(tempfile.mkdtemp(prefix="infer-speed-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        layers, hidden = (int(x) for x in args.shape.lower().split("x"))
        model_dir = args.model_dir or train_tiny_model(
            workdir, "infer-speed", SHARED / "train.txt", args.max_steps, max_length=512, stride=64,
            vocab_size=8000, learning_rate=0.002, shape=(layers, hidden),
            batch_size=32 if args.shape == "2x128" else 4,  # a few steps of a large shape: speed only, less memory
        )  # fmt: skip
        conll = test_sentences(args.sentences, workdir)
        sentences = read_sentences(conll, ReadOptions(columns={"entities": 1}))
        texts = [s.text for s in sentences]
        (workdir / "texts.txt").write_text("\n".join(texts) + "\n", encoding="utf-8")
        onnx = {"fp32": workdir / "onnx-fp32", "int8": workdir / "onnx-int8", "int8_all": workdir / "onnx-int8-all"}
        hadath("export", str(model_dir), "--onnx", "--output-dir", str(onnx["fp32"]))
        hadath("export", str(model_dir), "--onnx", "--int8", "--output-dir", str(onnx["int8"]))
        hadath("export", str(model_dir), "--onnx", "--int8", "--int8-all", "--output-dir", str(onnx["int8_all"]))
        runs: dict[str, dict[str, Any]] = {}
        for name, (groups, seconds) in pipelines(model_dir, texts).items():
            runs[name] = {"seconds": seconds, "f1": None if args.no_f1 else groups_f1(sentences, groups)}
        hadath_runs = (("hadath_torch_fp32", model_dir), ("hadath_onnx_fp32", onnx["fp32"]),
                       ("hadath_onnx_int8", onnx["int8"]), ("hadath_onnx_int8_all", onnx["int8_all"]))  # fmt: skip
        for name, directory in hadath_runs:
            tagger = Tagger.load(directory, device="cpu", threads=args.threads)
            _, seconds = timed(lambda batch, t=tagger: t.predict(batch, batch_size=32), texts)
            runs[name] = {"seconds": seconds, "f1": None if args.no_f1 else hadath_f1(tagger, sentences)}
        base = runs["pipeline_fp32"]["seconds"]
        table = {
            name: {"sentences_per_s": round(len(texts) / run["seconds"], 1),
                   "speed_vs_pipeline_fp32": round(base / run["seconds"], 2),
                   "entity_f1": None if run["f1"] is None else round(100 * run["f1"], 2)}
            for name, run in runs.items()
        }  # fmt: skip
        result: dict[str, Any] = {
            "sentences": len(texts),
            "threads": args.threads,
            "model": str(model_dir) if args.model_dir else f"scratch {args.shape}, {args.max_steps} steps",
            "variants": table,
            "attribution": {
                "quantization_in_the_pipeline": ratio(runs, "pipeline_fp32", "pipeline_int8"),
                "hadath_code_path_torch_fp32": ratio(runs, "pipeline_fp32", "hadath_torch_fp32"),
                "onnxruntime_fp32_over_torch": ratio(runs, "hadath_torch_fp32", "hadath_onnx_fp32"),
                "int8_over_fp32_onnx": ratio(runs, "hadath_onnx_fp32", "hadath_onnx_int8"),
                "int8_all_over_int8": ratio(runs, "hadath_onnx_int8", "hadath_onnx_int8_all"),
                "hadath_int8_over_pipeline_int8": ratio(runs, "pipeline_int8", "hadath_onnx_int8"),
            },
            "hadath_predict_process_onnx_int8": time_hadath_predict(
                onnx["int8"], workdir / "texts.txt", len(texts), args.threads
            ),  # fmt: skip
        }
        print(json.dumps(result, indent=2, ensure_ascii=False))
    finally:
        if args.keep is None:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
