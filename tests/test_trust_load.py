"""Load = verify: a model folder whose files were tampered with is refused in one line by predict and export.

Each case damages a copy of one tiny trained model the way an attacker or a bad copy would: a tensor removed, added
or resized (encoder or heads), `model_type` changed, label counts that disagree with hadath.json, `auto_map`.
Without the verification, transformers fills a missing weight at random and predict exits 0.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file, save_file

from hadath.cli import main

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "corpus"
pytestmark = pytest.mark.slow
Run = Callable[[list[str]], tuple[int, list[str], str]]


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("run")
    lines = (CORPUS / "train.jsonl").read_text(encoding="utf-8").splitlines()
    (folder / "train.jsonl").write_text("\n".join(lines[:40]) + "\n", encoding="utf-8")
    dev = folder / "dev.jsonl"
    dev.write_text("\n".join(lines[40:52]) + "\n", encoding="utf-8")
    code = main(
        ["train", str(ROOT / "configs" / "scratch.yaml"), "--output-dir", str(folder / "run"),
         "--set", "training.max_steps=2", "--set", "training.logging_steps=2", "--set", "training.tensorboard=false",
         "--set", f"data.train={folder / 'train.jsonl'}", "--set", f"data.dev={dev}", "--set", f"data.test={dev}"]
    )  # fmt: skip
    assert code == 0
    return folder / "run" / "model"


def _edit_tensors(path: Path, edit: Callable[[dict[str, torch.Tensor]], None]) -> None:
    tensors = load_file(str(path))
    edit(tensors)
    save_file(tensors, str(path), metadata={"format": "pt"})


def _edit_json(path: Path, edit: Callable[[dict], None]) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(json.dumps(data), encoding="utf-8")


WEIGHTS, HEADS = "model.safetensors", "hadath_heads.safetensors"
# name -> (file damaged, how, the file the error names, words of the problem)
TAMPERING: dict[str, tuple[str, Callable[..., None], str, str]] = {
    "encoder tensor removed": (WEIGHTS, lambda t: t.pop("classifier.weight"), WEIGHTS, "missing `classifier.weight`"),
    "encoder tensor added": (WEIGHTS, lambda t: t.update(extra=torch.zeros(2)), WEIGHTS, "holds `extra`"),
    "encoder tensor resized": (
        WEIGHTS,
        lambda t: t.update({"classifier.bias": torch.zeros(3)}),
        WEIGHTS,
        "`classifier.bias` has shape [3]",
    ),
    "head tensor removed": (HEADS, lambda t: t.pop("sentence_head.weight"), HEADS, "missing `sentence_head.weight`"),
    "head tensor added": (HEADS, lambda t: t.update({"junk.bias": torch.zeros(2)}), HEADS, "holds `junk.bias`"),
    "head tensor resized": (
        HEADS,
        lambda t: t.update({"extra_heads.events.bias": torch.zeros(1)}),
        HEADS,
        "`extra_heads.events.bias` has shape [1]",
    ),
    "model_type changed": ("config.json", lambda c: c.update(model_type="gpt2"), "config.json", "builds GPT2"),
    "model_type and architectures changed": (
        "config.json",
        lambda c: c.update(model_type="gpt2", architectures=["GPT2ForTokenClassification"]),
        WEIGHTS,
        "missing `transformer.h.0.attn",
    ),
    "unknown model_type": ("config.json", lambda c: c.update(model_type="evil"), "config.json", "`model_type` 'evil'"),
    "label count differs from hadath.json": (
        "config.json",
        lambda c: c.update(id2label={"0": "O", "1": "B-X", "2": "I-X"}),
        "config.json",
        "3 labels but hadath.json gives the first tag layer 9",
    ),
    "auto_map in config.json": (
        "config.json",
        lambda c: c.update(auto_map={"AutoModelForTokenClassification": "evil.Model"}),
        "config.json",
        "has `auto_map`",
    ),
    "auto_map in tokenizer_config.json": (
        "tokenizer_config.json",
        lambda c: c.update(auto_map={"AutoTokenizer": ["evil.Tokenizer", None]}),
        "tokenizer_config.json",
        "has `auto_map`",
    ),
}


@pytest.mark.parametrize("case", sorted(TAMPERING))
def test_a_tampered_model_is_refused_by_predict_and_export(
    case: str, model_dir: Path, cli: Run, tmp_path: Path
) -> None:
    damaged_file, edit, named, problem = TAMPERING[case]
    damaged = tmp_path / "model"
    shutil.copytree(model_dir, damaged)
    if damaged_file.endswith(".safetensors"):
        _edit_tensors(damaged / damaged_file, edit)
    else:
        _edit_json(damaged / damaged_file, edit)
    text = tmp_path / "text.txt"
    text.write_text("زار محمد بغداد\n", encoding="utf-8")
    export = ["export", str(damaged), "--output-dir", str(tmp_path / "x")]
    for command in (["predict", str(damaged), str(text)], export):
        code, lines, out = cli(command)
        assert code == 1, (command, lines)
        assert out == ""
        assert len(lines) == 1, lines
        assert lines[0].startswith(f"hadath: error: {damaged / named}: "), lines[0]
        assert problem in lines[0] and " — " in lines[0], lines[0]
    assert not (tmp_path / "x").exists()  # export wrote nothing


def test_the_untouched_model_still_loads(model_dir: Path, cli: Run, tmp_path: Path) -> None:
    text = tmp_path / "text.txt"
    text.write_text("زار محمد بغداد\n", encoding="utf-8")
    code, lines, out = cli(["predict", str(model_dir), str(text)])
    assert code == 0, lines
    assert json.loads(out)["text"] == "زار محمد بغداد"
    code, lines, _ = cli(["export", str(model_dir), "--output-dir", str(tmp_path / "export")])
    assert code == 0, lines
    code, lines, again = cli(["predict", str(tmp_path / "export"), str(text)])
    assert code == 0 and again == out


def test_a_huge_max_length_is_not_quoted_in_full(model_dir: Path, cli: Run, tmp_path: Path) -> None:
    damaged = tmp_path / "model"
    shutil.copytree(model_dir, damaged)
    text = (damaged / "hadath.json").read_text(encoding="utf-8")
    data = json.loads(text)
    huge = text.replace(f'"max_length": {data["max_length"]}', '"max_length": ' + "9" * 4000)
    assert huge != text
    (damaged / "hadath.json").write_text(huge)
    (tmp_path / "in.txt").write_text("زار\n", encoding="utf-8")
    code, lines, _ = cli(["predict", str(damaged), str(tmp_path / "in.txt")])
    assert code == 1 and len(lines) == 1 and "`max_length`" in lines[0], lines
    assert len(lines[0]) < 400, len(lines[0])


def test_a_bad_manifest_names_its_file(model_dir: Path, cli: Run, tmp_path: Path) -> None:
    damaged = tmp_path / "model"
    shutil.copytree(model_dir, damaged)
    (damaged / "manifest.json").write_text("", encoding="utf-8")
    code, lines, _ = cli(["export", str(damaged), "--output-dir", str(tmp_path / "x")])
    assert code == 1 and len(lines) == 1, lines
    assert lines[0].startswith(f"hadath: error: {damaged / 'manifest.json'}: not valid JSON"), lines
    assert not (tmp_path / "x").exists()
