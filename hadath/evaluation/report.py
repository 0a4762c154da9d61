"""`report.md`: the metrics as tables a person reads, error analysis, plus what the run had to do to the data."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from hadath.evaluation.bootstrap import interval_text
from hadath.evaluation.compare import PredictionFile
from hadath.evaluation.error_analysis import KINDS, error_examples, match_layer

SCORING_NOTE = (
    "Tag layers are scored at entity level, micro-averaged, exactly as conlleval counts "
    "(seqeval default mode: a stray `I-` opens an entity); `strict IOB2` is seqeval's strict mode with the IOB2 "
    "scheme, where a span must start with `B-`. SemEval-2013 rows match gold and predicted spans one to one: "
    "`strict` needs boundaries and type, `exact` boundaries only, `partial` gives half credit to an overlap, "
    "`type` needs an overlap and the type. Intervals are 95% bootstrap intervals over sentences. Event arguments "
    "follow ACE: identified when the trigger (span and type) and the entity span match, classified when the role "
    "matches too; the headline and per-role table score the argument head given gold triggers and entities. "
    "Factuality: the headline is event F1 over reported events only (positive, asserted, specific, not future; "
    "decoded triggers with the attribute head's values); macro F1 and the per-attribute rows score the head given "
    "the gold triggers (macro over the values of each attribute, then the mean over attributes), beside cue rules "
    "(negation, modal and future particles before the trigger)."
)

KIND_TITLES = {
    "correct": "correct",
    "type": "type confusion (same boundaries)",
    "boundary": "boundary error (same type)",
    "boundary_type": "boundary and type error",
    "missed": "missed (no overlapping prediction)",
    "spurious": "spurious (no overlapping gold span)",
}


def per_type_table(rows: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """A Markdown table of per-type precision, recall, F1 and support."""
    lines = ["| type | precision | recall | F1 | support |", "|---|---:|---:|---:|---:|"]
    for name, row in rows.items():
        lines.append(f"| {name} | {row['precision']:.4f} | {row['recall']:.4f} | {row['f1']:.4f} | {row['support']} |")
    return lines


def attribute_rows(block: Mapping[str, Any]) -> list[tuple[Any, ...]]:
    """(attribute, head accuracy, head macro F1, cue accuracy, cue macro F1, gold triggers) of a factuality block."""
    rows = [(name, r["accuracy"], r["f1"], r["cue_accuracy"], r["cue_f1"], r["support"])
            for name, r in block["per_type"].items()]  # fmt: skip
    return [*rows, ("mean", block["accuracy"], block["macro_f1"], block["cue_accuracy"], block["cue_macro_f1"],
                    block["gold_triggers"])]  # fmt: skip


ATTRIBUTE_COLUMNS = ["attribute (gold triggers)", "accuracy", "macro F1", "cue rules accuracy", "cue rules macro F1",
                     "support"]  # fmt: skip


def _attribute_table(block: Mapping[str, Any]) -> list[str]:
    lines = ["| " + " | ".join(ATTRIBUTE_COLUMNS) + " |", "|---|---:|---:|---:|---:|---:|"]
    for name, *scores, support in attribute_rows(block):
        lines.append(f"| {name} | " + " | ".join(f"{v:.4f}" for v in scores) + f" | {support} |")
    return lines


def score_rows(block: Mapping[str, Any]) -> list[tuple[str, Mapping[str, Any]]]:
    """(name, scores) of every scoring of a tag layer (or the `scorings` a block lists itself), headline first."""
    if "scorings" in block:
        return list(block["scorings"].items())
    rows: list[tuple[str, Mapping[str, Any]]] = [("conlleval (seqeval default)", block)]
    if "strict" in block:
        rows.append(("strict IOB2 (seqeval strict)", block["strict"]))
    for name, scores in block.get("partial", {}).items():
        rows.append((f"SemEval-2013 {name}", scores))
    return rows


def headline(block: Mapping[str, Any]) -> str:
    """One line: P, R, F1 with its interval, macro F1 and (sentence labels) the threshold."""
    text = f"precision {block['precision']:.4f} · recall {block['recall']:.4f} · **F1 {block['f1']:.4f}**"
    if "f1_ci95" in block:
        text += f" ({interval_text(block['f1_ci95'])})"
    if "macro_f1" in block:
        text += f" · macro F1 {block['macro_f1']:.4f}"
    if "cue_macro_f1" in block:
        text += f" (cue rules {block['cue_macro_f1']:.4f})"
    if "threshold" in block:
        text += f" · threshold {block['threshold']:.2f}"
    if "calibration" in block:
        text += f" · span-score ECE {block['calibration']['ece']:.4f} over {block['calibration']['spans']} spans"
    return text


def _scores_table(block: Mapping[str, Any]) -> list[str]:
    lines = ["| scoring | precision | recall | F1 |", "|---|---:|---:|---:|"]
    for name, row in score_rows(block):
        lines.append(f"| {name} | {row['precision']:.4f} | {row['recall']:.4f} | {row['f1']:.4f} |")
    return lines


def _errors_section(errors: Mapping[str, Any], predictions: PredictionFile | None) -> list[str]:
    lines = ["### Errors", "", "| kind | spans |", "|---|---:|"]
    lines.extend(f"| {KIND_TITLES[kind]} | {errors['counts'][kind]} |" for kind in KINDS)
    labels, matrix = errors["confusion"]["labels"], errors["confusion"]["matrix"]
    lines += ["", "Span type confusion (rows gold, columns predicted; `∅` = no span on that side):", ""]
    lines.append("| gold \\ predicted | " + " | ".join(labels) + " |")
    lines.append("|---|" + "---:|" * len(labels))
    lines.extend(f"| {g} | " + " | ".join(str(c) for c in row) + " |" for g, row in zip(labels, matrix, strict=True))
    if predictions is not None:
        examples = error_examples(predictions.tokens, match_layer(predictions.gold, predictions.predicted))
        lines += ["", "Examples (sentence number: gold → predicted):", ""]
        for kind, items in examples.items():
            for item in items:
                lines.append(f"- {KIND_TITLES[kind]} — #{item['sentence']}: {item['gold']} → {item['predicted']}")
    lines.append("")
    return lines


def write_report(
    path: Path,
    title: str,
    metrics: Mapping[str, Any],
    extra: Mapping[str, Any],
    predictions: Mapping[str, PredictionFile] | None = None,
) -> None:
    """Write a Markdown report of `metrics` (as in metrics.json), error examples and `extra` facts."""
    lines = [f"# {title}", "", SCORING_NOTE, ""]
    for layer, block in metrics.items():
        lines += [f"## {layer}", "", headline(block), ""]
        if "strict" in block or "scorings" in block:
            lines += [*_scores_table(block), ""]
        lines += [*(_attribute_table(block) if "cue_macro_f1" in block else per_type_table(block["per_type"])), ""]
        if "errors" in block:
            lines += _errors_section(block["errors"], (predictions or {}).get(layer))
    if extra:
        lines += ["## Run facts", ""]
        lines.extend(f"- {key}: {value}" for key, value in extra.items())
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
