"""Label Studio and doccano exports: reading, writing, round trips with every other format (no span dropped, no
offset moved on Arabic with diacritics, tatweel, invisible marks and emoji), annotator choice, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from hadath.data.errors import DataError
from hadath.data.readers import ReadOptions, guess_format, read_corpus, read_documents, read_sentences
from hadath.data.readers.jsonl import parse_record
from hadath.data.readers.labelstudio import chosen_annotation
from hadath.data.sentence import Sentence
from hadath.data.tool_records import SUGGESTION_HASH, text_sha256
from hadath.data.utf16 import from_utf16, to_utf16
from hadath.data.words import split_words
from hadath.data.writers import jsonl_record, write_sentences

# Diacritics (kasra, shadda), tatweel, RLM and ZWNJ inside and beside words, and emoji (one astral, one with a
# skin-tone modifier) before and inside the spans.
HARD = [
    {
        "text": "قالَ الكـاظمي 👍🏽 إنّ \u200fداعش هاجم كركوك 😀.",
        "entities": [[5, 13, "PER"], [22, 26, "ORG"], [32, 37, "LOC"]],
        "events": [[27, 31, "ATTACK"]],
        "arguments": [[0, 1, "Attacker"], [0, 2, "Place"]],
        "labels": ["SECURITY"],
    },
    {"text": "😀 وصلَ مي\u200cخواهم إلى بغـداد🌙", "entities": [[7, 15, "PER"], [20, 27, "LOC"]], "labels": []},
    {"text": "لا كيانات هنا", "labels": ["POLITICS"]},
]


def native(tmp_path: Path, records: list[dict[str, Any]], name: str = "gold.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def char_spans(sentences: list[Sentence]) -> list[tuple[str, list[Any], list[Any], list[Any], list[str]]]:
    """Every sentence's text, spans per family as [start, end, TYPE], argument links and labels."""
    found = []
    for sentence in sentences:
        record = jsonl_record(sentence)
        spans = [[list(span) for span in record[family]] for family in ("entities", "events")]
        found.append((sentence.text, *spans, record.get("arguments", []), sentence.labels))
    return found


def spans_in(records: list[dict[str, Any]]) -> int:
    return sum(len(r.get("entities", [])) + len(r.get("events", [])) for r in records)


@pytest.mark.parametrize("tool", ["labelstudio", "doccano"])
def test_native_round_trip_keeps_every_span_and_offset(tmp_path: Path, tool: str) -> None:
    gold = read_sentences(native(tmp_path, HARD))
    assert sum(len(s) for g in gold for s in g.layers.values()) == spans_in(HARD) == 6
    out = tmp_path / f"out.{tool}.json"
    write_sentences(gold, out, tool)  # type: ignore[arg-type]
    assert guess_format(out) == tool
    back = read_sentences(out)
    assert char_spans(back) == char_spans(gold)
    assert char_spans(back)[0][1] == HARD[0]["entities"] and char_spans(back)[0][3] == [[0, 1, "Attacker"],
                                                                                       [0, 2, "Place"]]  # fmt: skip


def test_doccano_offsets_are_utf16_units_and_labelstudio_offsets_code_points(tmp_path: Path) -> None:
    gold = read_sentences(native(tmp_path, HARD))
    write_sentences(gold, tmp_path / "d.jsonl", "doccano")
    write_sentences(gold, tmp_path / "l.json", "labelstudio")
    line = json.loads((tmp_path / "d.jsonl").read_text(encoding="utf-8").splitlines()[0])
    text = line["text"]
    units = text.encode("utf-16-le")
    for entity in line["entities"][:3]:  # what JavaScript's text.slice(start, end) shows
        shown = units[2 * entity["start_offset"] : 2 * entity["end_offset"]].decode("utf-16-le")
        assert shown == text[slice(*HARD[0]["entities"][entity["id"] - 1][:2])]
    assert line["entities"][0]["start_offset"] == 5 and line["entities"][1]["start_offset"] == 24  # 👍🏽 is 4 units
    task = json.loads((tmp_path / "l.json").read_text(encoding="utf-8"))[0]
    regions = [r for r in task["annotations"][0]["result"] if r["type"] == "labels"]
    assert [(r["value"]["start"], r["value"]["end"]) for r in regions][:2] == [(5, 13), (22, 26)]
    assert all(text[r["value"]["start"] : r["value"]["end"]] == r["value"]["text"] for r in regions)


