"""Training throughput: Hadath's recipe against the transformers token-classification recipe, same model and data.

    python benchmarks/train_speed.py [--config configs/anercorp-tiny.yaml] [--steps 150]

All train the same model (the config's scratch BERT on one WordPiece vocabulary, or its pretrained encoder,
`model.name_or_path` or `--set model.name_or_path=DIR`, with that encoder's tokenizer; same seed, same batch size and
optimiser settings) for the same number of optimizer steps, each in its own process: Hadath, the recipe with
run_ner's default random batches, and the recipe with `--group_by_length`. Printed JSON gives real (non-padding)
tokens per second, Hadath's ratio to each recipe variant and each process's peak RSS. Needs ../shared/data/anercorp
beside the repository. Neither side saves a checkpoint (the recipe runs with `save_strategy="no"`, so Hadath's
end-of-epoch save, 3.2 s of a 100-step e5-small run, is left out too): the figure is the training steps' throughput.

On shared cores the machine's speed drifts by more than the gaps measured here (the same recipe run gave 650 and
764 tokens/s an hour apart), so `--rounds N` runs the whole plan N times, alternating its order (A B C, C B A, ...),
and reports each run's median tokens/s, every ratio as the median of that round's ratios, and the per-round values.

To find where Hadath's time goes, `--hadath-variant NAME KEY=VALUE...` adds a Hadath run with those settings on top
of `--set` (repeatable; each gets `NAME_over_standard_grouped` in the same run), and `--skip standard` leaves out
the slow random-batch recipe, e.g. the CRF without the thread probe, and softmax heads without it:

    python benchmarks/train_speed.py --config configs/e5-small-anercorp.yaml --skip standard \
        --hadath-variant threads-2 training.threads=2 \
        --hadath-variant softmax-threads-2 training.threads=2 model.decoding=viterbi
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# Hadath, then the recipe as run_ner runs it by default (random batches) and with `--group_by_length`. Both recipe
# variants get the config's learning rate, warmup, weight decay, schedule and clipping.
VARIANTS = ("hadath", "standard", "standard-grouped")


class CountingCollator:
    """Wraps a collator and counts the real (attention-mask) tokens of every batch it builds."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.tokens, self.padded = inner, 0, 0

    def __call__(self, features: list[dict[str, Any]]) -> dict[str, Any]:
        batch = self.inner(features)
        self.tokens += int(batch["attention_mask"].sum())
        self.padded += int(batch["attention_mask"].numel())
        return batch


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_hadath(config_path: str, tokenizer_dir: str, steps: int, output: Path, overrides: list[str]) -> dict[str, Any]:
    from hadath.config import load_config
    from hadath.data.encode import build_label_space
    from hadath.models.decoding import build_constraints
    from hadath.models.joint import JointTagger
    from hadath.train.encoder import build_encoder
    from hadath.train.recipe import normalizer_settings, read_splits, training_dataset
    from hadath.train.trainer import build_trainer, training_arguments

    fixed = [f"training.max_steps={steps}", "training.tensorboard=false", "training.logging_steps=1000"]
    config = load_config(config_path, [*fixed, *overrides])
    if config.model.name_or_path is None:  # the scratch vocabulary both recipes share
        config = load_config(config_path, [*fixed, *overrides, f"model.scratch.tokenizer={tokenizer_dir}"])
    config = dataclasses.replace(config, data=dataclasses.replace(config.data, dev=None, test=None))
    splits = read_splits(config)
    settings = normalizer_settings(config.data.normalize)
    space = build_label_space(splits.train)
    tokenizer, token_model = build_encoder(config.model, space.layers["entities"], [])
    dataset, _ = training_dataset(
        splits.train, tokenizer, settings=settings, space=space, model=config.model, cache_dir=output / "cache"
    )
    crf = {layer: build_constraints(tags) for layer, tags in space.layers.items()}
    model = JointTagger(token_model, {k: len(v) for k, v in space.layers.items()}, 0,
                        crf_constraints=crf if config.model.decoding == "crf" else None)  # fmt: skip
    # The recipe's arguments say save_strategy "no"; a checkpoint write is not a training step on either side.
    args = dataclasses.replace(training_arguments(config.training, output / "checkpoints", has_dev=False),
                               save_strategy="no")  # fmt: skip
    trainer = build_trainer(
        config.training, args, model=model, tokenizer=tokenizer, dataset=dataset, dev=[],
        metadata_for=lambda m: None, output_dir=output,  # type: ignore[arg-type,return-value]
    )  # fmt: skip
    counter = CountingCollator(trainer.data_collator)
    trainer.data_collator = counter
    metrics = trainer.train().metrics
    return {"real_tokens": counter.tokens, "padded_tokens": counter.padded, "train_runtime_s": metrics["train_runtime"]}


