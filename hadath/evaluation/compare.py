"""`hadath compare RUN_A RUN_B`: the F1 difference per tag layer with a paired bootstrap p-value.

Reads only the `predictions-<layer>.conll` files `hadath evaluate` (or `hadath train`) wrote, so any two
evaluations of the same data compare, whatever models produced them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hadath.data.readers.text_file import read_lines
from hadath.evaluation.bootstrap import SAMPLES, SEED, PairedResult, paired_bootstrap
from hadath.evaluation.metrics import sentence_counts

PREFIX, SUFFIX = "predictions-", ".conll"


@dataclass
class PredictionFile:
    """One `token gold predicted` file, split into sentences."""

    tokens: list[list[str]]
    gold: list[list[str]]
    predicted: list[list[str]]


def read_predictions(path: Path) -> PredictionFile:
    """Parse a predictions file; a malformed line stops with `FILE:LINE: what — how to fix`."""
    result = PredictionFile([], [], [])
    sentence: list[tuple[str, str, str]] = []

    def close() -> None:
        if sentence:
            result.tokens.append([row[0] for row in sentence])
            result.gold.append([row[1] for row in sentence])
            result.predicted.append([row[2] for row in sentence])
            sentence.clear()

    # read_lines: bytes that are not UTF-8 stop with FILE:LINE like any other data file.
    for number, line in enumerate(read_lines(path), start=1):
        columns = line.split()
        if not columns:
            close()
            continue
        if len(columns) != 3:
            raise ValueError(
                f"{path}:{number}: expected `token gold predicted`, found {len(columns)} columns — "
                "pass a directory written by `hadath evaluate`"
            )
        sentence.append((columns[0], columns[1], columns[2]))
    close()
    return result


def prediction_layers(directory: Path) -> dict[str, Path]:
    """Layer name -> predictions file in a run or evaluation directory."""
    if not directory.is_dir():
        raise FileNotFoundError(f"{directory}: not a directory — pass the output directory of `hadath evaluate`")
    return {path.name[len(PREFIX) : -len(SUFFIX)]: path for path in sorted(directory.glob(f"{PREFIX}*{SUFFIX}"))}


def compare_runs(run_a: Path, run_b: Path, samples: int = SAMPLES, seed: int = SEED) -> dict[str, PairedResult]:
    """Paired bootstrap per layer both runs scored; the runs must hold the same sentences and gold tags."""
    layers_a, layers_b = prediction_layers(run_a), prediction_layers(run_b)
    shared = [layer for layer in layers_a if layer in layers_b]
    if not shared:
        raise FileNotFoundError(
            f"{run_a} and {run_b}: no predictions-<layer>.conll file in common — evaluate both on the same data"
        )
    results = {}
    for layer in shared:
        a, b = read_predictions(layers_a[layer]), read_predictions(layers_b[layer])
        if a.gold != b.gold:
            raise ValueError(
                f"{layers_b[layer]}: gold tags differ from {layers_a[layer]} — compare evaluations of the same data"
            )
        counts_a = sentence_counts(a.gold, a.predicted)
        counts_b = sentence_counts(b.gold, b.predicted)
        results[layer] = paired_bootstrap(counts_a, counts_b, samples, seed)
    return results


def format_comparison(results: dict[str, PairedResult]) -> str:
    """A plain-text table: F1 of A and B, B − A with its 95% interval, and the p-value."""
    lines = [f"{'layer':<14} {'F1 A':>8} {'F1 B':>8} {'B - A':>8} {'95% interval':>20} {'p':>7}"]
    for layer, result in results.items():
        interval = f"[{result.low:+.4f}, {result.high:+.4f}]"
        lines.append(
            f"{layer:<14} {result.f1_a:>8.4f} {result.f1_b:>8.4f} {result.delta:>+8.4f} {interval:>20} "
            f"{result.p_value:>7.4f}"
        )
    samples = next(iter(results.values())).samples if results else SAMPLES
    lines.append(
        f"entity-level micro F1 as conlleval counts; paired bootstrap over sentences, {samples} resamples; "
        "p: two-sided, no difference"
    )
    return "\n".join(lines)
