"""Event attributes (polarity, modality, genericity, tense) in the data: read from JSONL and BRAT, checked with
FILE:LINE, defaulted, counted by `hadath data stats`, kept through every round trip that can hold them and announced
when a format cannot."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hadath.cli import main
from hadath.data.errors import DataError
from hadath.data.factuality import ATTRIBUTES, DEFAULT, DEFAULTS, Factuality, is_reported
from hadath.data.readers import ReadOptions, read_corpus, read_sentences
from hadath.data.readers.jsonl import parse_record
from hadath.data.sentence import Sentence
from hadath.data.stats import corpus_stats
from hadath.data.writers import write_sentences

TEXT = "نفى الجيش وقوع أي هجوم أمس وهدد بشن غارات"
# نفى 0-3, الجيش 4-9, هجوم 18-22, غارات 36-41
RECORD = {
    "text": TEXT,
    "entities": [[4, 9, "ORG"]],
    "events": [
        [0, 3, "STATEMENT"],
        [18, 22, "ATTACK", {"polarity": "negative"}],
        [36, 41, "ATTACK", {"modality": "other", "tense": "future"}],
    ],
    "arguments": [[0, 0, "Speaker"]],
    "labels": ["SECURITY"],
}
NEGATED = Factuality(polarity="negative")
THREATENED = Factuality(modality="other", tense="future")


def _events(sentence: Sentence) -> list[tuple[str, Factuality]]:
    triggers = sorted(span for layer, spans in sentence.layers.items() if layer.startswith("events") for span in spans)
    assert triggers, "no triggers read"
    return [(" ".join(sentence.words[t.start : t.end]), sentence.factuality_of(t)) for t in triggers]


EXPECTED = [("نفى", DEFAULT), ("هجوم", NEGATED), ("غارات", THREATENED)]


def test_one_source_of_truth_defaults_and_reported() -> None:
    expected = {"polarity": "positive", "modality": "asserted", "genericity": "specific", "tense": "unspecified"}
    assert expected == DEFAULTS
    assert DEFAULT.as_dict() == DEFAULTS and list(Factuality._fields) == list(ATTRIBUTES)
    assert is_reported(DEFAULT) and is_reported(Factuality(tense="past"))
    assert not is_reported(NEGATED) and not is_reported(Factuality(tense="future"))
    assert not is_reported(Factuality(genericity="generic")) and not is_reported(Factuality(modality="other"))


def test_jsonl_reads_attributes_and_defaults_the_rest() -> None:
    sentence = parse_record(RECORD, Path("x.jsonl"), 1)
    assert _events(sentence) == EXPECTED
    # A file written before attributes existed reads as before: every event takes the defaults.
    old = {**RECORD, "events": [event[:3] for event in RECORD["events"]]}
    assert [f for _, f in _events(parse_record(old, Path("x.jsonl"), 1))] == [DEFAULT] * 3


@pytest.mark.parametrize(
    ("attributes", "says"),
    [
        ({"polarity": "neg"}, "event attribute polarity has no value 'neg' (its values: positive, negative)"),
        ({"certainty": "high"}, "unknown event attribute 'certainty' (known: polarity, modality, genericity, tense)"),
        ("negative", "its fourth item must be an object of attributes"),
    ],
)
def test_jsonl_refuses_unknown_attributes_with_file_and_line(tmp_path: Path, attributes: object, says: str) -> None:
    path = tmp_path / "bad.jsonl"
    bad = {**RECORD, "events": [[18, 22, "ATTACK", attributes]], "arguments": []}
    path.write_text(json.dumps(RECORD, ensure_ascii=False) + "\n" + json.dumps(bad, ensure_ascii=False) + "\n")
    with pytest.raises(DataError) as error:
        read_sentences(path)
    message = str(error.value)
    assert message.startswith(f"{path}:2: ") and says in message and " — " in message and "\n" not in message


@pytest.mark.parametrize("suffix", [".jsonl", ".ann"])
def test_round_trip_keeps_every_attribute(tmp_path: Path, suffix: str) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps(RECORD, ensure_ascii=False) + "\n", encoding="utf-8")
    sentences = read_sentences(source)
    out = tmp_path / f"out{suffix}"
    assert not any("attributes" in note for note in write_sentences(sentences, out))
    back = read_sentences(out)
    assert _events(back[0]) == EXPECTED
    again = tmp_path / "again.jsonl"
    write_sentences(back, again)
    assert _events(read_sentences(again)[0]) == EXPECTED


def test_brat_writes_attribute_lines_for_non_defaults(tmp_path: Path) -> None:
    write_sentences([parse_record(RECORD, Path("x.jsonl"), 1)], tmp_path / "doc.ann")
    lines = (tmp_path / "doc.ann").read_text(encoding="utf-8").splitlines()
    attributes = [line for line in lines if line.startswith("A")]
    assert attributes == ["A1\tPolarity E2 Negative", "A2\tModality E3 Other", "A3\tTense E3 Future"]


def test_brat_reads_attributes_on_the_event_or_its_trigger_and_binary_ones(tmp_path: Path) -> None:
    (tmp_path / "doc.txt").write_text(TEXT + "\n", encoding="utf-8")
    ann = (
        "T1\tStatement 0 3\tنفى\nE1\tStatement:T1\nT2\tAttack 18 22\tهجوم\nE2\tAttack:T2\n"
        "T3\tAttack 36 41\tغارات\nE3\tAttack:T3\nT4\tOrg 4 9\tالجيش\n"
        "A1\tNegation E2\nM1\tSpeculation T3\nA2\tTense T3 future\nA3\tCertainty T4 High\n"
    )
    (tmp_path / "doc.ann").write_text(ann, encoding="utf-8")
    sentence = read_sentences(tmp_path / "doc.ann")[0]
    assert _events(sentence) == EXPECTED  # an attribute on an entity (T4) is ignored


def test_brat_refuses_an_unknown_event_attribute_with_the_ann_line(tmp_path: Path) -> None:
    (tmp_path / "doc.txt").write_text(TEXT + "\n", encoding="utf-8")
    (tmp_path / "doc.ann").write_text("T1\tAttack 18 22\tهجوم\nE1\tAttack:T1\nA1\tPolarity E1 Maybe\n")
    with pytest.raises(DataError, match=r"doc\.ann:3: event attribute polarity has no value 'maybe'"):
        read_sentences(tmp_path / "doc.ann")
    # Under `skip` the sentence goes, not just the attribute: an event that may be negated is not taught as asserted.
    (tmp_path / "doc.txt").write_text(TEXT + "\nهجوم على مقر الحزب أمس\n", encoding="utf-8")
    sentences, report = read_corpus(tmp_path / "doc.ann", ReadOptions(on_error="skip"))
    assert [s.text for s in sentences] == ["هجوم على مقر الحزب أمس"] and report.skipped_sentences == 1


@pytest.mark.parametrize("suffix", [".conll", ".csv"])
def test_tag_column_formats_announce_dropped_attributes(tmp_path: Path, suffix: str) -> None:
    notes = write_sentences([parse_record(RECORD, Path("x.jsonl"), 1)], tmp_path / f"out{suffix}")
    assert "attributes of 2 event(s) dropped" in " ".join(notes)


def test_stats_counts_attributes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    counts = corpus_stats([parse_record(RECORD, Path("x.jsonl"), 1)])["event_attributes"]
    assert counts == {
        "annotated_events": 2,
        "reported_events": 1,
        "polarity": {"positive": 2, "negative": 1},
        "modality": {"asserted": 2, "other": 1},
        "genericity": {"specific": 3, "generic": 0},
        "tense": {"unspecified": 2, "past": 0, "present": 0, "future": 1},
    }
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps(RECORD, ensure_ascii=False) + "\n", encoding="utf-8")
    assert main(["data", "stats", str(path)]) == 0
    assert '"reported_events": 1' in capsys.readouterr().out


def test_data_readme_lists_the_attributes_table() -> None:
    from hadath.data.factuality import attributes_table

    readme = (Path(__file__).resolve().parents[1] / "data" / "README.md").read_text(encoding="utf-8")
    assert attributes_table() in readme
