"""What a new user meets in the first hour: messages that point at the right fix, the plain-pipeline entity layer,
run directories that are never silently mixed, records that keep the input's fields, data commands that report
what training really uses."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from hadath.cli import main

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "corpus"
QUICKSTART = ROOT / "configs" / "scratch.yaml"
TEXT = "شنت طائرات التحالف غارات على مواقع داعش في كركوك"
Run = Callable[[list[str]], tuple[int, list[str], str]]


def _small_run(folder: Path) -> list[str]:
    lines = (CORPUS / "train.jsonl").read_text(encoding="utf-8").splitlines()
    (folder / "train.jsonl").write_text("\n".join(lines[:40]) + "\n", encoding="utf-8")
    (folder / "dev.jsonl").write_text("\n".join(lines[40:52]) + "\n", encoding="utf-8")
    dev = folder / "dev.jsonl"
    sets = ["training.max_steps=4", "training.logging_steps=4", "training.tensorboard=false",
            f"data.train={folder / 'train.jsonl'}", f"data.dev={dev}", f"data.test={dev}"]  # fmt: skip
    return [item for value in sets for item in ("--set", value)]


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One tiny trained run (4 steps on 40 sentences)."""
    folder = tmp_path_factory.mktemp("first-hour")
    assert main(["train", str(QUICKSTART), "--output-dir", str(folder / "run"), *_small_run(folder)]) == 0
    return folder / "run"


# 4. A CUDA request on a CPU-only torch.


@pytest.mark.skipif(__import__("torch").cuda.is_available(), reason="this machine has CUDA")
def test_cuda_request_without_cuda_names_the_fix() -> None:
    from hadath.config import ConfigError
    from hadath.inference.backends import resolve_torch_device

    with pytest.raises(ConfigError, match=r"^--device cuda: .* — use --device cpu \(or auto\), or install a CUDA"):
        resolve_torch_device("cuda")
    assert resolve_torch_device("auto") == "cpu"


@pytest.mark.slow
@pytest.mark.skipif(__import__("torch").cuda.is_available(), reason="this machine has CUDA")
def test_predict_on_cuda_without_cuda_is_one_line_not_a_damaged_model(run_dir: Path, cli: Run, tmp_path: Path) -> None:
    source = tmp_path / "in.txt"
    source.write_text(TEXT + "\n", encoding="utf-8")
    code, lines, _ = cli(["predict", str(run_dir / "model"), str(source), "--device", "cuda"])
    assert code == 1 and len(lines) == 1, lines
    assert "--device cpu" in lines[0] and "CUDA build of torch" in lines[0] and "damaged" not in lines[0], lines[0]


# 5. The emission scores of a CRF layer are trained to be a tagger on their own.


def test_crf_layers_add_a_weighted_cross_entropy_on_their_emissions() -> None:
    import torch

    from hadath.config import ScratchConfig
    from hadath.data.align import IGNORE
    from hadath.models.decoding import build_constraints
    from hadath.models.joint import JointTagger
    from hadath.models.scratch import scratch_bert

    tags = ["O", "B-PER", "I-PER"]
    torch.manual_seed(0)
    shape = ScratchConfig(hidden_size=16, num_layers=1, num_heads=2, intermediate_size=32)
    token_model = scratch_bert(50, shape, max_length=16, labels=tags)
    ids = torch.randint(5, 50, (2, 6))
    mask = torch.ones_like(ids)
    labels = torch.tensor([[IGNORE, 1, 2, 0, IGNORE, IGNORE], [IGNORE, 0, IGNORE, 1, 0, IGNORE]])
    crf = {"entities": build_constraints(tags, "IOB2")}
    losses = {}
    for weight in (0.0, 0.5):
        model = JointTagger(token_model, {"entities": 3}, 0, crf_constraints=crf, emission_loss=weight).eval()
        with torch.no_grad():
            outputs = model(input_ids=ids, attention_mask=mask, labels_entities=labels)
        losses[weight] = outputs["loss"]
    logits = outputs["logits_entities"]
    cross_entropy = torch.nn.functional.cross_entropy(logits.reshape(-1, 3), labels.reshape(-1), ignore_index=IGNORE)
    assert float(cross_entropy) > 0.1
    assert float(losses[0.5] - losses[0.0]) == pytest.approx(0.5 * float(cross_entropy), rel=1e-5)