@pytest.mark.parametrize("source", ["jsonl", "conll", "csv", "brat", "hf", "labelstudio", "doccano"])
@pytest.mark.parametrize("tool", ["labelstudio", "doccano"])
def test_round_trip_through_every_format_keeps_the_spans(tmp_path: Path, source: str, tool: str) -> None:
    # Token formats re-space the text: compare after they wrote it, so only the tool hop is under test.
    gold = read_sentences(native(tmp_path, HARD))
    first = tmp_path / ("first.ann" if source == "brat" else f"first.{source}")
    write_sentences(gold, first, source)  # type: ignore[arg-type]
    options = ReadOptions(columns={"entities": 1, "events": 2})  # CoNLL's tag columns, as written
    start = read_sentences(first, options, format=source)  # type: ignore[arg-type]
    assert sum(len(s) for g in start for s in g.layers.values()) == 6
    out = tmp_path / "tool.json"
    write_sentences(start, out, tool)  # type: ignore[arg-type]
    back = read_sentences(out, format=tool)  # type: ignore[arg-type]
    again = tmp_path / ("again.ann" if source == "brat" else f"again.{source}")
    write_sentences(back, again, source)  # type: ignore[arg-type]
    keeps_links = source in ("jsonl", "brat", "labelstudio", "doccano")
    expected = [(t, e, v, a if keeps_links else [], lab) for t, e, v, a, lab in char_spans(start)]
    assert char_spans(back) == expected
    assert char_spans(read_sentences(again, options, format=source)) == char_spans(start)  # type: ignore[arg-type]


ALPHABET = st.sampled_from(list("بتثجحخدرسشصضطعفقكلمنهوي") + ["\u064e", "\u0651", "\u0640", "\u200f", "\u200c", "😀",
                                                                "👍🏽", "ء"])  # fmt: skip
WORDS = st.lists(st.lists(ALPHABET, min_size=1, max_size=6).map("".join), min_size=1, max_size=10)


@st.composite
def records(draw: st.DrawFn) -> dict[str, Any]:
    """A native record on random words: entity and event spans over whole words, links between them."""
    text = " ".join(draw(WORDS))
    words = split_words(text)
    assume(words)  # a text of only invisible marks has no words: JSONL refuses it, and so does every writer
    record: dict[str, Any] = {"text": text, "labels": draw(st.lists(st.sampled_from(["A", "B"]), unique=True))}
    taken: set[int] = set()
    for family in ("entities", "events"):
        spans = []
        for _ in range(draw(st.integers(0, 3))):
            first = draw(st.integers(0, len(words) - 1))
            last = draw(st.integers(first, min(first + 2, len(words) - 1)))
            if taken & set(range(first, last + 1)):
                continue
            taken |= set(range(first, last + 1))
            spans.append([words[first][0], words[last][1], draw(st.sampled_from(["PER", "LOC", "ORG"]))])
        record[family] = sorted(spans)
    if record["entities"] and record["events"]:
        record["arguments"] = [[0, len(record["entities"]) - 1, "Target"]]
    return record


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(records(), min_size=1, max_size=4), st.sampled_from(["labelstudio", "doccano"]))
def test_random_arabic_round_trips_keep_count_and_offsets(tmp_path: Path, drawn: list[dict[str, Any]],
                                                          tool: str) -> None:  # fmt: skip
    gold = [parse_record(record, Path("-"), i) for i, record in enumerate(drawn)]
    gold = [s for s in gold if s.word_offsets]
    if not gold:
        return
    out = tmp_path / "random.json"
    write_sentences(gold, out, tool)  # type: ignore[arg-type]
    back, report = read_corpus(out, format=tool)  # type: ignore[arg-type]
    assert report.error_count == report.skipped_count == 0
    assert char_spans(back) == char_spans(gold)
    assert sum(len(s) for b in back for s in b.layers.values()) == sum(len(s) for g in gold for s in g.layers.values())


def test_utf16_offsets_map_both_ways() -> None:
    text = "ا😀بـ👍🏽ّ\u200f"
    for index in range(len(text) + 1):
        assert to_utf16(text, index) == len(text[:index].encode("utf-16-le")) // 2
        assert from_utf16(text, to_utf16(text, index)) == index
    assert from_utf16(text, 2) is None  # between the halves of 😀


