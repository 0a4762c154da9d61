"""Every CLI command on hostile input: random bytes, Latin-1, UTF-16, empty and blank files, bad spans, ragged CoNLL,
a directory where a file belongs, a missing file, damaged model directories and bad configs.

Each failure is exit 1 with ONE line on stderr, `hadath: error: FILE[:LINE]: problem — fix`, and no traceback
(`--debug` shows one). The CLI runs in-process; one tiny model (4 training steps) serves the whole module.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from hadath.cli import main

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "corpus"
TEXT = "زار محمد بغداد"  # words at 0-3, 4-8, 9-14
# Progress bars and library notices share stderr with our message; they are not messages of ours.
pytestmark = pytest.mark.slow


def _bytes(seed: int) -> bytes:
    # A leading continuation byte makes line 1 undecodable whatever the random tail holds.
    return b"\x80" + random.Random(seed).randbytes(2000)


def _record(spans: list[list[object]]) -> str:
    return json.dumps({"text": TEXT, "entities": spans}, ensure_ascii=False) + "\n"


HOSTILE: dict[str, bytes | None] = {
    "random.jsonl": _bytes(1),
    "random.conll": _bytes(2),
    "latin1.jsonl": json.dumps({"text": "café", "entities": []}, ensure_ascii=False).encode("latin-1") + b"\n",
    "latin1.conll": "café B-PER\n".encode("latin-1"),
    "utf16.jsonl": _record([]).encode("utf-16"),
    "utf16.conll": f"{TEXT.split()[1]} B-PER\n".encode("utf-16"),
    "empty.jsonl": b"",
    "blank.jsonl": b"\n  \n\t\n",
    "blank.conll": b"\n \r\n\n",
    "reversed.jsonl": _record([[8, 4, "PER"]]).encode(),
    "out_of_range.jsonl": _record([[4, 99, "PER"]]).encode(),
    "negative.jsonl": _record([[-1, 3, "PER"]]).encode(),
    # Line 2 has extra columns (ignored), line 3 has no tag: the error names line 3.
    "ragged.conll": "زار O\nمحمد B-PER extra more\nبغداد\n\nبيت B-LOC\n".encode(),
    "directory.jsonl": None,  # a directory
}
# What reading each one as annotated data must say: (line or None, words of the problem).
DATA_ERRORS: dict[str, tuple[int | None, str]] = {
    "random.jsonl": (1, "not valid UTF-8"),
    "random.conll": (1, "not valid UTF-8"),
    "latin1.jsonl": (1, "not valid UTF-8 (byte 0xe9)"),
    "latin1.conll": (1, "not valid UTF-8 (byte 0xe9)"),
    "utf16.jsonl": (1, "file is UTF-16"),
    "utf16.conll": (1, "file is UTF-16"),
    "empty.jsonl": (None, "holds no sentences"),
    "blank.jsonl": (None, "holds no sentences"),
    "blank.conll": (None, "holds no sentences"),
    "reversed.jsonl": (1, "is outside the text"),
    "out_of_range.jsonl": (1, "is outside the text"),
    "negative.jsonl": (1, "is outside the text"),
    "ragged.conll": (3, "line has 1 column(s)"),
    "directory.jsonl": (None, "is a directory"),
    "missing.jsonl": (None, "no such file"),
}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    for name, content in HOSTILE.items():
        if content is None:
            (folder / name).mkdir()
        else:
            (folder / name).write_bytes(content)
    # Overlapping spans are nested entities (an ORG holding a LOC), not an error.
    (folder / "overlap.jsonl").write_text(_record([[4, 14, "PER"], [9, 14, "LOC"]]), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One tiny trained model (4 steps on 40 sentences) for every command that needs one."""
    folder = tmp_path_factory.mktemp("run")
    lines = (CORPUS / "train.jsonl").read_text(encoding="utf-8").splitlines()
    (folder / "train.jsonl").write_text("\n".join(lines[:40]) + "\n", encoding="utf-8")
    (folder / "dev.jsonl").write_text("\n".join(lines[40:52]) + "\n", encoding="utf-8")
    dev = folder / "dev.jsonl"
    code = main(
        ["train", str(ROOT / "configs" / "scratch.yaml"), "--output-dir", str(folder / "run"),
         "--set", "training.max_steps=4", "--set", "training.logging_steps=4", "--set", "training.tensorboard=false",
         "--set", f"data.train={folder / 'train.jsonl'}", "--set", f"data.dev={dev}", "--set", f"data.test={dev}"]
    )  # fmt: skip
    assert code == 0
    return folder / "run" / "model"


