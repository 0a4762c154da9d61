"""Time and peak memory of scoring ONE very long sentence: is evaluation linear in sentence length?

For each size, a fresh process builds one sentence of N random IOB2 tags (gold) and a prediction that keeps about
70% of them (a fixed seed, ill-formed runs included), then runs `layer_metrics` — every span figure `hadath evaluate`
reports for a layer: conlleval P/R/F1 and per-type table, strict IOB2, SemEval partial scores, error kinds and
confusion, bootstrap interval. Peak RSS is the child process's own (`ru_maxrss`). Prints one JSON object.

    .venv/bin/python benchmarks/eval_scaling.py [--sizes 20000 200000 1000000] [--timeout 300]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time

TAGS = ["O"] * 6 + ["B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-DATE", "I-DATE"]


def sentence(size: int, seed: int = 13) -> tuple[list[str], list[str]]:
    """One gold and one predicted tag sequence of `size` words."""
    rng = random.Random(seed)
    gold = rng.choices(TAGS, k=size)
    predicted = [tag if rng.random() < 0.7 else rng.choice(TAGS) for tag in gold]
    return gold, predicted


def measure(size: int) -> dict[str, float]:
    """Seconds and peak RSS (MB) of layer_metrics on one sentence, in this process."""
    from hadath.evaluation.metrics import layer_metrics

    gold, predicted = sentence(size)
    started = time.perf_counter()
    metrics = layer_metrics([gold], [predicted])
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"tokens": size, "seconds": round(seconds, 2), "peak_rss_mb": round(peak_mb, 1), "f1": metrics["f1"],
            "strict_f1": metrics["strict"]["f1"], "correct_spans": metrics["errors"]["counts"]["correct"]}  # fmt: skip


def run_child(size: int, timeout: float) -> dict[str, object]:
    """`measure(size)` in a fresh interpreter, so each peak RSS is that size's alone."""
    try:
        done = subprocess.run(
            [sys.executable, __file__, "--child", str(size)], capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return {"tokens": size, "seconds": f"> {timeout:g} (killed)"}
    if done.returncode != 0:
        return {"tokens": size, "error": done.stderr.strip().splitlines()[-1:]}
    result: dict[str, object] = json.loads(done.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 200_000, 1_000_000])
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds allowed per size")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(measure(args.child)))
        return
    rows = [run_child(size, args.timeout) for size in args.sizes]
    timed = [row for row in rows if isinstance(row.get("seconds"), float)]
    per_million = {row["tokens"]: round(float(row["seconds"]) / int(row["tokens"]) * 1e6, 2)  # type: ignore[call-overload]
                   for row in timed}  # fmt: skip
    print(json.dumps({"command": "layer_metrics on one sentence", "sizes": rows, "seconds_per_million_tokens":
                      per_million}, indent=2))  # fmt: skip


if __name__ == "__main__":
    main()
