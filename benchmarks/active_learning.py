"""Active learning, simulated: does choosing sentences by uncertainty (or spread) beat choosing them at random?

The pool is a gold corpus (default ANERcorp train, read in place from ../shared/data) whose annotations are hidden
from the strategy: `hadath annotate suggest`'s selection (`hadath.annotate.suggest.choose`) sees only the texts. Every
strategy starts from the same seeded START sentences; each round the model trained on the labelled set picks STEP
more of the unlabelled pool, their gold is "annotated" (revealed), and a new model is trained from scratch and scored
on the test file. The labelled subsets are written as CoNLL into the work folder (outside the repository) because
training reads files. Prints one JSON object: per strategy, per round, labelled sentences and test entity F1.

    .venv/bin/python benchmarks/active_learning.py --work /tmp/al            # 200 + 5 x 200, the three strategies
    .venv/bin/python benchmarks/active_learning.py --work /tmp/al --config configs/scratch.yaml --start 50 \\
        --step 50 --rounds 1 --set training.max_steps=10                   # a smoke run of the script
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

from hadath.annotate.suggest import SuggestSettings, choose
from hadath.config import load_config
from hadath.data.readers import ReadOptions, read_corpus
from hadath.data.sentence import Sentence
from hadath.data.writers import write_sentences
from hadath.inference.tagger import Tagger
from hadath.train.recipe import run_training

ROOT = Path(__file__).resolve().parents[1]
ANERCORP = ROOT.parent / "shared" / "data" / "anercorp"


def train_on(config: Path, overrides: list[str], sentences: list[Sentence], folder: Path) -> float:
    """Train a fresh model on `sentences` (written as CoNLL into `folder`) and return its test entity F1."""
    folder.mkdir(parents=True, exist_ok=True)
    train_file = folder / "train.conll"
    write_sentences(sentences, train_file, "conll")
    settings = [f"data.train={train_file}", "data.dev=null", "data.format=conll", "data.columns={entities: 1}",
                "training.tensorboard=false"]  # fmt: skip
    metrics = run_training(load_config(config, [*overrides, *settings]), folder / "run")
    return round(float(metrics["entities"]["f1"]), 4)


def simulate(args: argparse.Namespace) -> dict[str, Any]:
    """Every strategy's learning curve over the rounds."""
    pool, _ = read_corpus(args.pool, ReadOptions(), "conll")
    first = sorted(random.Random(args.seed).sample(range(len(pool)), args.start))
    curves: dict[str, list[dict[str, Any]]] = {}
    started = time.perf_counter()
    start_f1 = train_on(args.config, args.overrides, [pool[i] for i in first], args.work / "start")
    for strategy in args.strategies:
        labelled = list(first)
        curve = [{"round": 0, "labelled": len(labelled), "test_entities_f1": start_f1}]
        model = args.work / "start" / "run" / "model"
        for number in range(1, args.rounds + 1):
            taken = set(labelled)
            texts = ((str(i), pool[i].text) for i in range(len(pool)) if i not in taken)  # gold hidden: texts only
            settings = SuggestSettings(args.step, strategy, seed=args.seed + number)
            chosen = choose(Tagger.load(model, device="cpu"), texts, settings).chosen
            labelled += [int(candidate.where) for candidate in chosen]
            folder = args.work / strategy / f"round-{number}"
            f1 = train_on(args.config, args.overrides, [pool[i] for i in labelled], folder)
            curve.append({"round": number, "labelled": len(labelled), "test_entities_f1": f1})
            model = folder / "run" / "model"
        curves[strategy] = curve
    return {
        "pool": str(args.pool),
        "pool_sentences": len(pool),
        "test": str(args.test),
        "config": str(args.config),
        "overrides": args.overrides,
        "start": args.start,
        "step": args.step,
        "rounds": args.rounds,
        "seed": args.seed,
        "curves": curves,
        "wall_seconds": round(time.perf_counter() - started, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=ROOT / "configs" / "anercorp-tiny.yaml")
    parser.add_argument("--pool", type=Path, default=ANERCORP / "train.txt", help="gold CoNLL pool (gold hidden)")
    parser.add_argument("--test", type=Path, default=ANERCORP / "test.txt", help="gold CoNLL test file")
    parser.add_argument("--work", type=Path, required=True, help="folder for the labelled subsets and the runs")
    parser.add_argument("--start", type=int, default=200)
    parser.add_argument("--step", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--strategies", nargs="+", default=["uncertainty", "random", "diverse"])
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--set", action="append", default=[], dest="overrides", help="config override KEY=VALUE")
    args = parser.parse_args(argv)
    args.overrides = [*args.overrides, f"data.test={args.test.resolve()}"]
    json.dump(simulate(args), sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
