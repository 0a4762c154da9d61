"""Files on disk that alias or point elsewhere: a hard link of the input as convert's output, a BRAT output whose
other half is an unrelated file, a symlink in a model folder leading outside it, a Ray output folder among the
inputs. Each is refused in one line before anything is written."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from hadath.cli import main

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "corpus"
Run = Callable[[list[str]], tuple[int, list[str], str]]
RECORD = json.dumps({"text": "زار محمد بغداد", "entities": [[4, 8, "PER"], [9, 14, "LOC"]]}, ensure_ascii=False)


def test_convert_refuses_a_hard_link_of_its_input(cli: Run, tmp_path: Path) -> None:
    source = tmp_path / "a.jsonl"
    source.write_text(RECORD + "\n", encoding="utf-8")
    alias = tmp_path / "h.jsonl"
    os.link(source, alias)
    code, lines, _ = cli(["data", "convert", str(source), str(alias)])
    assert code == 1 and len(lines) == 1 and "would overwrite the input" in lines[0], lines
    assert source.read_text(encoding="utf-8") == RECORD + "\n"  # not truncated


def test_convert_refuses_a_hard_link_of_a_file_in_its_input_folder(cli: Run, tmp_path: Path) -> None:
    folder = tmp_path / "brat"
    folder.mkdir()
    (folder / "doc.txt").write_text("زار محمد بغداد\n", encoding="utf-8")
    (folder / "doc.ann").write_text("T1\tPER 4 8\tمحمد\n", encoding="utf-8")
    os.link(folder / "doc.txt", tmp_path / "out.txt")
    code, lines, _ = cli(["data", "convert", str(folder), str(tmp_path / "out.conll"), "--to", "brat"])
    assert code == 1 and "would overwrite the input" in lines[0], lines
    assert (folder / "doc.txt").read_text(encoding="utf-8") == "زار محمد بغداد\n"


def test_brat_output_never_replaces_an_unrelated_text_file(cli: Run, tmp_path: Path) -> None:
    source = tmp_path / "a.jsonl"
    source.write_text(RECORD + "\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("my notes", encoding="utf-8")
    code, lines, _ = cli(["data", "convert", str(source), str(tmp_path / "notes.ann")])
    assert code == 1 and len(lines) == 1, lines
    assert lines[0].startswith(f"hadath: error: {tmp_path / 'notes.txt'}: exists and is not half of a BRAT pair")
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "my notes"
    assert not (tmp_path / "notes.ann").exists()
    # A new name works, and so does writing over an earlier pair.
    assert cli(["data", "convert", str(source), str(tmp_path / "corpus.ann")])[0] == 0
    assert cli(["data", "convert", str(source), str(tmp_path / "corpus.ann")])[0] == 0
    assert "محمد" in (tmp_path / "corpus.ann").read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_link_out_of_the_model_folder_is_refused(cli: Run, tmp_path: Path) -> None:
    lines_in = (CORPUS / "train.jsonl").read_text(encoding="utf-8").splitlines()
    (tmp_path / "train.jsonl").write_text("\n".join(lines_in[:40]) + "\n", encoding="utf-8")
    code = main(
        ["train", str(ROOT / "configs" / "scratch.yaml"), "--output-dir", str(tmp_path / "run"),
         "--set", "training.max_steps=1", "--set", "training.logging_steps=1", "--set", "training.tensorboard=false",
         "--set", f"data.train={tmp_path / 'train.jsonl'}", "--set", "data.dev=null", "--set", "data.test=null"]
    )  # fmt: skip
    assert code == 0
    model = tmp_path / "run" / "model"
    secret = tmp_path / "secret.txt"
    secret.write_text("private key", encoding="utf-8")
    (model / "README.md").unlink()
    (model / "README.md").symlink_to(secret)
    text = tmp_path / "in.txt"
    text.write_text("زار محمد بغداد\n", encoding="utf-8")
    for command in (["predict", str(model), str(text)], ["export", str(model), "--output-dir", str(tmp_path / "x")]):
        code, lines, _ = cli(command)
        assert code == 1 and len(lines) == 1, lines
        assert lines[0].startswith(f"hadath: error: {model / 'README.md'}: a symbolic link to {secret}"), lines
    assert not (tmp_path / "x").exists()
    # A link that stays inside the folder is the file it names: it loads, and the export holds a plain copy.
    (model / "README.md").unlink()
    shutil.copy(secret, model / "card.md")
    (model / "README.md").symlink_to("card.md")
    assert cli(["export", str(model), "--output-dir", str(tmp_path / "x")])[0] == 0
    exported = tmp_path / "x" / "README.md"
    assert not exported.is_symlink() and exported.read_text(encoding="utf-8") == "private key"


@pytest.mark.parametrize("where", ["same", "inside", "contains"])
def test_ray_output_folder_must_stay_apart_from_the_inputs(where: str, cli: Run, tmp_path: Path) -> None:
    inputs = tmp_path / "texts"
    inputs.mkdir()
    (inputs / "a.txt").write_text("زار محمد بغداد\n", encoding="utf-8")
    output = {"same": inputs, "inside": inputs / "tagged", "contains": tmp_path}[where]
    code, lines, _ = cli(["predict", str(tmp_path / "no-model"), str(inputs), "--engine", "ray",
                          "--output-dir", str(output)])  # fmt: skip
    assert code == 1 and len(lines) == 1, lines
    assert lines[0].startswith(f"hadath: error: {output}: --output-dir "), lines
    assert sorted(path.name for path in inputs.iterdir()) == ["a.txt"]
