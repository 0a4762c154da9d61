"""`hadath data validate|stats|convert` and the reading options every command that reads annotated data shares
(`evaluate` too): each streams the file, so memory stays flat however large it grows."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hadath.config import ConfigError, load_config

if TYPE_CHECKING:  # the real imports are lazy, inside the commands: a reading error is printed before they load
    from transformers import PreTrainedTokenizerBase

    from hadath.data.readers import ReadOptions, ReadReport
    from hadath.data.sentence import Sentence


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


def _stream(args: argparse.Namespace, options: ReadOptions, report: ReadReport) -> Iterator[Sentence]:
    """The sentences of `args.path`, streamed, filling `report`."""
    from hadath.data.readers import iter_sentences

    return (sentence for _, sentence in iter_sentences(args.path, options, report, args.format))


def _read_once(
    args: argparse.Namespace, options: ReadOptions
) -> tuple[Callable[[], Iterator[Sentence]], list[ReadReport]]:
    """A function that streams the file afresh on each call, into a report of its own (the last one stays)."""
    from hadath.data.readers import ReadReport

    reports = [ReadReport(policy=options.on_error)]

    def sentences() -> Iterator[Sentence]:
        reports[0] = ReadReport(policy=options.on_error)
        return _stream(args, options, reports[0])

    return sentences, reports


def print_notes(report: ReadReport) -> None:
    """What reading decided that the user should know (a CSV read without a header, ...), on stderr."""
    for note in report.notes:
        print(f"hadath: note: {note}", file=sys.stderr)


def read_options(args: argparse.Namespace, default_columns: dict[str, int] | None = None) -> ReadOptions:
    """ReadOptions from the shared read flags, or from a config's `data` section with --config."""
    from hadath.data.readers import ReadOptions

    if args.config:
        config = load_config(args.config)
        if args.format == "auto":
            args.format = config.data.format
        return ReadOptions.from_config(config.data)
    if args.max_sentence_words < 0:
        raise ConfigError(f"--max-sentence-words {args.max_sentence_words}: must be >= 0 — 0 turns it off")
    return ReadOptions(
        columns=parse_columns(args.columns) if args.columns else (default_columns or {"entities": 1}),
        scheme=args.scheme,
        on_error=args.on_error,
        tag_map=parse_pairs(args.tag_map, "--tag-map", "OLD=NEW pairs — e.g. PERS=PER,ORGANIZATION=ORG"),
        split_sentences=args.split_sentences,
        max_sentence_words=args.max_sentence_words,
        header=args.header,
    )


def validate(args: argparse.Namespace, options: ReadOptions) -> int:
    """Every problem as FILE:LINE (a capped few of each kind), rare types, then a summary; exit 1 on errors (on
    warnings too with `--strict`)."""
    from hadath.data.readers import ReadReport
    from hadath.data.validate import report_lines, validate, verdict

    report = ReadReport(policy=options.on_error)
    found = validate(_stream(args, options, report))
    print_notes(report)
    lines, rare = report_lines(report, found, args.rare_below)
    for line in lines:
        print(line)
    errors = report.error_count + len(found.link_problems)
    problems = errors + report.warning_count + rare
    failed = errors > 0 or (args.strict and problems > 0)
    if not problems and not found.sentences:
        from hadath.data.readers import no_sentences

        # Nothing to train on is a problem too, and the same one `stats`, `convert` and `train` stop at.
        print(no_sentences(args.path, report), file=sys.stderr)
        return 1
    print(verdict(str(args.path), report, found, rare), file=sys.stderr if problems else sys.stdout)
    return 1 if failed else 0


def convert(args: argparse.Namespace, options: ReadOptions) -> int:
    """Read twice (survey, then write), never holding the corpus; what the target cannot hold is noted."""
    from hadath.data.readers import no_sentences
    from hadath.data.writers import write_notes, write_stream

    refuse_writing_over_the_input(Path(args.path), Path(args.output))
    sentences, reports = _read_once(args, options)

    def surveyed() -> None:
        reports[0].raise_first_error()
        if not reports[0].sentences:
            raise no_sentences(args.path, reports[0])
        print_notes(reports[0])

    found = write_stream(sentences, args.output, args.to, surveyed)
    for note in write_notes(found, args.output, args.to):
        print(f"hadath: note: {note}", file=sys.stderr)
    print(f"hadath: wrote {found.written} sentences to {args.output}", file=sys.stderr)
    return 0


def refuse_writing_over_the_input(source: Path, output: Path) -> None:
    """Convert streams its input while it writes: an output that is the input file (or a file inside the input
    folder, BRAT's .txt/.ann included) would be truncated before it was read."""
    source = source.resolve()
    inputs = _file_ids([source] if not source.is_dir() else [p for p in source.rglob("*") if p.is_file()])
    for target in (output, output.with_suffix(".txt"), output.with_suffix(".ann")):
        target = target.resolve()
        same_file = bool(_file_ids([target]) & inputs)  # by inode: a hard link or bind mount of the input too
        if same_file or target == source or (source.is_dir() and source in target.parents and target.exists()):
            raise ConfigError(f"{output}: would overwrite the input {source} while reading it — write elsewhere")


