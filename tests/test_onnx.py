"""ONNX export and inference: parity with PyTorch, identical records, no torch import on the ONNX path."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from hadath.cli import main
from hadath.inference.backends import LightTokenizer, log_softmax, sigmoid

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "corpus"
TEXTS = [
    "شنت طائرات التحالف غارات على مواقع داعش في كركوك يوم الثلاثاء.",
    "والكاظمي\u200f قال ذلك",
    "",
    "اعتقلت الشرطة  مُحَمَّد  في بغداد",
]


def test_numpy_activations_match_their_definitions() -> None:
    logits = np.array([[1.0, 2.0, 3.0], [1000.0, 0.0, -1000.0]], dtype=np.float32)
    expected = (
        logits
        - np.log(np.exp(logits - logits.max(-1, keepdims=True)).sum(-1, keepdims=True))
        - logits.max(-1, keepdims=True)
    )
    assert np.allclose(log_softmax(logits), expected, atol=1e-5)
    assert np.allclose(np.exp(log_softmax(logits)).sum(-1), 1.0)
    assert np.allclose(sigmoid(np.array([0.0, 50.0, -50.0])), [0.5, 1.0, 0.0], atol=1e-6)


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("run")
    # 80 steps: after 40 the scratch model decoded no span on corpus v3 (half its sentences have no event).
    code = main(
        ["train", str(ROOT / "configs" / "scratch.yaml"), "--output-dir", str(output),
         "--set", "training.max_steps=80", "--set", "training.logging_steps=4",
         "--set", f"data.test={CORPUS / 'dev.jsonl'}"]
    )  # fmt: skip
    assert code == 0
    return output / "model"


@pytest.fixture(scope="module")
def onnx_dirs(model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("onnx")
    dirs = {"fp32": base / "fp32", "int8": base / "int8"}
    assert main(["export", str(model_dir.parent), "--onnx", "--output-dir", str(dirs["fp32"])]) == 0
    assert main(["export", str(model_dir), "--onnx", "--int8", "--output-dir", str(dirs["int8"])]) == 0
    return dirs


def _spans(record: dict) -> tuple:
    return tuple((s["start"], s["end"], s["label"]) for s in record["entities"] + record["events"])


@pytest.mark.slow
def test_export_writes_graph_tokenizer_metadata_and_parity(onnx_dirs: dict[str, Path]) -> None:
    for kind, directory in onnx_dirs.items():
        for name in ("model.onnx", "onnx.json", "hadath.json", "tokenizer.json", "tokenizer_config.json"):
            assert (directory / name).is_file(), (kind, name)
        assert not list(directory.glob("*.safetensors"))
        manifest = json.loads((directory / "onnx.json").read_text())
        assert manifest["quantization"] == ("dynamic-int8" if kind == "int8" else None)
        assert manifest["outputs"] == ["logits_entities", "logits_events", "logits_sentence", "logits_factuality"]
        parity = manifest["parity"]
        assert parity["tokenizer_match"] is True
        assert parity["tokens"] > 1000 and parity["windows"] > parity["sentences"]  # the long document was windowed
        floor = 0.999 if kind == "fp32" else 0.95
        assert min(parity["argmax_agreement"].values()) >= floor, parity
    assert json.loads((onnx_dirs["fp32"] / "onnx.json").read_text())["parity"]["max_abs_prob_diff"] < 1e-3
    fp32_size = (onnx_dirs["fp32"] / "model.onnx").stat().st_size
    assert (onnx_dirs["int8"] / "model.onnx").stat().st_size < 0.6 * fp32_size


@pytest.mark.slow
def test_int8_keeps_each_layers_feed_forward_output_fp32_and_quantizes_the_rest(onnx_dirs: dict[str, Path]) -> None:
    import onnx

    kept = json.loads((onnx_dirs["int8"] / "onnx.json").read_text())["fp32_nodes"]
    assert len(kept) == 2  # configs/scratch.yaml: two encoder layers, one feed-forward output each
    nodes = {node.name: node.op_type for node in onnx.load(str(onnx_dirs["int8"] / "model.onnx")).graph.node}
    assert all(nodes[name] == "MatMul" for name in kept)
    # The other projections (attention q/k/v/output, feed-forward input, the heads) are integer matmuls.
    assert sum(op == "MatMulInteger" for op in nodes.values()) >= 2 * 5
    assert json.loads((onnx_dirs["fp32"] / "onnx.json").read_text())["fp32_nodes"] == []


@pytest.mark.slow
def test_onnx_tagger_gives_the_pytorch_records(model_dir: Path, onnx_dirs: dict[str, Path]) -> None:
    from hadath.inference.tagger import Tagger

    long_document = " ".join(json.loads(line)["text"] for line in (CORPUS / "dev.jsonl").open().readlines()[:40])
    texts = [*TEXTS, long_document]
    reference = Tagger.load(model_dir, device="cpu").predict(texts)
    fp32 = Tagger.load(onnx_dirs["fp32"]).predict(texts, batch_size=3)
    assert [_spans(r) for r in fp32] == [_spans(r) for r in reference]
    assert sum(len(_spans(r)) for r in reference) >= 2, "no spans predicted: the comparisons below check nothing"
    assert [r["labels"] for r in fp32] == [r["labels"] for r in reference]
    for got, expected in zip(fp32, reference, strict=True):
        assert got["text"] == expected["text"]
        scores = [s["score"] for s in got["entities"] + got["events"]]
        assert np.allclose(scores, [s["score"] for s in expected["entities"] + expected["events"]], atol=2e-4)
    int8 = Tagger.load(onnx_dirs["int8"]).predict(texts)
    assert sum(len(_spans(r)) for r in int8) >= 2, "no spans predicted by the int8 model"
    for record in int8:
        assert set(record) == {"text", "entities", "events", "labels"}
        for span in record["entities"] + record["events"]:
            assert record["text"][span["start"] : span["end"]] == span["text"]


@pytest.mark.slow
def test_light_tokenizer_reads_the_same_ids_and_specials(model_dir: Path) -> None:
    from transformers import AutoTokenizer

    full, light = AutoTokenizer.from_pretrained(model_dir), LightTokenizer(model_dir)
    words = ["والكاظمي", "كركوك", "2024", "abc", "؟", "مُحَمَّد"]
    assert light(words, add_special_tokens=False)["input_ids"] == full(words, add_special_tokens=False)["input_ids"]
    for name in ("unk_token_id", "pad_token_id", "cls_token_id", "sep_token_id", "bos_token_id", "eos_token_id"):
        assert getattr(light, name) == getattr(full, name), name


@pytest.mark.slow
def test_predict_on_onnx_never_imports_torch(onnx_dirs: dict[str, Path], tmp_path: Path) -> None:
    source = tmp_path / "in.txt"
    source.write_text("\n".join(TEXTS) + "\n" + json.dumps({"text": "قال الكاظمي في بغداد"}) + "\n")
    script = (
        "import sys; from hadath.cli import main; code = main(['predict', sys.argv[1], sys.argv[2]]);"
        "sys.stderr.write(repr(sorted(m for m in ('torch', 'transformers') if m in sys.modules)));"
        "raise SystemExit(code)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(onnx_dirs["int8"]), str(source)],
        capture_output=True, text=True, env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stderr.endswith("[]")
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["text"] for r in records] == [*TEXTS, "قال الكاظمي في بغداد"]


def test_export_refuses_int8_without_onnx_and_incomplete_onnx_dirs(tmp_path: Path) -> None:
    assert main(["export", str(tmp_path), "--int8", "--output-dir", str(tmp_path / "out")]) == 1
    (tmp_path / "model.onnx").write_bytes(b"")
    from hadath.inference.tagger import Tagger

    with pytest.raises(FileNotFoundError, match="onnx.json"):
        Tagger.load(tmp_path)


@pytest.mark.slow
def test_export_prints_no_third_party_noise(model_dir: Path, tmp_path: Path) -> None:
    command = [sys.executable, "-m", "hadath", "export", str(model_dir), "--onnx", "--int8",
               "--output-dir", str(tmp_path / "int8")]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT, env=env)
    assert result.stderr.strip().splitlines()[-1].startswith("hadath: int8 ONNX exported to")
    assert "torchvision" not in result.stderr and "pre-processing" not in result.stderr


def test_the_thread_policy_governs_onnxruntime(onnx_dirs: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """`threads: auto` (OMP_NUM_THREADS when set) caps onnxruntime as it caps PyTorch: its default of one thread per
    core collapses beside a busy process."""
    from hadath.commands import load_tagger

    for threads in (1, 3):
        monkeypatch.setenv("OMP_NUM_THREADS", str(threads))
        tagger = load_tagger(onnx_dirs["int8"])
        assert tagger.backend.session.get_session_options().intra_op_num_threads == threads
