"""Event arguments on the bundled test split (held-out templates): the learned argument head against a nearest-entity
rule, both given the gold triggers and entities, and the head end to end from its own predicted spans.

    python benchmarks/arguments.py [--seeds 1 2 3] [--config configs/scratch.yaml] [--output runs/arguments]
        [--time-cost] [--set key=value ...] [--reuse]

The rule links each trigger to the nearest entity of an allowed type on each side: a person or organisation before
the trigger gets the event's agent-like role (Attacker, Agent, Participant, Speaker), one after it the target-like
role (Target, Victim, Person, Participant; Agent/Speaker where the event has no target), the nearest LOC gets Place
(Origin for WITHDRAWAL), the nearest DATE gets Time. Arabic is mostly verb-first, so the rule is also run with the
sides swapped (after → agent-like) and the better of the two is the baseline. `--time-cost` also trains the config
without the head (first seed) to measure what the head costs. `--set` passes config overrides to every run (e.g.
`training.max_steps=800`; `model.argument_states=true` for the head that also reads pooled encoder span states, whose
result names `argument_states` so two outputs compare: structural head, span states + structure, the rule); `--reuse`
reads a run directory that already holds metrics.json instead of training again
(so seeds can be trained one command at a time). Prints JSON; also writes OUTPUT/results.json.

How sure the margin is: the test split is 38 held-out templates × 8 sentences, and a template's sentences succeed or
fail together, so `margin_bootstrap` resamples templates (paired: the rule and the head, its seeds pooled, score the
same resampled templates; 95% interval and the p-value of no difference), and sentences for contrast. The dev split
(its own templates) gets the same gold-span scores (`dev_gold_spans_classification_f1`): what a choice made on dev sees.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from hadath.data.argument_pairs import family_spans  # noqa: E402
from hadath.data.corpus.compose import build_with_templates  # noqa: E402
from hadath.data.readers import ReadOptions, read_corpus  # noqa: E402
from hadath.data.roles import ROLES  # noqa: E402
from hadath.data.schemes import TagSpan  # noqa: E402
from hadath.data.sentence import Sentence  # noqa: E402
from hadath.evaluation.arguments import Link, argument_scores, link_counts  # noqa: E402
from hadath.evaluation.bootstrap import paired_bootstrap  # noqa: E402
from hadath.inference.tagger import Tagger  # noqa: E402

AGENT_LIKE = {"ATTACK": "Attacker", "KILL": "Agent", "ARREST": "Agent", "MEETING": "Participant",
              "WITHDRAWAL": "Agent", "STATEMENT": "Speaker"}  # fmt: skip
TARGET_LIKE = {"ATTACK": "Target", "KILL": "Victim", "ARREST": "Person", "MEETING": "Participant",
               "WITHDRAWAL": "Agent", "STATEMENT": "Speaker"}  # fmt: skip
PLACE_LIKE = {"WITHDRAWAL": "Origin"}


def _gap(trigger: TagSpan, entity: TagSpan) -> int:
    return trigger.start - entity.end if entity.end <= trigger.start else entity.start - trigger.end


def rule_links(sentence: Sentence, verb_first: bool) -> list[Link]:
    """The nearest-entity rule on one sentence's gold triggers and entities."""
    triggers, entities = family_spans(sentence, "events"), family_spans(sentence, "entities")
    links: list[Link] = []
    for trigger in triggers:
        roles = ROLES.get(trigger.label, {})
        before = [e for e in entities if e.end <= trigger.start]
        after = [e for e in entities if e.start >= trigger.end]
        sides = (
            ((after, AGENT_LIKE), (before, TARGET_LIKE)) if verb_first else ((before, AGENT_LIKE), (after, TARGET_LIKE))
        )
        for side, names in sides:
            actors = [e for e in side if e.label in ("PER", "ORG")]
            role = names.get(trigger.label)
            if actors and role in roles:
                links.append((trigger, min(actors, key=lambda e: _gap(trigger, e)), role))
        for label, role in (("LOC", PLACE_LIKE.get(trigger.label, "Place")), ("DATE", "Time")):
            candidates = [e for e in entities if e.label == label]
            if candidates and role in roles:
                links.append((trigger, min(candidates, key=lambda e: _gap(trigger, e)), role))
    return links