def run_standard(
    config_path: str, tokenizer_dir: str, steps: int, output: Path, grouped: bool, overrides: list[str]
) -> dict[str, Any]:
    from transformers import set_seed

    from hadath.config import load_config
    from hadath.data.schemes import label_types, tag_set

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import standard_recipe

    config = load_config(config_path, overrides)
    set_seed(config.training.seed)
    sentences = standard_recipe.config_splits(config)[0]
    labels = tag_set(label_types(tag for _, tags in sentences for tag in tags))
    tokenizer, model = standard_recipe.recipe_model(config.model, labels, Path(tokenizer_dir))
    dataset = standard_recipe.encode(sentences, tokenizer, {label: i for i, label in enumerate(labels)})
    training = dataclasses.replace(config.training, group_by_length=grouped)
    args = standard_recipe.arguments(output / "standard", training, 1.0, steps, config.training.seed)
    from transformers import DataCollatorForTokenClassification, Trainer

    counter = CountingCollator(DataCollatorForTokenClassification(tokenizer))
    trainer = Trainer(model=model, args=args, train_dataset=dataset, data_collator=counter)
    metrics = trainer.train().metrics
    return {"real_tokens": counter.tokens, "padded_tokens": counter.padded, "train_runtime_s": metrics["train_runtime"]}


def child(variant: str, config: str, tokenizer_dir: str, steps: int, output: str, overrides: list[str]) -> None:
    if variant == "hadath":
        result = run_hadath(config, tokenizer_dir, steps, Path(output), overrides)
    else:
        grouped = variant == "standard-grouped"
        result = run_standard(config, tokenizer_dir, steps, Path(output), grouped, overrides)
    result["tokens_per_s"] = result["real_tokens"] / result["train_runtime_s"]
    result["peak_rss_mb"] = round(_peak_rss_mb(), 1)
    print(json.dumps(result))


