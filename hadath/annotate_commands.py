"""`hadath annotate suggest|merge`: the raw pool read as `hadath predict` reads its input, and the annotate stage
(annotate/) doing the choosing and merging; `hadath.commands` hands over the model as every command loads it."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hadath.config import ConfigError
from hadath.predict_input import Skipped, input_records, text_lines


def _pool_texts(args: argparse.Namespace) -> tuple[Any, int]:
    """`(FILE:LINE, text)` of every readable record of the raw inputs (files, globs, folders), and how many lines they
    hold; a record that cannot be read is one line on stderr and is left out."""
    from hadath.batch.plan import PARQUET_SUFFIX, input_files

    files = input_files(list(args.input))
    parquet = next((path for path in files if path.suffix.lower() == PARQUET_SUFFIX), None)
    if parquet is not None:
        raise ConfigError(f"{parquet}: suggest reads text lines or JSONL — convert parquet first, or leave it out")
    if args.output.resolve() in {path.resolve() for path in files}:
        raise ConfigError(f"{args.output}: is one of the inputs — write the suggestions elsewhere")
    lines = text_lines(files[0], args.max_chars)  # a bad first file fails before the model loads
    total = 0
    for path in files:
        with path.open("rb") as raw:
            total += sum(block.count(b"\n") for block in iter(lambda: raw.read(1 << 20), b""))

    def texts() -> Any:
        for index, path in enumerate(files):
            source = lines if index == 0 else text_lines(path, args.max_chars)
            for number, record in enumerate(input_records(source, args.input_format, str(path)), start=1):
                if isinstance(record, Skipped):
                    print(f"hadath: skipped {record.message}", file=sys.stderr)
                else:
                    yield f"{path}:{number}", record["text"]

    return texts(), total


def suggest(args: argparse.Namespace, model_dir: Path, load: Callable[[Path], Any]) -> int:
    """`hadath annotate suggest`: the pool streamed through the model in `model_dir` (loaded with `load`), the
    chosen sentences written for the tool."""
    from hadath.annotate.suggest import SuggestSettings, choose, project_config, write_suggestions
    from hadath.data.file_hash import file_sha256
    from hadath.inference.backends import is_onnx_dir
    from hadath.inference.metadata import METADATA_FILE

    texts, total = _pool_texts(args)
    if args.strategy == "diverse" and is_onnx_dir(model_dir):  # before the pool is tagged, not after
        raise ConfigError(
            f"{model_dir}: --strategy diverse reads the encoder's hidden states, which an ONNX graph does not output "
            "— pass the PyTorch model directory (a run's model/)"
        )
    tagger = load(model_dir)
    version = args.model_version or f"{model_dir.resolve().name}-{file_sha256(model_dir / METADATA_FILE)[:12]}"
    settings = SuggestSettings(args.count, args.strategy, args.seed, args.batch_size, args.candidates)
    result = choose(tagger, texts, settings, total)
    if not result.chosen:
        raise ConfigError(f"{' '.join(args.input)}: no text to suggest — pass text lines or JSONL with `text`")
    write_suggestions(result.chosen, args.output, args.format, version, args.strategy)
    where = str(args.output)
    if args.format == "labelstudio":
        config = args.output.with_name(args.output.name + ".labeling-config.xml")
        config.write_text(project_config(tagger), encoding="utf-8")
        where += f" (labeling config: {config})"
    print(
        f"hadath: {len(result.chosen)} of {result.pool} sentences suggested by {args.strategy} "
        f"({result.duplicates} near-duplicates dropped), predictions of {version} — wrote {where}",
        file=sys.stderr,
    )
    return 0


def merge(args: argparse.Namespace) -> int:
    """`hadath annotate merge`: exports checked against the suggestion file, written as native JSONL."""
    from hadath.annotate.merge import merge_exports
    from hadath.data_commands import read_options, refuse_writing_over_the_input

    for export in [*args.exports, args.suggested]:
        refuse_writing_over_the_input(export, args.output)
    report = merge_exports(args.exports, args.suggested, args.output, read_options(args), args.format)
    for note in report.notes:
        print(f"hadath: note: {note}", file=sys.stderr)
    who = ", ".join(f"{name} {count}" for name, count in report.annotators.most_common())
    print(
        f"hadath: wrote {report.written} sentences to {args.output} (by annotator: {who}; {report.replaced} taken "
        f"from a later export; {report.not_annotated} suggested sentences not in any export)",
        file=sys.stderr,
    )
    return 0
