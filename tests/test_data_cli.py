"""`hadath data validate|stats|convert`, config-driven splits and the fingerprint-cached tokenization."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hadath.cli import main
from hadath.config import ConfigError, ExperimentConfig, load_config

BAD_CONLL = "قال O\nمحمد PER\nعلي\n\nكركوك S-LOC\nفي I-LOC\n"


def test_validate_reports_every_problem_and_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.txt"
    path.write_text(BAD_CONLL, encoding="utf-8")
    assert main(["data", "validate", str(path), "--scheme", "IOB2"]) == 1
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert [line.split(": ", 1)[0] for line in lines] == [f"{path}:2", f"{path}:3", f"{path}:5", f"{path}:6"]
    assert all(" — " in line for line in lines) and "Traceback" not in out + err
    assert lines[3].startswith(f"{path}:6: warning: stray 'I-LOC' after S-LOC")
    assert "3 error(s), 1 warning(s)" in err


def test_validate_with_repair_policy_is_clean(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "d.txt"
    path.write_text("قال O\nمحمد I-PERS\nعلي I-PERS\n", encoding="utf-8")
    assert (
        main(["data", "validate", str(path), "--on-error", "repair", "--tag-map", "PERS=PER", "--scheme", "IOB2"]) == 0
    )
    assert "OK — 1 sentences, 1 spans, 3 repair(s)" in capsys.readouterr().out


def test_stats_with_a_tokenizer_file_counts_sequences_over_the_maximum(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from hadath.models.scratch import train_wordpiece

    tokenizer = train_wordpiece(["قال", "محمد", "علي", "كركوك"] * 5, 100, 1)
    tokenizer.backend_tokenizer.save(str(tmp_path / "tokenizer.json"))
    data = tmp_path / "a.jsonl"
    records = [{"text": "قال محمد علي", "entities": [[4, 12, "PER"]]}, {"text": "كركوك " * 20, "events": [[0, 5, "X"]]}]
    data.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    assert main(["data", "stats", str(data), "--tokenizer", str(tmp_path / "tokenizer.json"), "--max-length", "8"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert (stats["sentences"], stats["tokens"]) == (2, 23)
    assert stats["spans_per_type"] == {"entities": {"PER": 1}, "events": {"X": 1}}
    assert stats["subwords_per_sentence"]["p100"] >= 22 and stats["sequences_over_max_length"] == 1


def test_convert_csv_to_brat_and_back_to_jsonl(tmp_path: Path) -> None:
    source = tmp_path / "a.csv"
    source.write_text("token,tag\nقال,O\nمحمد,PER\nعلي,PER\n", encoding="utf-8")
    assert main(["data", "convert", str(source), str(tmp_path / "b.ann")]) == 0
    assert (tmp_path / "b.ann").read_text(encoding="utf-8") == "T1\tPER 4 12\tمحمد علي\n"
    assert main(["data", "convert", str(tmp_path / "b.ann"), str(tmp_path / "c.jsonl")]) == 0
    record = json.loads((tmp_path / "c.jsonl").read_text(encoding="utf-8"))
    assert record["text"] == "قال محمد علي" and record["entities"] == [[4, 12, "PER"]]


def test_config_accepts_new_data_keys_and_rejects_bad_ones(tmp_path: Path) -> None:
    config = tmp_path / "c.yaml"
    config.write_text(
        "data:\n  train: t.txt\n  format: auto\n  scheme: auto\n  on_error: repair\n  tag_map: {PERS: PER}\n"
        "  split: {dev: 0.1, test: 0.1, seed: 7}\n",
        encoding="utf-8",
    )
    loaded = load_config(config)
    assert (loaded.data.on_error, loaded.data.tag_map, loaded.data.split.seed) == ("repair", {"PERS": "PER"}, 7)
    with pytest.raises(ConfigError, match="data.on_error"):
        load_config(config, ["data.on_error=ignore"])
    with pytest.raises(ConfigError, match="keep one"):
        load_config(config, ["data.dev=d.txt"])


def test_read_splits_cuts_seeded_fractions_by_document_and_reports_repairs(tmp_path: Path) -> None:
    from hadath.train.recipe import read_splits

    docs = "".join(f"-DOCSTART- O\n\nكلمة{d} O\nمحمد I-PER\n\nهنا O\n\n" for d in range(10))
    (tmp_path / "t.txt").write_text(docs, encoding="utf-8")
    config = ExperimentConfig()
    config.data.train, config.data.format, config.data.on_error = str(tmp_path / "t.txt"), "conll", "repair"
    config.data.split.dev, config.data.split.test = 0.2, 0.1
    splits = read_splits(config)
    assert (len(splits.train), len(splits.dev), len(splits.test)) == (14, 4, 2)
    assert splits.report.repairs == {"stray I- tag made B-": 10}


def test_second_tokenization_of_the_same_data_is_a_cache_hit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from transformers import AutoTokenizer

    import hadath.data.cached_encoding as cached
    from hadath.data.encode import build_label_space
    from hadath.data.normalize import NormalizerSettings
    from hadath.data.readers import read_sentences
    from hadath.models.scratch import train_wordpiece
    from hadath.train.recipe import training_dataset

    path = tmp_path / "d.txt"
    path.write_text("قال O\nمحمد B-PER\nعلي I-PER\n\n" + "كركوك B-LOC\n" * 40, encoding="utf-8")
    sentences = read_sentences(path)
    settings = NormalizerSettings.preset("default")
    config = ExperimentConfig()
    config.model.max_length, config.model.stride = 16, 4
    space = build_label_space(sentences)
    calls: list[int] = []
    original = cached._encode_batch

    def counting(batch, tokenizer, settings):  # type: ignore[no-untyped-def]
        calls.append(len(batch["words"]))
        return original(batch, tokenizer, settings)

    monkeypatch.setattr(cached, "_encode_batch", counting)
    cache = tmp_path / "cache"
    # The same tokenizer as a new object loaded from disk, as a second run (or a resumed one) has it.
    tokenizer = train_wordpiece(["قال", "محمد"], 50, 1)
    tokenizer.save_pretrained(tmp_path / "tok")
    first, stats = training_dataset(
        sentences, tokenizer, settings=settings, space=space, model=config.model, cache_dir=cache
    )
    assert calls == [2] and len(list(cache.glob("encoded-*.arrow"))) == 1
    assert (stats.sentences, stats.words, stats.windowed_sentences, stats.windows) == (2, 43, 1, len(first))
    reloaded = AutoTokenizer.from_pretrained(tmp_path / "tok")
    again, stats_again = training_dataset(
        sentences, reloaded, settings=settings, space=space, model=config.model, cache_dir=cache
    )
    assert calls == [2], "the second run tokenized again"
    assert again["input_ids"] == first["input_ids"] and again["labels_entities"] == first["labels_entities"]
    assert stats_again == stats
    config.model.stride = 2
    training_dataset(sentences, reloaded, settings=settings, space=space, model=config.model, cache_dir=cache)
    assert calls == [2, 2] and len(list(cache.glob("encoded-*.arrow"))) == 2


def test_convert_refuses_to_write_over_its_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "same.conll"
    path.write_text("محمد B-PER\nفي O\n\n", encoding="utf-8")
    before = path.read_bytes()
    assert main(["data", "convert", str(path), str(path), "--to", "conll"]) == 1
    assert "would overwrite the input" in capsys.readouterr().err
    assert path.read_bytes() == before  # before the fix: truncated to nothing, "wrote 0 sentences"
