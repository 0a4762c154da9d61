"""Entity F1 of the exported model in a plain transformers pipeline against Hadath's own decoding, on one test split.

    python benchmarks/pipeline_parity.py --model-dir runs/quickstart/model [--data data/corpus/test.jsonl]
    python benchmarks/pipeline_parity.py --config configs/scratch.yaml [--set key=value ...] [--output DIR]

The pipeline is `pipeline("token-classification", model=DIR, aggregation_strategy=...)` with nothing else set
except `stride` (the exported tokenizer stops at the encoder's positions; with a stride the pipeline reads long
sentences to the end in overlapping chunks, as Hadath's windows do). Its entity groups are mapped back to the words
of each gold sentence (a word inside a group is tagged; the group's first word gets `B-`) and scored exactly as
`hadath evaluate` scores (seqeval default mode). Hadath's side is `hadath evaluate`'s scoring with the model's own
decoding (CRF transitions for a CRF model) and with plain argmax of the same emissions. With `--config` the config
is trained first (into OUTPUT/<name>/). Prints JSON.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def word_tags(offsets: list[tuple[int, int]], groups: list[dict[str, Any]]) -> list[str]:
    """IOB2 tags of the words covered by the pipeline's entity groups (character offsets into the same text)."""
    tags = ["O"] * len(offsets)
    for group in groups:
        inside = [i for i, (start, end) in enumerate(offsets) if start < group["end"] and end > group["start"]]
        for rank, index in enumerate(inside):
            if tags[index] == "O":  # a word split between two groups keeps the first
                tags[index] = f"{'B' if rank == 0 else 'I'}-{group['entity_group']}"
    return tags


def pipeline_f1(model_dir: Path, sentences: list[Any], aggregation: str, stride: int) -> dict[str, Any]:
    """Entity scores of the plain pipeline with one aggregation strategy."""
    from transformers import pipeline

    tagger = pipeline("token-classification", model=str(model_dir), aggregation_strategy=aggregation)
    started = time.perf_counter()
    outputs = tagger([s.text for s in sentences], stride=stride, batch_size=32)
    seconds = time.perf_counter() - started
    return {"f1": round(100 * groups_f1(sentences, outputs), 2), "seconds": round(seconds, 1)}


def groups_f1(sentences: list[Any], outputs: list[list[dict[str, Any]]]) -> float:
    """Entity F1 of a pipeline's entity groups, mapped onto each gold sentence's words and scored as evaluate does."""
    from hadath.evaluation.metrics import layer_metrics

    predicted = [word_tags(s.word_offsets, groups) for s, groups in zip(sentences, outputs, strict=True)]
    return float(layer_metrics([s.tags("entities") for s in sentences], predicted)["f1"])


def hadath_f1(model_dir: Path, sentences: list[Any], decoding: str | None) -> float:
    """Entity F1 of `hadath evaluate` (optionally with another decoder)."""
    from hadath.evaluation.evaluate import score
    from hadath.inference.tagger import Tagger

    tagger = Tagger.load(model_dir, device="cpu")
    if decoding:
        tagger.metadata = dataclasses.replace(tagger.metadata, decoding=decoding)
    return round(100 * score(tagger, sentences).metrics["entities"]["f1"], 2)


def parity(model_dir: Path, data: Path, columns: dict[str, int]) -> dict[str, Any]:
    """Hadath's decoding, argmax of the emissions, and the pipeline with `first` and `simple` aggregation."""
    from hadath.data.readers import ReadOptions, read_sentences
    from hadath.inference.metadata import ModelMetadata

    metadata = ModelMetadata.load(model_dir)
    sentences = read_sentences(data, ReadOptions(columns=columns))
    own = hadath_f1(model_dir, sentences, None)
    result: dict[str, Any] = {
        "model": str(model_dir),
        "data": str(data),
        "sentences": len(sentences),
        "decoding": metadata.decoding,
        "hadath_f1": own,
        "hadath_argmax_f1": hadath_f1(model_dir, sentences, "argmax"),
    }
    for aggregation in ("first", "simple"):
        scores = pipeline_f1(model_dir, sentences, aggregation, metadata.stride)
        result[f"pipeline_{aggregation}_f1"] = scores["f1"]
        result[f"pipeline_{aggregation}_seconds"] = scores["seconds"]
    result["gap_first"] = round(own - result["pipeline_first_f1"], 2)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model-dir", type=Path, help="an exported model (a run's model/)")
    parser.add_argument("--config", help="train this config first, then measure its model")
    parser.add_argument("--set", dest="overrides", action="append", default=[])
    parser.add_argument("--data", type=Path, help="annotated test file (default: the config's test split)")
    parser.add_argument("--columns", default="entities=1", help="CoNLL tag columns, e.g. entities=1")
    parser.add_argument("--output", type=Path, default=ROOT / "runs" / "pipeline-parity")
    args = parser.parse_args()
    from hadath.config import load_config
    from hadath.data_commands import parse_columns

    model_dir, data, trained_s = args.model_dir, args.data, None
    if args.config:
        config = load_config(args.config, args.overrides)
        run = args.output / config.name
        sets = [item for value in args.overrides for item in ("--set", value)]
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "hadath", "train", args.config, "--output-dir", str(run), "--overwrite",
                        *sets], check=True, stdout=subprocess.DEVNULL)  # fmt: skip
        trained_s = round(time.perf_counter() - started, 1)
        model_dir, data = run / "model", data or Path(config.data.test or config.data.dev or "")
    if model_dir is None or data is None:
        parser.error("pass --model-dir and --data, or --config")
    result = parity(model_dir, data, parse_columns(args.columns))
    result["overrides"] = args.overrides
    if trained_s is not None:
        result["train_s"] = trained_s
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
