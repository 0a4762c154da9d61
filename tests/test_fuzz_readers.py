"""Property-based tests: every reader, the word splitter and the offset mapper, on arbitrary input.

A reader either returns sentences whose offsets hold (every word and span indexes its own text) or raises
`DataError`, the one user-facing error type; anything else escaping is a crash. Fast: a few seconds in all.
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hadath.data import words as words_module
from hadath.data.errors import DataError
from hadath.data.normalize import NormalizerSettings, normalize, normalize_word
from hadath.data.readers import ReadOptions, read_documents
from hadath.data.readers import hf_dataset as hf_module
from hadath.data.repair import ReadReport
from hadath.data.sentence import Sentence, layer_family
from hadath.data.words import INVISIBLE, split_words

FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
POLICIES = st.sampled_from(["error", "repair", "skip"])
SCHEMES = st.sampled_from(["auto", "IOB2", "IOB1", "BIOES", "IO"])
# Characters that matter to the readers: Arabic letters and marks, separators, punctuation, invisible marks,
# Unicode line breaks that are not "\n", quotes and delimiters.
ALPHABET = st.sampled_from(
    list("محمد في بغداد.،؟ ") + ["\u0640", "\u064b", "\u200f", "\ufeff", "\u2028", "\x85", "\r", "\t", ",", '"', "x"]
)
TAGS = st.sampled_from(["O", "B-PER", "I-PER", "E-PER", "S-LOC", "I-LOC", "PER", "B-", "-", "U-ORG", "L-ORG"])


def _read(name: str, content: bytes, fmt: str, options: ReadOptions, extra: dict[str, bytes] | None = None) -> Any:
    """Read `content` written to a fresh file; returns documents, or the DataError raised."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        for other, data in (extra or {}).items():
            (Path(folder) / other).write_bytes(data)
        try:
            documents, report = read_documents(path, options, fmt)
        except DataError as error:
            return error
        return documents


def _assert_offsets_hold(sentence: Sentence) -> None:
    previous_end = 0
    for start, end in sentence.word_offsets:
        assert previous_end <= start < end <= len(sentence.text)
        previous_end = end
    for layer, spans in sentence.layers.items():
        assert layer_family(layer) in ("entities", "events")
        for span in spans:
            assert 0 <= span.start < span.end <= len(sentence.word_offsets)
            assert span.label
        assert len(sentence.tags(layer)) == len(sentence.word_offsets)


def _sentences(result: Any) -> list[Sentence]:
    if isinstance(result, DataError):
        assert str(result).startswith(str(result.path)) and " — " in str(result)
        return []
    return [sentence for document in result for sentence in document]


@FUZZ
@given(st.binary(max_size=300), st.sampled_from(["jsonl", "conll", "csv"]), POLICIES)
def test_random_bytes_raise_only_data_errors(content: bytes, fmt: str, policy: str) -> None:
    for sentence in _sentences(_read(f"f.{fmt}", content, fmt, ReadOptions(scheme="auto", on_error=policy))):
        _assert_offsets_hold(sentence)


@st.composite
def jsonl_records(draw: st.DrawFn) -> tuple[str, list[list[Any]]]:
    text = draw(st.text(ALPHABET, max_size=30) | st.text(max_size=20))
    bound = len(text) + 2
    spans = draw(
        st.lists(
            st.tuples(st.integers(-2, bound), st.integers(-2, bound), st.sampled_from(["PER", " LOC ", "ORG"])),
            max_size=4,
        )
    )
    return text, [list(span) for span in spans]


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in INVISIBLE):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in INVISIBLE):
        end -= 1
    return start, end


