"""`hadath data check`: what a corpus will cost before training, and what training will do about each problem.

Compares the label sets of train/dev/test, finds orphan `I-` tags, words that tokenize to nothing (a lone shadda,
tatweel, zero-width marks, control and private-use characters), sequences over the encoder maximum and sentences
shared between splits (matched after Arabic normalization, so a diacritized copy still counts as the same sentence).
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hadath.config import DataFormat
from hadath.data.align import word_pieces
from hadath.data.consistency import find_inconsistencies
from hadath.data.encode import SENTENCE_LABELS, encode_windows
from hadath.data.normalize import NormalizerSettings, normalize_word, preset_names
from hadath.data.piece_tokenizer import PieceTokenizer
from hadath.data.readers.options import ReadOptions
from hadath.data.readers.text_file import iter_lines
from hadath.data.repair import shown
from hadath.data.schemes import canonical_scheme, detect_scheme, split_tag
from hadath.data.sentence import Sentence
from hadath.data.type_tally import RARE_BELOW, TypeTally

if TYPE_CHECKING:
    from transformers import PreTrainedTokenizerBase

EXAMPLES = 3


@dataclass
class Finding:
    """One check: how many cases, a few `FILE:LINE` examples, and what training does about them."""

    check: str
    count: int
    action: str
    examples: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Nothing found."""
        return self.count == 0


@dataclass
class DataCheck:
    """Sentences and words per split, and every finding in the order they are reported."""

    splits: dict[str, dict[str, int]]
    findings: list[Finding]

    def to_dict(self) -> dict[str, Any]:
        """JSON form (`hadath data check --json`)."""
        return {"splits": self.splits, "findings": [asdict(f) | {"ok": f.ok} for f in self.findings]}

    def lines(self) -> list[str]:
        """The human-readable report."""
        sizes = ", ".join(
            f"{name} {size['sentences']} sentences / {size['words']} words" for name, size in self.splits.items()
        )
        out = [f"splits: {sizes}"]
        for finding in self.findings:
            mark = "ok  " if finding.ok else "WARN"
            out.append(f"[{mark}] {finding.check}: {finding.count}" + ("" if finding.ok else f" — {finding.action}"))
            out.extend(f"         {example}" for example in finding.examples)
        return out


def zero_piece_kind(word: str) -> str:
    """Why a word can vanish in the tokenizer, named the way an Arabic annotator would look for it."""
    kinds = set()
    for char in word:
        category = unicodedata.category(char)
        if char == "\u0640":
            kinds.add("bare tatweel")
        elif category == "Mn":
            kinds.add("lone diacritic (haraka, shadda)")
        elif category == "Cf":
            kinds.add("zero-width or bidi mark")
        elif category == "Cc":
            kinds.add("control character")
        elif category == "Co":
            kinds.add("private-use character")
        else:
            kinds.add("other")
    return kinds.pop() if len(kinds) == 1 else "mixed marks"


def _codepoints(word: str) -> str:
    return " ".join(f"U+{ord(char):04X}" for char in word)


def _place(sentence: Sentence, index: int) -> str:
    """`FILE:LINE` of a word: its own line in token-per-row files, its record's line and position elsewhere."""
    return sentence.word_source(index) if sentence.lines else f"{sentence.source} word {index + 1}"


def rare_type_findings(splits: Mapping[str, Sequence[Sentence]]) -> Finding:
    """Entity types seen in fewer than `RARE_BELOW` places (of all splits) while others are common: typos?"""
    tally = TypeTally()
    for sentences in splits.values():
        for sentence in sentences:
            tally.add(sentence)
    found = tally.rare()
    return Finding(
        f"entity types seen in fewer than {RARE_BELOW} places",
        len(found),
        "trained and scored as types of their own; if they are typos, rename them with data.tag_map",
        found[:EXAMPLES],
    )


def _types(sentences: Sequence[Sentence]) -> dict[str, set[str]]:
    types: dict[str, set[str]] = {}
    for sentence in sentences:
        for layer, spans in sentence.layers.items():
            types.setdefault(layer, set()).update(span.label for span in spans)
        if sentence.labels:
            types.setdefault(SENTENCE_LABELS, set()).update(sentence.labels)
    return types


