"""One function per CLI command; each takes the parsed arguments and returns an exit code."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from hadath.config import ConfigError, load_config
from hadath.predict_input import chunks, input_texts, line_progress, text_lines

if TYPE_CHECKING:  # the stages load lazily, so that `hadath --help` does not import torch
    from hadath.data.readers import ReadOptions


def parse_pairs(text: str, flag: str, expected: str) -> dict[str, str]:
    """`A=B,C=D` (the form of --columns, --label-map, --tag-map) -> {"A": "B", "C": "D"}."""
    pairs: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        key, _, value = item.partition("=")
        if not key.strip() or not value.strip():
            raise ConfigError(f"{flag} {text}: expected {expected}")
        pairs[key.strip()] = value.strip()
    return pairs


def parse_columns(text: str) -> dict[str, int]:
    """`entities=1,events=2` -> {"entities": 1, "events": 2}."""
    expected = "layer=column with column >= 1 — e.g. entities=1,events=2"
    pairs = parse_pairs(text, "--columns", expected)
    if not all(column.isdigit() and int(column) >= 1 for column in pairs.values()):
        raise ConfigError(f"--columns {text}: expected {expected}")
    return {layer: int(column) for layer, column in pairs.items()}


def parse_label_map(text: str) -> dict[str, str]:
    """`PERS=PER,MISC=O` or a YAML/JSON file mapping data label -> model label (`O` drops the label)."""
    path = Path(text)
    if path.is_file():
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(loaded, dict) or not all(isinstance(v, str) for v in loaded.values()):
            raise ConfigError(f"{path}: a label map must be a mapping of DATA_LABEL: MODEL_LABEL — e.g. `PERS: PER`")
        return {str(k): v for k, v in loaded.items()}
    return parse_pairs(text, "--label-map", "DATA=MODEL pairs or a YAML file — e.g. PERS=PER,MISC=O")


def train(args: argparse.Namespace) -> int:
    """`hadath train`."""
    config = load_config(args.config, args.overrides)
    from hadath.train.seeds import run_seeds
    from hadath.train.summary import closing_summary

    output_dir = args.output_dir or Path("runs") / config.name
    metrics = run_seeds(config, output_dir, resume=args.resume)
    if metrics:  # empty on the non-main processes of a distributed run
        print(closing_summary(config, output_dir, metrics), file=sys.stderr)
    return 0


def evaluate(args: argparse.Namespace) -> int:
    """`hadath evaluate`."""
    from hadath.data.readers import ReadOptions, read_sentences
    from hadath.evaluation.evaluate import apply_label_map, check_labels, score, write_evaluation
    from hadath.evaluation.html_report import read_training_log

    tagger = load_tagger(args.model_dir)
    if args.decoding:
        if args.decoding == "crf" and not tagger.metadata.chains:
            raise ConfigError(f"--decoding crf: {args.model_dir} was not trained with a CRF — use viterbi or argmax")
        tagger.metadata = dataclasses.replace(tagger.metadata, decoding=args.decoding)
    layers = list(tagger.metadata.labels.layers)
    columns = parse_columns(args.columns) if args.columns else {layer: i + 1 for i, layer in enumerate(layers)}
    sentences = read_sentences(args.data, ReadOptions(columns=columns))
    sentences = apply_label_map(sentences, parse_label_map(args.label_map) if args.label_map else {})
    check_labels(tagger.metadata.labels, sentences, str(args.data))
    evaluation = score(tagger, sentences, args.batch_size, progress=True)
    alignment = evaluation.alignment
    output_dir = args.output_dir or args.model_dir.resolve().parent / f"eval-{args.data.stem}"
    write_evaluation(
        evaluation,
        output_dir,
        f"Evaluation of {args.model_dir} on {args.data}",
        {
            "sentences": len(sentences),
            "words (one prediction each, every layer)": alignment.words,
            "words given a placeholder piece": alignment.placeholder_words,
            "sentences split into windows": alignment.windowed_sentences,
            "data": str(args.data),
        },
        # A run's model/ sits beside the run's training log: plot it when it is there.
        read_training_log(args.model_dir.resolve().parent),
    )
    headline = " · ".join(f"{layer} F1 {block['f1']:.4f}" for layer, block in evaluation.metrics.items())
    print(f"hadath: {headline} — report in {output_dir}", file=sys.stderr)
    return 0


def load_tagger(directory: Path, device: str = "auto") -> Any:
    """`Tagger.load`, with a damaged file in the model directory (bad JSON, bad safetensors header, a tokenizer that
    does not parse) reported as one line naming the directory instead of the loader's own exception."""
    from hadath.inference.tagger import Tagger
    from hadath.inference.threads import AUTO, apply_threads

    try:
        tagger = Tagger.load(directory, device=device)
    except (FileNotFoundError, ConfigError):
        raise
    except Exception as error:
        if str(error).startswith(str(directory)):  # already our own `DIR: problem — fix` message
            raise
        first = str(error).strip().splitlines()[0] if str(error).strip() else ""
        raise ValueError(
            f"{directory}: cannot load the model ({type(error).__name__}: {first}) — "
            "a file in it is damaged: re-run `hadath export` (or training) to rewrite it"
        ) from error
    apply_threads(AUTO)  # after loading: an ONNX model runs without PyTorch, which then has nothing to set
    return tagger


