"""Shared test setup."""

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from transformers.utils import logging as hf_logging

from hadath.cli import main

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"

# transformers binds its log handler to the sys.stderr of its first use. Bind it now, at collection, so a warning in
# a later test never writes to the closed stream of an earlier test's capsys.
hf_logging.get_logger("transformers")

# Progress-bar redraws and third-party progress lines, dropped from the stderr lines the `cli` fixture returns.
NOISE = re.compile(r"%\||\d+(?:it|line)?\s*\[\d\d:\d\d|it/s\]|^Writing model shards|^predict: |^tokenizing")
Run = Callable[[list[str]], tuple[int, list[str], str]]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Run:
    """Run the CLI in-process: exit code, our stderr lines (progress bars dropped), stdout."""

    def run(argv: list[str]) -> tuple[int, list[str], str]:
        capsys.readouterr()
        code = main(argv)
        captured = capsys.readouterr()
        lines = [line for line in re.split(r"[\r\n]+", captured.err) if line.strip() and not NOISE.search(line)]
        return code, lines, captured.out

    return run


@pytest.fixture(scope="session")
def sentencepiece_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny XLM-R-style encoder (Unigram + Metaspace tokenizer, random BertModel) learned on the bundled corpus
    words, loadable as `model.name_or_path` (tests/tiny_encoders.py)."""
    from tiny_encoders import sentencepiece_encoder

    from hadath.data.readers import read_sentences

    words = [word for sentence in read_sentences(CORPUS / "train.jsonl") for word in sentence.words]
    return sentencepiece_encoder(tmp_path_factory.mktemp("sentencepiece"), words)
