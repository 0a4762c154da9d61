"""Loading is safe: no pickles, no remote code, safetensors only for a model directory; the server binds loopback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hadath.cli import main

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT / folder for folder in ("hadath", "data", "models", "inference", "train", "evaluation", "export")]
# Code that would unpickle (run arbitrary code from) a file, or run a model repository's own Python.
UNSAFE = {
    "torch.load": re.compile(r"\btorch\.load\s*\("),
    "pickle import": re.compile(r"^\s*(?:import|from)\s+(?:pickle|cPickle|dill|cloudpickle|joblib|_pickle)\b", re.M),
    "pickle.load": re.compile(r"\bpickle\.loads?\s*\("),
    "trust_remote_code=True": re.compile(r"trust_remote_code\s*=\s*True"),
    "allow_pickle=True": re.compile(r"allow_pickle\s*=\s*True"),
    "weights_only=False": re.compile(r"weights_only\s*=\s*False"),
}


def _python_files() -> list[Path]:
    files = [path for folder in SOURCES for path in folder.rglob("*.py")]
    assert len(files) > 40  # the scan sees the package, not an empty folder
    return files


@pytest.mark.parametrize("name", sorted(UNSAFE))
def test_no_unsafe_loading_in_the_source(name: str) -> None:
    hits = [
        f"{path.relative_to(ROOT)}:{text[: match.start()].count(chr(10)) + 1}"
        for path in _python_files()
        for text in [path.read_text(encoding="utf-8")]
        for match in UNSAFE[name].finditer(text)
    ]
    assert hits == [], f"{name} in {hits}"


def test_the_scan_would_catch_a_pickle_load() -> None:
    sample = "import pickle\nstate = torch.load(path)\nAutoModel.from_pretrained(x, trust_remote_code=True)\n"
    assert all(UNSAFE[name].search(sample) for name in ("torch.load", "pickle import", "trust_remote_code=True"))


def test_model_weights_load_only_from_safetensors(tmp_path: Path) -> None:
    """A directory holding a real `pytorch_model.bin` (a pickle) and no safetensors is refused by the loader itself,
    even past the Tagger's file check: `load_joint` never falls back to torch.load."""
    import torch
    from transformers import BertConfig, BertForTokenClassification

    from hadath.inference.tagger import check_model_dir
    from hadath.models.checkpoint import load_joint

    config = BertConfig(vocab_size=30, hidden_size=8, num_hidden_layers=1, num_attention_heads=2, intermediate_size=8)
    config.save_pretrained(tmp_path)
    torch.save(BertForTokenClassification(config).state_dict(), tmp_path / "pytorch_model.bin")
    assert not list(tmp_path.glob("*.safetensors"))
    with pytest.raises(FileNotFoundError, match=r"missing model\.safetensors"):
        check_model_dir(tmp_path)
    with pytest.raises(OSError, match="safetensors"):
        load_joint(tmp_path, {"entities": 2}, 0)


def test_server_binds_loopback_by_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from hadath import commands, serve

    bound: dict[str, object] = {}
    listen = serve.listen

    def record_listen(host: str, port: int) -> object:
        bound.update(host=host, port=port)
        return listen(host, 0)  # a free port: 8000 may be taken on this machine

    monkeypatch.setattr(commands, "load_tagger", lambda directory, device="auto": "tagger")
    monkeypatch.setattr(serve, "listen", record_listen)
    monkeypatch.setattr(serve, "run_server", lambda tagger, sock, limits: bound.update(app=(tagger, limits)))
    assert main(["serve", str(tmp_path)]) == 0
    assert bound["host"] == "127.0.0.1" and bound["port"] == 8000
    app = bound["app"]
    assert isinstance(app, tuple)
    limits = app[1]
    assert (limits.max_bytes, limits.max_texts, limits.batch_size) == (1_000_000, 256, 32)
