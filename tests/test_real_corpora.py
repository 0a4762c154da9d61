"""Real corpora as they come: headerless TSV, tag typos, unsegmented text, bidi-mark sentences, long lines, and the
read options shared by `data validate|stats|convert` and `evaluate`. Each test writes a small file of the shape."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hadath.cli import _parser, main
from hadath.data.errors import DataError
from hadath.data.readers import ReadOptions, ReadReport, iter_sentences, read_corpus, read_sentences
from hadath.data.repair import respell_tag
from hadath.data.schemes import TagSpan

ROOT = Path(__file__).resolve().parents[1]


def write(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


# --- A1: a headerless TSV keeps its first row ---------------------------------------------------------------------


def test_headerless_tsv_keeps_its_first_token_and_span(tmp_path: Path) -> None:
    path = write(tmp_path, "anercorp.tsv", "فرانكفورت\tB-LOC\n(د\tO\nأعلن\tO\n")
    sentences, report = read_corpus(path, ReadOptions(scheme="auto"))
    assert sentences[0].words == ["فرانكفورت", "(د", "أعلن"]
    assert sentences[0].layers == {"entities": [TagSpan(0, 1, "LOC")]}
    assert any("read as data, not a header" in note for note in report.notes)
    # Forcing a header eats the row, as before; a named header is still a header.
    (forced,) = read_sentences(path, ReadOptions(scheme="auto", header="yes"))
    assert forced.words == ["(د", "أعلن"]
    named = write(tmp_path, "named.tsv", "token\tner\nفرانكفورت\tB-LOC\n")
    (sentence,) = read_sentences(named, ReadOptions(scheme="auto"))
    assert sentence.words == ["فرانكفورت"]


def test_header_option_from_cli_and_config(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "a.tsv", "فرانكفورت\tB-LOC\nقال\tO\n")
    assert main(["data", "validate", str(path)]) == 0
    captured = capsys.readouterr()
    assert "2 sentences" not in captured.out and "1 sentences, 1 spans" in captured.out
    assert "read as data, not a header" in captured.err
    assert main(["data", "validate", str(path), "--header", "yes"]) == 0
    assert "1 sentences, 0 spans" in capsys.readouterr().out
    from hadath.config import load_config

    # A bare yes/no is a YAML boolean: it still means the choice.
    for written, meant in (("'no'", "no"), ("no", "no"), ("yes", "yes"), ("auto", "auto")):
        config = write(tmp_path, "c.yaml", f"data:\n  train: {path}\n  header: {written}\n")
        assert load_config(config).data.header == meant


# --- A2: evaluate and data commands share one definition of the read options --------------------------------------


def _read_dests(argv: list[str]) -> dict[str, object]:
    names = ("format", "columns", "scheme", "on_error", "tag_map", "split_sentences", "max_sentence_words", "header")
    args = vars(_parser().parse_args(argv))
    return {name: args[name] for name in names}


def test_evaluate_takes_the_same_read_options_as_validate() -> None:
    options = ["--format", "conll", "--scheme", "IOB2", "--on-error", "repair", "--split-sentences"]
    options += ["--tag-map", "PERS=PER", "--header", "no", "--columns", "entities=1", "--max-sentence-words", "50"]
    evaluated = _read_dests(["evaluate", "model", "data.txt", *options])
    validated = _read_dests(["data", "validate", "data.txt", *options])
    assert evaluated == validated
    assert evaluated["on_error"] == "repair" and evaluated["max_sentence_words"] == 50


# --- A3 and B: tag typos are not entity types; bad labels are refused ---------------------------------------------


@pytest.mark.parametrize(
    ("tag", "meant"),
    [("o", "O"), ("0", "O"), ("OO", "O"), ("IO", "O"), ("I-O", "O"), ("\u200f", "O"), ("b-misc", "B-misc"),
     ("I--ORG", "I-ORG"), ("B-MIS1`", "B-MIS1"), ("B-PER", None), ("O", None)],
)  # fmt: skip
def test_respell_tag(tag: str, meant: str | None) -> None:
    respelled = respell_tag(tag)
    assert (respelled[0] if respelled else None) == meant


TYPOS = "قال o\nمحمد b-PER\nعلي I--PER\nفي OO\nبغداد B-LOC`\n.\u200f \u200f\nو IO\n"


def test_repair_reads_typos_as_what_was_meant_and_counts_them(tmp_path: Path) -> None:
    path = write(tmp_path, "typos.txt", TYPOS)
    (sentence,) = read_sentences(path, ReadOptions(scheme="IOB2", on_error="repair"))
    assert sentence.layers == {"entities": [TagSpan(1, 3, "PER"), TagSpan(4, 5, "LOC")]}
    _, report = read_corpus(path, ReadOptions(scheme="IOB2", on_error="repair"))
    assert sum(count for what, count in report.repairs.items() if what.startswith("misspelled tag")) == 7


def test_typos_are_errors_with_the_fix_under_the_error_policy(tmp_path: Path) -> None:
    path = write(tmp_path, "typos.txt", TYPOS)
    report = ReadReport()
    list(iter_sentences(path, ReadOptions(scheme="IOB2"), report))
    messages = [str(problem) for problem in report.errors]
    assert len(messages) == 7 and report.warning_count == 1  # the mark glued to "." is a warning
    assert messages[0] == f"{path}:1: tag 'o' is a misspelling of O — write O (data.on_error: repair does this)"
    assert (
        messages[2]
        == f"{path}:3: tag 'I--PER' is a misspelling of I-PER — write I-PER (data.on_error: repair does this)"
    )
    assert f"{path}:6: tag '<U+200F>' is a misspelling of O" in messages[5]  # invisible marks shown, not printed
    assert not any("B-o" in message or "I-o" in message for message in messages)


@pytest.mark.parametrize(
    ("content", "name", "problem"),
    [
        ("قال\tB-PER X\n", "tab.txt", "holds whitespace"),
        ("قال B-PE\x07R\n", "ctl.txt", "invisible or control characters"),
        ("قال B-B-PER\n", "prefix.txt", "starts with a B-/I- prefix of its own"),
        ('{"text": "قال محمد", "entities": [[4, 8, "O"]]}\n', "o.jsonl", "the type O"),
        ('{"text": "قال محمد", "entities": [[4, 8, "B-PER"]]}\n', "b.jsonl", "B-/I- prefix of its own"),
        ('{"text": "قال محمد", "entities": [[4, 8, "PER\\nX"]]}\n', "nl.jsonl", "holds whitespace"),
    ],
)
def test_labels_that_cannot_round_trip_are_refused_with_file_and_line(
    tmp_path: Path, content: str, name: str, problem: str
) -> None:
    path = write(tmp_path, name, content)
    with pytest.raises(DataError) as caught:
        read_sentences(path, ReadOptions(scheme="IOB2"))
    assert str(caught.value).startswith(f"{path}:1: ") and problem in str(caught.value)


def test_rare_types_are_reported_with_the_type_they_probably_meant(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = "محمد B-PER\n\n" * 40 + "علي B-per\n\nسعيد B-PERX\n"
    path = write(tmp_path, "rare.txt", body)
    assert main(["data", "validate", str(path), "--scheme", "IOB2"]) == 0  # warnings alone pass
    capsys.readouterr()
    assert main(["data", "validate", str(path), "--scheme", "IOB2", "--strict"]) == 1
    lower, typo = sorted(capsys.readouterr().out.splitlines())
    assert lower.startswith(f"{path}:81: warning: entities type 'per' occurs in only 1 place(s)")
    assert lower.endswith("--tag-map per=PER (data.tag_map)")
    assert typo.startswith(f"{path}:83: warning: entities type 'PERX'") and "--tag-map PERX=PER" in typo


# --- A4: skip after splitting; IO on B- tags refused --------------------------------------------------------------


UNSEGMENTED = "قال O\nمحمد B-PER\n. O\nزار O\nعلي B-PER\n. O\nثم O\nعاد XYZ\n. O\n"


def test_skip_drops_only_the_bad_sentence_of_an_unsegmented_file(tmp_path: Path) -> None:
    path = write(tmp_path, "one-run.txt", UNSEGMENTED)
    options = ReadOptions(scheme="IOB2", on_error="skip", split_sentences=True)
    sentences, report = read_corpus(path, options)
    assert [s.words for s in sentences] == [["قال", "محمد", "."], ["زار", "علي", "."]]
    assert report.skipped_sentences == 1 and report.sentences_from_splitting == 2


def test_everything_skipped_says_so(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.txt", "قال XYZ\n")
    with pytest.raises(DataError, match=r"all 1 were skipped under on_error: skip"):
        read_sentences(path, ReadOptions(scheme="IOB2", on_error="skip"))


def test_io_scheme_on_prefixed_tags_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "b.txt", "محمد B-PER\nعلي B-PER\n")
    with pytest.raises(DataError, match=r"b.txt:1: .*scheme is IO .*touching spans of one type would merge"):
        read_sentences(path, ReadOptions(scheme="IO"))


# --- A5: convert never writes what its reader refuses -------------------------------------------------------------


def test_convert_drops_a_sentence_of_only_bidi_marks_and_reads_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "rlm.txt", "قال O\nمحمد B-PER\n\n\u200f O\n\nزار O\n")
    out = tmp_path / "out.jsonl"
    assert main(["data", "convert", str(path), str(out), "--scheme", "IOB2"]) == 0
    assert "1 sentence(s) dropped: text has no words" in capsys.readouterr().err
    assert [s.words for s in read_sentences(out)] == [["قال", "محمد"], ["زار"]]


# --- A6: counts, places, caps, escapes, intervals -----------------------------------------------------------------


def test_validate_caps_each_kind_and_gives_the_total(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "marks.txt", "قال\u200e O\n\n" * 100)
    assert main(["data", "validate", str(path), "--scheme", "IOB2", "--strict"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 21
    assert out[0] == (
        f"{path}:1: warning: token 'قال' has invisible mark(s) U+200E glued to it — remove them "
        "(data.on_error: repair strips them)"
    )
    assert out[-1].startswith("... 80 more of this kind not listed (first 20 shown)")


def test_data_check_counts_labels_and_names_real_lines(tmp_path: Path) -> None:
    from hadath.data.check import label_set_findings, zero_piece_findings
    from hadath.data.normalize import NormalizerSettings, normalize_word
    from hadath.models.scratch import train_wordpiece

    train = read_sentences(write(tmp_path, "train.txt", "محمد B-PER\nفي O\nبغداد B-LOC\nو B-ORG\n\u200f O\n"))
    dev = read_sentences(write(tmp_path, "dev.txt", "محمد B-PER\n"))
    findings = {f.check: f for f in label_set_findings({"train": train, "dev": dev})}
    lacking = findings["labels in train that dev/test lack"]
    assert lacking.count == 2 and lacking.examples == ["dev entities: LOC, ORG"]
    tokenizer = train_wordpiece(["محمد", "في", "بغداد", "و"] * 3, 60, 1)
    # A word of one bidi mark is never normalized to nothing (hadath/data/normalize.py): it reaches the tokenizer as
    # itself.
    (zero, *_) = zero_piece_findings({"train": train}, tokenizer, NormalizerSettings.preset("default"))
    assert zero.examples == [] and normalize_word("\u200f", NormalizerSettings.preset("default")) == "\u200f"


def test_sentence_splitting_pieces_name_their_own_line(tmp_path: Path) -> None:
    path = write(tmp_path, "s.jsonl", json.dumps({"text": "قال محمد . زار علي ."}, ensure_ascii=False) + "\n")
    conll = write(tmp_path, "s.txt", "قال O\nمحمد O\n. O\nزار O\nعلي O\n. O\n")
    assert [s.source for s in read_sentences(conll, ReadOptions(split_sentences=True))] == [f"{conll}:1", f"{conll}:4"]
    assert [s.source for s in read_sentences(path, ReadOptions(split_sentences=True))] == [
        f"{path}:1",
        f"{path}:1 (part 2)",
    ]


def test_no_interval_below_twenty_sentences() -> None:
    from hadath.evaluation.metrics import layer_metrics
    from hadath.evaluation.report import headline

    one = layer_metrics([["B-PER", "O"]], [["B-PER", "O"]])
    assert one["f1_ci95"] is None and "95% CI n/a (too few sentences)" in headline(one)
    many = layer_metrics([["B-PER", "O"]] * 20, [["B-PER", "O"]] * 20)
    assert many["f1_ci95"] == [1.0, 1.0]


# --- A7: max_sentence_words -----------------------------------------------------------------------------------------


def test_max_sentence_words_cuts_near_the_limit_never_inside_a_span(tmp_path: Path) -> None:
    words = [("كلمة", "O")] * 9 + [("محمد", "B-PER"), ("علي", "I-PER"), ("حسن", "I-PER")] + [("كلمة", "O")] * 8
    path = write(tmp_path, "long.txt", "".join(f"{w} {t}\n" for w, t in words))
    sentences, report = read_corpus(path, ReadOptions(scheme="IOB2", max_sentence_words=10))
    assert [len(s.word_offsets) for s in sentences] == [9, 10, 1]
    assert sentences[1].layers == {"entities": [TagSpan(0, 3, "PER")]}
    assert report.sentences_from_max_words == 2
    jsonl = write(tmp_path, "long.jsonl", json.dumps({"text": " ".join(w for w, _ in words)}, ensure_ascii=False))
    assert [len(s.word_offsets) for s in read_sentences(jsonl, ReadOptions(max_sentence_words=10))] == [10, 10]


# --- B: bounded lines, streaming --------------------------------------------------------------------------------


def test_a_line_longer_than_the_limit_is_an_error_naming_it(tmp_path: Path) -> None:
    path = write(tmp_path, "long.jsonl", '{"text": "قال"}\n' + '{"text": "' + "ب" * 500 + '"}\n')
    with pytest.raises(DataError, match=r"long.jsonl:2: line longer than 100 characters — .*max_line_chars"):
        read_sentences(path, ReadOptions(max_line_chars=100))


def test_readers_stream_one_sentence_at_a_time(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    path.write_bytes(b'{"text": "\xd9\x82\xd8\xa7\xd9\x84"}\n' * 3 + b"\xff broken\n")
    stream = iter_sentences(path, ReadOptions(), ReadReport())
    assert next(stream)[1].words == ["قال"]  # read before the bad line is reached
    with pytest.raises(DataError, match=r"s.jsonl:4: not valid UTF-8"):
        list(stream)


# --- A2 end to end: evaluate reads a dirty CoNLL file with the shared options -----------------------------------


@pytest.mark.slow
def test_evaluate_reads_with_the_shared_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = ROOT / "data" / "corpus"
    lines = (corpus / "train.jsonl").read_text(encoding="utf-8").splitlines()
    (tmp_path / "train.jsonl").write_text("\n".join(lines[:40]) + "\n", encoding="utf-8")
    train = tmp_path / "train.jsonl"
    assert main(
        ["train", str(ROOT / "configs" / "scratch.yaml"), "--output-dir", str(tmp_path / "run"),
         "--set", "training.max_steps=2", "--set", "training.tensorboard=false", "--set", f"data.train={train}",
         "--set", f"data.dev={train}", "--set", f"data.test={train}"]
    ) == 0  # fmt: skip
    model = tmp_path / "run" / "model"
    entity = next(span.label for s in read_sentences(train) for span in s.layers.get("entities", []))
    dirty = write(tmp_path, "dirty.tsv", f"محمد\tb-{entity}\nقال\to\nفي\tOO\n")
    capsys.readouterr()
    assert (
        main(["evaluate", str(model), str(dirty), "--output-dir", str(tmp_path / "e1"), "--columns", "entities=1"]) == 1
    )
    assert f"dirty.tsv:1: tag 'b-{entity}' is a misspelling of B-{entity} — write B-{entity}" in capsys.readouterr().err
    code = main(
        ["evaluate", str(model), str(dirty), "--output-dir", str(tmp_path / "e2"), "--on-error", "repair",
         "--columns", "entities=1", "--scheme", "IOB2"]
    )  # fmt: skip
    assert code == 0
    metrics = json.loads((tmp_path / "e2" / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["entities"]["f1_ci95"] is None  # one sentence: no interval
    assert "n/a (too few sentences)" in (tmp_path / "e2" / "report.md").read_text(encoding="utf-8")


def test_data_check_reports_rare_types(tmp_path: Path) -> None:
    from hadath.data.check import rare_type_findings

    train = read_sentences(write(tmp_path, "t.txt", "محمد B-PER\n\n" * 30 + "علي B-PRE\n"), ReadOptions(scheme="IOB2"))
    finding = rare_type_findings({"train": train})
    assert finding.count == 1 and finding.examples[0].startswith(f"{tmp_path / 't.txt'}:61: warning: entities type")
    assert "--tag-map PRE=PER" in finding.examples[0]


def test_config_reading_keys_reach_the_readers(tmp_path: Path) -> None:
    from hadath.config import ConfigError, load_config

    config = write(tmp_path, "c.yaml", "data:\n  train: t.txt\n  max_sentence_words: 40\n  max_line_chars: 5000\n")
    options = ReadOptions.from_config(load_config(config).data)
    assert (options.max_sentence_words, options.max_line_chars, options.header) == (40, 5000, "auto")
    bad = write(tmp_path, "b.yaml", "data:\n  train: t.txt\n  header: maybe\n")
    with pytest.raises(ConfigError, match=r"`data.header` is 'maybe' — use one of: auto, yes, no"):
        load_config(bad)
