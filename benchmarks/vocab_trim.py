"""What `hadath encoder import --arabic-only` costs in tokenization: the share of corpus words (each tokenized alone,
as Hadath feeds them) whose pieces differ from the full 250k vocabulary's, and pieces per word with each.

    python benchmarks/vocab_trim.py --trimmed DIR [--corpus ../shared/data/anercorp/train.txt ...]

DIR is an `--arabic-only` import; the full vocabulary is the e5 extra's own tokenizer.json. Prints JSON.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from transformers import AutoTokenizer, PreTrainedTokenizerFast

from hadath.models.e5_source import TOKENIZER_FILE, TOKENIZER_PACKAGE, package_file

ROOT = Path(__file__).resolve().parent.parent
ANERCORP = ROOT.parent / "shared" / "data" / "anercorp"


def corpus_words(paths: list[Path]) -> Counter[str]:
    """Token column of CoNLL files, counted."""
    words: Counter[str] = Counter()
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                words[line.split()[0]] += 1
    return words


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trimmed", type=Path, required=True, help="an `encoder import --arabic-only` folder")
    parser.add_argument("--corpus", type=Path, nargs="+", default=[ANERCORP / "train.txt", ANERCORP / "test.txt"])
    args = parser.parse_args()
    full = PreTrainedTokenizerFast(tokenizer_file=str(package_file(TOKENIZER_PACKAGE, TOKENIZER_FILE)))
    trimmed = AutoTokenizer.from_pretrained(args.trimmed)
    words = corpus_words(args.corpus)
    vocabulary = sorted(words)
    pieces_full = full(vocabulary, add_special_tokens=False)["input_ids"]
    pieces_trim = trimmed(vocabulary, add_special_tokens=False)["input_ids"]
    differ = tokens = 0
    count_full = count_trim = 0
    for word, a, b in zip(vocabulary, pieces_full, pieces_trim, strict=True):
        n = words[word]
        tokens += n
        count_full += n * len(a)
        count_trim += n * len(b)
        if full.convert_ids_to_tokens(a) != trimmed.convert_ids_to_tokens(b):
            differ += n
    weights = args.trimmed / "model.safetensors"
    print(json.dumps({
        "corpus": [str(p) for p in args.corpus],
        "words": tokens,
        "distinct_words": len(vocabulary),
        "pieces_full": len(full),
        "pieces_trimmed": len(trimmed),
        "trimmed_weights_mb": round(weights.stat().st_size / 1e6, 1),
        "words_tokenized_differently_pct": round(100 * differ / tokens, 3),
        "pieces_per_word_full": round(count_full / tokens, 4),
        "pieces_per_word_trimmed": round(count_trim / tokens, 4),
    }, indent=2))  # fmt: skip


if __name__ == "__main__":
    main()