Run = Callable[[list[str]], tuple[int, list[str], str]]


def assert_one_line_error(result: tuple[int, list[str], str], path: Path, line: int | None, problem: str) -> None:
    code, lines, _ = result
    assert code == 1, lines
    assert len(lines) == 1, lines
    where = f"{path}:{line}: " if line is not None else f"{path}: "
    assert lines[0].startswith(f"hadath: error: {where}"), lines[0]
    assert problem in lines[0] and " — " in lines[0], lines[0]
    assert "Traceback" not in lines[0]


def _config(folder: Path, train: Path, extra: str = "") -> Path:
    path = folder / "experiment.yaml"
    path.write_text(f"name: hostile\ndata:\n  train: {train}\n  format: auto\n{extra}", encoding="utf-8")
    return path


@pytest.mark.parametrize("name", sorted(DATA_ERRORS))
def test_data_commands_reject_with_file_and_line(name: str, hostile: Path, cli: Run, tmp_path: Path) -> None:
    path = hostile / name
    line, problem = DATA_ERRORS[name]
    for command in (["data", "stats", str(path)], ["data", "convert", str(path), str(tmp_path / "out.jsonl")]):
        assert_one_line_error(cli(command), path, line, problem)
    assert not (tmp_path / "out.jsonl").exists()
    code, lines, out = cli(["data", "validate", str(path)])
    assert code == 1 and len(lines) == 1 and str(path) in lines[0] and "Traceback" not in lines[0]
    # validate lists every problem on stdout as FILE:LINE and ends with a one-line verdict on stderr.
    if line is not None and problem != "file is UTF-16" and "UTF-8" not in problem:
        assert f"{path}:{line}: " in out
    config = _config(tmp_path, path)
    assert_one_line_error(cli(["data", "check", str(config)]), path, line, problem)
    run_dir = tmp_path / "run"
    assert_one_line_error(cli(["train", str(config), "--output-dir", str(run_dir)]), path, line, problem)
    # Nothing was built from bad data: no checkpoints, no model.
    assert not (run_dir / "model").exists() and not (run_dir / "checkpoints").exists()


@pytest.mark.parametrize("name", sorted(DATA_ERRORS))
def test_evaluate_rejects_bad_data(name: str, hostile: Path, model_dir: Path, cli: Run, tmp_path: Path) -> None:
    line, problem = DATA_ERRORS[name]
    result = cli(["evaluate", str(model_dir), str(hostile / name), "--output-dir", str(tmp_path / "eval")])
    assert_one_line_error(result, hostile / name, line, problem)
    assert not (tmp_path / "eval").exists()


def test_overlapping_spans_are_nested_entities_not_errors(
    hostile: Path, model_dir: Path, cli: Run, tmp_path: Path
) -> None:
    path = hostile / "overlap.jsonl"
    code, _, out = cli(["data", "stats", str(path)])
    assert code == 0
    assert json.loads(out)["sentences"] == 1
    code, lines, _ = cli(["evaluate", str(model_dir), str(path), "--output-dir", str(tmp_path)])
    assert code == 0, lines
    # This model knows no nested layer: it is scored on the outer spans, the layer it has.
    gold = [line.split()[1] for line in (tmp_path / "predictions-entities.conll").read_text().splitlines() if line]
    assert gold == ["O", "B-PER", "I-PER"]


@pytest.mark.parametrize(
    ("name", "line", "problem"),
    [
        ("utf16.jsonl", 1, "file is UTF-16"),
        ("directory.jsonl", None, "is a directory"),
        ("missing.jsonl", None, "no such file"),
    ],
)
def test_predict_rejects_unreadable_input(
    name: str, line: int | None, problem: str, hostile: Path, model_dir: Path, cli: Run
) -> None:
    assert_one_line_error(cli(["predict", str(model_dir), str(hostile / name)]), hostile / name, line, problem)


