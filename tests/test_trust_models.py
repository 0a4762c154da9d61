"""On a tiny trained model: one input line is held to the server's work limits in both predict engines, an ONNX
export gets the load checks a PyTorch folder gets (and the file hashes its onnx.json records), and an export is loaded
back and compared before it is installed, so a damaged write is never published."""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from safetensors.torch import load_file, save_file

from hadath.cli import main

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "corpus"
pytestmark = pytest.mark.slow
Run = Callable[[list[str]], tuple[int, list[str], str]]
TEXT = "زار محمد بغداد"
# 2,000 words of 17 x U+FDFA: 36,000 characters (inside --max-chars) that normalize to 612,000 letters and about
# 200,000 pieces; the tiny model took ~50 s on it, a line of it in a file held predict that long each time.
BOMB = " ".join(["\ufdfa" * 17] * 2000)


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("run")
    lines = (CORPUS / "train.jsonl").read_text(encoding="utf-8").splitlines()
    (folder / "train.jsonl").write_text("\n".join(lines[:40]) + "\n", encoding="utf-8")
    code = main(
        ["train", str(ROOT / "configs" / "scratch.yaml"), "--output-dir", str(folder / "run"),
         "--set", "training.max_steps=2", "--set", "training.logging_steps=2", "--set", "training.tensorboard=false",
         "--set", f"data.train={folder / 'train.jsonl'}", "--set", "data.dev=null", "--set", "data.test=null"]
    )  # fmt: skip
    assert code == 0
    return folder / "run" / "model"


@pytest.fixture(scope="module")
def onnx_dir(model_dir: Path) -> Path:
    target = model_dir.parent / "onnx"
    assert main(["export", str(model_dir), "--onnx", "--output-dir", str(target)]) == 0
    return target


def test_predict_skips_a_line_over_the_work_limits_and_tags_the_rest(model_dir: Path, cli: Run, tmp_path: Path) -> None:
    source = tmp_path / "in.txt"
    source.write_text(f"{TEXT}\n{BOMB}\n{TEXT}\n", encoding="utf-8")
    started = time.perf_counter()
    code, lines, out = cli(["predict", str(model_dir), str(source)])
    assert time.perf_counter() - started < 30
    assert code == 1, lines
    assert [json.loads(line)["text"] for line in out.splitlines()] == [TEXT, TEXT]
    assert lines[0] == (
        f"hadath: skipped {source}:2: line is over the limit of 60000 subword pieces for the model — split it (or "
        "raise --max-pieces)"
    ), lines
    assert lines[-1].startswith("hadath: error: 1 of 3 records skipped"), lines
    # The limit is the user's to raise, per line, as the server's is per request.
    code, lines, out = cli(["predict", str(model_dir), str(source), "--max-pieces", "5", "--max-characters", "10"])
    assert code == 1 and out == "", (lines, out)
    assert "line is over the limit of 10 characters once normalized" in lines[0], lines


def test_the_batch_worker_skips_a_line_over_the_work_limits(model_dir: Path, tmp_path: Path) -> None:
    from hadath.batch.plan import plan_shards
    from hadath.batch.shard_worker import ShardTagger, errors_path, shard_path
    from hadath.predict_input import PREDICT_CHUNK

    source = tmp_path / "in.txt"
    source.write_text(f"{TEXT}\n{BOMB}\n{'بغداد ' * 10_000}\n{TEXT}\n", encoding="utf-8")
    (shard,), _ = plan_shards([source], 8, PREDICT_CHUNK)
    options = {"input_format": "auto", "output_format": "jsonl", "batch_size": 8, "max_chars": 50_000}
    worker = ShardTagger(str(model_dir), str(tmp_path / "out"), options)
    started = time.perf_counter()
    assert worker.tag_shard(shard) == (2, 2)
    assert time.perf_counter() - started < 20
    errors = [json.loads(line) for line in errors_path(tmp_path / "out", shard).read_text().splitlines()]
    assert [(error["line"], error["error"]) for error in errors] == [
        (2, f"{source}:2: line is over the limit of 60000 subword pieces for the model — split it (or raise "
            "--max-pieces)"),
        (3, f"{source}:3: line longer than 50000 characters — split it (or raise --max-chars)"),
    ]  # fmt: skip
    records = [json.loads(line) for line in shard_path(tmp_path / "out", shard, "jsonl").read_text().splitlines()]
    assert [(record["line"], record["text"]) for record in records] == [(1, TEXT), (4, TEXT)]


