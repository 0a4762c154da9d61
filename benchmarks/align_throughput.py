"""Alignment throughput and label loss on a CoNLL corpus (default: ANERcorp train), printed as JSON.

Reads the file, learns the scratch WordPiece vocabulary on it (as `hadath train` does offline), then times
normalize -> subword pieces -> windows -> piece labels for every sentence, and checks that every word's gold tag comes
back from the windows' core regions (labels lost must be 0, also for the 530-word sentence).

    .venv/bin/python benchmarks/align_throughput.py [PATH] [--max-length 128] [--stride 32]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from hadath.data.align import IGNORE, word_pieces
from hadath.data.encode import build_label_space, encode_windows, training_features
from hadath.data.normalize import NormalizerSettings, normalize_word
from hadath.data.readers import ReadOptions, read_corpus
from hadath.models.scratch import train_wordpiece

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "anercorp" / "train.txt"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--max-length", type=int, default=128)
    parser.add_argument("--stride", type=int, default=32)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    if not args.path.is_file():
        raise SystemExit(f"{args.path}: not found — pass a CoNLL file (ANERcorp lives in ../shared/data)")
    sentences, report = read_corpus(args.path, ReadOptions(scheme="auto"), "conll")
    settings = NormalizerSettings.preset("default")
    tokenizer = train_wordpiece((normalize_word(w, settings) for s in sentences for w in s.words), 8000, 1)
    space = build_label_space(sentences)
    timings = []
    for _ in range(args.repeats):
        started = time.perf_counter()
        pieces = word_pieces(sentences, tokenizer, settings)
        windows = encode_windows(pieces, tokenizer, args.max_length, args.stride)
        features = training_features(sentences, windows, space, all_subwords=False)
        timings.append(time.perf_counter() - started)
    # Every word must get its gold tag back from exactly one window's core (first-subword labelling).
    layer = "entities"
    tags = space.layers[layer]
    recovered: dict[tuple[int, int], str] = {}
    for window, feature in zip(windows, features, strict=True):
        for owner, label in zip(window.owners, feature[f"labels_{layer}"], strict=True):
            core = window.window.core_start <= owner < window.window.core_end
            if owner >= 0 and label != IGNORE and core:
                recovered[(window.sentence, owner)] = tags[label]
    gold_words = sum(len(s.word_offsets) for s in sentences)
    lost = sum(recovered.get((i, w)) != tag for i, s in enumerate(sentences) for w, tag in enumerate(s.tags(layer)))
    gold_labels = sum(tag != "O" for s in sentences for tag in s.tags(layer))
    best = min(timings)
    print(
        json.dumps(
            {
                "file": str(args.path),
                "sentences": len(sentences),
                "words": gold_words,
                "entity_labels (non-O words)": gold_labels,
                "max_length": args.max_length,
                "stride": args.stride,
                "windows": pieces.stats.windows,
                "sentences_split_into_windows": pieces.stats.windowed_sentences,
                "longest_sentence_words": max(len(s.word_offsets) for s in sentences),
                "labels_lost": lost,
                "seconds_best_of_repeats": round(best, 3),
                "sentences_per_second": round(len(sentences) / best),
                "read_report": report.summary(),
            },
            indent=2,
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