@pytest.mark.parametrize("name", ["empty.jsonl", "blank.jsonl", "reversed.jsonl", "ragged.conll", "overlap.jsonl"])
def test_predict_tags_any_readable_text(name: str, hostile: Path, model_dir: Path, cli: Run) -> None:
    # predict reads text, not annotations: bad spans are ignored and every line (blank ones too) gets a record.
    code, lines, out = cli(["predict", str(model_dir), str(hostile / name)])
    assert code == 0, lines
    records = [json.loads(line) for line in out.splitlines()]
    assert len(records) == len((hostile / name).read_bytes().splitlines())
    for record in records:
        for entity in record["entities"]:
            assert record["text"][entity["start"] : entity["end"]] == entity["text"]


@pytest.mark.parametrize("name", ["random.jsonl", "empty.jsonl", "directory.jsonl", "missing.jsonl"])
def test_export_rejects_what_is_not_a_model_directory(name: str, hostile: Path, cli: Run, tmp_path: Path) -> None:
    path = hostile / name
    problem = "not a Hadath model directory" if name == "directory.jsonl" else "not a directory"
    assert_one_line_error(cli(["export", str(path), "--output-dir", str(tmp_path / "out")]), path, None, problem)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("name", "line", "problem"),
    [
        ("random.conll", 1, "not valid UTF-8"),
        ("utf16.conll", 1, "file is UTF-16"),
        ("blank.jsonl", None, "holds no text"),
        ("directory.jsonl", None, "is a directory"),
    ],
)
def test_onnx_export_checks_parity_data_first(
    name: str, line: int | None, problem: str, hostile: Path, model_dir: Path, cli: Run, tmp_path: Path
) -> None:
    out = tmp_path / "onnx"
    result = cli(["export", str(model_dir), "--onnx", "--parity-data", str(hostile / name), "--output-dir", str(out)])
    assert_one_line_error(result, hostile / name, line, problem)
    assert not out.exists()


def test_compare_rejects_files_and_damaged_predictions(
    hostile: Path, model_dir: Path, cli: Run, tmp_path: Path
) -> None:
    run = model_dir.parent
    assert_one_line_error(cli(["compare", str(hostile / "random.jsonl"), str(run)]), hostile / "random.jsonl", None,
                          "not a directory")  # fmt: skip
    for name, content, line, problem in (
        ("binary", _bytes(3), 1, "not valid UTF-8"),
        ("ragged", "زار O O\nمحمد B-PER\n".encode(), 2, "expected `token gold predicted`"),
    ):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "predictions-entities.conll").write_bytes(content)
        result = cli(["compare", str(folder), str(run)])
        assert_one_line_error(result, folder / "predictions-entities.conll", line, problem)


@pytest.mark.parametrize(
    ("damage", "problem"),
    [
        ("delete:model.safetensors", "incomplete model directory (missing model.safetensors)"),
        ("delete:hadath.json", "incomplete model directory (missing hadath.json)"),
        ("delete:hadath_heads.safetensors", "incomplete model directory (missing hadath_heads.safetensors)"),
        ("garble:model.safetensors", "cannot load the model (SafetensorError"),
        ("garble:hadath.json", "not valid JSON"),
        ("garble:tokenizer.json", "cannot load the model"),
        ("pickle:model.safetensors", "incomplete model directory (missing model.safetensors)"),
    ],
)
def test_damaged_model_directory_is_refused_by_every_command(
    damage: str, problem: str, model_dir: Path, hostile: Path, cli: Run, tmp_path: Path
) -> None:
    broken = tmp_path / "model"
    shutil.copytree(model_dir, broken)
    action, _, name = damage.partition(":")
    if action == "delete":
        (broken / name).unlink()
    elif action == "garble":
        (broken / name).write_bytes(_bytes(4))
    else:  # weights only as a pickle: never loaded, whatever the file holds
        (broken / name).rename(broken / "pytorch_model.bin")
    data = str(hostile / "overlap.jsonl")
    for command in (
        ["evaluate", str(broken), data, "--output-dir", str(tmp_path / "eval")],
        ["predict", str(broken), data],
        ["export", str(broken), "--output-dir", str(tmp_path / "export")],
    ):
        result = cli(command)
        # hadath.json is checked field by field on load: its errors name the file itself.
        named = broken / name if damage == "garble:hadath.json" else broken
        assert_one_line_error(result, named, None, problem)
    assert not (tmp_path / "eval").exists() and not (tmp_path / "export").exists()


