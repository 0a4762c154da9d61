"""Peak memory of `hadath evaluate` on a ~1,000,000-token CoNLL file (ANERcorp test repeated), with a tiny model.

Everything is written to a temporary directory (the corpus is never copied into the repository). A tiny scratch
BERT is trained for a few steps on ANERcorp test, then `hadath evaluate` runs once on the test file as it is and
once on the repeated file; the peak RSS of each evaluate process (from `wait4`, so the training process never
counts) shows whether memory stays flat as the corpus grows. Prints one JSON object.

    .venv/bin/python benchmarks/eval_memory.py [--tokens 1000000] [--max-steps 30] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tiny_model import train_tiny_model

ANERCORP_TEST = Path(__file__).resolve().parents[2] / "shared" / "data" / "anercorp" / "test.txt"
TARGET_RSS_MB = 2048


def repeated_corpus(source: Path, target: Path, tokens: int) -> dict[str, int]:
    """Write `source` again and again into `target` until it holds at least `tokens` token lines."""
    text = source.read_text(encoding="utf-8").rstrip("\n") + "\n\n"
    per_copy = sum(1 for line in text.splitlines() if line.strip())
    copies = -(-tokens // per_copy)
    with target.open("w", encoding="utf-8") as handle:
        for _ in range(copies):
            handle.write(text)
    return {"copies": copies, "tokens": copies * per_copy}


def measured_evaluate(model: Path, data: Path, output: Path, batch_size: int) -> dict[str, Any]:
    """Run `hadath evaluate` as its own process; its wall time, peak RSS and headline scores."""
    command = [sys.executable, "-m", "hadath", "evaluate", str(model), str(data), "--output-dir", str(output)]
    command += ["--batch-size", str(batch_size)]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert process.stderr is not None
    errors = process.stderr.read()  # drained while it runs: a full pipe would block the child
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"hadath evaluate failed ({process.returncode}): {errors.decode()[-2000:]}")
    metrics = json.loads((output / "metrics.json").read_text(encoding="utf-8"))
    predicted_words = sum(1 for line in (output / "predictions-entities.conll").open(encoding="utf-8") if line.strip())
    return {
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),  # Linux reports kilobytes
        "wall_s": round(wall, 1),
        "predicted_words": predicted_words,
        "entities_f1": metrics["entities"]["f1"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=1_000_000, help="size of the repeated corpus in tokens")
    parser.add_argument("--max-steps", type=int, default=30, help="training steps of the tiny model")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--keep", type=Path, help="work in this directory and keep it (default: a temporary one)")
    args = parser.parse_args()
    if not ANERCORP_TEST.is_file():
        raise SystemExit(f"{ANERCORP_TEST}: missing — this benchmark needs ../shared/data/anercorp")
    with tempfile.TemporaryDirectory(prefix="hadath-eval-memory-") as temporary:
        workdir = args.keep or Path(temporary)
        workdir.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        model = train_tiny_model(workdir, "eval-memory", ANERCORP_TEST, args.max_steps)
        train_s = time.perf_counter() - started
        big = workdir / "anercorp-test-repeated.conll"
        corpus = repeated_corpus(ANERCORP_TEST, big, args.tokens)
        small = measured_evaluate(model, ANERCORP_TEST, workdir / "eval-small", args.batch_size)
        large = measured_evaluate(model, big, workdir / "eval-large", args.batch_size)
    result = {
        "benchmark": "eval_memory",
        "model": "scratch BERT, 2 layers, hidden 128",
        "train_wall_s": round(train_s, 1),
        "small": {"tokens": corpus["tokens"] // corpus["copies"], **small},
        "large": {**corpus, **large, "tokens_per_s": round(corpus["tokens"] / large["wall_s"])},
        "target_peak_rss_mb": TARGET_RSS_MB,
        "under_target": large["peak_rss_mb"] < TARGET_RSS_MB,
        "every_word_predicted": large["predicted_words"] == corpus["tokens"],
        "cpu_count": os.cpu_count(),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
