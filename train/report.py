"""`report.md`: the metrics as tables a person reads, plus what the run had to do to the data."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def _table(rows: dict[str, dict[str, Any]]) -> list[str]:
    lines = ["| type | precision | recall | F1 | support |", "|---|---:|---:|---:|---:|"]
    for name, row in rows.items():
        lines.append(f"| {name} | {row['precision']:.4f} | {row['recall']:.4f} | {row['f1']:.4f} | {row['support']} |")
    return lines


def write_report(path: Path, title: str, metrics: dict[str, Any], extra: dict[str, Any]) -> None:
    """Write a Markdown report of `metrics` (as in metrics.json) and `extra` facts (counts, timings)."""
    lines = [f"# {title}", ""]
    lines.append(
        "Tag layers are scored at entity level, micro-averaged, exactly as conlleval counts "
        "(seqeval default mode: a stray `I-` opens an entity). Scores are computed per word from the decoded tags."
    )
    lines.append("")
    for layer, block in metrics.items():
        lines.append(f"## {layer}")
        lines.append("")
        headline = f"precision {block['precision']:.4f} · recall {block['recall']:.4f} · **F1 {block['f1']:.4f}**"
        if "threshold" in block:
            headline += f" · macro F1 {block['macro_f1']:.4f} · threshold {block['threshold']:.2f}"
        lines.append(headline)
        lines.append("")
        lines.extend(_table(block["per_type"]))
        lines.append("")
    if extra:
        lines.append("## Run facts")
        lines.append("")
        for key, value in extra.items():
            lines.append(f"- {key}: {value}")
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
