"""One function per CLI command; each takes the parsed arguments and returns an exit code."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from hadath.config import ConfigError, load_config


def parse_columns(text: str) -> dict[str, int]:
    """`entities=1,events=2` -> {"entities": 1, "events": 2}."""
    columns: dict[str, int] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        layer, _, column = item.partition("=")
        if not column.isdigit() or int(column) < 1:
            raise ConfigError(f"--columns {text}: expected layer=column with column >= 1 — e.g. entities=1,events=2")
        columns[layer] = int(column)
    return columns


def train(args: argparse.Namespace) -> int:
    """`hadath train`."""
    config = load_config(args.config, args.overrides)
    from hadath.train.recipe import run_training

    output_dir = args.output_dir or Path("runs") / config.name
    metrics = run_training(config, output_dir, resume=args.resume)
    headline = " · ".join(f"{layer} F1 {block['f1']:.4f}" for layer, block in metrics.items())
    print(f"hadath: {headline} — model exported to {output_dir / 'model'}", file=sys.stderr)
    return 0


def evaluate(args: argparse.Namespace) -> int:
    """`hadath evaluate`."""
    from hadath.data.readers import ReadOptions, read_sentences
    from hadath.tagger import Tagger
    from hadath.train.evaluate import score, write_evaluation

    tagger = Tagger.load(args.model_dir)
    layers = list(tagger.metadata.labels.layers)
    columns = parse_columns(args.columns) if args.columns else {layer: i + 1 for i, layer in enumerate(layers)}
    sentences = read_sentences(args.data, ReadOptions(columns=columns))
    evaluation = score(tagger, sentences, args.batch_size, progress=True)
    output_dir = args.output_dir or args.model_dir.resolve().parent / f"eval-{args.data.stem}"
    write_evaluation(
        evaluation,
        output_dir,
        f"Evaluation of {args.model_dir} on {args.data}",
        {"sentences": len(sentences), "data": str(args.data)},
    )
    headline = " · ".join(f"{layer} F1 {block['f1']:.4f}" for layer, block in evaluation.metrics.items())
    print(f"hadath: {headline} — report in {output_dir}", file=sys.stderr)
    return 0


def _input_texts(lines: Iterable[str], input_format: str) -> Iterator[str]:
    for number, line in enumerate(lines, start=1):
        line = line.rstrip("\r\n")
        if input_format != "text" and line.lstrip().startswith("{"):
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                record = None
            if isinstance(record, dict) and isinstance(record.get("text"), str):
                yield record["text"]
                continue
            if input_format == "jsonl":
                raise ValueError(f"<input>:{number}: not a JSON object with a string `text` — fix the line")
        elif input_format == "jsonl":
            raise ValueError(f"<input>:{number}: not a JSON object with a string `text` — fix the line")
        yield line


def _chunks(texts: Iterator[str], size: int) -> Iterator[list[str]]:
    chunk: list[str] = []
    for text in texts:
        chunk.append(text)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def predict(args: argparse.Namespace) -> int:
    """`hadath predict`: one JSON record per input line on stdout, streamed in chunks."""
    from hadath.tagger import Tagger

    tagger = Tagger.load(args.model_dir, device=args.device)
    handle: TextIO
    handle = sys.stdin if args.input is None else args.input.open(encoding="utf-8")
    try:
        for chunk in _chunks(_input_texts(handle, args.input_format), 1024):
            for record in tagger.predict(chunk, batch_size=args.batch_size):
                sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
            sys.stdout.flush()
    finally:
        if handle is not sys.stdin:
            handle.close()
    return 0


def export(args: argparse.Namespace) -> int:
    """`hadath export`: re-write a model (or a run's model/) into a clean directory."""
    from hadath.tagger import Tagger
    from hadath.train.export import export_model, model_size_bytes

    source = args.model_dir / "model" if (args.model_dir / "model" / "hadath.json").is_file() else args.model_dir
    tagger = Tagger.load(source, device="cpu")
    directory = export_model(tagger, args.output_dir)
    print(f"hadath: exported to {directory} ({model_size_bytes(directory) / 1e6:.1f} MB)", file=sys.stderr)
    return 0


def data(args: argparse.Namespace) -> int:
    """`hadath data validate|stats|convert`."""
    from hadath.data.readers import ReadOptions, read_sentences
    from hadath.data.stats import corpus_stats
    from hadath.data.writers import write_sentences

    sentences = read_sentences(args.path, ReadOptions(columns=parse_columns(args.columns)), args.format)
    if args.data_command == "convert":
        write_sentences(sentences, args.output)
        print(f"hadath: wrote {len(sentences)} sentences to {args.output}", file=sys.stderr)
        return 0
    stats: dict[str, Any] = corpus_stats(sentences)
    if args.data_command == "validate":
        print(
            f"{args.path}: OK — {stats['sentences']} sentences, {stats['words']} words, "
            f"{sum(stats['spans_per_layer'].values())} spans"
        )
    else:
        print(json.dumps(stats, indent=2, ensure_ascii=False))
    return 0


COMMANDS = {"train": train, "evaluate": evaluate, "predict": predict, "export": export, "data": data}


def dispatch(args: argparse.Namespace) -> int:
    """Run the command named on the command line."""
    return COMMANDS[args.command](args)