def test_debug_shows_the_traceback(hostile: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--debug", "data", "stats", str(hostile / "latin1.jsonl")]) == 1
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err and "DataError" in err


def test_real_process_prints_one_line_and_exit_status(hostile: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "hadath", "data", "validate", str(hostile / "utf16.conll")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 1
    assert completed.stderr.strip().splitlines() == [
        f"hadath: error: {hostile / 'utf16.conll'}:1: file is UTF-16 — re-save it as UTF-8 (e.g. iconv -f UTF-16 -t "
        "UTF-8)"
    ]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("trainig:\n  epochs: 1\n", "unknown key `trainig` — did you mean `training`?"),
        (
            "model:\n  scratch:\n    hiden_size: 64\n",
            "unknown key `model.scratch.hiden_size` — did you mean `model.scratch.hidden_size`?",
        ),  # fmt: skip
        ("data:\n  normalize:\n    unify_alif: true\n", "did you mean `data.normalize.unify_alef`?"),
        ("training:\n  batch_size: big\n", "`training.batch_size` must be int, got str 'big'"),
        ("training:\n  learning_rate: [1]\n", "`training.learning_rate` must be float"),
        ("training:\n  batch_size: 0\n", "`training.batch_size` must be > 0"),
        ("model:\n  decoding: beam\n", "`model.decoding` is 'beam' — use one of"),
        ("evaluation:\n  threshold: 1.5\n", "`evaluation.threshold` must be in (0, 1)"),
    ],
)
def test_bad_config_fails_before_any_data_or_model(
    extra: str, message: str, hostile: Path, cli: Run, tmp_path: Path
) -> None:
    # The training file is random bytes: reading it first would report that instead of the config problem.
    config = tmp_path / "bad.yaml"
    text = f"name: bad\n{extra}" if extra.startswith("data:") else f"name: bad\ndata:\n  train: x\n{extra}"
    config.write_text(text.replace("data:\n", f"data:\n  train: {hostile / 'random.jsonl'}\n", 1), encoding="utf-8")
    run_dir = tmp_path / "run"
    code, lines, _ = cli(["train", str(config), "--output-dir", str(run_dir)])
    assert code == 1 and len(lines) == 1, lines
    assert lines[0].startswith(f"hadath: error: {config}: ") and message in lines[0], lines[0]
    assert not run_dir.exists()
    code, lines, _ = cli(["data", "check", str(config)])
    assert code == 1 and message in lines[0]