def predict(args: argparse.Namespace) -> int:
    """`hadath predict`: one JSON record per input line on stdout, streamed in chunks."""
    lines = text_lines(args.input)  # a bad input path fails before the model loads
    tagger = load_tagger(args.model_dir, device=args.device)
    source = "<stdin>" if args.input is None else str(args.input)
    bar = line_progress(args.input)
    try:
        for chunk in chunks(input_texts(lines, args.input_format, source), args.batch_size, 1024):
            for record in tagger.predict(chunk, batch_size=args.batch_size):
                sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
            sys.stdout.flush()
            if bar is not None:
                bar.update(len(chunk))
    finally:
        if bar is not None:
            bar.close()
    return 0


def serve(args: argparse.Namespace) -> int:
    """`hadath serve`: the tagger behind HTTP on HOST:PORT until interrupted."""
    from hadath.serve import Limits, run_server

    tagger = load_tagger(args.model_dir, device=args.device)
    run_server(tagger, args.host, args.port, Limits(args.max_bytes, args.max_texts, args.batch_size))
    return 0


def export(args: argparse.Namespace) -> int:
    """`hadath export`: re-write a model (or a run's model/) into a clean directory."""
    from hadath.export.manifest import read_manifest
    from hadath.export.model_dir import export_model, model_size_bytes

    source = args.model_dir / "model" if (args.model_dir / "model" / "hadath.json").is_file() else args.model_dir
    if args.int8 and not args.onnx:
        raise ConfigError("--int8 quantizes the ONNX graph — add --onnx")
    if args.onnx:
        return _export_onnx(source, args)
    tagger = load_tagger(source, device="cpu")
    card_path = source / "README.md"  # the model card travels with the model
    card = card_path.read_text(encoding="utf-8") if card_path.is_file() else None
    directory = export_model(tagger, args.output_dir, read_manifest(source), card)
    print(f"hadath: exported to {directory} ({model_size_bytes(directory) / 1e6:.1f} MB)", file=sys.stderr)
    return 0


