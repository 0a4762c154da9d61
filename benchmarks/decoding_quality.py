"""Test micro-F1 (conlleval-equivalent) of argmax, constrained Viterbi and CRF decoding on one encoder budget, and
of the transformers token-classification recipe on the same scratch model, data, vocabulary and optimiser settings,
over several seeds (mean ± sample standard deviation).

    python benchmarks/decoding_quality.py [--configs configs/anercorp-tiny.yaml ...] [--seeds 42 1 2]
        [--set key=value ...] [--standard-recipe] [--output runs/decoding-quality]

For each config and seed: one run with softmax heads (scored with argmax and with Viterbi), one run with
`decoding: crf`, and with --standard-recipe the run_ner recipe given the config's learning rate, batch size, warmup,
weight decay, schedule, clipping and length grouping. Every layer's F1 is reported (nested layers included). Prints
JSON; OUTPUT/results.json is rewritten after every seed, so an interrupted run keeps what it finished.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def hadath(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "hadath", *args], check=True, stdout=subprocess.DEVNULL)


def f1s(metrics_path: Path) -> dict[str, float]:
    metrics = json.loads(metrics_path.read_text())
    return {layer: round(100 * block["f1"], 2) for layer, block in metrics.items() if layer != "classification"}


def train_once(config: str, run: Path, sets: list[str], decoding: str, reuse: bool) -> float | None:
    """Train one variant into `run`; with `reuse`, a run that finished earlier (its run.json says how long it took) is
    kept. Returns the training wall time (its own measure for a kept run)."""
    from hadath.train.run_facts import RunFacts

    if reuse and (run / "metrics.json").is_file() and (run / "run.json").is_file():
        facts = RunFacts.load(run)  # reads the English-keyed run.json of older runs too
        return facts.training_wall_s if facts else None
    started = time.perf_counter()
    hadath("train", config, "--output-dir", str(run), "--overwrite", *sets, "--set", f"model.decoding={decoding}")
    return round(time.perf_counter() - started, 1)


def decoders(config: str, overrides: list[str], output: Path, test: str, reuse: bool = False) -> dict[str, Any]:
    """Train softmax and CRF variants of one config and score all three decoders on its test split."""
    sets = [item for value in overrides for item in ("--set", value)]
    result: dict[str, Any] = {"softmax_train_s": train_once(config, output / "softmax", sets, "viterbi", reuse)}
    for decoding in ("argmax", "viterbi"):
        hadath("evaluate", str(output / "softmax" / "model"), test, "--output-dir", str(output / decoding),
               "--decoding", decoding)  # fmt: skip
        result[decoding] = f1s(output / decoding / "metrics.json")
    result["crf_train_s"] = train_once(config, output / "crf", sets, "crf", reuse)
    result["crf"] = f1s(output / "crf" / "metrics.json")
    return result


def standard(config_path: str, overrides: list[str], output: Path) -> dict[str, Any]:
    """The transformers recipe (benchmarks/standard_recipe.py) for the config's full epoch budget."""
    from transformers import AutoTokenizer, set_seed

    from hadath.config import load_config
    from hadath.data.schemes import label_types, tag_set
    from hadath.models.scratch import scratch_bert

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import standard_recipe

    config = load_config(config_path, overrides)
    set_seed(config.training.seed)
    train = standard_recipe.read_conll(Path(config.data.train))
    test = standard_recipe.read_conll(Path(config.data.test or ""))
    labels = tag_set(label_types(tag for _, tags in train for tag in tags))
    # The Hadath softmax run's exported tokenizer: the same WordPiece vocabulary, and Hadath's normalization in
    # tokenizer.json, so the recipe reads the text as the vocabulary was learned (only the recipe differs).
    tokenizer = AutoTokenizer.from_pretrained(output / "softmax" / "model")
    model = scratch_bert(len(tokenizer), config.model.scratch, max_length=128, labels=labels)
    dataset = standard_recipe.encode(train, tokenizer, {label: i for i, label in enumerate(labels)})
    args = standard_recipe.arguments(
        output / "standard", config.training, config.training.epochs, config.training.max_steps, config.training.seed
    )
    trainer, metrics = standard_recipe.train(model, tokenizer, dataset, args)
    scores = standard_recipe.test_f1(trainer.model, tokenizer, test, dict(enumerate(labels)))
    return {"entities": round(100 * scores["f1"], 2), "train_s": round(metrics["wall_s"], 1)}


def summary(per_seed: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Mean and sample standard deviation over seeds of every decoder's per-layer F1 and training time."""
    values: dict[str, dict[str, list[float]]] = {}
    for result in per_seed.values():
        for system, scores in result.items():
            if isinstance(scores, dict):
                for key, value in scores.items():
                    values.setdefault(system, {}).setdefault(key, []).append(value)
            else:
                values.setdefault("time", {}).setdefault(system, []).append(scores)
    return {
        system: {key: {"mean": round(statistics.fmean(v), 2), "std": round(statistics.stdev(v), 2) if len(v) > 1
                       else 0.0, "values": v} for key, v in keys.items()}
        for system, keys in values.items()
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--configs", nargs="+", default=[str(ROOT / "configs" / "anercorp-tiny.yaml")])
    parser.add_argument("--seeds", nargs="+", type=int, default=[42, 1, 2])
    parser.add_argument("--set", dest="overrides", action="append", default=[])
    parser.add_argument("--standard-recipe", action="store_true", help="also train the transformers recipe")
    parser.add_argument("--output", type=Path, default=ROOT / "runs" / "decoding-quality")
    parser.add_argument("--reuse", action="store_true", help="keep Hadath runs that finished in OUTPUT earlier")
    args = parser.parse_args()
    from hadath.config import load_config

    results: dict[str, Any] = {"overrides": args.overrides, "seeds": args.seeds}
    args.output.mkdir(parents=True, exist_ok=True)
    for config in args.configs:
        name = load_config(config, args.overrides).name
        per_seed: dict[str, dict[str, Any]] = {}
        for seed in args.seeds:
            overrides = [*args.overrides, f"training.seed={seed}"]
            output = args.output / name / f"seed-{seed}"
            test = load_config(config, overrides).data.test or ""
            per_seed[str(seed)] = decoders(config, overrides, output, test, args.reuse)
            if args.standard_recipe:
                recipe = standard(config, overrides, output)
                per_seed[str(seed)]["standard_recipe"] = {"entities": recipe["entities"]}
                per_seed[str(seed)]["standard_train_s"] = recipe["train_s"]
            results[name] = {"per_seed": per_seed, "summary": summary(per_seed)}
            (args.output / "results.json").write_text(json.dumps(results, indent=2) + "\n")
            print(json.dumps({name: {seed: per_seed[str(seed)]}}), flush=True)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