def _edit_json(path: Path, edit: Callable[[dict], None]) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _edit_tokenizer(path: Path) -> None:
    # One vocabulary entry renamed: the file still parses and loads, and tags with other pieces.
    data = json.loads(path.read_text(encoding="utf-8"))
    vocab = data["model"]["vocab"]
    word = next(token for token in vocab if len(token) > 3 and not token.startswith(("[", "##")))
    vocab[word[::-1] + "x"] = vocab.pop(word)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def _flip_one_weight_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[-100] ^= 0x01  # inside the last initializer: the graph still loads, one weight differs
    path.write_bytes(bytes(data))


def _link_out(folder: Path) -> None:
    secret = folder.parent / "secret.txt"
    secret.write_text("private", encoding="utf-8")
    (folder / "README.md").unlink()
    (folder / "README.md").symlink_to(secret)


# name -> (damage to the copied ONNX folder, the file the error names, words of the problem)
ONNX_TAMPERING: dict[str, tuple[Callable[[Path], None], str, str]] = {
    "auto_map in tokenizer_config.json": (
        lambda d: _edit_json(d / "tokenizer_config.json", lambda c: c.update(auto_map={"AutoTokenizer": ["x.T"]})),
        "tokenizer_config.json",
        "has `auto_map`",
    ),
    "auto_map in config.json": (
        lambda d: (d / "config.json").write_text(json.dumps({"auto_map": {"AutoModel": "x.M"}}), encoding="utf-8"),
        "config.json",
        "has `auto_map`",
    ),
    "README.md links outside": (_link_out, "README.md", "a symbolic link to"),
    "model.onnx truncated": (lambda d: _truncate(d / "model.onnx"), "model.onnx", "SHA-256 differs"),
    "model.onnx weight edited": (lambda d: _flip_one_weight_byte(d / "model.onnx"), "model.onnx", "SHA-256 differs"),
    "tokenizer.json edited": (lambda d: _edit_tokenizer(d / "tokenizer.json"), "tokenizer.json", "SHA-256 differs"),
    "tokenizer.json hash dropped": (
        lambda d: _edit_json(d / "onnx.json", lambda m: m["files"].pop("tokenizer.json")),
        "onnx.json",
        "records no hash for tokenizer.json",
    ),
    "onnx.json not JSON": (lambda d: (d / "onnx.json").write_text("{"), "onnx.json", "not valid JSON"),
    "hadath.json labels unlike the graph": (
        lambda d: _edit_json(d / "hadath.json", lambda m: m["labels"]["sentence_labels"].append("EXTRA")),
        "model.onnx",
        "output logits_sentence has 3 columns but hadath.json lists 4",
    ),
}


@pytest.mark.parametrize("case", sorted(ONNX_TAMPERING))
def test_a_tampered_onnx_export_is_refused(case: str, onnx_dir: Path, cli: Run, tmp_path: Path) -> None:
    damage, named, problem = ONNX_TAMPERING[case]
    damaged = tmp_path / "onnx"
    shutil.copytree(onnx_dir, damaged)
    damage(damaged)
    text = tmp_path / "in.txt"
    text.write_text(TEXT + "\n", encoding="utf-8")
    code, lines, out = cli(["predict", str(damaged), str(text)])
    assert code == 1 and out == "", (lines, out)
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"hadath: error: {damaged / named}: "), lines[0]
    assert problem in lines[0] and " — " in lines[0], lines[0]


def test_an_untouched_onnx_export_loads_and_an_older_one_without_hashes_too(
    onnx_dir: Path, model_dir: Path, cli: Run, tmp_path: Path
) -> None:
    text = tmp_path / "in.txt"
    text.write_text(TEXT + "\n", encoding="utf-8")
    code, lines, out = cli(["predict", str(onnx_dir), str(text)])
    assert code == 0, lines
    manifest = json.loads((onnx_dir / "onnx.json").read_text(encoding="utf-8"))
    assert set(manifest["files"]) == {"model.onnx", "tokenizer.json", "tokenizer_config.json"}, manifest["files"]
    older = tmp_path / "older"
    shutil.copytree(onnx_dir, older)
    _edit_json(older / "onnx.json", lambda m: m.pop("files"))
    assert cli(["predict", str(older), str(text)])[2] == out
    # A legitimate edit of a setting (the label threshold) is not a damaged file.
    _edit_json(older / "hadath.json", lambda m: m.update(threshold=0.9))
    assert cli(["predict", str(older), str(text)])[0] == 0