def shared_tokenizer(config_path: str, directory: Path, overrides: list[str]) -> None:
    """The WordPiece vocabulary both recipes use (trained once, on the normalized training words); none for a
    pretrained encoder, which brings its own."""
    from hadath.config import load_config
    from hadath.data.normalize import normalize_word
    from hadath.models.scratch import train_wordpiece
    from hadath.train.recipe import normalizer_settings, read_splits

    config = load_config(config_path, overrides)
    if config.model.name_or_path is not None:
        return
    settings = normalizer_settings(config.data.normalize)
    words = [normalize_word(w, settings) for s in read_splits(config).train for w in s.words]
    scratch = config.model.scratch
    train_wordpiece(words, scratch.vocab_size, scratch.min_frequency).save_pretrained(directory)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", default=str(ROOT / "configs" / "anercorp-tiny.yaml"))
    parser.add_argument("--steps", type=int, default=150)
    parser.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        help="config override (both recipes read the model, data and optimiser settings), e.g. "
        "model.decoding=viterbi (Hadath's softmax heads) or model.name_or_path=encoders/multilingual-e5-small-ar",
    )
    parser.add_argument(
        "--hadath-variant",
        dest="hadath_variants",
        nargs="+",
        action="append",
        default=[],
        metavar="NAME KEY=VALUE",
        help="one more Hadath run named NAME with these overrides after --set, e.g. threads-2 training.threads=2",
    )
    parser.add_argument("--skip", choices=VARIANTS[1:], action="append", default=[], help="leave out a recipe run")
    parser.add_argument("--rounds", type=int, default=1, help="run the plan this many times, alternating its order")
    parser.add_argument("--variant", choices=VARIANTS, help=argparse.SUPPRESS)
    parser.add_argument("--tokenizer", help=argparse.SUPPRESS)
    parser.add_argument("--output", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.variant:
        child(args.variant, args.config, args.tokenizer, args.steps, args.output, args.overrides)
        return
    runs = planned_runs(args.overrides, args.hadath_variants, args.skip)
    check_overrides(args.config, runs)
    if args.rounds < 1:
        raise SystemExit("--rounds: give 1 or more")
    rounds: list[dict[str, dict[str, Any]]] = []
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        shared_tokenizer(args.config, work / "tokenizer", args.overrides)
        for number in range(args.rounds):
            results = {}
            for name in round_order(list(runs), number):
                variant, overrides = runs[name]
                command = [sys.executable, __file__, "--variant", variant, "--config", args.config,
                           "--steps", str(args.steps), "--tokenizer", str(work / "tokenizer"),
                           *[item for value in overrides for item in ("--set", value)],
                           "--output", str(work / f"{name}-{number}")]  # fmt: skip
                completed = subprocess.run(command, capture_output=True, text=True, check=False)
                if completed.returncode != 0:
                    raise SystemExit(f"{name} run failed:\n{completed.stderr[-3000:]}")
                results[name] = json.loads(completed.stdout.strip().splitlines()[-1])
            rounds.append(results)
    recipes = [v for v in VARIANTS[1:] if v in runs]
    hadaths = [name for name, (variant, _) in runs.items() if variant == "hadath"]
    print(json.dumps({"config": args.config, "steps": args.steps, **summarize(rounds, hadaths, recipes)}, indent=2))


def round_order(names: list[str], number: int) -> list[str]:
    """The plan's order in even rounds, reversed in odd ones: a machine slowing down during a round does not always
    fall on the same run."""
    return names if number % 2 == 0 else names[::-1]


def summarize(rounds: list[dict[str, dict[str, Any]]], hadaths: list[str], recipes: list[str]) -> dict[str, Any]:
    """One round: its results and ratios as they are. More: each run's median tokens/s (its other fields from the
    median round), each ratio the median of the rounds' ratios, and the per-round values beside them."""
    ratio_of = {f"{name.replace('-', '_')}_over_{v.replace('-', '_')}": (name, v) for name in hadaths for v in recipes}
    per_round = {key: [r[name]["tokens_per_s"] / r[v]["tokens_per_s"] for r in rounds]
                 for key, (name, v) in ratio_of.items()}  # fmt: skip
    ratios = {key: round(statistics.median(values), 3) for key, values in per_round.items()}
    if len(rounds) == 1:
        return {**rounds[0], **ratios}
    runs: dict[str, Any] = {}
    for name in rounds[0]:
        speeds = [r[name]["tokens_per_s"] for r in rounds]
        middle = sorted(range(len(rounds)), key=speeds.__getitem__)[len(rounds) // 2]
        runs[name] = {**rounds[middle][name], "tokens_per_s": statistics.median(speeds),
                      "tokens_per_s_rounds": [round(x, 1) for x in speeds]}  # fmt: skip
    spread = {f"{key}_rounds": [round(x, 3) for x in values] for key, values in per_round.items()}
    return {"rounds": len(rounds), **runs, **ratios, **spread}


def check_overrides(config_path: str, runs: dict[str, tuple[str, list[str]]]) -> None:
    """Stop before the first run when any run's overrides would not load (a typo found minutes in wastes them)."""
    from hadath.config import ConfigError, load_config

    for name, (_, overrides) in runs.items():
        try:
            load_config(config_path, overrides)
        except ConfigError as error:
            raise SystemExit(f"{name}: {error}") from None


def planned_runs(
    overrides: list[str], hadath_variants: list[list[str]], skip: list[str]
) -> dict[str, tuple[str, list[str]]]:
    """Run name -> (variant, its overrides): Hadath, each extra Hadath variant, then the recipes not skipped."""
    runs = {"hadath": ("hadath", overrides)}
    for name, *extra in hadath_variants:
        if name in VARIANTS or name in runs or not extra:
            raise SystemExit(f"--hadath-variant {name} {' '.join(extra)}: give a new NAME, then KEY=VALUE items")
        runs[name] = ("hadath", [*overrides, *extra])
    runs.update({v: (v, overrides) for v in VARIANTS[1:] if v not in skip})
    return runs


if __name__ == "__main__":
    main()