def label_set_findings(splits: Mapping[str, Sequence[Sentence]]) -> list[Finding]:
    """Types in dev/test the model will never learn, and types trained but never scored."""
    train = _types(splits["train"])
    unseen, unscored = [], []
    unseen_count = unscored_count = 0
    for name, sentences in splits.items():
        if name == "train" or not sentences:
            continue
        other = _types(sentences)
        for layer in sorted(set(train) | set(other)):
            missing = other.get(layer, set()) - train.get(layer, set())
            if missing:
                unseen.append(f"{name} {layer}: {', '.join(sorted(missing))}")
                unseen_count += len(missing)
            extra = train.get(layer, set()) - other.get(layer, set())
            if extra:
                unscored.append(f"{name} {layer}: {', '.join(sorted(extra))}")
                unscored_count += len(extra)
    # The counts are labels (per split and layer), not the lines that list them.
    return [
        Finding(
            "labels in dev/test that train lacks",
            unseen_count,
            "the model is built from train's labels and can never predict these: every such span counts as a miss, "
            "and `hadath evaluate` refuses the file unless `--label-map` renames them",
            unseen,
        ),
        Finding(
            "labels in train that dev/test lack",
            unscored_count,
            "trained, but never scored on that split: its F1 says nothing about them",
            unscored,
        ),
    ]


def orphan_tags(path: Path, options: ReadOptions) -> list[str]:
    """`FILE:LINE` of every `I-`/`E-` tag in a CoNLL file that continues no entity (IOB2/BIOES only)."""
    if options.scheme.lower() == "auto":
        columns = (
            [row.split()[c] for row in iter_lines(path, options.max_line_chars) if len(row.split()) > c]
            for c in options.columns.values()
        )
        scheme = detect_scheme(columns)
    else:
        scheme = canonical_scheme(options.scheme)
    if scheme not in ("IOB2", "BIOES"):
        return []  # IOB1 and IO open entities with I- by design
    found: list[str] = []
    previous = {layer: ("O", "") for layer in options.columns}
    for number, line in enumerate(iter_lines(path, options.max_line_chars), start=1):
        fields = line.split()
        if not fields or fields[0] in ("-DOCSTART-", "$#$"):
            previous = {layer: ("O", "") for layer in options.columns}
            continue
        for layer, column in options.columns.items():
            tag = fields[column] if column < len(fields) else "O"
            prefix, type_ = split_tag(tag)
            before_prefix, before_type = previous[layer]
            continues = before_prefix in ("B", "I") and before_type == type_
            if prefix in ("I", "E") and not continues:
                found.append(
                    f"{path}:{number}: {tag} after {'O' if before_prefix == 'O' else before_prefix + '-' + before_type}"
                )
            previous[layer] = (prefix, type_)
    return found


def orphan_findings(paths: Mapping[str, Path], options: ReadOptions, data_format: DataFormat) -> Finding:
    """Orphan continuation tags across the CoNLL splits (JSONL spans cannot have any)."""
    found = [hit for path in paths.values() for hit in orphan_tags(path, options)] if data_format == "conll" else []
    return Finding(
        "orphan I- tags",
        len(found),
        "read as the start of an entity (the conlleval rule): the span is trained and scored from that word; "
        "fix the tag to B- if that is not what was meant",
        found[:EXAMPLES],
    )