def ls_task(text: str, *annotations: dict[str, Any], **data: Any) -> dict[str, Any]:
    return {"id": 1, "data": {"text": text, **data}, "annotations": list(annotations)}


def region(ident: str, start: int, end: int, text: str, label: str, control: str = "label") -> dict[str, Any]:
    value = {"start": start, "end": end, "text": text, "labels": [label]}
    return {"id": ident, "from_name": control, "to_name": "text", "type": "labels", "value": value}


def write_ls(tmp_path: Path, tasks: list[dict[str, Any]], indent: int | None = 2) -> Path:
    path = tmp_path / "export.json"
    path.write_text(json.dumps(tasks, ensure_ascii=False, indent=indent), encoding="utf-8")
    return path


def test_labelstudio_annotator_rule_cancelled_ground_truth_most_recent(tmp_path: Path) -> None:
    text = "زار محمد بغداد"
    old = {"completed_by": 3, "updated_at": "2024-01-01T10:00:00Z", "result": [region("a", 4, 8, "محمد", "PER")]}
    new = {"completed_by": 7, "updated_at": "2024-02-01T10:00:00Z", "result": [region("b", 9, 14, "بغداد", "LOC")]}
    cancelled = {"completed_by": 9, "updated_at": "2025-01-01T00:00:00Z", "was_cancelled": True, "result": []}
    path = write_ls(tmp_path, [ls_task(text, old, new, cancelled), ls_task(text, {**old, "ground_truth": True}, new),
                               ls_task(text, cancelled)])  # fmt: skip
    documents, report = read_documents(path)
    sentences = [s for d in documents for s in d]
    assert [(s.annotator, char_spans([s])[0][1]) for s in sentences] == [
        ("7", [[9, 14, "LOC"]]),
        ("3", [[4, 8, "PER"]]),
    ]
    assert any("1 task(s) without a submitted annotation" in note for note in report.notes)
    assert any("2 task(s) hold several annotations (2 disagree)" in note for note in report.notes)
    assert chosen_annotation([cancelled]) == (None, 0)
    # The annotator travels into native JSONL and back.
    write_sentences(sentences, tmp_path / "merged.jsonl")
    assert [s.annotator for s in read_sentences(tmp_path / "merged.jsonl")] == ["7", "3"]


def test_labelstudio_relations_events_choices_and_document_tasks(tmp_path: Path) -> None:
    text = "هاجم داعش كركوك\nوصل الوزير"
    result = [
        region("t", 0, 4, "هاجم", "ATTACK", control="trigger"),
        region("e", 5, 9, "داعش", "ORG"),
        region("p", 10, 15, "كركوك", "LOC"),
        region("m", 20, 26, "الوزير", "PER"),
        {"from_id": "e", "to_id": "t", "type": "relation", "direction": "left", "labels": ["Attacker"]},
        {"from_id": "t", "to_id": "p", "type": "relation", "labels": ["Place"]},
        {"from_name": "topic", "to_name": "text", "type": "choices", "value": {"choices": ["SECURITY"]}},
        {"from_name": "note", "to_name": "text", "type": "textarea", "value": {"text": ["x"]}},
    ]
    documents, report = read_documents(write_ls(tmp_path, [ls_task(text, {"completed_by": {"email": "a@b.c"},
                                                                          "result": result})]))  # fmt: skip
    first, second = documents[0]
    assert char_spans([first]) == [("هاجم داعش كركوك", [[5, 9, "ORG"], [10, 15, "LOC"]], [[0, 4, "ATTACK"]],
                                    [[0, 0, "Attacker"], [0, 1, "Place"]], ["SECURITY"])]  # fmt: skip
    assert char_spans([second])[0][:2] == ("وصل الوزير", [[4, 10, "PER"]])
    assert first.annotator == "a@b.c" and first.source.endswith("export.json:2")
    assert any("textarea (1)" in note for note in report.notes)


def test_labelstudio_utf16_export_is_converted_and_counted(tmp_path: Path) -> None:
    text = "😀 زار محمد"
    start, end = to_utf16(text, 6), to_utf16(text, 10)
    path = write_ls(tmp_path, [ls_task(text, {"result": [region("a", start, end, "محمد", "PER")]})], indent=None)
    sentences, report = read_corpus(path)
    assert char_spans(sentences)[0][1] == [[6, 10, "PER"]]
    assert report.repairs == {"Label Studio offsets in UTF-16 code units converted to characters": 1}