def test_interrupted_export_keeps_the_previous_model(
    model_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hadath.export import model_dir as export_module
    from hadath.inference.tagger import Tagger

    tagger = Tagger.load(model_dir, device="cpu")
    target = tmp_path / "model"
    export_module.export_model(tagger, target)
    before = {path.name: path.read_bytes() for path in target.iterdir()}

    def crash(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    # Weights and tokenizer are written, then the next step fails: a kill at that point in a real run.
    monkeypatch.setattr(export_module, "write_manifest", crash)
    with pytest.raises(OSError, match="disk full"):
        export_module.export_model(tagger, target, manifest={"run": "x"})
    assert {path.name: path.read_bytes() for path in target.iterdir()} == before
    with pytest.raises(OSError, match="disk full"):
        export_module.export_model(tagger, tmp_path / "fresh", manifest={"run": "x"})
    assert not (tmp_path / "fresh").exists()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["model"]  # no staging directory left behind
    Tagger.load(target, device="cpu")  # still the complete previous model


def test_stale_staging_directory_of_a_killed_export_is_cleared(model_dir: Path, tmp_path: Path) -> None:
    from hadath.export.model_dir import STAGING_MARKER, export_model
    from hadath.inference.tagger import Tagger

    # A SIGKILL skips the cleanup: the half-written copy stays under the hidden name and marker only export makes,
    # naming its owner, now dead.
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = tmp_path / ".model.hadath-staging-k1ll3d"
    stale.mkdir()
    (stale / STAGING_MARKER).write_text(f"{int(dead.stdout)}\n")
    (stale / "config.json").write_text("{}")
    # Siblings the export did not make stay, however their names look.
    for name in (".model.old", ".model.k1ll3d", ".model.hadath-staging-notours"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "keep.txt").write_text("mine")
    export_model(Tagger.load(model_dir, device="cpu"), tmp_path / "model")
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        ".model.hadath-staging-notours", ".model.k1ll3d", ".model.old", "model"
    ]  # fmt: skip
    assert all((tmp_path / name / "keep.txt").read_text() == "mine" for name in (".model.old", ".model.k1ll3d"))


def test_export_refuses_a_folder_that_is_not_a_model(model_dir: Path, tmp_path: Path, cli: Run) -> None:
    work = tmp_path / "work"
    work.mkdir()
    (work / "notes.txt").write_text("precious")
    (tmp_path / ".work.backup").mkdir()
    code, lines, _ = cli(["export", str(model_dir), "--output-dir", str(work)])
    assert code == 1 and len(lines) == 1 and "not a Hadath model" in lines[0] and "--force" in lines[0], lines
    assert (work / "notes.txt").read_text() == "precious"
    assert sorted(path.name for path in tmp_path.iterdir()) == [".work.backup", "work"]
    # An empty folder, an earlier export, and (with --force) anything else are replaced.
    empty = tmp_path / "empty"
    empty.mkdir()
    assert cli(["export", str(model_dir), "--output-dir", str(empty)])[0] == 0
    assert cli(["export", str(model_dir), "--output-dir", str(empty)])[0] == 0
    assert cli(["export", str(model_dir), "--output-dir", str(work), "--force"])[0] == 0
    assert (work / "hadath.json").is_file() and not (work / "notes.txt").exists()
    assert sorted(path.name for path in tmp_path.iterdir()) == [".work.backup", "empty", "work"]


def test_export_refuses_the_working_folder(
    model_dir: Path, tmp_path: Path, cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "code.py").write_text("print(1)")
    monkeypatch.chdir(tmp_path)
    code, lines, _ = cli(["export", str(model_dir), "--output-dir", "."])
    assert code == 1 and "not a Hadath model" in lines[0], lines
    assert sorted(path.name for path in tmp_path.iterdir()) == ["code.py"]


def test_exported_folder_has_normal_permissions(model_dir: Path, tmp_path: Path, cli: Run) -> None:
    import os

    old = os.umask(0o022)
    try:
        assert cli(["export", str(model_dir), "--output-dir", str(tmp_path / "model")])[0] == 0
    finally:
        os.umask(old)
    assert (tmp_path / "model").stat().st_mode & 0o777 == 0o755
    assert not (tmp_path / "model" / ".hadath-export-staging").exists()


def test_predict_skips_bad_records_and_keeps_going(model_dir: Path, cli: Run, tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    lines = [
        json.dumps({"text": TEXT}, ensure_ascii=False),
        '{"text": "\\ud800"}',  # a lone surrogate: no encoder takes it
        '{"text": ' + "[" * 10_000 + "]" * 10_000 + "}",
        '{"text": ' + "9" * 5000 + "}",
        "ك" * 30_001,
        TEXT,
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, errors, out = cli(["predict", str(model_dir), str(path), "--max-chars", "30000"])
    assert [json.loads(line)["text"] for line in out.splitlines()] == [TEXT, TEXT]
    assert code == 1, errors
    assert errors[:4] == [
        f"hadath: skipped {path}:2: character 0 is a lone surrogate U+D800 — fix the escape",
        f"hadath: skipped {path}:3: JSON nested too deeply — flatten the record",
        f"hadath: skipped {path}:4: JSON number too long (Exceeds the limit (4300 digits) for integer string "
        "conversion) — fix the line",
        f"hadath: skipped {path}:5: line longer than 30000 characters — split it (or raise --max-chars)",
    ]  # fmt: skip
    assert errors[4:] == ["hadath: error: 4 of 6 records skipped (listed above) — fix those lines"]


def test_predict_on_endless_input_stops(model_dir: Path) -> None:
    with open("/dev/zero", "rb") as zero:
        result = subprocess.run(
            [sys.executable, "-m", "hadath", "predict", str(model_dir), "--max-chars", "1000"],
            stdin=zero, capture_output=True, text=True, timeout=300, cwd=ROOT,
        )  # fmt: skip
    assert result.returncode == 1
    assert "hadath: error: <stdin>:1: no line end in the first 64032 bytes" in result.stderr, result.stderr[-500:]


@pytest.mark.parametrize(
    "argv",
    [
        ["predict", "MODEL", "--batch-size", "0"],
        ["predict", "MODEL", "--batch-size", "-1"],
        ["evaluate", "MODEL", "DATA", "--batch-size", "0"],
        ["serve", "MODEL", "--port", "99999"],
        ["serve", "MODEL", "--max-words", "0"],
        ["serve", "MODEL", "--read-timeout", "nan"],
        ["predict", "MODEL", "--max-chars", "0"],
    ],
)
def test_out_of_range_arguments_are_usage_errors(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    assert "error: argument --" in capsys.readouterr().err


def _edit_json(path: Path, key: str, value: object) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    *parents, last = key.split(".")
    node = data
    for part in parents:
        node = node[part]
    node[last] = value
    path.write_text(json.dumps(data), encoding="utf-8")


@pytest.mark.parametrize(
    ("file", "key", "value", "problem"),
    [
        ("hadath.json", "decoding", "../../etc/passwd", "`decoding` is '../../etc/passwd', not one of"),
        ("hadath.json", "threshold", float("nan"), "`threshold` is nan, must be a number in (0, 1)"),
        ("hadath.json", "labels.sentence_labels", "ABC", "`labels.sentence_labels` must be a list of strings"),
        ("hadath.json", "max_length", 0, "`max_length` is 0, must be in [2,"),
        ("hadath.json", "max_length", -5, "`max_length` is -5"),
        ("hadath.json", "stride", "32", "`stride` must be int, got str '32'"),
        ("hadath.json", "labels.layers.entities", ["B-PER", "O"], "must be `O` then distinct B-/I- tags"),
        ("hadath.json", "pooling", "max", "`pooling` is 'max', not one of"),
        ("hadath.json", "chains", {"entities": {"start": [0.0], "transitions": [[0.0]], "end": [0.0]}},
         "`chains.entities.start` must be"),
        ("hadath.json", "chains", {"nope": {}}, "`chains.nope` names no layer"),
        ("config.json", "num_hidden_layers", 1_000_000, "`num_hidden_layers` is 1000000, must be an integer in"),
        ("config.json", "num_hidden_layers", 500, "config.json does not belong to these weights"),
        ("config.json", "hidden_size", "big", "`hidden_size` is 'big'"),
    ],
)  # fmt: skip
def test_model_files_are_validated_on_load(
    file: str, key: str, value: object, problem: str, model_dir: Path, cli: Run, tmp_path: Path
) -> None:
    import time

    broken = tmp_path / "model"
    shutil.copytree(model_dir, broken)
    _edit_json(broken / file, key, value)
    started = time.perf_counter()
    (tmp_path / "in.txt").write_text(TEXT + "\n", encoding="utf-8")
    code, lines, out = cli(["predict", str(broken), str(tmp_path / "in.txt")])
    assert code == 1 and len(lines) == 1 and not out, lines
    assert lines[0].startswith(f"hadath: error: {broken / file}: "), lines[0]
    assert problem in lines[0] and " — " in lines[0], lines[0]
    assert time.perf_counter() - started < 20


def test_predict_skips_a_line_that_is_not_utf8_or_holds_nan_and_tags_the_rest(tmp_path: Path) -> None:
    from hadath.predict_input import input_records, text_lines

    source = tmp_path / "mixed.jsonl"
    source.write_bytes(
        b'{"text": "\xd8\xa8\xd8\xba\xd8\xaf\xd8\xa7\xd8\xaf", "id": 1}\n\xff\xfe\xfdbad\n'
        b'{"text": "x", "score": NaN}\n{"text": "y", "id": Infinity}\n{"text": "z"}\n'
    )
    records = list(input_records(text_lines(source), "jsonl", str(source)))
    kept = [r for r in records if isinstance(r, dict)]
    assert [r["text"] for r in kept] == ["بغداد", "z"]
    skipped = [r.message for r in records if not isinstance(r, dict)]
    assert skipped[0] == f"{source}:2: not valid UTF-8 (byte 0xff) — re-save the file as UTF-8"
    assert "NaN is not a JSON value" in skipped[1] and "Infinity is not a JSON value" in skipped[2]


def test_predict_skips_lines_that_are_not_utf8_and_says_so(hostile: Path, model_dir: Path, cli: Run) -> None:
    code, lines, _ = cli(["predict", str(model_dir), str(hostile / "latin1.conll")])
    assert code == 1
    assert any(line.startswith("hadath: skipped") and "not valid UTF-8 (byte 0xe9)" in line for line in lines), lines