def zero_piece_findings(
    splits: Mapping[str, Sequence[Sentence]], tokenizer: PieceTokenizer, settings: NormalizerSettings
) -> list[Finding]:
    """Words that normalize or tokenize to nothing, by kind, and words the tokenizer only knows as unknown."""
    words = {word for sentences in splits.values() for sentence in sentences for word in sentence.words}
    normalized = {word: normalize_word(word, settings) for word in words}
    vocabulary = sorted({form for form in normalized.values() if form})
    encoded = tokenizer(vocabulary, add_special_tokens=False)["input_ids"] if vocabulary else []
    pieces = dict(zip(vocabulary, encoded, strict=True))
    unknown = [tokenizer.unk_token_id]
    unknown_name = getattr(tokenizer, "unk_token", None) or "unknown"  # [UNK] for BERT, <unk> for XLM-R
    kinds: Counter[str] = Counter()
    examples: dict[str, list[str]] = {}
    only_unknown, unknown_examples = 0, []
    for sentences in splits.values():
        for sentence in sentences:
            for index, word in enumerate(sentence.words):
                ids = pieces.get(normalized[word], [])
                if not ids:
                    kind = zero_piece_kind(word)
                    kinds[kind] += 1
                    examples.setdefault(kind, []).append(f"{_place(sentence, index)}: {_codepoints(word)}")
                elif ids == unknown:
                    only_unknown += 1
                    unknown_examples.append(f"{_place(sentence, index)}: {shown(word)}")
    findings = [
        Finding(
            f"words that tokenize to nothing: {kind}",
            count,
            f"kept with a placeholder piece ({unknown_name}): the word still gets exactly one prediction in every "
            "layer",
            examples[kind][:EXAMPLES],
        )
        for kind, count in sorted(kinds.items())
    ]
    if not kinds:
        findings.append(Finding("words that tokenize to nothing", 0, ""))
    findings.append(
        Finding(
            f"words the tokenizer only knows as {unknown_name}",
            only_unknown,
            "encoded as one unknown piece: the model sees no form, only context (a larger vocabulary helps)",
            unknown_examples[:EXAMPLES],
        )
    )
    return findings


@dataclass(frozen=True)
class PieceCost:
    """What a normalization costs the training words in one tokenizer: pieces and unknown pieces, word by word."""

    pieces: list[int]
    unknown: list[bool]

    @property
    def per_word(self) -> float:
        """Pieces per word."""
        return sum(self.pieces) / max(len(self.pieces), 1)


def piece_cost(train: Sequence[Sentence], tokenizer: PieceTokenizer, settings: NormalizerSettings) -> PieceCost:
    """Pieces of every training word, and whether one is unknown (a word that tokenizes to nothing gets one)."""
    rows = word_pieces(train, tokenizer, settings).pieces
    flat = [ids for row in rows for ids in row]
    return PieceCost([len(ids) for ids in flat], [tokenizer.unk_token_id in ids for ids in flat])


def normalization_cost_finding(
    train: Sequence[Sentence], tokenizer: PieceTokenizer, settings: NormalizerSettings
) -> Finding:
    """Training words the normalization makes dearer than no normalization, counted when it raises pieces per word
    or the unknown share: a vocabulary learned on text as written (XLM-R's) splits unified spellings (احمد for أحمد)."""
    cost = piece_cost(train, tokenizer, settings)
    raw = piece_cost(train, tokenizer, NormalizerSettings.preset("none"))
    check = "training words normalization splits into more pieces"
    if cost.per_word <= raw.per_word and sum(cost.unknown) <= sum(raw.unknown):
        return Finding(check, 0, "")
    places = [(sentence, index) for sentence in train for index in range(len(sentence.word_offsets))]
    dearer = [
        i for i in range(len(places)) if cost.pieces[i] > raw.pieces[i] or (cost.unknown[i] and not raw.unknown[i])
    ]
    examples: list[str] = []
    shown_words: set[str] = set()
    for i in dearer:
        if len(examples) == EXAMPLES:
            break
        sentence, index = places[i]
        start, end = sentence.word_offsets[index]  # not `sentence.words[index]`: a list of every word, per word
        if (word := sentence.text[start:end]) not in shown_words:
            shown_words.add(word)
            examples.append(f"{_place(sentence, index)}: {shown(word)} {raw.pieces[i]} -> {cost.pieces[i]} pieces")
    names = preset_names(settings)
    pretrained = NormalizerSettings.preset("pretrained")
    instead = "none"
    if pretrained != settings:
        better = piece_cost(train, tokenizer, pretrained)
        if better.per_word <= raw.per_word and sum(better.unknown) <= sum(raw.unknown):
            instead = "pretrained"
    action = (
        f"{'preset ' + ' = '.join(names) if names else 'these normalization settings'}: {cost.per_word:.3f} pieces "
        f"per word and {sum(cost.unknown)} unknown, against {raw.per_word:.3f} and {sum(raw.unknown)} with none; "
        f"this vocabulary was learned on text as written — set data.normalize.preset: {instead}"
    )
    return Finding(check, len(dearer), action, examples)