@pytest.mark.parametrize(
    ("result", "message"),
    [
        ([region("a", 0, 3, "محمد", "PER")], "region a text 'محمد' differs from the task text"),
        ([region("a", 4, 8, "محمد", "PER"), {"from_id": "a", "to_id": "zz", "type": "relation", "labels": ["R"]}],
         "relation 'R' names region 'zz'"),
        ([region("a", 4, 8, "محمد", "PER"), region("b", 9, 14, "بغداد", "LOC"),
          {"from_id": "a", "to_id": "b", "type": "relation", "labels": ["R"]}], "joins two entities regions"),
        ([{"id": "h", "type": "labels", "value": {"start": "/p[1]", "end": "/p[1]", "labels": ["PER"]}}],
         "has no character offsets"),
    ],
)  # fmt: skip
def test_labelstudio_problems_are_file_line_errors(tmp_path: Path, result: list[Any], message: str) -> None:
    tasks = [ls_task("زار محمد بغداد", {"result": [region("ok", 4, 8, "محمد", "PER")]}),
             ls_task("زار محمد بغداد", {"result": result})]  # fmt: skip
    path = write_ls(tmp_path, tasks)
    second = [n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line == "  {"][1]
    with pytest.raises(DataError) as caught:
        read_sentences(path)
    assert str(caught.value).startswith(f"{path}:{second}: ") and message in str(caught.value)
    assert " — " in str(caught.value)
    documents, report = read_documents(path, ReadOptions(on_error="skip"))
    assert sum(map(len, documents)) == 1 and report.skipped_sentences == 1


def test_changed_text_of_a_suggested_task_is_refused(tmp_path: Path) -> None:
    task = ls_task("زار محمد بغداد", {"result": [region("a", 4, 8, "محمد", "PER")]},
                   **{SUGGESTION_HASH: text_sha256("زار محمد")})  # fmt: skip
    with pytest.raises(DataError, match="task text changed since `hadath annotate suggest`"):
        read_sentences(write_ls(tmp_path, [task]))
    line = {"text": "زار محمد", "label": [[4, 8, "PER"]], SUGGESTION_HASH: text_sha256("زار محمد")}
    assert len(read_sentences(native(tmp_path, [line], "d.jsonl"), format="doccano")) == 1
    line[SUGGESTION_HASH] = text_sha256("other")
    with pytest.raises(DataError, match=r"d\.jsonl:1: task text changed"):
        read_sentences(native(tmp_path, [line], "d.jsonl"), format="doccano")


def test_doccano_shapes_and_errors(tmp_path: Path) -> None:
    lines = [
        {"id": 4, "text": "😀 زار محمد", "label": [[3, 6, "event:VISIT"], [7, 11, "PER"]], "Comments": []},
        {"data": "في بغداد", "label": [[3, 8, "LOC"]]},  # an older export: the text under `data`
        {"text": "هاجم داعش", "entities": [{"id": 1, "label": "event:ATTACK", "start_offset": 0, "end_offset": 4},
                                        {"id": 2, "label": "ORG", "start_offset": 5, "end_offset": 9}],
         "relations": [{"id": 3, "from_id": 1, "to_id": 2, "type": "Attacker"}], "cats": ["SECURITY"]},
    ]  # fmt: skip
    path = native(tmp_path, lines, "doccano.jsonl")
    assert guess_format(path) == "doccano"
    found = char_spans(read_sentences(path))
    assert found[0][1:3] == ([[6, 10, "PER"]], [[2, 5, "VISIT"]])
    assert found[1][1] == [[3, 8, "LOC"]]
    assert found[2][1:] == ([[5, 9, "ORG"]], [[0, 4, "ATTACK"]], [[0, 0, "Attacker"]], ["SECURITY"])
    bad = native(tmp_path, [lines[1], {"text": "😀 زار", "label": [[1, 5, "PER"]]}], "bad.jsonl")
    with pytest.raises(DataError, match=r"bad\.jsonl:2: span \[1, 5, 'PER'\] does not fall on character edges"):
        read_sentences(bad, format="doccano")


