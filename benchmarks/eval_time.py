"""Wall time of `hadath evaluate` on ANERcorp test (925 sentences, 25,008 tokens) with a tiny scratch model.

Everything is written to a temporary directory (the corpus is never copied into the repository). A 2-layer,
128-wide scratch BERT is trained for a handful of steps on ANERcorp train, then `hadath evaluate` runs `--repeats`
times as a fresh process on the test file (model load, prediction, every metric, bootstrap intervals, error
analysis, report.md, report.html). In-process timings then split one evaluation into its parts. Prints one JSON object.

    .venv/bin/python benchmarks/eval_time.py [--max-steps 20] [--repeats 3] [--keep DIR] [--model DIR]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tiny_model import train_tiny_model

ANERCORP = Path(__file__).resolve().parents[2] / "shared" / "data" / "anercorp"


def time_cli(model: Path, data: Path, output: Path) -> float:
    """Seconds one `hadath evaluate` process takes, start to exit."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "hadath", "evaluate", str(model), str(data), "--output-dir", str(output)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"hadath evaluate failed ({done.returncode}): {done.stderr[-2000:]}")
    return seconds


def phases(model: Path, data: Path, output: Path) -> dict[str, float]:
    """One evaluation in-process, timed part by part (the metrics part re-scores the already decoded tags)."""
    from hadath.data.readers import ReadOptions, read_sentences
    from hadath.evaluation.compare import read_predictions
    from hadath.evaluation.evaluate import score, write_evaluation
    from hadath.evaluation.metrics import layer_metrics
    from hadath.inference.tagger import Tagger

    marks = [time.perf_counter()]
    tagger = Tagger.load(model, device="cpu")
    marks.append(time.perf_counter())
    sentences = read_sentences(data, ReadOptions(columns={"entities": 1}))
    marks.append(time.perf_counter())
    evaluation = score(tagger, sentences)
    marks.append(time.perf_counter())
    write_evaluation(evaluation, output, "eval-time", {})
    marks.append(time.perf_counter())
    written = read_predictions(output / "predictions-entities.conll")
    layer_metrics(written.gold, written.predicted)
    marks.append(time.perf_counter())
    names = ["load_model", "read_data", "predict_and_score", "write_outputs_and_reports", "metrics_only"]
    return {name: round(b - a, 3) for name, a, b in zip(names, marks[:-1], marks[1:], strict=True)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-steps", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="keep the model and outputs in this directory")
    parser.add_argument("--model", type=Path, help="time this exported model instead of training a tiny one")
    args = parser.parse_args()
    from hadath.evaluation.compare import read_predictions

    if not (ANERCORP / "test.txt").is_file():
        print(json.dumps({"skipped": f"{ANERCORP} not found (needs ../shared/data/anercorp)"}))
        return 0
    with tempfile.TemporaryDirectory(prefix="hadath-eval-time-") as scratch:
        workdir = args.keep or Path(scratch)
        workdir.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        model = args.model or train_tiny_model(
            workdir, "eval-time", ANERCORP / "train.txt", args.max_steps, test=ANERCORP / "test.txt"
        )
        train_seconds = time.perf_counter() - started
        test = ANERCORP / "test.txt"
        walls = [time_cli(model, test, workdir / f"eval-{i}") for i in range(args.repeats)]
        parts = phases(model, test, workdir / "eval-phases")
        metrics = json.loads((workdir / "eval-0" / "metrics.json").read_text(encoding="utf-8"))["entities"]
        result: dict[str, Any] = {
            "data": str(test),
            "sentences": len(read_predictions(workdir / "eval-0" / "predictions-entities.conll").tokens),
            "tokens": sum(1 for line in test.open(encoding="utf-8") if line.strip()),
            "model": str(args.model) if args.model else f"scratch BERT 2x128, {args.max_steps} steps on ANERcorp train",
            "train_wall_s": round(train_seconds, 1),
            "evaluate_wall_s": [round(w, 2) for w in walls],
            "evaluate_wall_s_median": round(statistics.median(walls), 2),
            "in_process_s": parts,
            "entities_f1": metrics["f1"],
            "entities_f1_ci95": metrics["f1_ci95"],
            "gold_spans_conlleval": sum(row["support"] for row in metrics["per_type"].values()),
            "outputs": sorted(p.name for p in (workdir / "eval-0").iterdir()),
        }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