@FUZZ
@given(jsonl_records(), POLICIES)
def test_jsonl_keeps_every_span_exactly_or_names_the_line(record: tuple[str, list[list[Any]]], policy: str) -> None:
    text, spans = record
    line = json.dumps({"text": text, "entities": spans}, ensure_ascii=False)
    result = _read("a.jsonl", (line + "\n").encode("utf-8"), "jsonl", ReadOptions(on_error=policy))
    if isinstance(result, DataError):
        assert result.line == 1
        return
    sentences = _sentences(result)
    valid = all(0 <= start < end <= len(text) and _trimmed(text, start, end)[0] < end for start, end, _ in spans)
    # A record with words and in-range spans is always read (whatever characters the text holds).
    assert bool(sentences) == (valid and bool(split_words(text)))
    if not sentences:
        return
    (sentence,) = sentences
    assert sentence.text == text
    _assert_offsets_hold(sentence)
    # Every span of the record comes back, nested or not, at its exact (whitespace-trimmed) characters.
    read_back = Counter(
        (*sentence.char_span(span), span.label)
        for layer, layer_spans in sentence.layers.items()
        for span in layer_spans
        if layer_family(layer) == "entities"
    )
    assert read_back == Counter((*_trimmed(text, start, end), label.strip()) for start, end, label in spans)


@st.composite
def conll_files(draw: st.DrawFn) -> str:
    rows = draw(
        st.lists(
            st.one_of(
                st.just(""),
                st.just("-DOCSTART- O"),
                st.just("$#$ O"),
                st.builds(
                    lambda token, tags, sep: sep.join([token, *tags]),
                    st.text(ALPHABET, min_size=0, max_size=6),
                    st.lists(TAGS, max_size=3),
                    st.sampled_from([" ", "\t", "  "]),
                ),
            ),
            max_size=12,
        )
    )
    return "\n".join(rows) + draw(st.sampled_from(["", "\n", "\r\n"]))


@FUZZ
@given(conll_files(), POLICIES, SCHEMES, st.sampled_from([{"entities": 1}, {"entities": 1, "events": 2}]))
def test_conll_rows_read_into_consistent_sentences(
    content: str, policy: str, scheme: str, columns: dict[str, int]
) -> None:
    options = ReadOptions(columns=columns, scheme=scheme, on_error=policy)
    for sentence in _sentences(_read("a.conll", content.encode("utf-8"), "conll", options)):
        _assert_offsets_hold(sentence)
        assert " ".join(sentence.words) == sentence.text


@FUZZ
@given(
    st.lists(st.lists(st.text(ALPHABET, max_size=5) | TAGS, max_size=4), max_size=10),
    st.sampled_from([",", "\t"]),
    POLICIES,
)
def test_csv_rows_read_into_consistent_sentences(rows: list[list[str]], delimiter: str, policy: str) -> None:
    content = "\n".join(delimiter.join(row) for row in [["token", "tag"], *rows])
    options = ReadOptions(scheme="auto", on_error=policy)
    for sentence in _sentences(_read("a.csv", content.encode("utf-8"), "csv", options)):
        _assert_offsets_hold(sentence)


@st.composite
def brat_documents(draw: st.DrawFn) -> tuple[str, str]:
    text = draw(st.text(ALPHABET | st.just("\n"), max_size=40))
    lines = []
    for number in range(draw(st.integers(0, 4))):
        start = draw(st.integers(-1, len(text) + 1))
        end = draw(st.integers(-1, len(text) + 2))
        fragments = f"{start} {end}" if draw(st.booleans()) else f"{start} {end};{end} {end + 2}"
        quoted = text[max(start, 0) : max(end, 0)] if draw(st.booleans()) else draw(st.text(ALPHABET, max_size=4))
        lines.append(f"T{number}\tPER {fragments}\t{quoted}")
    lines += draw(st.lists(st.sampled_from(["E1\tAttack:T0", "E2\t", "R1\tx", "#note", "T9", "T9\t", "A1\tx"])))
    return text, "\n".join(lines)


