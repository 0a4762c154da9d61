"""`report.html`: one self-contained page (inline CSS and SVG, no script, no network) with the tables, plots —
learning curve, per-type F1 bars, span confusion heat map — and the worst sentences highlighted right to left."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from html import escape
from pathlib import Path
from typing import Any

from hadath.data.schemes import TagSpan, spans_from_tags
from hadath.evaluation.bootstrap import interval_text
from hadath.evaluation.compare import PredictionFile
from hadath.evaluation.error_analysis import KINDS, error_examples, match_layer, sentence_errors
from hadath.evaluation.report import ATTRIBUTE_COLUMNS, KIND_TITLES, SCORING_NOTE, attribute_rows, score_rows

WORST_SENTENCES = 10
TRAINING_LOG = "training_log.json"  # the Trainer's log_history, written by the recipe into the run directory

CSS = """
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:70rem;color:#222;line-height:1.4}
table{border-collapse:collapse;margin:.5rem 0 1rem}td,th{border:1px solid #ccc;padding:.2rem .5rem}
td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#f3f3f3}
.plots{display:flex;flex-wrap:wrap;gap:2rem;align-items:flex-start}.note{color:#555;font-size:.9rem}
.ar{font-size:1.25rem;line-height:2.4;border-right:3px solid #ddd;padding-right:.6rem;margin:.2rem 0}
mark{border-radius:3px;padding:0 .15rem}mark.ok{background:#c8ecc8}mark.bad{background:#f8c4c4}
mark.gold{background:#cfe0fb}mark sub{font-size:.65rem;color:#444}
"""


def _table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    head = "".join(f"<th>{escape(str(cell))}</th>" for cell in header)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="n">{cell:.4f}</td>' if isinstance(cell, float) else f"<td>{escape(str(cell))}</td>"
            for cell in row
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def bar_chart(values: Mapping[str, float], title: str) -> str:
    """Horizontal bars for values in 0..1 (per-type F1)."""
    row, left, width = 22, 110, 260
    height = row * len(values) + 30
    bars = []
    for i, (name, value) in enumerate(values.items()):
        y = 24 + i * row
        bars.append(
            f'<text x="{left - 6}" y="{y + 14}" text-anchor="end" font-size="12">{escape(name)}</text>'
            f'<rect x="{left}" y="{y}" width="{max(value, 0.0) * width:.1f}" height="{row - 6}" fill="#4a7fc1"/>'
            f'<text x="{left + max(value, 0.0) * width + 4:.1f}" y="{y + 14}" font-size="11">{value:.3f}</text>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 50}" height="{height}" role="img">'
        f'<text x="0" y="14" font-size="13" font-weight="bold">{escape(title)}</text>{"".join(bars)}</svg>'
    )


def heat_map(labels: Sequence[str], matrix: Sequence[Sequence[int]], title: str) -> str:
    """A confusion heat map, gold types as rows and predicted types as columns, counts in the cells."""
    cell, left, top = 34, 90, 60
    peak = max((value for row in matrix for value in row), default=0) or 1
    parts = [f'<text x="0" y="14" font-size="13" font-weight="bold">{escape(title)}</text>']
    parts.append(f'<text x="{left}" y="32" font-size="11">predicted →</text>')
    for j, name in enumerate(labels):
        x = left + j * cell + cell / 2
        parts.append(f'<text x="{x}" y="{top - 6}" text-anchor="middle" font-size="10">{escape(name)}</text>')
    for i, (name, row) in enumerate(zip(labels, matrix, strict=True)):
        y = top + i * cell
        parts.append(
            f'<text x="{left - 6}" y="{y + cell / 2 + 4}" text-anchor="end" font-size="10">{escape(name)}</text>'
        )
        for j, value in enumerate(row):
            shade = 255 - int(200 * value / peak)
            ink = "#fff" if shade < 130 else "#222"
            parts.append(
                f'<rect x="{left + j * cell}" y="{y}" width="{cell}" height="{cell}" fill="rgb({shade},{shade},255)" '
                f'stroke="#fff"/><text x="{left + j * cell + cell / 2}" y="{y + cell / 2 + 4}" text-anchor="middle" '
                f'font-size="10" fill="{ink}">{value}</text>'
            )
    size = len(labels) * cell
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + size + 10}" height="{top + size + 10}" role="img">'
        f'{"".join(parts)}<text x="4" y="{top + size / 2}" font-size="11">gold ↓</text></svg>'
    )


def line_chart(points: Sequence[tuple[float, float]], title: str, x_label: str) -> str:
    """A polyline of (x, y) points with the y range written on the axis (the training loss curve)."""
    width, height, left, top = 420, 200, 50, 24
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)

    def scale(x: float, y: float) -> str:
        sx = left + (x - x0) / ((x1 - x0) or 1) * (width - left - 10)
        sy = top + (1 - (y - y0) / ((y1 - y0) or 1)) * (height - top - 30)
        return f"{sx:.1f},{sy:.1f}"

    line = " ".join(scale(x, y) for x, y in points)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img">'
        f'<text x="0" y="14" font-size="13" font-weight="bold">{escape(title)}</text>'
        f'<line x1="{left}" y1="{height - 30}" x2="{width - 10}" y2="{height - 30}" stroke="#999"/>'
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{height - 30}" stroke="#999"/>'
        f'<text x="{left - 4}" y="{top + 8}" text-anchor="end" font-size="10">{y1:.3g}</text>'
        f'<text x="{left - 4}" y="{height - 30}" text-anchor="end" font-size="10">{y0:.3g}</text>'
        f'<text x="{left}" y="{height - 14}" font-size="10">{x0:g}</text>'
        f'<text x="{width - 10}" y="{height - 14}" text-anchor="end" font-size="10">{x1:g} {escape(x_label)}</text>'
        f'<polyline points="{line}" fill="none" stroke="#c14a4a" stroke-width="2"/></svg>'
    )


def reliability_diagram(block: Mapping[str, Any], title: str) -> str:
    """Accuracy against mean span score per score bin (bars), the diagonal of perfect calibration, the ECE."""
    size, left, top = 220, 40, 24  # the title needs about 330 px
    parts = [f'<text x="0" y="14" font-size="13" font-weight="bold">{escape(title)} (ECE {block["ece"]:.3f}, '
             f'{block["spans"]} spans)</text>',
             f'<line x1="{left}" y1="{top + size}" x2="{left + size}" y2="{top}" stroke="#999" stroke-dasharray="4"/>',
             f'<rect x="{left}" y="{top}" width="{size}" height="{size}" fill="none" stroke="#999"/>']  # fmt: skip
    for row in block["bins"]:
        x, width = left + row["low"] * size, (row["high"] - row["low"]) * size
        height = row["accuracy"] * size
        parts.append(
            f'<rect x="{x:.1f}" y="{top + size - height:.1f}" width="{width - 1:.1f}" height="{height:.1f}" '
            f'fill="#4a7fc1"><title>{row["count"]} spans, mean score {row["mean_score"]:.3f}, '
            f"accuracy {row['accuracy']:.3f}</title></rect>"
            f'<circle cx="{x + width / 2:.1f}" cy="{top + size - row["mean_score"] * size:.1f}" r="2.5" '
            'fill="#c14a4a"/>'
        )
    parts.append(f'<text x="{left}" y="{top + size + 14}" font-size="10">0</text>'
                 f'<text x="{left + size}" y="{top + size + 14}" text-anchor="end" font-size="10">1 span score</text>'
                 f'<text x="{left - 4}" y="{top + 8}" text-anchor="end" font-size="10">1</text>'
                 f'<text x="{left - 4}" y="{top + size}" text-anchor="end" font-size="10">0</text>')  # fmt: skip
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + size + 80}" height="{top + size + 24}" role="img">'
        f"{''.join(parts)}</svg>"
    )


def read_training_log(run_dir: Path) -> list[dict[str, Any]]:
    """A run's training log: its `training_log.json`, else the newest checkpoint's `trainer_state.json`, else []."""
    path = run_dir / TRAINING_LOG
    if path.is_file():
        return list(json.loads(path.read_text(encoding="utf-8")))
    states = sorted(
        (run_dir / "checkpoints").glob("checkpoint-*/trainer_state.json"),
        key=lambda state: int(state.parent.name.rsplit("-", 1)[1]) if state.parent.name[-1].isdigit() else -1,
    )
    if states:
        return list(json.loads(states[-1].read_text(encoding="utf-8")).get("log_history", []))
    return []


def learning_curve(log: Sequence[Mapping[str, Any]]) -> str:
    """The training loss per logged step, or an empty string when the run logged fewer than two points."""
    points = [(float(entry["step"]), float(entry["loss"])) for entry in log if "loss" in entry and "step" in entry]
    if len(points) < 2:
        return ""
    return line_chart(points, "training loss", "steps")


def highlight(tokens: Sequence[str], spans: Sequence[TagSpan], kind: str, correct: set[TagSpan]) -> str:
    """Tokens with spans wrapped in <mark> (type as a subscript); `kind` "gold" or "predicted" picks the colours."""
    starts = {span.start: span for span in spans}
    out: list[str] = []
    index = 0
    while index < len(tokens):
        span = starts.get(index)
        if span is None:
            out.append(escape(tokens[index]))
            index += 1
            continue
        css = "gold" if kind == "gold" else ("ok" if span in correct else "bad")
        words = escape(" ".join(tokens[span.start : span.end]))
        out.append(f'<mark class="{css}">{words}<sub><bdi>{escape(span.label)}</bdi></sub></mark>')
        index = span.end
    return " ".join(out)


def worst_sentences(predictions: Mapping[str, PredictionFile], limit: int = WORST_SENTENCES) -> str:
    """The sentences with the most span errors over all tag layers, gold above predicted, right to left."""
    if not predictions:
        return ""
    matches = {layer: match_layer(file.gold, file.predicted) for layer, file in predictions.items()}
    count = len(next(iter(predictions.values())).tokens)
    errors = [sum(sentence_errors(m[i]) for m in matches.values()) for i in range(count)]
    ranked = sorted((i for i in range(count) if errors[i]), key=lambda i: (-errors[i], i))[:limit]
    parts = [f"<h2>Worst sentences</h2><p class='note'>{len(ranked)} sentences with the most span errors; gold "
             "spans blue, predicted spans green when exactly right and red otherwise.</p>"]  # fmt: skip
    for i in ranked:
        parts.append(f"<h3>#{i} — {errors[i]} errors</h3>")
        for layer, file in predictions.items():
            gold, predicted = spans_from_tags(file.gold[i]), spans_from_tags(file.predicted[i])
            correct = set(gold) & set(predicted)
            for kind, spans in (("gold", gold), ("predicted", predicted)):
                parts.append(
                    f'<div class="note">{escape(layer)} · {kind}</div><div class="ar" dir="rtl" lang="ar">'
                    f"{highlight(file.tokens[i], spans, kind, correct)}</div>"
                )
    return "".join(parts)


def _layer_section(layer: str, block: Mapping[str, Any], predictions: PredictionFile | None) -> str:
    parts = [f"<h2>{escape(layer)}</h2>"]
    if "f1_ci95" in block:
        parts.append(f"<p>F1 <b>{block['f1']:.4f}</b> ({escape(interval_text(block['f1_ci95']))}), macro F1 "
                     f"{block.get('macro_f1', 0.0):.4f}</p>")  # fmt: skip
    if "threshold" in block:
        parts.append(f"<p>sentence-label threshold {block['threshold']:.2f}</p>")
    parts.append(
        _table(
            ["scoring", "precision", "recall", "F1"],
            [(n, r["precision"], r["recall"], r["f1"]) for n, r in score_rows(block)],
        )
    )
    if "cue_macro_f1" in block:  # factuality: per attribute, the head against the cue rules on gold triggers
        parts.append(f"<p>reported-event F1 <b>{block['f1']:.4f}</b>; attributes on gold triggers: macro F1 "
                     f"<b>{block['macro_f1']:.4f}</b>, cue rules {block['cue_macro_f1']:.4f}</p>")  # fmt: skip
        parts.append(_table(ATTRIBUTE_COLUMNS, attribute_rows(block)))
        return "".join(parts)
    rows = [(name, r["precision"], r["recall"], r["f1"], r["support"]) for name, r in block["per_type"].items()]
    plots = [bar_chart({name: r["f1"] for name, r in block["per_type"].items()}, f"{layer}: F1 per type")]
    if "errors" in block:
        confusion = block["errors"]["confusion"]
        plots.append(heat_map(confusion["labels"], confusion["matrix"], f"{layer}: span type confusion"))
    if block.get("calibration", {}).get("bins"):
        # Bars: share of predicted spans that are right per score bin; dots: the bin's mean score.
        plots.append(reliability_diagram(block["calibration"], f"{layer}: span score reliability"))
    parts.append(_table(["type", "precision", "recall", "F1", "support"], rows))
    parts.append(f'<div class="plots">{"".join(plots)}</div>')
    if "errors" in block:
        counts = block["errors"]["counts"]
        parts.append(_table(["error kind", "spans"], [(KIND_TITLES[k], counts[k]) for k in KINDS]))
    if predictions is not None:
        examples = error_examples(predictions.tokens, match_layer(predictions.gold, predictions.predicted))
        listed = [
            (KIND_TITLES[k], f"#{e['sentence']}", e["gold"], e["predicted"]) for k, v in examples.items() for e in v
        ]
        if listed:
            parts.append("<h3>Error examples</h3>")
            parts.append(_table(["kind", "sentence", "gold", "predicted"], listed).replace("<td>", '<td dir="auto">'))
    return "".join(parts)


def write_html_report(
    path: Path,
    title: str,
    metrics: Mapping[str, Any],
    extra: Mapping[str, Any],
    *,
    predictions: Mapping[str, PredictionFile] | None = None,
    training_log: Sequence[Mapping[str, Any]] = (),
) -> None:
    """Write the self-contained HTML report next to metrics.json."""
    parts = [
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f"<style>{CSS}</style></head><body><h1>{escape(title)}</h1><p class='note'>{escape(SCORING_NOTE)}</p>"
    ]
    curve = learning_curve(training_log)
    if curve:
        parts.append(f"<h2>Training</h2>{curve}")
    for layer, block in metrics.items():
        parts.append(_layer_section(layer, block, (predictions or {}).get(layer)))
    parts.append(worst_sentences(predictions or {}))
    if extra:
        parts.append("<h2>Run facts</h2>" + _table(["fact", "value"], [(k, str(v)) for k, v in extra.items()]))
    parts.append("</body></html>\n")
    path.write_text("".join(parts), encoding="utf-8")