def _export_onnx(source: Path, args: argparse.Namespace) -> int:
    """`hadath export --onnx [--int8]`: graph + tokenizer + hadath.json, with the parity check's result."""
    from hadath.data.errors import DataError
    from hadath.export.model_dir import model_size_bytes
    from hadath.export.onnx_export import default_parity_texts, export_onnx
    from hadath.inference.backends import is_onnx_dir

    if is_onnx_dir(source):
        raise ValueError(f"{source}: already an ONNX export — export from the PyTorch model directory")
    if args.parity_data is not None:
        lines = text_lines(args.parity_data)
        texts = [text for text in input_texts(lines, "auto", str(args.parity_data)) if text.strip()]
        if not texts:
            raise DataError(str(args.parity_data), None, "holds no text", "pass text lines or JSONL with `text`")
    else:
        texts = default_parity_texts()
    tagger = load_tagger(source, device="cpu")
    carry = [source / name for name in ("manifest.json", "README.md") if (source / name).is_file()]
    report = export_onnx(tagger, args.output_dir, args.int8, texts, carry)
    kind = "int8 ONNX" if args.int8 else "fp32 ONNX"
    size = model_size_bytes(args.output_dir) / 1e6
    print(f"hadath: {kind} exported to {args.output_dir} ({size:.1f} MB) — {report.summary()}", file=sys.stderr)
    return 0


def data_check(args: argparse.Namespace) -> int:
    """`hadath data check CONFIG`: the config's splits checked with the tokenizer training would use."""
    from hadath.data.check import check_data
    from hadath.data.normalize import normalize_word
    from hadath.data.readers import ReadOptions
    from hadath.train.recipe import normalizer_settings, read_splits

    config = load_config(args.config, args.overrides)
    splits = read_splits(config)
    settings = normalizer_settings(config.data.normalize)
    if config.model.name_or_path:
        from transformers import AutoTokenizer

        tokenizer = AutoTokenizer.from_pretrained(config.model.name_or_path)
    else:
        from hadath.models.scratch import train_wordpiece

        # The same vocabulary `hadath train` learns: WordPiece over the normalized training words.
        words = (normalize_word(word, settings) for sentence in splits.train for word in sentence.words)
        tokenizer = train_wordpiece(words, config.model.scratch.vocab_size, config.model.scratch.min_frequency)
    paths = {name: Path(value) for name in ("train", "dev", "test") if (value := getattr(config.data, name))}
    options = ReadOptions.from_config(config.data)
    report = check_data(
        {"train": splits.train, "dev": splits.dev, "test": splits.test},
        paths,
        options,
        config.data.format,
        tokenizer,
        settings,
        config.model.max_length,
        config.model.stride,
    )
    if args.json:
        print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        print("\n".join(report.lines()))
    return 0


def data(args: argparse.Namespace) -> int:
    """`hadath data validate|stats|convert|check`."""
    if args.data_command == "check":
        return data_check(args)
    from hadath.data.readers import read_documents

    documents, report = read_documents(args.path, _read_options(args), args.format)
    sentences = [sentence for document in documents for sentence in document]
    if args.data_command == "validate":
        return _validate(args.path, sentences, report)
    report.raise_first_error()
    if not sentences:
        raise ValueError(f"{args.path}: holds no sentences — check that it is the right file and not empty")
    if args.data_command == "convert":
        from hadath.data.writers import write_sentences

        notes = write_sentences(sentences, args.output, args.to)
        for note in notes:
            print(f"hadath: note: {note}", file=sys.stderr)
        print(f"hadath: wrote {len(sentences)} sentences to {args.output}", file=sys.stderr)
        return 0
    print(json.dumps(_stats(args, sentences, report), indent=2, ensure_ascii=False))
    return 0


def _read_options(args: argparse.Namespace) -> ReadOptions:
    """ReadOptions from `hadath data` flags, or from a config's `data` section with --config."""
    from hadath.data.readers import ReadOptions

    if args.config:
        config = load_config(args.config)
        if args.format == "auto":
            args.format = config.data.format
        return ReadOptions.from_config(config.data)
    return ReadOptions(
        columns=parse_columns(args.columns),
        scheme=args.scheme,
        on_error=args.on_error,
        tag_map=parse_pairs(args.tag_map, "--tag-map", "OLD=NEW pairs — e.g. PERS=PER,ORGANIZATION=ORG"),
        split_sentences=args.split_sentences,
    )


