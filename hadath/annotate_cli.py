"""The `hadath annotate` subcommands' arguments, help and choices (the choices from the config's choice sets)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any, get_args

from hadath.config import SuggestFormat, SuggestStrategy
from hadath.predict_input import MAX_LINE_CHARS

SUGGEST_HELP = """Choose COUNT sentences of a raw text pool for people to annotate, pre-annotated by the model.

The pool (text lines, JSONL with a `text` field, or folders of them) is streamed: only the candidates still in the
running are held. Strategies:
  uncertainty  the sentences whose least sure decision is least sure: a predicted span with a low probability, a
               word predicted outside every span whose probability of being in one is high, an unsure argument
               link or sentence label
  random       a seeded uniform sample (tags only the sentences it keeps)
  diverse      among the K x COUNT most uncertain (--candidates K), a spread: the most uncertain first, then
               each time the sentence farthest from those picked in the encoder's embedding space (PyTorch only)
Near-duplicates (texts equal after removing diacritics, tatweel, invisible marks, punctuation and digits) are never
picked twice. Label Studio gets a JSON list of tasks whose model output is a *prediction* (model_version, score per
task and per region) and a labeling config beside it (OUTPUT.labeling-config.xml) naming the model's types;
doccano, which has no predictions, gets its JSONL with the predicted spans as `label` and their scores beside them
(import, correct, and export only the documents annotators approved). Every task stores its text's hash for merge."""


def annotate_arguments(
    commands: Any, read_arguments: Callable[[argparse.ArgumentParser], None], positive_int: Callable[[str], int]
) -> None:
    """`hadath annotate suggest|merge`: gold from people, with the model choosing what they see first; merge takes
    the shared reading options (`read_arguments`), counts are `positive_int`s (both from hadath/cli.py)."""
    annotate = commands.add_parser(
        "annotate", help="choose sentences for annotation tools (Label Studio, doccano) and merge their exports back"
    )
    actions = annotate.add_subparsers(dest="annotate_command", required=True, metavar="ACTION")
    suggest = actions.add_parser(
        "suggest",
        help="pick sentences of a raw pool to annotate, pre-annotated by the model",
        description=SUGGEST_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    suggest.add_argument("model_dir", type=Path, help="exported model directory (a run's model/)")
    suggest.add_argument("input", nargs="+", help="raw text files (a text a line, or JSONL with `text`), folders")
    suggest.add_argument("--count", type=positive_int, required=True, help="how many sentences to suggest")
    suggest.add_argument(
        "--strategy",
        choices=get_args(SuggestStrategy),
        default="uncertainty",
        help="how to choose (default: %(default)s)",
    )
    suggest.add_argument(
        "--format", choices=get_args(SuggestFormat), default="labelstudio", help="the tool to write for"
    )
    suggest.add_argument("--output", type=Path, required=True, help="the suggestion file to import into the tool")
    suggest.add_argument("--seed", type=int, default=13, help="random seed of --strategy random (default 13)")
    suggest.add_argument(
        "--candidates",
        type=positive_int,
        default=5,
        metavar="K",
        help="--strategy diverse spreads over the K x COUNT most uncertain sentences (default 5)",
    )
    suggest.add_argument(
        "--input-format",
        choices=["auto", "text", "jsonl"],
        default="auto",
        help="auto: a line that is a JSON object with `text` is JSONL, anything else raw text",
    )
    suggest.add_argument("--model-version", help="model_version of the predictions (default: model folder + hash)")
    suggest.add_argument("--batch-size", type=positive_int, default=32)
    suggest.add_argument("--max-chars", type=positive_int, default=MAX_LINE_CHARS, help="longest line to read")
    suggest.add_argument("--device", default="auto", help="cpu, cuda or auto")
    merge = actions.add_parser(
        "merge",
        help="corrected exports back into native JSONL, refusing a sentence whose text changed since it was suggested",
    )
    merge.add_argument("exports", nargs="+", type=Path, help="Label Studio JSON or doccano JSONL exports")
    merge.add_argument("--suggested", type=Path, required=True, help="the file `hadath annotate suggest` wrote")
    merge.add_argument("--output", type=Path, required=True, help="native JSONL to write (annotator kept)")
    read_arguments(merge)
