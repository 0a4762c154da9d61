"""Readers: native JSONL and CoNLL into sentences, with exact offsets and FILE:LINE errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hadath.data.errors import DataError
from hadath.data.readers import ReadOptions, read_sentences
from hadath.data.schemes import TagSpan


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def test_jsonl_spans_become_word_spans_with_exact_offsets(tmp_path: Path) -> None:
    text = "قال الكاظمي إن داعش هاجم كركوك."
    record = {
        "text": text,
        "entities": [[4, 11, "PER"], [15, 19, "ORG"], [25, 30, "LOC"]],
        "events": [[0, 3, "STATEMENT"], [20, 24, "ATTACK"]],
        "labels": ["SECURITY"],
    }
    path = write(tmp_path, "a.jsonl", json.dumps(record, ensure_ascii=False) + "\n")
    (sentence,) = read_sentences(path)
    assert sentence.words == ["قال", "الكاظمي", "إن", "داعش", "هاجم", "كركوك", "."]
    assert sentence.layers["entities"] == [TagSpan(1, 2, "PER"), TagSpan(3, 4, "ORG"), TagSpan(5, 6, "LOC")]
    assert sentence.tags("events") == ["B-STATEMENT", "O", "O", "O", "B-ATTACK", "O", "O"]
    assert [text[slice(*sentence.char_span(s))] for s in sentence.layers["entities"]] == ["الكاظمي", "داعش", "كركوك"]
    assert sentence.labels == ["SECURITY"]


def test_jsonl_proclitic_splits_the_token_and_keeps_the_span(tmp_path: Path) -> None:
    text = "والكاظمي وصل"
    path = write(tmp_path, "a.jsonl", json.dumps({"text": text, "entities": [[1, 8, "PER"]]}) + "\n")
    (sentence,) = read_sentences(path)
    assert sentence.words == ["و", "الكاظمي", "وصل"]
    start, end = sentence.char_span(sentence.layers["entities"][0])
    assert text[start:end] == "الكاظمي"


def test_jsonl_overlapping_spans_go_to_nested_layers(tmp_path: Path) -> None:
    text = "جامعة بغداد كبيرة"
    record = {"text": text, "entities": [[0, 11, "ORG"], [6, 11, "LOC"]]}
    (sentence,) = read_sentences(write(tmp_path, "a.jsonl", json.dumps(record) + "\n"))
    assert sentence.layers["entities"] == [TagSpan(0, 2, "ORG")]
    assert sentence.layers["entities_2"] == [TagSpan(1, 2, "LOC")]


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ('{"text": "abc", "entities": [[2, 9, "PER"]]}', "outside the text"),
        ('{"text": "abc", "entities": [[2, 1, "PER"]]}', "outside the text"),
        ('{"text": "abc", "entities": [[0, 1]]}', "bad entities span"),
        ('{"entities": []}', "no string `text`"),
        ("{not json", "invalid JSON"),
    ],
)
def test_jsonl_errors_name_file_and_line(tmp_path: Path, line: str, problem: str) -> None:
    path = write(tmp_path, "bad.jsonl", '{"text": "fine"}\n' + line + "\n")
    with pytest.raises(DataError) as error:
        read_sentences(path)
    assert str(error.value).startswith(f"{path}:2: ")
    assert problem in str(error.value)
    assert " — " in str(error.value)


def test_conll_bom_crlf_docstart_and_columns(tmp_path: Path) -> None:
    content = "\ufeff-DOCSTART- O O\r\n\r\nقال O B-STATEMENT\r\nمحمد B-PER O\r\nعلي I-PER O\r\n\r\nكركوك B-LOC O\r\n"
    path = write(tmp_path, "a.txt", content)
    sentences = read_sentences(path, ReadOptions(columns={"entities": 1, "events": 2}))
    assert [s.words for s in sentences] == [["قال", "محمد", "علي"], ["كركوك"]]
    assert sentences[0].layers == {"entities": [TagSpan(1, 3, "PER")], "events": [TagSpan(0, 1, "STATEMENT")]}
    assert sentences[0].source == f"{path}:3"


def test_conll_stray_inside_tag_opens_a_span_like_conlleval(tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", "a O\nb I-PER\nc I-LOC\n")
    (sentence,) = read_sentences(path)
    assert sentence.layers["entities"] == [TagSpan(1, 2, "PER"), TagSpan(2, 3, "LOC")]


def test_conll_segment_marker_and_missing_nested_columns(tmp_path: Path) -> None:
    content = "جامعة B-ORG\nبغداد I-ORG B-GPE\n$#$ O\n\nفي O\n"
    sentences = read_sentences(write(tmp_path, "w.txt", content), ReadOptions(columns={"entities": 1, "entities_2": 2}))
    assert len(sentences) == 2
    assert sentences[0].layers == {"entities": [TagSpan(0, 2, "ORG")], "entities_2": [TagSpan(1, 2, "GPE")]}


@pytest.mark.parametrize(
    ("content", "line", "problem"),
    [
        ("a O\nb\n", 2, "1 column"),
        ("a O\nb PER\n", 2, "neither O nor PREFIX-TYPE"),
        (b"a O\n\xff\xfe b O\n", 2, "not valid UTF-8"),
    ],
)
def test_conll_errors_name_file_and_line(tmp_path: Path, content: str | bytes, line: int, problem: str) -> None:
    path = write(tmp_path, "bad.txt", content)
    with pytest.raises(DataError) as error:
        read_sentences(path)
    assert str(error.value).startswith(f"{path}:{line}: ")
    assert problem in str(error.value)


def test_empty_file_and_directory_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="holds no sentences"):
        read_sentences(write(tmp_path, "empty.txt", "\n\n"))
    with pytest.raises(DataError, match="is a directory"):
        read_sentences(tmp_path)
