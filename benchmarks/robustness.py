"""Robustness: entity F1 on perturbed copies of ANERcorp test against the plain copy, through the raw-text path.

Each sentence of ANERcorp test (read from ../shared/data, never copied into the repository) is rebuilt as raw text
(words joined by spaces), perturbed the way real Arabic text arrives (diacritics, tatweel, bidi marks, Arabic-Indic
digits, hamza-less alef, Persian letters, presentation forms from PDFs, ZWNJ inside words, NBSP and thin spaces,
emoji and Latin words mixed in), and tagged with `Tagger.predict` — the path of `hadath predict` and `hadath serve`,
which splits words itself. Every gold entity keeps the characters of its words in the perturbed text, so a predicted
entity counts only if its character span and type are exactly the gold one (micro F1 over all sentences).

The same seeded random choices are made for every run. Prints one JSON object; the target is every perturbation
within 1.0 F1 of plain, except the emoji/Latin insertion (new words the model never saw).

    .venv/bin/python benchmarks/robustness.py --model-dir RUN/model [--data FILE] [--sentences N] [--seed 13]
"""

from __future__ import annotations

import argparse
import json
import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "anercorp"
TARGET_POINTS = 1.0
EXEMPT = ("emoji_latin",)
_DIACRITICS = "\u064e\u064f\u0650\u0652\u064b\u0651"
_BIDI = "\u200f\u200e\u061c\u202b\u202c"
_HAMZA = {"أ": "ا", "إ": "ا", "آ": "ا"}
_PERSIAN = {"ي": "ی", "ك": "ک", "ة": "ۃ", "ه": "ہ"}
_EMOJI = ["😀", "👍🏽", "🇮🇶", "❤️", "🔥", "👨‍👩‍👧"]
_LATIN = ["via", "BREAKING", "http", "ok", "live", "#news"]
# Letters that never join the next one (so the next takes its initial or isolated form).
_RIGHT_JOINING = set("اأإآدذرزوؤةى")


@dataclass
class Piece:
    """One word of a sentence as it will be written: the word, and what comes before it (a separator)."""

    before: str
    word: str


def _presentation_forms() -> dict[str, dict[str, str]]:
    """Arabic letter -> {isolated, initial, medial, final: presentation-form char} from the Unicode data itself."""
    forms: dict[str, dict[str, str]] = {}
    for code in range(0xFE70, 0xFEFD):
        char = chr(code)
        decomposition = unicodedata.decomposition(char).split()
        if len(decomposition) == 2 and decomposition[0] in ("<isolated>", "<initial>", "<medial>", "<final>"):
            base = chr(int(decomposition[1], 16))
            forms.setdefault(base, {})[decomposition[0].strip("<>")] = char
    return forms


_FORMS = _presentation_forms()
_LAM_ALEF = {("ل", "ا"): ("\ufefb", "\ufefc"), ("ل", "أ"): ("\ufef7", "\ufef8"), ("ل", "إ"): ("\ufef9", "\ufefa")}


def shape(word: str) -> str:
    """The word written with contextual presentation forms, as text extracted from a PDF often is."""
    out: list[str] = []
    index = 0
    while index < len(word):
        char = word[index]
        joined_before = bool(out) and index > 0 and word[index - 1] in _FORMS and word[index - 1] not in _RIGHT_JOINING
        pair = _LAM_ALEF.get((char, word[index + 1])) if index + 1 < len(word) else None
        if pair is not None:
            out.append(pair[1] if joined_before else pair[0])
            index += 2
            continue
        forms = _FORMS.get(char)
        if not forms:
            out.append(char)
            index += 1
            continue
        joins_after = char not in _RIGHT_JOINING and index + 1 < len(word) and word[index + 1] in _FORMS
        kind = {(False, False): "isolated", (True, False): "final", (False, True): "initial", (True, True): "medial"}
        out.append(forms.get(kind[joined_before, joins_after], forms.get("isolated", char)))
        index += 1
    return "".join(out)


def _letters(word: str, rng: random.Random, insert: Callable[[random.Random], str], rate: float) -> str:
    """Insert `insert(rng)` after Arabic letters of the word with probability `rate` (never after the last one,
    so the word still ends on a letter)."""
    out = []
    for index, char in enumerate(word):
        out.append(char)
        if index + 1 < len(word) and "\u0621" <= char <= "\u064a" and rng.random() < rate:
            out.append(insert(rng))
    return "".join(out)


def _per_word(change: Callable[[str, random.Random], str]) -> Callable[[list[Piece], set[int], random.Random], None]:
    def apply(pieces: list[Piece], _: set[int], rng: random.Random) -> None:
        for piece in pieces:
            piece.word = change(piece.word, rng)

    return apply


def _separators(marks: str, rate: float) -> Callable[[list[Piece], set[int], random.Random], None]:
    def apply(pieces: list[Piece], _: set[int], rng: random.Random) -> None:
        for index, piece in enumerate(pieces):
            if index and rng.random() < rate:
                piece.before = rng.choice(marks) if marks.isspace() else piece.before + rng.choice(marks)

    return apply