def test_native_jsonl_and_json_lists_are_told_apart(tmp_path: Path) -> None:
    assert guess_format(native(tmp_path, HARD, "plain.jsonl")) == "jsonl"
    assert guess_format(write_ls(tmp_path, [ls_task("زار", {"result": []})])) == "labelstudio"
    one_a_line = tmp_path / "tasks.jsonl"
    one_a_line.write_text(json.dumps(ls_task("زار محمد", {"result": [region("a", 4, 8, "محمد", "PER")]})) + "\n")
    assert guess_format(one_a_line) == "labelstudio" and len(read_sentences(one_a_line)) == 1


def test_data_commands_and_config_read_the_tool_formats(tmp_path: Path, cli: Any) -> None:
    from hadath.config import load_config
    from hadath.train.recipe import read_splits

    gold = native(tmp_path, HARD)
    code, err, _ = cli(["data", "convert", str(gold), str(tmp_path / "ls.json"), "--to", "labelstudio"])
    assert code == 0 and err[-1].endswith(f"wrote 3 sentences to {tmp_path / 'ls.json'}")
    code, err, out = cli(["data", "validate", str(tmp_path / "ls.json"), "--format", "labelstudio"])
    assert code == 0, err
    code, _, out = cli(["data", "stats", str(tmp_path / "ls.json")])
    assert code == 0 and json.loads(out)["sentences"] == 3
    code, err, _ = cli(["data", "convert", str(tmp_path / "ls.json"), str(tmp_path / "d.jsonl"), "--to", "doccano"])
    assert code == 0 and any("event:TYPE" in line for line in err)
    config = tmp_path / "c.yaml"
    config.write_text(f"data:\n  train: {tmp_path / 'd.jsonl'}\n  test: {tmp_path / 'ls.json'}\n  format: doccano\n")
    with pytest.raises(DataError, match="ls.json"):  # the config's one format is used for every split
        read_splits(load_config(config))
    config.write_text(f"data:\n  train: {tmp_path / 'd.jsonl'}\n  format: doccano\n")
    splits = read_splits(load_config(config))
    assert char_spans(splits.train) == char_spans(read_sentences(gold))


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 40) | st.lists(ALPHABET, max_size=8).map("".join),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["text", "data", "annotations", "result", "value", "start", "end", "labels", "label", "type",
                         "from_name", "id", "from_id", "to_id", "entities", "relations", "start_offset",
                         "end_offset", "choices", "completed_by", "was_cancelled", "ground_truth", SUGGESTION_HASH]),
        inner, max_size=6),
    max_leaves=25,
)  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(JSON_VALUES, max_size=3) | st.binary(max_size=200), st.sampled_from(["labelstudio", "doccano"]),
       st.sampled_from(["error", "repair", "skip"]), st.booleans())  # fmt: skip
def test_arbitrary_input_reads_or_raises_one_data_error(tmp_path: Path, content: Any, tool: str, policy: str,
                                                        as_list: bool) -> None:  # fmt: skip
    path = tmp_path / "fuzz.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif as_list:
        path.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
    else:
        path.write_text("".join(json.dumps(item, ensure_ascii=False) + "\n" for item in content), encoding="utf-8")
    try:
        documents, report = read_documents(path, ReadOptions(on_error=policy), tool)  # type: ignore[arg-type]
    except DataError as error:
        assert str(error).startswith(str(path)) and " — " in str(error)
        return
    for sentence in (s for d in documents for s in d):
        for start, end in sentence.word_offsets:
            assert 0 <= start < end <= len(sentence.text)
        for spans in sentence.layers.values():
            assert all(0 <= span.start < span.end <= len(sentence.word_offsets) for span in spans)


