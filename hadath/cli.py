"""The `hadath` command: parses arguments, loads the config, calls one function per command. Nothing else."""

from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path

from hadath.config import ConfigError

EPILOG = """examples:
  hadath train configs/quickstart.yaml
  hadath train configs/quickstart.yaml --set training.epochs=1 --output-dir runs/try
  hadath evaluate runs/quickstart/model data/corpus/test.jsonl --output-dir runs/eval
  echo "شنت طائرات التحالف غارات على مواقع داعش" | hadath predict runs/quickstart/model
  hadath data validate data/corpus/train.jsonl
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hadath",
        description="Train, evaluate, export and run Arabic entity/event taggers.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--debug", action="store_true", help="show full tracebacks on errors")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    train = commands.add_parser("train", help="train a model from a YAML config, evaluate it and export it")
    train.add_argument("config", type=Path, help="experiment YAML, e.g. configs/quickstart.yaml")
    train.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a config value, e.g. --set training.epochs=2 (repeatable)",
    )
    train.add_argument("--output-dir", type=Path, help="run directory (default: runs/<config name>/)")
    train.add_argument("--resume", action="store_true", help="continue from the run's last checkpoint")

    evaluate = commands.add_parser("evaluate", help="score an exported model on annotated data")
    evaluate.add_argument("model_dir", type=Path, help="exported model directory (a run's model/)")
    evaluate.add_argument("data", type=Path, help="annotated file: .jsonl (native) or CoNLL columns")
    evaluate.add_argument(
        "--output-dir",
        type=Path,
        help="where to write metrics.json, report.md, predictions (default: <model_dir>/../eval-<data name>)",
    )
    evaluate.add_argument(
        "--columns",
        default=None,
        help="CoNLL tag columns as layer=column, e.g. "
        "entities=1,events=2 (default: the model's layers in order, from column 1)",
    )
    evaluate.add_argument("--batch-size", type=int, default=64)

    predict = commands.add_parser("predict", help="tag raw text lines (or JSONL with a `text` field)")
    predict.add_argument("model_dir", type=Path, help="exported model directory")
    predict.add_argument("input", nargs="?", type=Path, help="input file (default: standard input)")
    predict.add_argument(
        "--input-format",
        choices=["auto", "text", "jsonl"],
        default="auto",
        help="auto: a line that is a JSON object with `text` is JSONL, anything else raw text",
    )
    predict.add_argument("--batch-size", type=int, default=32)
    predict.add_argument("--device", default="auto", help="cpu, cuda or auto")

    export = commands.add_parser("export", help="copy a trained model into a clean deployable directory")
    export.add_argument("model_dir", type=Path, help="exported model directory or run directory")
    export.add_argument("--output-dir", type=Path, required=True, help="destination directory")

    data = commands.add_parser("data", help="inspect annotated data without training")
    data_commands = data.add_subparsers(dest="data_command", required=True, metavar="ACTION")
    for name, text in (
        ("validate", "check a file and report every problem as FILE:LINE"),
        ("stats", "count sentences, words and spans per layer and type"),
    ):
        sub = data_commands.add_parser(name, help=text)
        sub.add_argument("path", type=Path)
        sub.add_argument("--format", choices=["jsonl", "conll"], help="default: from the extension")
        sub.add_argument("--columns", default="entities=1", help="CoNLL tag columns, e.g. entities=1,events=2")
    convert = data_commands.add_parser("convert", help="convert between native JSONL and CoNLL")
    convert.add_argument("path", type=Path, help="input file")
    convert.add_argument("output", type=Path, help="output file (.jsonl or CoNLL)")
    convert.add_argument("--format", choices=["jsonl", "conll"], help="input format (default: extension)")
    convert.add_argument("--columns", default="entities=1", help="CoNLL tag columns, e.g. entities=1,events=2")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `hadath` console script."""
    args = _parser().parse_args(argv)
    try:
        from hadath import commands

        return commands.dispatch(args)
    except KeyboardInterrupt:
        print("hadath: interrupted", file=sys.stderr)
        return 130
    except (ConfigError, ValueError, FileNotFoundError, OSError) as error:
        if args.debug:
            traceback.print_exc()
        else:
            print(f"hadath: error: {error}", file=sys.stderr)
        return 1
    except Exception as error:  # a bug, not bad input: still one line unless --debug
        if args.debug:
            traceback.print_exc()
        else:
            print(f"hadath: internal error: {type(error).__name__}: {error} (rerun with --debug)", file=sys.stderr)
        return 1