def baseline(test: Sequence[Sentence]) -> tuple[dict[str, Any], list[list[Link]]]:
    """Rule scores (gold spans) with each side convention, the better by classification F1 being the baseline; and
    the baseline's links, sentence by sentence."""
    gold = [s.typed_arguments() for s in test]
    links = {
        name: [rule_links(s, verb_first) for s in test]
        for name, verb_first in (("before_agent", False), ("after_agent", True))
    }
    results = {name: argument_scores(gold, found) for name, found in links.items()}
    best = max(results, key=lambda name: results[name]["classification"]["f1"])
    return {"best": best, **results}, links[best]


def head_links(model_dir: Path, splits: Sequence[Sequence[Sentence]]) -> list[list[list[Link]]]:
    """A trained model's argument links among each sentence's gold triggers and entities, for each split (a head
    that reads span states takes them from its own prediction of the sentence)."""
    tagger = Tagger.load(model_dir, threads=1)
    linked = []
    for sentences in splits:
        predictions = (
            tagger.predict_sentences(sentences) if tagger.metadata.argument_states else [None] * len(sentences)
        )
        linked.append([
            [(a.trigger, a.entity, a.role) for a in tagger.link(
                s.words, family_spans(s, "events"), family_spans(s, "entities"), p.argument_states if p else None)]
            for s, p in zip(sentences, predictions, strict=True)
        ])  # fmt: skip
    return linked


def templates_of_test(test: Sequence[Sentence]) -> list[int]:
    """The template index of each test sentence, from the corpus composer (which wrote test.jsonl in this order)."""
    composed = build_with_templates()["test"]
    if [record["text"] for _, record in composed] != [s.text for s in test]:
        raise SystemExit(
            "data/corpus/test.jsonl differs from what compose.py builds — run python -m hadath.data.corpus.compose"
        )
    return [index for index, _ in composed]


def grouped_counts(
    groups: Sequence[int], gold: Sequence[Sequence[Link]], predicted: Sequence[Sequence[Link]]
) -> np.ndarray:
    """Classification (hits, predicted, gold) summed per group (a sentence's template, or the sentence itself)."""
    counts = np.zeros((max(groups) + 1, 3), dtype=np.int64)
    for group, gold_links, predicted_links in zip(groups, gold, predicted, strict=True):
        counts[group] += link_counts(gold_links, predicted_links)
    return counts


def margin_intervals(
    test: Sequence[Sentence], rule: Sequence[Sequence[Link]], heads: Sequence[Sequence[Sequence[Link]]]
) -> dict[str, Any]:
    """Paired bootstrap of head − rule classification F1 (points; the head's seeds pooled), resampling templates (the
    test split's real unit: its sentences come in groups of 8 from 38 templates) and, for contrast, sentences."""
    gold = [s.typed_arguments() for s in test]
    templates = templates_of_test(test)
    by_sentence = list(range(len(test)))
    result = {}
    for unit, groups in (("templates", templates), ("sentences", by_sentence)):
        paired = paired_bootstrap(
            grouped_counts(groups, gold, rule), sum(grouped_counts(groups, gold, head) for head in heads)
        )
        result[f"resampling_{unit}"] = {
            "units": max(groups) + 1,
            "margin": round(100 * paired.delta, 2),
            "ci95": [round(100 * paired.low, 2), round(100 * paired.high, 2)],
            "p_no_difference": round(paired.p_value, 4),
        }
    return result