@FUZZ
@given(brat_documents(), POLICIES)
def test_brat_spans_index_their_line(document: tuple[str, str], policy: str) -> None:
    text, ann = document
    options = ReadOptions(on_error=policy)
    result = _read("d.ann", ann.encode("utf-8"), "brat", options, {"d.txt": text.encode("utf-8")})
    for sentence in _sentences(result):
        _assert_offsets_hold(sentence)
        assert sentence.text in text.split("\n")
        for spans in sentence.layers.values():
            for span in spans:
                start, end = sentence.char_span(span)
                assert sentence.text[start:end].strip()


@FUZZ
@given(
    st.lists(
        st.tuples(st.lists(st.text(ALPHABET, max_size=4), max_size=4), st.lists(TAGS, max_size=5)),
        min_size=1,
        max_size=6,
    ),
    POLICIES,
)
def test_hf_rows_read_into_consistent_sentences(rows: list[tuple[list[str], list[str]]], policy: str) -> None:
    # The dataset itself comes from `datasets` (any load failure is wrapped as DataError in _load); the rows are
    # what can be hostile, so feed them in memory instead of paying for a save_to_disk per example.
    table = [{"tokens": tokens, "ner_tags": tags} for tokens, tags in rows]

    class Table(list):  # type: ignore[type-arg]
        column_names = ["tokens", "ner_tags"]
        features: dict[str, Any] = {"tokens": None, "ner_tags": None}

    options = ReadOptions(scheme="auto", on_error=policy)
    try:
        with mock.patch.object(hf_module, "_load", lambda location, split: Table(table)):
            # The reader streams: read it all while the table stands in for the dataset.
            stream = hf_module.read_hf_dataset(Path("rows.parquet"), options, ReadReport(policy=policy))
            sentences = [sentence for _, sentence in stream]
    except DataError:
        return
    for sentence in sentences:
        _assert_offsets_hold(sentence)


@FUZZ
@given(st.text(ALPHABET, max_size=40) | st.text(max_size=40), st.sets(st.integers(-2, 45), max_size=6))
def test_split_words_covers_every_visible_char_once(text: str, boundaries: set[int]) -> None:
    offsets = split_words(text, boundaries)
    covered = [0] * len(text)
    previous_end = 0
    for start, end in offsets:
        assert previous_end <= start < end <= len(text)
        previous_end = end
        assert not any(words_module._is_separator(char) for char in text[start:end] if char not in words_module.JOINERS)
        # A zero-width (non-)joiner belongs to a word only between two of its letters, never at its edge.
        assert text[start] not in words_module.JOINERS and text[end - 1] not in words_module.JOINERS
        for index in range(start, end):
            covered[index] += 1
    for index, char in enumerate(text):
        if char in words_module.JOINERS:
            assert covered[index] in (0, 1)
            continue
        assert covered[index] == (0 if words_module._is_separator(char) else 1), (index, char)
    # A boundary inside a word cuts it: the annotation edge is a word edge.
    edges = {edge for start, end in offsets for edge in (start, end)}
    for cut in boundaries:
        if 0 < cut < len(text) and not words_module._is_separator(text[cut]) and covered[cut - 1]:
            assert cut in edges


NORMALIZER_SETTINGS = st.builds(
    NormalizerSettings, *(st.booleans() for _ in range(7))
)  # every combination of the seven steps


@FUZZ
@given(st.text(ALPHABET | st.sampled_from(list("أإآىة٣۴ـ")), max_size=40) | st.text(max_size=30), NORMALIZER_SETTINGS)
def test_offset_map_takes_every_normalized_span_back_to_its_source(text: str, config: NormalizerSettings) -> None:
    normalized = normalize(text, config)
    assert normalized.text == normalize_word(text, config)
    assert len(normalized.offset_map) == len(normalized.text) + 1
    assert normalized.offset_map[-1] == len(text)
    for start in range(len(normalized.text) + 1):
        for end in range(start, len(normalized.text) + 1):
            original_start, original_end = normalized.to_original(start, end)
            assert 0 <= original_start <= original_end <= len(text)
            # Normalizing the mapped-back source span gives exactly the normalized span.
            assert normalize_word(text[original_start:original_end], config) == normalized.text[start:end]