def length_findings(
    splits: Mapping[str, Sequence[Sentence]],
    tokenizer: PieceTokenizer,
    settings: NormalizerSettings,
    max_length: int,
    stride: int,
) -> list[Finding]:
    """Sentences longer than the encoder maximum, and single words longer than a whole window."""
    windowed, truncated = [], []
    for sentences in splits.values():
        pieces = word_pieces(sentences, tokenizer, settings)
        for window in encode_windows(pieces, tokenizer, max_length, stride):
            if window.window.start == 0 and window.window.end < len(sentences[window.sentence].word_offsets):
                windowed.append(sentences[window.sentence].source)
        truncated.append(pieces.stats.truncated_words)
    return [
        Finding(
            f"sentences over the model maximum ({max_length} pieces)",
            len(windowed),
            f"cut into overlapping windows (stride {stride}); each word is predicted from the one window where it is "
            "central, so no word is dropped or counted twice",
            windowed[:EXAMPLES],
        ),
        Finding(
            "words longer than a whole window",
            sum(truncated),
            "only their first pieces are fed to the encoder; the word keeps its single prediction",
        ),
    ]


def duplicate_findings(splits: Mapping[str, Sequence[Sentence]], settings: NormalizerSettings) -> Finding:
    """Sentences of dev/test that also occur in an earlier split, compared after normalization."""

    def key(sentence: Sentence) -> tuple[str, ...]:
        return tuple(form for word in sentence.words if (form := normalize_word(word, settings)))

    seen: dict[tuple[str, ...], str] = {}
    duplicates: list[str] = []
    for name, sentences in splits.items():
        keys = {key(sentence): sentence.source for sentence in sentences}
        if name != "train":
            duplicates.extend(f"{source} (also {seen[k]})" for k, source in keys.items() if k in seen)
        for k, source in keys.items():
            seen.setdefault(k, source)
    return Finding(
        "sentences shared between splits",
        len(duplicates),
        "kept as they are: scores on dev/test will be optimistic; remove them from the later split",
        duplicates[:EXAMPLES],
    )


def consistency_findings(splits: Mapping[str, Sequence[Sentence]], settings: NormalizerSettings) -> list[Finding]:
    """Per layer, strings annotated one way somewhere and another way or not at all elsewhere
    (hadath/data/consistency.py)."""
    sentences = [sentence for split in splits.values() for sentence in split]
    found = find_inconsistencies(sentences, lambda word: normalize_word(word, settings))
    action = "trained as they are: the model learns both readings; annotate one string the same way for one sense"
    return [
        Finding(
            f"strings annotated inconsistently ({layer})", len(items), action, [i.describe() for i in items[:EXAMPLES]]
        )
        for layer, items in found.items()
    ]


def check_data(
    splits: Mapping[str, Sequence[Sentence]],
    paths: Mapping[str, Path],
    *,
    options: ReadOptions,
    data_format: DataFormat,
    tokenizer: PreTrainedTokenizerBase,
    settings: NormalizerSettings,
    max_length: int,
    stride: int,
) -> DataCheck:
    """Every check over the splits (`train` first; empty splits are skipped)."""
    present = {name: sentences for name, sentences in splits.items() if sentences}
    sizes = {
        name: {"sentences": len(sentences), "words": sum(len(s.word_offsets) for s in sentences)}
        for name, sentences in present.items()
    }
    findings = [
        *label_set_findings(present),
        rare_type_findings(present),
        orphan_findings(paths, options, data_format),
        *zero_piece_findings(present, tokenizer, settings),
        normalization_cost_finding(present["train"], tokenizer, settings),
        *length_findings(present, tokenizer, settings, max_length, stride),
        duplicate_findings(present, settings),
        *consistency_findings(present, settings),
    ]
    return DataCheck(sizes, findings)
