"""Readers for CSV/TSV rows, BRAT standoff and `datasets` tables; repair/skip policy; splitting; round trips."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hadath.data.errors import DataError
from hadath.data.readers import ReadOptions, guess_format, read_corpus, read_documents, read_sentences
from hadath.data.readers.hf_dataset import hub_name
from hadath.data.schemes import TagSpan
from hadath.data.sentence import Sentence
from hadath.data.splits import split_documents
from hadath.data.writers import write_sentences


def write(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


def test_csv_bare_classes_make_spans_of_consecutive_tokens(tmp_path: Path) -> None:
    content = "token,tag\nقال,O\nمحمد,PER\nعلي,PER\nفي,O\nكركوك,LOC\n,\nبغداد,LOC\n"
    sentences = read_sentences(write(tmp_path, "a.csv", content))
    assert [s.words for s in sentences] == [["قال", "محمد", "علي", "في", "كركوك"], ["بغداد"]]
    assert sentences[0].layers == {"entities": [TagSpan(1, 3, "PER"), TagSpan(4, 5, "LOC")]}
    assert sentences[1].source.endswith("a.csv:8")


def test_tsv_sentence_id_column_and_event_layer(tmp_path: Path) -> None:
    content = "sentence_id\tword\tentities\tevents\n1\tهاجم\tO\tATTACK\n1\tداعش\tORG\tO\n2\tوصل\tO\tO\n"
    sentences = read_sentences(write(tmp_path, "a.tsv", content))
    assert len(sentences) == 2
    assert sentences[0].layers == {"entities": [TagSpan(1, 2, "ORG")], "events": [TagSpan(0, 1, "ATTACK")]}


def test_csv_bad_rows_are_all_reported_with_their_lines(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.csv", "token,tag\na,O\nb\n\nc,O\n,PER\n")
    documents, report = read_documents(path)
    assert [i.error.line for i in report.errors] == [3, 6]
    assert documents == [[]] or sum(map(len, documents)) == 0


BRAT_TEXT = "قال الكاظمي إن داعش هاجم كركوك.\nجامعة بغداد كبيرة\n"
BRAT_ANN = (
    "T1\tPER 4 11\tالكاظمي\n"
    "T2\tORG 15 19\tداعش\n"
    "T3\tATTACK 20 24\tهاجم\n"
    "E1\tATTACK:T3 Agent:T2\n"
    "T4\tORG 32 43\tجامعة بغداد\n"
    "T5\tLOC 38 43\tبغداد\n"
    "R1\tLocated Arg1:T2 Arg2:T1\n"
)


def test_brat_lines_are_sentences_events_from_e_lines_nested_spans(tmp_path: Path) -> None:
    write(tmp_path, "doc.txt", BRAT_TEXT)
    ann = write(tmp_path, "doc.ann", BRAT_ANN)
    assert guess_format(ann) == "brat" and guess_format(tmp_path / "doc.txt") == "brat"
    first, second = read_sentences(ann)
    assert first.layers["entities"] == [TagSpan(1, 2, "PER"), TagSpan(3, 4, "ORG")]
    assert first.layers["events"] == [TagSpan(4, 5, "ATTACK")]
    assert second.layers == {"entities": [TagSpan(0, 2, "ORG")], "entities_2": [TagSpan(1, 2, "LOC")]}
    assert second.text[slice(*second.char_span(second.layers["entities_2"][0]))] == "بغداد"


def test_brat_discontinuous_span_is_an_error_or_repaired_or_skipped(tmp_path: Path) -> None:
    write(tmp_path, "doc.txt", "جامعة بغداد والموصل كبيرة\nهنا\n")
    ann = write(tmp_path, "doc.ann", "T1\tORG 0 11;13 19\tجامعة بغداد الموصل\n")
    with pytest.raises(DataError, match=r"doc\.ann:1: T1 is a discontinuous span \(2 fragments\)"):
        read_sentences(ann)
    repaired, report = read_corpus(ann, ReadOptions(on_error="repair"))
    assert repaired[0].layers["entities"] == [TagSpan(0, 2, "ORG"), TagSpan(3, 4, "ORG")]
    assert report.repairs == {"discontinuous span split into its fragments": 1}
    kept, skip_report = read_corpus(ann, ReadOptions(on_error="skip"))
    assert [s.text for s in kept] == ["هنا"] and skip_report.skipped_sentences == 1


def test_brat_text_mismatch_names_the_ann_line(tmp_path: Path) -> None:
    write(tmp_path, "doc.txt", "قال الكاظمي\n")
    ann = write(tmp_path, "doc.ann", "T1\tPER 0 3\tالكاظمي\n")
    with pytest.raises(DataError, match=r"doc\.ann:1: T1 text 'الكاظمي' differs"):
        read_sentences(ann)


def test_hf_dataset_on_disk_with_classlabel_names(tmp_path: Path) -> None:
    from datasets import ClassLabel, Dataset, Features, List, Value

    features = Features({"tokens": List(Value("string")), "ner_tags": List(ClassLabel(names=["O", "B-PER", "I-PER"]))})
    Dataset.from_dict(
        {"tokens": [["محمد", "علي", "وصل"], ["هنا"]], "ner_tags": [[1, 2, 0], [0]]}, features
    ).save_to_disk(str(tmp_path / "ds"))
    assert guess_format(tmp_path / "ds") == "hf"
    sentences = read_sentences(tmp_path / "ds")
    assert sentences[0].layers == {"entities": [TagSpan(0, 2, "PER")]} and sentences[1].words == ["هنا"]
    with pytest.raises(DataError, match="has no split 'test'"):
        _dict_without_test(tmp_path)
    assert hub_name("hf://org/name") == hub_name(str(Path("hf://org/name"))) == "org/name"


def _dict_without_test(tmp_path: Path) -> None:
    from datasets import Dataset, DatasetDict

    DatasetDict({"train": Dataset.from_dict({"tokens": [["a"]], "ner_tags": [["O"]]})}).save_to_disk(
        str(tmp_path / "dd")
    )
    read_sentences(f"{tmp_path / 'dd'}#test")


def test_repair_policy_fixes_stray_tags_bidi_marks_and_spellings(tmp_path: Path) -> None:
    path = write(tmp_path, "d.txt", "قال O\n\u200fمحمد I-PERS\nعلي I-PERS\nفي O\nكركوك LOC\n")
    documents, report = read_documents(path, ReadOptions(tag_map={"PERS": "PER"}))
    found = [(i.severity, i.error.line, i.error.problem.split()[0]) for i in report.problems()]
    assert found == [("warning", 2, "token"), ("warning", 2, "stray"), ("error", 5, "tag")]
    (sentence,), repaired = read_corpus(path, ReadOptions(on_error="repair", tag_map={"PERS": "PER"}))
    assert sentence.words == ["قال", "محمد", "علي", "في", "كركوك"]
    assert sentence.layers["entities"] == [TagSpan(1, 3, "PER"), TagSpan(4, 5, "LOC")]
    assert repaired.repairs == {
        "tag renamed PERS -> PER": 2,
        "stray I- tag made B-": 1,
        "invisible marks stripped from a token": 1,
        "bare class name given a B-/I- prefix": 1,
    }
    kept, skipped = read_corpus(write(tmp_path, "e.txt", "a O\nb PER\n\nc B-LOC\n"), ReadOptions(on_error="skip"))
    assert [s.words for s in kept] == [["c"]] and skipped.skipped_sentences == 1


def test_scheme_auto_detects_bioes_and_io(tmp_path: Path) -> None:
    bioes = write(tmp_path, "b.txt", "محمد B-PER\nعلي E-PER\nكركوك S-LOC\n")
    (sentence,), report = read_corpus(bioes, ReadOptions(scheme="auto"))
    assert sentence.layers["entities"] == [TagSpan(0, 2, "PER"), TagSpan(2, 3, "LOC")]
    assert report.schemes == {"entities": "BIOES"}
    (io,), io_report = read_corpus(write(tmp_path, "i.txt", "محمد PER\nعلي PER\nفي O\n"), ReadOptions(scheme="auto"))
    assert io.layers["entities"] == [TagSpan(0, 2, "PER")] and io_report.schemes == {"entities": "IO"}


def test_sentence_splitting_on_arabic_marks_never_inside_a_span(tmp_path: Path) -> None:
    text = "وصل الوفد. هل انتهى الاجتماع؟ نعم؛ انتهى"
    record = {"text": text, "entities": [[4, 9, "ORG"]]}
    path = write(tmp_path, "a.jsonl", json.dumps(record, ensure_ascii=False) + "\n")
    sentences, report = read_corpus(path, ReadOptions(split_sentences=True))
    assert [s.text for s in sentences] == ["وصل الوفد.", "هل انتهى الاجتماع؟", "نعم؛", "انتهى"]
    assert sentences[0].layers["entities"] == [TagSpan(1, 2, "ORG")] and report.sentences_from_splitting == 3
    spanning = {"text": "أ. ب", "entities": [[0, 4, "PER"]]}
    (kept,) = read_sentences(write(tmp_path, "b.jsonl", json.dumps(spanning) + "\n"), ReadOptions(split_sentences=True))
    assert kept.text == "أ. ب"


def test_seeded_document_splits_are_disjoint_and_reproducible() -> None:
    documents = [[Sentence(f"w{d} s{i}", [(0, 2), (3, 5)]) for i in range(3)] for d in range(10)]
    train, dev, test = split_documents(documents, 0.1, 0.2, seed=13)
    assert (len(train), len(dev), len(test)) == (21, 3, 6)
    assert split_documents(documents, 0.1, 0.2, seed=13) == (train, dev, test)
    docs_of = [{s.text.split()[0] for s in part} for part in (train, dev, test)]
    assert not (docs_of[0] & docs_of[1] or docs_of[0] & docs_of[2] or docs_of[1] & docs_of[2])


WORDS = st.sampled_from(["قال", "محمد", "علي", "بغداد", "كركوك", "داعش", "في", "هاجم", "الوفد"])


@st.composite
def annotated(draw: st.DrawFn) -> list[Sentence]:
    sentences = []
    for _ in range(draw(st.integers(1, 4))):
        words = draw(st.lists(WORDS, min_size=1, max_size=8))
        layers: dict[str, list[TagSpan]] = {}
        for layer, labels in (("entities", ["PER", "LOC"]), ("events", ["ATTACK"])):
            spans, cursor = [], 0
            while cursor < len(words):
                size = draw(st.integers(0, 3))
                if size and cursor + size <= len(words) and draw(st.booleans()):
                    spans.append(TagSpan(cursor, cursor + size, draw(st.sampled_from(labels))))
                    cursor += size
                else:
                    cursor += 1
            if spans:
                layers[layer] = spans
        offsets, position = [], 0
        for word in words:
            offsets.append((position, position + len(word)))
            position += len(word) + 1
        sentences.append(Sentence(" ".join(words), offsets, layers))
    return sentences


@pytest.mark.parametrize("name", ["out.csv", "out.tsv", "out.ann", "out.conll", "out.jsonl", "ds"])
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sentences=annotated())
def test_write_then_read_back_is_lossless(tmp_path: Path, name: str, sentences: list[Sentence]) -> None:
    path = tmp_path / name
    fmt = "hf" if name == "ds" else None
    write_sentences(sentences, path, fmt)
    columns = {"entities": 1, "events": 2}
    back = read_sentences(path, ReadOptions(columns=columns), "hf" if fmt else None)
    assert [(s.words, s.layers) for s in back] == [(s.words, s.layers) for s in sentences]
