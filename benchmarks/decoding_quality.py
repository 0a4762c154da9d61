"""Test micro-F1 (conlleval-equivalent) of argmax, constrained Viterbi and CRF decoding on one encoder budget, and
of the transformers token-classification recipe on the same scratch model, data, vocabulary and optimiser settings,
over several seeds (mean ± sample standard deviation).

    python benchmarks/decoding_quality.py [--configs configs/anercorp-tiny.yaml ...] [--seeds 42 1 2]
        [--set key=value ...] [--standard-recipe [--recipe-set key=value ...]] [--output runs/decoding-quality]

For each config and seed: one run with softmax heads (scored with argmax and with Viterbi), one run with
`decoding: crf`, and with --standard-recipe the run_ner recipe given the config's learning rate, batch size, warmup,
weight decay, schedule, clipping and length grouping (`--recipe-set` changes one for the recipe alone). Every
layer's F1 is reported (nested layers included). Prints JSON; OUTPUT/results.json is rewritten after every seed, so
an interrupted run keeps what it finished.

With a pretrained encoder (`model.name_or_path` in the config, or `--set model.name_or_path=DIR`) the recipe
fine-tunes that encoder with its own tokenizer, as run_ner does. Also reported: the dev entity F1 after every epoch
of both Hadath runs (`dev_learning_curve_entities`, from their training_log.json) and of the epoch each kept
(`dev_entities_f1`), and with --standard-recipe `hadath_best_vs_recipe`: a paired bootstrap of the entity micro-F1
difference (Hadath − recipe, points) over the test sentences, both systems scored on the same resamples
(hadath/evaluation/bootstrap.py, the one `hadath compare` uses), per seed and with the seeds pooled (per sentence,
span counts summed over seeds); 95% interval and the p-value of no difference. Hadath's side is `--hadath-best`:
crf or viterbi by mean dev F1 (default `dev`), or a fixed decoder. The recipe's test predictions are in
seed-N/standard/predictions-entities.conll, so `hadath compare seed-N/standard seed-N/crf` gives the same test.
With a dev split the recipe is also scored on it after training (`dev_entities`), and `--recipe-only` trains it
alone, to choose its learning rate on dev as Hadath's is chosen.
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
PREDICTIONS = "predictions-entities.conll"
# Hadath's side of the paired bootstrap: a decoder, or `dev` (crf or viterbi, whichever scores higher on dev).
BEST_CHOICES = ("dev", "crf", "viterbi", "argmax")


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
    from hadath.config import load_config

    best_metric = load_config(config, overrides).training.best_metric
    # Dev entity F1 of the kept epoch, by the decoder each run was trained and selected with (absent without dev).
    kept = {
        system: selected_dev_f1(output / run, best_metric) for system, run in (("viterbi", "softmax"), ("crf", "crf"))
    }
    result["dev_entities_f1"] = {system: f1 for system, f1 in kept.items() if f1 is not None}
    return result


def standard(config_path: str, overrides: list[str], output: Path, reuse: bool = False) -> dict[str, Any]:
    """The transformers recipe (benchmarks/standard_recipe.py) for the config's full epoch budget, on the config's
    pretrained encoder or its scratch BERT; writes OUTPUT/standard/predictions-entities.conll (the recipe's test
    predictions, for the paired bootstrap) and OUTPUT/standard/result.json, which `reuse` reads back."""
    from transformers import set_seed

    from hadath.config import load_config
    from hadath.data.schemes import label_types, tag_set

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import standard_recipe

    record = output / "standard" / "result.json"
    if reuse and record.is_file() and (output / "standard" / PREDICTIONS).is_file():
        kept: dict[str, Any] = json.loads(record.read_text())
        return kept
    config = load_config(config_path, overrides)
    set_seed(config.training.seed)
    train, dev, test = standard_recipe.config_splits(config)
    labels = tag_set(label_types(tag for _, tags in train for tag in tags))
    # Scratch: the Hadath softmax run's exported tokenizer (the same WordPiece vocabulary, and Hadath's normalization
    # in tokenizer.json), so the recipe reads the text as the vocabulary was learned (only the recipe differs).
    tokenizer, model = standard_recipe.recipe_model(config.model, labels, output / "softmax" / "model")
    dataset = standard_recipe.encode(train, tokenizer, {label: i for i, label in enumerate(labels)})
    args = standard_recipe.arguments(
        output / "standard", config.training, config.training.epochs, config.training.max_steps, config.training.seed
    )
    trainer, metrics = standard_recipe.train(model, tokenizer, dataset, args)
    predicted = standard_recipe.predict_tags(trainer.model, tokenizer, test, dict(enumerate(labels)))
    standard_recipe.write_predictions(output / "standard" / PREDICTIONS, test, predicted)
    scores = standard_recipe.layer_metrics([tags for _, tags in test], predicted)
    result = {"entities": round(100 * scores["f1"], 2), "train_s": round(metrics["wall_s"], 1)}
    if dev:
        dev_scores = standard_recipe.test_f1(trainer.model, tokenizer, dev, dict(enumerate(labels)))
        result["dev_entities"] = round(100 * dev_scores["f1"], 2)
    record.write_text(json.dumps(result) + "\n")
    return result


def learning_curve(run: Path, layer: str = "entities") -> list[dict[str, float]]:
    """Dev F1 of `layer` after every epoch (points), from the run's training_log.json (the Trainer's log history)."""
    path = run / "training_log.json"
    if not path.is_file():
        return []
    key = f"eval_{layer}_f1"
    return [{"epoch": round(entry["epoch"], 2), "dev_f1": round(100 * entry[key], 2)}
            for entry in json.loads(path.read_text()) if key in entry]  # fmt: skip


def selected_dev_f1(run: Path, best_metric: str, layer: str = "entities") -> float | None:
    """Dev F1 of `layer` at the epoch the Trainer kept (the first best `eval_<best_metric>`), in points."""
    path = run / "training_log.json"
    if not path.is_file():
        return None
    key = f"eval_{best_metric}"
    evaluations = [entry for entry in json.loads(path.read_text()) if key in entry and f"eval_{layer}_f1" in entry]
    if not evaluations:
        return None
    best = max(evaluations, key=lambda entry: entry[key])  # max keeps the first of equals, as the Trainer does
    return round(100 * best[f"eval_{layer}_f1"], 2)


def prediction_dir(output: Path, system: str) -> Path:
    """Where a system's test predictions-<layer>.conll lie in one seed's folder."""
    return output / {"crf": "crf", "viterbi": "viterbi", "argmax": "argmax", "standard_recipe": "standard"}[system]


def choose_best(per_seed: dict[str, dict[str, Any]], fixed: str) -> str:
    """Hadath-best: a fixed decoder, or (`dev`) crf or viterbi by mean dev entity F1 of the kept epoch. argmax is
    never chosen on dev: it decodes the viterbi run's model, whose dev score is viterbi's."""
    if fixed != "dev":
        return fixed
    means = {}
    for system in ("crf", "viterbi"):
        values = [result["dev_entities_f1"][system] for result in per_seed.values()
                  if system in result.get("dev_entities_f1", {})]  # fmt: skip
        means[system] = statistics.fmean(values) if values else float("-inf")
    return max(means, key=lambda system: means[system])


def paired_margin(seed_outputs: dict[str, Path], system: str, layer: str = "entities") -> dict[str, Any]:
    """Paired bootstrap of Hadath `system` − the recipe, entity micro-F1 in points, resampling test sentences: per
    seed (both trained with that seed), and with the seeds pooled (each sentence's span counts summed over seeds, so
    a resampled sentence brings every seed's predictions of it: one interval for the recipe-vs-Hadath difference
    that accounts for both sentence and seed variation)."""
    from hadath.evaluation.bootstrap import paired_bootstrap
    from hadath.evaluation.compare import read_predictions
    from hadath.evaluation.metrics import sentence_counts

    def as_points(result: Any) -> dict[str, Any]:
        return {"hadath_f1": round(100 * result.f1_b, 2), "recipe_f1": round(100 * result.f1_a, 2),
                "margin": round(100 * result.delta, 2),
                "ci95": [round(100 * result.low, 2), round(100 * result.high, 2)],
                "p_no_difference": round(result.p_value, 4), "samples": result.samples}  # fmt: skip

    counts: dict[str, list[Any]] = {"hadath": [], "recipe": []}
    per_seed = {}
    for seed, output in seed_outputs.items():
        hadath_file = read_predictions(prediction_dir(output, system) / f"predictions-{layer}.conll")
        recipe_file = read_predictions(prediction_dir(output, "standard_recipe") / f"predictions-{layer}.conll")
        if hadath_file.gold != recipe_file.gold:
            return {"error": f"seed {seed}: the recipe's gold tags differ from Hadath's (the readers disagree on the "
                             "test file) — compare the gold columns of the two predictions files"}  # fmt: skip
        pair = (sentence_counts(recipe_file.gold, recipe_file.predicted),
                sentence_counts(hadath_file.gold, hadath_file.predicted))  # fmt: skip
        counts["recipe"].append(pair[0])
        counts["hadath"].append(pair[1])
        per_seed[seed] = as_points(paired_bootstrap(*pair))
    pooled = paired_bootstrap(sum(counts["recipe"]), sum(counts["hadath"]))
    return {"system": system, "unit": "test sentence", "seeds_pooled": as_points(pooled), "per_seed": per_seed}


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
    parser.add_argument(
        "--recipe-set",
        dest="recipe_overrides",
        action="append",
        default=[],
        help="a key=value for the recipe alone, after --set (its own learning rate: a rate that suits Hadath's "
        "separate head and CRF rates can leave the recipe's single rate predicting all O)",
    )
    parser.add_argument("--recipe-only", action="store_true", help="train the recipe alone (no Hadath runs): its "
                        "learning rate chosen on its dev F1 (`dev_entities`), as Hadath's is")  # fmt: skip
    parser.add_argument(
        "--hadath-best",
        choices=BEST_CHOICES,
        default="dev",
        help="Hadath's side of the paired bootstrap against the recipe (default: chosen on dev)",
    )
    parser.add_argument("--output", type=Path, default=ROOT / "runs" / "decoding-quality")
    parser.add_argument("--reuse", action="store_true", help="keep runs (Hadath's and the recipe's) that finished in "
                        "OUTPUT earlier")  # fmt: skip
    args = parser.parse_args()
    from hadath.config import load_config

    if args.recipe_only and any(load_config(c, args.overrides).model.name_or_path is None for c in args.configs):
        parser.error("--recipe-only needs a pretrained encoder (model.name_or_path): on the scratch BERT the recipe "
                     "reads the vocabulary the Hadath softmax run learns — use --standard-recipe")  # fmt: skip

    results: dict[str, Any] = {
        "overrides": args.overrides,
        "recipe_overrides": args.recipe_overrides,
        "seeds": args.seeds,
    }
    args.output.mkdir(parents=True, exist_ok=True)
    for config in args.configs:
        name = load_config(config, args.overrides).name
        per_seed: dict[str, dict[str, Any]] = {}
        outputs: dict[str, Path] = {}
        for seed in args.seeds:
            overrides = [*args.overrides, f"training.seed={seed}"]
            output = outputs[str(seed)] = args.output / name / f"seed-{seed}"
            test = load_config(config, overrides).data.test or ""
            per_seed[str(seed)] = {} if args.recipe_only else decoders(config, overrides, output, test, args.reuse)
            if args.standard_recipe or args.recipe_only:
                recipe = standard(config, [*overrides, *args.recipe_overrides], output, args.reuse)
                per_seed[str(seed)]["standard_recipe"] = {
                    key: recipe[key] for key in ("entities", "dev_entities") if key in recipe
                }
                per_seed[str(seed)]["standard_train_s"] = recipe["train_s"]
            results[name] = {"per_seed": per_seed, "summary": summary(per_seed)}
            results[name]["dev_learning_curve_entities"] = {
                seed: {run: learning_curve(output_dir / run) for run in ("softmax", "crf")}
                for seed, output_dir in outputs.items()
            }
            (args.output / "results.json").write_text(json.dumps(results, indent=2) + "\n")
            print(json.dumps({name: {seed: per_seed[str(seed)]}}), flush=True)
        if args.standard_recipe and not args.recipe_only:
            best = choose_best(per_seed, args.hadath_best)
            results[name]["hadath_best_vs_recipe"] = paired_margin(outputs, best)
            (args.output / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