def train(
    config: str, output: Path, seed: int, arguments: bool, overrides: Sequence[str], reuse: bool
) -> dict[str, Any]:
    sets = ["--set", f"training.seed={seed}", "--set", f"model.arguments={str(arguments).lower()}"]
    sets += [item for value in overrides for item in ("--set", value)]
    if not (reuse and (output / "run.json").is_file()):
        subprocess.run([sys.executable, "-m", "hadath", "train", config, "--output-dir", str(output), *sets],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    metrics = json.loads((output / "metrics.json").read_text())
    facts = json.loads((output / "run.json").read_text())
    return {"metrics": metrics, "train_s": facts["training_wall_s"]}


def mean_std(values: Sequence[float]) -> dict[str, float]:
    return {"mean": round(statistics.mean(values), 2), "std": round(statistics.stdev(values), 2) if len(values) > 1
            else 0.0, "runs": [round(v, 2) for v in values]}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--config", default=str(ROOT / "configs" / "scratch.yaml"))
    parser.add_argument("--seeds", type=int, nargs="+", default=[1])
    parser.add_argument("--output", type=Path, default=ROOT / "runs" / "arguments")
    parser.add_argument("--time-cost", action="store_true")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args()
    test, _ = read_corpus(ROOT / "data" / "corpus" / "test.jsonl", ReadOptions(), "jsonl")
    dev, _ = read_corpus(ROOT / "data" / "corpus" / "dev.jsonl", ReadOptions(), "jsonl")
    (rule, rule_test_links), (rule_dev, _) = baseline(test), baseline(dev)
    runs = [train(args.config, args.output / f"seed-{seed}", seed, True, args.set, args.reuse) for seed in args.seeds]
    linked = [head_links(args.output / f"seed-{seed}" / "model", (test, dev)) for seed in args.seeds]
    heads, heads_dev = [links[0] for links in linked], [links[1] for links in linked]
    blocks = [run["metrics"]["arguments"] for run in runs]

    def row(key: str) -> dict[str, float]:
        return mean_std([100 * block["scorings"][key]["f1"] for block in blocks])

    scorings = list(blocks[0]["scorings"])
    per_role = {role: mean_std([100 * b["per_type"][role]["f1"] for b in blocks]) for role in blocks[0]["per_type"]}
    best = rule[rule["best"]]
    result: dict[str, Any] = {
        "test_sentences": len(test),
        "gold_arguments": sum(len(s.arguments) for s in test),
        "seeds": args.seeds,
        "overrides": args.set,
        "argument_states": any(value.replace(" ", "") == "model.argument_states=true" for value in args.set),
        "baseline_gold_spans": {
            "rule": rule["best"],
            "classification_f1": round(100 * best["classification"]["f1"], 2),
            "identification_f1": round(100 * best["identification"]["f1"], 2),
            "per_role_f1": {role: round(100 * r["f1"], 2) for role, r in best["per_type"].items()},
            "other_side_convention": {
                k: round(100 * v["f1"], 2)
                for k, v in rule["after_agent" if rule["best"] == "before_agent" else "before_agent"].items()
                if k != "per_type"
            },
        },  # fmt: skip
        "learned": {name: row(name) for name in scorings},
        "learned_per_role_gold_spans_f1": per_role,
        "entities_f1": mean_std([100 * run["metrics"]["entities"]["f1"] for run in runs]),
        "events_f1": mean_std([100 * run["metrics"]["events"]["f1"] for run in runs]),
        "train_s_with_arguments": [run["train_s"] for run in runs],
    }
    gold_key = next(k for k in scorings if k.startswith("gold") and "classification" in k)
    result["margin_over_baseline_f1"] = round(
        result["learned"][gold_key]["mean"] - best["classification"]["f1"] * 100, 2
    )
    result["margin_bootstrap"] = margin_intervals(test, rule_test_links, heads)
    dev_gold = [s.typed_arguments() for s in dev]
    result["dev_gold_spans_classification_f1"] = {
        "rule": {
            name: round(100 * rule_dev[name]["classification"]["f1"], 2) for name in ("before_agent", "after_agent")
        },
        "head": mean_std([100 * argument_scores(dev_gold, links)["classification"]["f1"] for links in heads_dev]),
    }
    if args.time_cost:
        plain = train(args.config, args.output / "no-arguments", args.seeds[0], False, args.set, args.reuse)
        result["train_s_without_arguments"] = plain["train_s"]
        result["entities_f1_without_arguments"] = round(100 * plain["metrics"]["entities"]["f1"], 2)
        result["events_f1_without_arguments"] = round(100 * plain["metrics"]["events"]["f1"], 2)
    args.output.mkdir(parents=True, exist_ok=True)
    text = json.dumps(result, indent=2, ensure_ascii=False)
    (args.output / "results.json").write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