@st.composite
def near_valid_tasks(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    """A Label Studio task and a doccano line over the same random text, with random (often wrong) regions."""
    text = "".join(draw(st.lists(ALPHABET | st.sampled_from([" ", "\n", "."]), max_size=20)))
    bound = len(text) + 2
    labels = st.sampled_from(["PER", "event:ATTACK", " LOC", "O", "B-X", "", "a b"])
    spans = draw(st.lists(st.tuples(st.integers(-1, bound), st.integers(-1, bound), labels), max_size=4))
    controls = st.sampled_from(["label", "events", "trigger"])
    result: list[dict[str, Any]] = [
        {"id": f"r{i}", "from_name": draw(controls), "to_name": "text", "type": "labels",
         "value": {"start": s, "end": e, "labels": [label], **({"text": text[s:e]} if draw(st.booleans()) else {})}}
        for i, (s, e, label) in enumerate(spans)
    ]  # fmt: skip
    ids = st.sampled_from([f"r{i}" for i in range(len(spans))] + ["zz"])
    for _ in range(draw(st.integers(0, 2))):
        result.append({"from_id": draw(ids), "to_id": draw(ids), "type": "relation", "labels": [draw(labels)]})
    task = {"data": {"text": text}, "annotations": [{"result": result, "completed_by": 1}]}
    line = {"text": text, "entities": [{"id": i, "label": label, "start_offset": s, "end_offset": e}
                                       for i, (s, e, label) in enumerate(spans)]}  # fmt: skip
    return task, line


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(near_valid_tasks(), min_size=1, max_size=3), st.sampled_from(["error", "repair", "skip"]))
def test_near_valid_tasks_keep_their_spans_or_name_the_line(tmp_path: Path, drawn: list[Any], policy: str) -> None:
    for tool, records in (("labelstudio", [t for t, _ in drawn]), ("doccano", [d for _, d in drawn])):
        path = native(tmp_path, records, f"{tool}.jsonl")
        try:
            documents, _ = read_documents(path, ReadOptions(on_error=policy), tool)  # type: ignore[arg-type]
        except DataError as error:
            assert str(error).startswith(f"{path}:") and " — " in str(error)
            continue
        for sentence in (s for d in documents for s in d):
            for spans in sentence.layers.values():
                for span in spans:
                    start, end = sentence.char_span(span)
                    assert sentence.text[start:end].strip() and span.label.strip() == span.label


def test_a_label_studio_export_as_the_tool_writes_it(tmp_path: Path) -> None:
    # The task fields of Label Studio's documented JSON format (labelstud.io/guide/task_format) and more that newer
    # exports add (counts, unique_id, parent_*, ...), which the reader must ignore; an NER project with the default
    # `label`/`text` names and one annotator.
    text = "وصل وزير الخارجية فؤاد حسين إلى طهران"
    task = {
        "id": 17, "project": 3, "inner_id": 1, "file_upload": "pool.txt", "drafts": [], "predictions": [],
        "data": {"text": text}, "meta": {}, "created_at": "2024-05-01T09:00:00.000000Z",
        "updated_at": "2024-05-01T09:10:00.000000Z", "total_annotations": 1, "cancelled_annotations": 0,
        "total_predictions": 0, "comment_count": 0, "unresolved_comment_count": 0, "last_comment_updated_at": None,
        "updated_by": 1, "comment_authors": [],
        "annotations": [{
            "id": 41, "completed_by": 1, "was_cancelled": False, "ground_truth": False,
            "created_at": "2024-05-01T09:10:00.000000Z", "updated_at": "2024-05-01T09:10:00.000000Z",
            "draft_created_at": None, "lead_time": 12.4, "prediction": {}, "result_count": 0, "unique_id": "a-b-c",
            "import_id": None, "last_action": None, "task": 17, "project": 3, "updated_by": 1,
            "parent_prediction": None,
            "parent_annotation": None, "last_created_by": None,
            "result": [
                {"value": {"start": 4, "end": 17, "text": "وزير الخارجية", "labels": ["ORG"]}, "id": "Xa1",
                 "from_name": "label", "to_name": "text", "type": "labels", "origin": "manual"},
                {"value": {"start": 18, "end": 27, "text": "فؤاد حسين", "labels": ["PER"]}, "id": "Xa2",
                 "from_name": "label", "to_name": "text", "type": "labels", "origin": "prediction-changed"},
                {"value": {"start": 32, "end": 37, "text": "طهران", "labels": ["LOC"]}, "id": "Xa3",
                 "from_name": "label", "to_name": "text", "type": "labels", "origin": "manual"},
            ],
        }],
    }  # fmt: skip
    path = write_ls(tmp_path, [task], indent=None)
    sentences, report = read_corpus(path)
    assert char_spans(sentences) == [(text, [[4, 17, "ORG"], [18, 27, "PER"], [32, 37, "LOC"]], [], [], [])]
    assert sentences[0].annotator == "1" and not report.notes and report.error_count == 0