def _validate(path: Path, sentences: list[Any], report: Any) -> int:
    """Every problem as FILE:LINE, then a summary; exit 1 when anything was found."""
    from hadath.data.roles import argument_problems

    for problem in report.problems():
        print(problem)
    links = argument_problems(sentences)
    for link in links:
        print(link)
    summary = report.summary()
    spans = sum(len(spans) for sentence in sentences for spans in sentence.layers.values())
    found = len(report.errors) + len(report.warnings) + len(links)
    if not found and not sentences:
        # Nothing to train on is a problem too, and the same one `stats`, `convert` and `train` stop at.
        print(f"{path}: holds no sentences — check that it is the right file and not empty", file=sys.stderr)
        return 1
    verdict = "OK" if not found else f"{len(report.errors) + len(links)} error(s), {len(report.warnings)} warning(s)"
    repairs = sum(summary["repairs"].values())
    print(
        f"{path}: {verdict} — {len(sentences)} sentences, {spans} spans{_links_note(sentences)}, {repairs} repair(s), "
        f"{summary['skipped sentences']} sentence(s) skipped (policy: {report.policy})",
        file=sys.stderr if found else sys.stdout,
    )
    return 1 if found else 0


def _links_note(sentences: list[Any]) -> str:
    links = sum(len(sentence.arguments) for sentence in sentences)
    return f", {links} argument links" if links else ""


def _stats(args: argparse.Namespace, sentences: list[Any], report: Any) -> dict[str, Any]:
    """Corpus counts plus subword lengths for the given tokenizer (or a quick WordPiece like the scratch model's)."""
    from hadath.data.normalize import NormalizerSettings, normalize_word
    from hadath.data.stats import corpus_stats, subword_stats

    settings = NormalizerSettings.preset("default")
    tokenizer: Any
    if args.tokenizer:
        from transformers import AutoTokenizer, PreTrainedTokenizerFast

        path = Path(args.tokenizer)
        if path.is_file():
            tokenizer = PreTrainedTokenizerFast(tokenizer_file=str(path))
            # A bare tokenizer.json names no special tokens: take BERT's where the vocabulary has them.
            vocabulary = tokenizer.get_vocab()
            names = {"unk_token": "[UNK]", "cls_token": "[CLS]", "sep_token": "[SEP]", "pad_token": "[PAD]"}
            tokenizer.add_special_tokens({k: v for k, v in names.items() if v in vocabulary})
        else:
            tokenizer = AutoTokenizer.from_pretrained(str(path))
        source = str(path)
    else:
        from hadath.config import ScratchConfig
        from hadath.models.scratch import train_wordpiece

        scratch = ScratchConfig()
        words = (normalize_word(word, settings) for sentence in sentences for word in sentence.words)
        tokenizer = train_wordpiece(words, scratch.vocab_size, scratch.min_frequency)
        source = f"WordPiece trained on this data (vocab {scratch.vocab_size}, as the scratch model)"
    model_max = getattr(tokenizer, "model_max_length", 512)
    max_length = args.max_length or (model_max if 0 < model_max <= 100_000 else 512)
    stats = corpus_stats(sentences)
    stats.update(subword_stats(sentences, tokenizer, settings, max_length))
    stats["tokenizer"] = source
    stats["read"] = report.summary()
    return stats


def compare(args: argparse.Namespace) -> int:
    """`hadath compare`: per-layer F1 of two evaluations, B − A, and a paired bootstrap p-value."""
    from hadath.evaluation.compare import compare_runs, format_comparison

    print(format_comparison(compare_runs(args.run_a, args.run_b, args.samples, args.seed)))
    return 0


COMMANDS = {
    "train": train,
    "evaluate": evaluate,
    "predict": predict,
    "export": export,
    "serve": serve,
    "data": data,
    "compare": compare,
}


def dispatch(args: argparse.Namespace) -> int:
    """Run the command named on the command line."""
    return COMMANDS[args.command](args)