def test_emission_loss_is_on_by_default_and_never_negative(tmp_path: Path) -> None:
    from hadath.config import ConfigError, load_config

    assert load_config(QUICKSTART).model.emission_loss == 1.0
    with pytest.raises(ConfigError, match="model.emission_loss"):
        load_config(QUICKSTART, ["model.emission_loss=-1"])


def test_model_card_says_what_the_plain_pipeline_does_not_do(tmp_path: Path) -> None:
    from hadath.config import load_config
    from hadath.data.encode import build_label_space
    from hadath.data.normalize import NormalizerSettings
    from hadath.data.readers import read_sentences
    from hadath.export.model_card import model_card
    from hadath.inference.metadata import ModelMetadata

    space = build_label_space(read_sentences(CORPUS / "dev.jsonl"))
    metadata = ModelMetadata(space, NormalizerSettings.preset("default"), 128, 32, "crf", 0.5, "q", "mean", {})
    block = {"precision": 0.5, "recall": 0.5, "f1": 0.5}
    card = model_card(metadata, load_config(QUICKSTART), {"entities": block})
    assert 'aggregation_strategy="first"' in card and "CRF" in card and "no event triggers" in card
    # The limitation about the scores points at the Evaluation section, which comes before it.
    assert card.index("## Evaluation") < card.index("The scores under Evaluation")
    assert "Scores below" not in card
    # Data paths are shown relative to where training ran (or by name), never as this machine's absolute paths.
    assert "`/" not in card and "train.jsonl`" in card


# 6. A run directory is never silently mixed with a new run.


def test_train_refuses_an_existing_run_without_resume_or_overwrite(tmp_path: Path, cli: Run) -> None:
    run = tmp_path / "run"
    (run / "model").mkdir(parents=True)
    (run / "config.yaml").write_text("name: old\n", encoding="utf-8")
    code, lines, _ = cli(["train", str(QUICKSTART), "--output-dir", str(run)])
    assert code == 1 and len(lines) == 1, lines
    assert (
        lines[0].startswith(f"hadath: error: {run}: already holds a run — add --resume") and "--overwrite" in lines[0]
    )
    assert (run / "config.yaml").read_text(encoding="utf-8") == "name: old\n"  # untouched

    code, lines, _ = cli(["train", str(QUICKSTART), "--output-dir", str(run), "--resume", "--overwrite"])
    assert code == 1 and "pass one of them" in lines[0]

    stranger = tmp_path / "photos"
    stranger.mkdir()
    (stranger / "holiday.jpg").write_bytes(b"\xff\xd8")
    code, lines, _ = cli(["train", str(QUICKSTART), "--output-dir", str(stranger), "--overwrite"])
    assert code == 1 and "holds no Hadath run" in lines[0], lines
    assert (stranger / "holiday.jpg").is_file()


@pytest.mark.slow
def test_overwrite_replaces_the_old_run_and_evaluate_says_it_replaced(tmp_path: Path, cli: Run) -> None:
    extra = _small_run(tmp_path)
    run = tmp_path / "run"
    assert cli(["train", str(QUICKSTART), "--output-dir", str(run), *extra])[0] == 0
    (run / "stale.txt").write_text("from the old run", encoding="utf-8")
    assert cli(["train", str(QUICKSTART), "--output-dir", str(run), "--overwrite", *extra])[0] == 0
    assert not (run / "stale.txt").exists() and (run / "model" / "hadath.json").is_file()

    data = str(tmp_path / "dev.jsonl")
    code, lines, _ = cli(["evaluate", str(run / "model"), data])
    assert code == 0 and f"report in {run / 'eval-dev'}" in lines[-1], lines
    code, lines, _ = cli(["evaluate", str(run / "model"), data])
    assert code == 0 and f"replaced the previous evaluation in {run / 'eval-dev'}" in lines[-1], lines


# 7. Messages that point at the right fix.