def _file_ids(paths: list[Path]) -> set[tuple[int, int]]:
    """(device, inode) of each existing file: what `os.path.samefile` compares."""
    ids = set()
    for path in paths:
        try:
            info = path.stat()
        except OSError:
            continue
        ids.add((info.st_dev, info.st_ino))
    return ids


def stats(args: argparse.Namespace, options: ReadOptions) -> dict[str, Any]:
    """Corpus counts plus subword lengths, counted as the file streams by: with `--config`, for the tokenizer,
    normalization and window that config trains with; else for `--tokenizer`, or a WordPiece learned from this data
    (a second pass over the file) as the default scratch model would."""
    config = load_config(args.config) if args.config else None  # refused before torch and transformers load
    from hadath.config import ModelConfig
    from hadath.data.config_splits import normalizer_settings, read_splits
    from hadath.data.normalize import NormalizerSettings, normalize_word
    from hadath.data.readers import no_sentences
    from hadath.data.stats import CorpusTally, subword_stats
    from hadath.train.tokenizer_choice import describe_tokenizer, training_tokenizer

    settings = normalizer_settings(config.data.normalize) if config else NormalizerSettings.preset("default")
    sentences, reports = _read_once(args, options)
    tokenizer: PreTrainedTokenizerBase
    if args.tokenizer:
        tokenizer, source = _stats_tokenizer(Path(args.tokenizer)), str(args.tokenizer)
    else:
        model = config.model if config else ModelConfig()
        # `hadath train` learns its vocabulary from the training split: the config's, or this file without one.
        train = read_splits(config).train if config and not model.name_or_path else sentences()
        words = (normalize_word(word, settings) for sentence in train for word in sentence.words)
        tokenizer = training_tokenizer(model, words)
        source = (
            describe_tokenizer(model)
            if config
            else f"WordPiece trained on this data (vocab {model.scratch.vocab_size})"
        )
    model_max = getattr(tokenizer, "model_max_length", 512)
    default_max = config.model.max_length if config else (model_max if 0 < model_max <= 100_000 else 512)
    max_length = args.max_length or default_max
    tally = CorpusTally()

    def tallied() -> Iterator[Sentence]:
        for sentence in sentences():
            tally.add(sentence)
            yield sentence

    pieces = subword_stats(tallied(), tokenizer, settings, max_length)
    reports[0].raise_first_error()
    if not tally.lengths:
        raise no_sentences(args.path, reports[0])
    print_notes(reports[0])
    result = tally.result()
    result.update(pieces)
    result["tokenizer"] = source
    result["read"] = reports[0].summary()
    return result


def _stats_tokenizer(path: Path) -> PreTrainedTokenizerBase:
    from transformers import AutoTokenizer, PreTrainedTokenizerFast

    if not path.is_file():
        return AutoTokenizer.from_pretrained(str(path))
    tokenizer = PreTrainedTokenizerFast(tokenizer_file=str(path))
    # A bare tokenizer.json names no special tokens: read them from the file itself (the unknown piece from its model,
    # the frame from its post-processor), so an XLM-R `<unk>` / `<s> … </s>` counts as BERT's [UNK] / [CLS] … [SEP].
    tokenizer.add_special_tokens(_named_specials(json.loads(path.read_text(encoding="utf-8")), tokenizer.get_vocab()))
    return tokenizer


_BERT_NAMES = {"unk_token": "[UNK]", "cls_token": "[CLS]", "sep_token": "[SEP]", "pad_token": "[PAD]"}


def _named_specials(description: dict[str, Any], vocabulary: dict[str, int]) -> dict[str, Any]:
    """unk/cls/sep/pad token names of a tokenizer.json: its model's unknown piece, its post-processor's first and last
    special tokens, its padding token; BERT's names where the file says nothing and the vocabulary has them."""
    names: dict[str, Any] = {role: name for role, name in _BERT_NAMES.items() if name in vocabulary}
    model = description.get("model") or {}
    if isinstance(model.get("unk_token"), str):
        names["unk_token"] = model["unk_token"]
    elif isinstance(model.get("unk_id"), int):  # Unigram: the id into its (piece, score) list
        names["unk_token"] = model["vocab"][model["unk_id"]][0]
    frame = _frame_names(description.get("post_processor"))
    if frame:
        names["cls_token"], names["sep_token"] = frame[0], frame[-1]
    padding = description.get("padding") or {}
    if isinstance(padding.get("pad_token"), str):
        names["pad_token"] = padding["pad_token"]
    return names


def _frame_names(processor: Any) -> list[str]:
    """Special token names a post-processor puts around one sequence, in order (TemplateProcessing, BERT, RoBERTa)."""
    if not isinstance(processor, dict):
        return []
    if processor.get("type") == "TemplateProcessing":
        return [item["SpecialToken"]["id"] for item in processor.get("single", []) if "SpecialToken" in item]
    if processor.get("type") in ("BertProcessing", "RobertaProcessing"):
        return [processor["cls"][0], processor["sep"][0]]
    if processor.get("type") == "Sequence":
        return next((names for step in processor.get("processors", []) if (names := _frame_names(step))), [])
    return []