def _insert_foreign(pieces: list[Piece], inside: set[int], rng: random.Random) -> None:
    # New words go only between entities, never into one: a gold span stays a run of its own words.
    for index in sorted(range(len(pieces) + 1), reverse=True):
        if index not in inside and rng.random() < 0.15:
            word = rng.choice(_EMOJI) if rng.random() < 0.6 else rng.choice(_LATIN)
            pieces.insert(index, Piece(" ", word))


def _digits(word: str, _: random.Random) -> str:
    return "".join(chr(0x0660 + int(c)) if c.isascii() and c.isdigit() else c for c in word)


PERTURBATIONS: dict[str, Callable[[list[Piece], set[int], random.Random], None]] = {
    "diacritics": _per_word(lambda w, rng: _letters(w, rng, lambda r: r.choice(_DIACRITICS), 0.6)),
    "tatweel": _per_word(lambda w, rng: _letters(w, rng, lambda r: "\u0640", 0.3)),
    "bidi_marks": _separators(_BIDI, 0.4),
    "digits": _per_word(_digits),
    "hamza_forms": _per_word(lambda w, rng: "".join(_HAMZA.get(c, c) for c in w)),
    "persian_letters": _per_word(lambda w, rng: "".join(_PERSIAN.get(c, c) for c in w)),
    "presentation_forms": _per_word(lambda w, rng: shape(w)),
    "zwnj_inside_words": _per_word(lambda w, rng: _letters(w, rng, lambda r: "\u200c", 0.25)),
    "nbsp_thin_spaces": _separators("\u00a0\u2009\u202f", 0.6),
    "emoji_latin": _insert_foreign,
}


def read_gold(path: Path, limit: int | None) -> list[tuple[list[str], list[tuple[int, int, str]]]]:
    """Sentences of a CoNLL file: words and (first word, end word, type) entities, via Hadath's reader."""
    from hadath.data.readers import ReadOptions, read_sentences

    sentences = read_sentences(path, ReadOptions(columns={"entities": 1}))[:limit]
    return [
        (sentence.words, [(span.start, span.end, span.label) for span in sentence.layers.get("entities", [])])
        for sentence in sentences
    ]


def build(words: list[str], entities: list[tuple[int, int, str]], name: str | None, rng: random.Random) -> Any:
    """Raw text of one sentence (perturbed by `name`, or plain) and its gold entities as character spans."""
    pieces = [Piece(" " if index else "", word) for index, word in enumerate(words)]
    inside = {index for start, end, _ in entities for index in range(start + 1, end)}
    originals = list(pieces)
    if name is not None:
        PERTURBATIONS[name](pieces, inside, rng)
    text, offsets = "", {}
    for piece in pieces:
        text += piece.before
        offsets[id(piece)] = (len(text), len(text) + len(piece.word))
        text += piece.word
    gold = {(offsets[id(originals[s])][0], offsets[id(originals[e - 1])][1], label) for s, e, label in entities}
    return text, gold


def entity_f1(tagger: Any, texts: list[str], gold: list[set[tuple[int, int, str]]], batch_size: int) -> float:
    """Micro F1 of predicted (start, end, type) character spans against the gold ones."""
    records = tagger.predict(texts, batch_size=batch_size)
    found = correct = expected = 0
    for record, truth in zip(records, gold, strict=True):
        predicted = {(span["start"], span["end"], span["label"]) for span in record["entities"]}
        found, expected, correct = found + len(predicted), expected + len(truth), correct + len(predicted & truth)
    precision = correct / found if found else 0.0
    recall = correct / expected if expected else 0.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model-dir", type=Path, required=True, help="a model trained by configs/anercorp-tiny.yaml")
    parser.add_argument("--data", type=Path, default=SHARED / "test.txt")
    parser.add_argument("--sentences", type=int, default=None, help="only the first N sentences")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    from hadath.inference.tagger import Tagger

    tagger = Tagger.load(args.model_dir, device="cpu")
    sentences = read_gold(args.data, args.sentences)
    results: dict[str, Any] = {}
    for name in (None, *PERTURBATIONS):
        rng = random.Random(args.seed)
        built = [build(words, entities, name, rng) for words, entities in sentences]
        f1 = 100 * entity_f1(tagger, [text for text, _ in built], [gold for _, gold in built], args.batch_size)
        results[name or "plain"] = round(f1, 2)
    plain = results["plain"]
    table = {
        name: {"f1": f1, "delta": round(f1 - plain, 2), "within_target": name in EXEMPT or plain - f1 <= TARGET_POINTS}
        for name, f1 in results.items()
        if name != "plain"
    }
    summary = {
        "model": str(args.model_dir),
        "data": str(args.data),
        "sentences": len(sentences),
        "metric": "entity micro F1 (x100) over exact character spans, raw-text path (Tagger.predict)",
        "plain": plain,
        "perturbations": table,
        "target_points": TARGET_POINTS,
        "exempt": list(EXEMPT),
        "all_within_target": all(row["within_target"] for row in table.values()),
    }
    print(json.dumps(summary, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