@pytest.mark.slow
def test_a_run_directory_stands_for_its_model(run_dir: Path, cli: Run, tmp_path: Path) -> None:
    source = tmp_path / "in.txt"
    source.write_text(TEXT + "\n", encoding="utf-8")
    code, lines, out = cli(["predict", str(run_dir), str(source)])
    assert code == 0, lines
    assert lines == [f"hadath: note: {run_dir} is a run directory — using its model {run_dir / 'model'}"]
    assert json.loads(out)["text"] == TEXT
    report = tmp_path / "eval"  # evaluate replaces its whole folder: never one that holds in.txt
    code, lines, _ = cli(["evaluate", str(run_dir), str(run_dir.parent / "dev.jsonl"), "--output-dir", str(report)])
    assert code == 0 and (report / "metrics.json").is_file(), lines


def test_a_missing_local_encoder_folder_is_one_line_before_anything_is_written(tmp_path: Path, cli: Run) -> None:
    run = tmp_path / "run"
    for command in (["train", str(QUICKSTART), "--output-dir", str(run)], ["data", "check", str(QUICKSTART)]):
        code, lines, _ = cli([*command, "--set", "model.name_or_path=/no/dir"])
        assert code == 1 and len(lines) == 1, lines
        assert lines[0].startswith("hadath: error: model.name_or_path /no/dir: no such local folder — "), lines[0]
        assert "Repo id" not in lines[0]
    assert not run.exists()


@pytest.mark.slow  # two `python -m hadath` processes importing torch and transformers: 13 s quiet, 52 s loaded
def test_a_hub_encoder_offline_says_how_to_get_it(tmp_path: Path) -> None:
    from huggingface_hub import try_to_load_from_cache

    if isinstance(try_to_load_from_cache("aubmindlab/bert-base-arabertv02", "config.json"), str):
        pytest.skip("AraBERT is in this machine's Hugging Face cache")
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    run = tmp_path / "run"
    for command in (
        ["train", "configs/arabert.yaml", "--output-dir", str(run)],
        ["data", "check", "configs/arabert.yaml"],
    ):
        done = subprocess.run([sys.executable, "-m", "hadath", *command], capture_output=True, text=True, env=env,
                              cwd=ROOT, timeout=300)  # fmt: skip
        lines = done.stderr.strip().splitlines()
        assert done.returncode == 1 and len(lines) == 1, done.stderr
        assert lines[0].startswith("hadath: error: model.name_or_path aubmindlab/bert-base-arabertv02: "), lines[0]
        assert "HF_HUB_OFFLINE" in lines[0] and "download it once" in lines[0] and "local directory" in lines[0]
    assert not run.exists()


# 8, 9. One string gives one record; JSONL records keep their other fields.


@pytest.mark.slow
def test_predict_takes_one_string_as_one_text(run_dir: Path) -> None:
    from hadath.inference.tagger import Tagger

    tagger = Tagger.load(run_dir / "model", device="cpu")
    record = tagger.predict(TEXT)
    assert isinstance(record, dict) and record == tagger.predict([TEXT])[0]
    assert record["text"] == TEXT


