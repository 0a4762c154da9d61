"""Event arguments end to end with a tiny real scratch BERT: train with `model.arguments=true` → metrics.json →
`hadath predict` records with exact offsets → ONNX export whose NumPy linking agrees with PyTorch."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from hadath.cli import main
from hadath.inference.tagger import Tagger

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "corpus"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("run")
    code = main(
        ["train", str(ROOT / "configs" / "scratch.yaml"), "--output-dir", str(output),
         "--set", "training.max_steps=240", "--set", "training.logging_steps=80", "--set", "model.arguments=true",
         "--set", f"data.test={CORPUS / 'dev.jsonl'}"]
    )  # fmt: skip
    assert code == 0
    return output


def _texts(limit: int = 40) -> list[str]:
    with (CORPUS / "dev.jsonl").open(encoding="utf-8") as handle:
        return [json.loads(line)["text"] for _, line in zip(range(limit), handle, strict=False)]


def _arguments(records: list[dict]) -> list[tuple]:
    return [
        (r["text"], e["start"], e["end"], a["role"], a["start"], a["end"], a["label"])
        for r in records
        for e in r["events"]
        for a in e["arguments"]
    ]


def test_metrics_and_reports_carry_the_argument_scores(run_dir: Path) -> None:
    block = json.loads((run_dir / "metrics.json").read_text())["arguments"]
    assert block["support"] == 232  # dev links
    assert set(block["scorings"]) == {
        "gold triggers and entities · classification (ACE)",
        "gold triggers and entities · identification",
        "end to end · classification (ACE)",
        "end to end · identification",
    }
    assert block["f1"] > 0.3 and block["per_type"]["Place"]["support"] == 76
    assert "end to end · classification (ACE)" in (run_dir / "report.md").read_text(encoding="utf-8")
    assert "gold triggers and entities" in (run_dir / "report.html").read_text(encoding="utf-8")


def test_predicted_arguments_have_exact_offsets(
    run_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    texts = _texts()
    source = tmp_path / "in.txt"
    source.write_text("\n".join(texts) + "\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["predict", str(run_dir / "model"), str(source), "--device", "cpu"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    found = _arguments(records)
    assert len(found) >= 10
    for record in records:
        entities = {(e["start"], e["end"], e["label"]) for e in record["entities"]}
        for event in record["events"]:
            for argument in event["arguments"]:
                assert record["text"][argument["start"] : argument["end"]] == argument["text"]
                assert (argument["start"], argument["end"], argument["label"]) in entities
    assert Tagger.load(run_dir / "model", device="cpu").predict(texts) == records


def test_onnx_export_links_the_same_arguments(run_dir: Path, tmp_path: Path) -> None:
    onnx = tmp_path / "onnx"
    assert main(["export", str(run_dir / "model"), "--onnx", "--output-dir", str(onnx)]) == 0
    assert (onnx / "arguments.safetensors").is_file()
    manifest = json.loads((onnx / "onnx.json").read_text())
    assert all(name.startswith("logits_") for name in manifest["outputs"])  # the scorer needs no encoder states
    texts = _texts()
    torch_records = Tagger.load(run_dir / "model", device="cpu").predict(texts)
    onnx_records = Tagger.load(onnx, device="cpu").predict(texts)
    assert _arguments(torch_records) and _arguments(onnx_records) == _arguments(torch_records)


CHROMIUM = Path("/usr/bin/chromium")


def test_serve_returns_and_draws_the_arguments(run_dir: Path, tmp_path: Path) -> None:
    import http.client
    import socket
    import subprocess
    import threading
    import time
    import urllib.parse

    import uvicorn

    from hadath.serve import Limits, create_app

    tagger = Tagger.load(run_dir / "model", device="cpu")
    texts = _texts(12)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    host, port = sock.getsockname()
    instance = uvicorn.Server(uvicorn.Config(create_app(tagger, Limits(batch_size=8)), log_level="warning"))
    thread = threading.Thread(target=instance.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not instance.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    try:
        connection = http.client.HTTPConnection(host, port, timeout=30)
        body = json.dumps({"texts": texts}, ensure_ascii=False).encode()
        connection.request("POST", "/predict", body=body, headers={"Content-Type": "application/json"})
        records = json.loads(connection.getresponse().read())["records"]
        assert _arguments(records) == _arguments(tagger.predict(texts))
        assert _arguments(records)
        if CHROMIUM.is_file():
            text = next(r["text"] for r in records if _arguments([r]))
            url = f"http://{host}:{port}/?text={urllib.parse.quote(text)}"
            flags = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=10000",
                     f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", url]  # fmt: skip
            dom = subprocess.run(flags, capture_output=True, text=True, timeout=120).stdout
            assert '<ul class="arguments">' in dom and "→" in dom, dom[-2000:]
    finally:
        instance.should_exit = True
        thread.join(timeout=10)
        sock.close()


def test_a_model_with_an_older_argument_head_says_retrain(run_dir: Path, tmp_path: Path) -> None:
    import shutil

    from safetensors.torch import load_file, save_file

    from hadath.commands import load_tagger

    model = tmp_path / "model"
    shutil.copytree(run_dir / "model", model)
    heads = load_file(str(model / "hadath_heads.safetensors"))
    key = next(k for k in heads if k.startswith("argument_head."))
    heads["argument_head.span_projection.weight"] = heads.pop(key)  # a weight the current head does not have
    save_file(heads, str(model / "hadath_heads.safetensors"))
    with pytest.raises(ValueError, match="older Hadath .* retrain the model"):
        load_tagger(model)


def test_a_head_on_span_states_trains_exports_and_links_the_same_in_onnx(tmp_path: Path) -> None:
    """`model.argument_states`: the graph answers the projected piece states, NumPy pools them, ONNX = PyTorch."""
    from safetensors import safe_open

    small = tmp_path / "small.jsonl"
    small.write_text("".join((CORPUS / "dev.jsonl").read_text(encoding="utf-8").splitlines(True)[:48]), "utf-8")
    run, onnx = tmp_path / "run", tmp_path / "onnx"
    code = main(["train", str(ROOT / "configs" / "scratch.yaml"), "--output-dir", str(run),
                 *(item for split in ("train", "dev", "test") for item in ("--set", f"data.{split}={small}")),
                 "--set", "training.max_steps=32", "--set", "training.batch_size=8", "--set", "model.arguments=true",
                 "--set", "model.argument_states=true", "--set", "training.tensorboard=false",
                 "--set", "model.factuality=false"])  # fmt: skip
    assert code == 0
    assert json.loads((run / "model" / "hadath.json").read_text())["argument_states"] is True
    with safe_open(str(run / "model" / "hadath_heads.safetensors"), "np") as heads:
        assert heads.get_tensor("argument_head.span.weight").shape == (256, 128)  # 2 × head width, encoder width
    assert "arguments" in json.loads((run / "metrics.json").read_text())
    assert main(["export", str(run / "model"), "--onnx", "--output-dir", str(onnx)]) == 0
    assert "argument_states" in json.loads((onnx / "onnx.json").read_text())["outputs"]
    from hadath.data.argument_pairs import family_spans
    from hadath.data.readers import read_sentences

    sentences = read_sentences(small)[:16]
    linked = {}
    for name, directory in (("torch", run / "model"), ("onnx", onnx)):
        tagger = Tagger.load(directory, device="cpu")
        predictions = tagger.predict_sentences(sentences)
        assert all(p.argument_states is not None for p in predictions)
        gold = [tagger.scorer.link(s.words, family_spans(s, "events"), family_spans(s, "entities"), p.argument_states)
                for s, p in zip(sentences, predictions, strict=True)]  # type: ignore[union-attr]  # fmt: skip
        linked[name] = (predictions, gold)
    (torch_predictions, torch_gold), (onnx_predictions, onnx_gold) = linked["torch"], linked["onnx"]
    for a, b in zip(torch_predictions, onnx_predictions, strict=True):
        assert np.allclose(a.argument_states.sums, b.argument_states.sums, atol=1e-3)  # type: ignore[union-attr]
    # The same links and roles from gold spans (where every sentence has pairs), scores within float noise.
    assert sum(len(links) for links in torch_gold) > 0
    assert [[(a.trigger, a.entity, a.role) for a in links] for links in torch_gold] == [
        [(a.trigger, a.entity, a.role) for a in links] for links in onnx_gold
    ]
    torch_scores = [a.score for links in torch_gold for a in links]
    assert np.allclose(torch_scores, [a.score for links in onnx_gold for a in links], atol=1e-3)