def test_export_refuses_to_install_a_copy_that_does_not_load_back(
    model_dir: Path, cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hadath.export.model_dir as model_dir_module

    save_joint = model_dir_module.save_joint

    def damaged_save(model: object, directory: Path) -> None:  # a write that loses a tensor (a full disk, a bug)
        save_joint(model, directory)  # type: ignore[arg-type]
        heads = load_file(str(directory / "hadath_heads.safetensors"))
        heads.pop(sorted(heads)[0])
        save_file(heads, str(directory / "hadath_heads.safetensors"))

    monkeypatch.setattr(model_dir_module, "save_joint", damaged_save)
    target = tmp_path / "export"
    code, lines, _ = cli(["export", str(model_dir), "--output-dir", str(target)])
    assert code == 1 and len(lines) == 1, lines
    assert lines[0].startswith(f"hadath: error: {target}: the written export does not load back ("), lines[0]
    assert f"{target / 'hadath_heads.safetensors'}: missing `" in lines[0], lines[0]
    assert not target.exists() and sorted(path.name for path in tmp_path.iterdir()) == []


def test_export_refuses_to_install_weights_that_differ_from_the_model(
    model_dir: Path, cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hadath.export.model_dir as model_dir_module

    save_joint = model_dir_module.save_joint

    def bit_flip(model: object, directory: Path) -> None:  # the tensor set is right, one value is not
        save_joint(model, directory)  # type: ignore[arg-type]
        weights = load_file(str(directory / "model.safetensors"))
        weights["classifier.bias"][0] += 1.0
        save_file(weights, str(directory / "model.safetensors"), metadata={"format": "pt"})

    monkeypatch.setattr(model_dir_module, "save_joint", bit_flip)
    target = tmp_path / "export"
    code, lines, _ = cli(["export", str(model_dir), "--output-dir", str(target)])
    assert code == 1 and len(lines) == 1, lines
    assert "weight `token_model.classifier.bias` differs from the model exported" in lines[0], lines[0]
    assert not target.exists()


def test_onnx_export_refuses_to_install_a_folder_whose_settings_do_not_match_the_graph(
    model_dir: Path, cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hadath.inference.metadata import ModelMetadata

    save = ModelMetadata.save

    def wrong_labels(self: ModelMetadata, directory: Path) -> None:  # hadath.json written for another model
        save(self, directory)
        _edit_json(directory / "hadath.json", lambda m: m["labels"]["sentence_labels"].append("EXTRA"))

    monkeypatch.setattr(ModelMetadata, "save", wrong_labels)
    target = tmp_path / "onnx"
    code, lines, _ = cli(["export", str(model_dir), "--onnx", "--output-dir", str(target)])
    assert code == 1 and len(lines) == 1, lines
    assert lines[0].startswith(f"hadath: error: {target}: the written export does not load back ("), lines[0]
    assert "output logits_sentence has 3 columns but hadath.json lists 4" in lines[0], lines[0]
    assert not target.exists()


def test_a_model_folder_asking_for_remote_code_is_refused_before_torch_loads(model_dir: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    damaged = tmp_path / "model"
    shutil.copytree(model_dir, damaged)
    _edit_json(damaged / "config.json", lambda c: c.update(auto_map={"AutoModelForTokenClassification": "x.M"}))
    probe = (
        "import sys; from hadath.inference.tagger import load_explained\n"
        "try:\n    load_explained(sys.argv[1])\nexcept ValueError as error:\n    print(error)\n"
        "print('torch' in sys.modules, 'transformers' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", probe, str(damaged)], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)  # fmt: skip
    message, imported = done.stdout.strip().splitlines()
    assert message.startswith(f"{damaged / 'config.json'}: has `auto_map`"), done
    assert imported == "False False", done  # refused in about a second, not after loading the libraries