@pytest.mark.slow
def test_jsonl_records_keep_their_fields(run_dir: Path, cli: Run, tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    rows = [{"id": 7, "text": TEXT, "entities": [[0, 3, "PER"]], "source": "wire"}, {"text": "زار محمد بغداد"}]
    source.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    code, lines, out = cli(["predict", str(run_dir / "model"), str(source)])
    assert code == 0, lines
    first, second = (json.loads(line) for line in out.splitlines())
    assert (first["id"], first["source"], first["text"]) == (7, "wire", TEXT)
    assert all(isinstance(span, dict) for span in first["entities"])  # predictions replace the input's spans
    assert list(first)[:2] == ["id", "text"] and {"events", "labels"} <= set(first)
    assert set(second) == {"text", "entities", "events", "labels"}


# 10. Data commands: exit codes, and the tokenizer and window training really uses.


def test_validate_passes_warnings_unless_strict(tmp_path: Path, cli: Run) -> None:
    path = tmp_path / "stray.conll"
    path.write_text("قال O\nمحمد I-PER\n", encoding="utf-8")
    code, lines, out = cli(["data", "validate", str(path), "--scheme", "IOB2"])
    assert code == 0 and "warning: stray 'I-PER'" in out and "0 error(s), 1 warning(s)" in lines[-1]
    assert cli(["data", "validate", str(path), "--scheme", "IOB2", "--strict"])[0] == 1
    bad = tmp_path / "bad.conll"
    bad.write_text("قال O\nمحمد PER\n", encoding="utf-8")
    assert cli(["data", "validate", str(bad), "--scheme", "IOB2"])[0] == 1


def test_stats_with_a_config_reports_its_vocabulary_and_window(tmp_path: Path, cli: Run) -> None:
    code, lines, out = cli(["data", "stats", str(CORPUS / "dev.jsonl"), "--config", str(QUICKSTART)])
    assert code == 0, lines
    stats = json.loads(out)
    assert "vocab 4000" in stats["tokenizer"] and stats["max_length"] == 128


def test_stats_and_check_use_the_pinned_scratch_tokenizer(tmp_path: Path, cli: Run) -> None:
    from hadath.models.scratch import train_wordpiece

    pinned = tmp_path / "pinned"
    train_wordpiece(["قال", "محمد", "بغداد"] * 3, 40, 1).save_pretrained(pinned)
    sets = ["--set", f"model.scratch.tokenizer={pinned}"]
    code, _, out = cli(["data", "check", str(QUICKSTART), "--json", *sets])
    assert code == 0
    counts = {finding["check"]: finding["count"] for finding in json.loads(out)["findings"]}
    # A 40-piece vocabulary knows almost no word of the corpus: the check must have used it, not a fresh WordPiece.
    assert counts["words the tokenizer only knows as [UNK]"] > 100, counts
    config = tmp_path / "pinned.yaml"
    config.write_text(f"data: {{train: {CORPUS / 'train.jsonl'}}}\nmodel: {{scratch: {{tokenizer: {pinned}}}}}\n")
    code, _, out = cli(["data", "stats", str(CORPUS / "dev.jsonl"), "--config", str(config)])
    assert code == 0 and str(pinned) in json.loads(out)["tokenizer"]
    missing = ["--set", f"model.scratch.tokenizer={tmp_path / 'nowhere'}"]
    code, lines, _ = cli(["data", "check", str(QUICKSTART), *missing])
    assert code == 1 and "model.scratch.tokenizer" in lines[0] and "no tokenizer.json" in lines[0], lines


def test_one_tokenizer_choice_serves_training_and_the_data_commands() -> None:
    import inspect

    from hadath import commands
    from hadath.train import encoder

    for module in (commands, encoder):
        source = inspect.getsource(module)
        assert "training_tokenizer(" in source and "train_wordpiece(" not in source, module.__name__


# `hadath serve`.


def test_serve_on_a_busy_port_is_one_line(cli: Run) -> None:
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen()
    port = busy.getsockname()[1]
    try:
        code, lines, _ = cli(["serve", "/nonexistent/model", "--port", str(port)])
    finally:
        busy.close()
    assert code == 1 and len(lines) == 1, lines
    assert lines[0].startswith(f"hadath: error: 127.0.0.1:{port}: cannot listen there") and "--port" in lines[0]


def test_serve_help_shows_the_default_port(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["serve", "--help"])
    assert "(default 8000)" in capsys.readouterr().out


def test_a_folder_without_a_model_says_what_it_is(tmp_path: Path, cli: Run) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    code, lines, _ = cli(["predict", str(empty), str(QUICKSTART)])
    assert code == 1 and "not a Hadath model directory" in lines[0] and "`model/` folder of a run" in lines[0], lines
    killed = tmp_path / "killed"
    (killed / "checkpoints").mkdir(parents=True)
    (killed / "config.yaml").write_text("name: killed\n", encoding="utf-8")
    code, lines, _ = cli(["evaluate", str(killed), str(CORPUS / "dev.jsonl")])
    assert code == 1 and len(lines) == 1 and f"--output-dir {killed} --resume" in lines[0], lines


@pytest.mark.slow
def test_the_exported_tokenizer_frames_text_as_the_encoder_was_trained(run_dir: Path) -> None:
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(run_dir / "model")
    ids = tokenizer(TEXT)["input_ids"]
    # What a plain pipeline feeds the encoder: [CLS] ... [SEP], as Hadath's windows during training.
    assert ids[0] == tokenizer.cls_token_id and ids[-1] == tokenizer.sep_token_id
    assert tokenizer(TEXT, add_special_tokens=False)["input_ids"] == ids[1:-1]
