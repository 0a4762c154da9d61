"""The annotated sentences a config names: its train/dev/test files (or seeded fractions of train), and the
normalization it sets. Reading them needs no model library, so `hadath data check` refuses bad data in a moment."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from hadath.config import ExperimentConfig, NormalizeConfig
from hadath.data.normalize import NormalizerSettings
from hadath.data.readers import ReadOptions, read_corpus, read_documents
from hadath.data.repair import ReadReport
from hadath.data.sentence import Sentence
from hadath.data.splits import split_documents


@dataclass
class Splits:
    """The annotated sentences of each split (dev and test optional)."""

    train: list[Sentence]
    dev: list[Sentence]
    test: list[Sentence]
    report: ReadReport = field(default_factory=ReadReport)


def normalizer_settings(config: NormalizeConfig) -> NormalizerSettings:
    """The preset with any per-flag overrides from the config applied."""
    base = NormalizerSettings.preset(config.preset).to_dict()
    for flag, value in dataclasses.asdict(config).items():
        if flag != "preset" and value is not None:
            base[flag] = value
    return NormalizerSettings.from_dict(base)


def read_splits(config: ExperimentConfig) -> Splits:
    """Read the train, dev and test files named in the config, or cut seeded dev/test fractions of the training
    documents (`data.split`); the report counts every repair and skip of all three."""
    data = config.data
    options = ReadOptions.from_config(data)
    report = ReadReport(policy=data.on_error)

    def read(path: str | None) -> list[Sentence]:
        if not path:
            return []
        sentences, file_report = read_corpus(path, options, data.format)
        report.merge(file_report)
        return sentences

    if data.split.dev or data.split.test:
        documents, train_report = read_documents(data.train, options, data.format)
        train_report.raise_first_error()
        report.merge(train_report)
        train, dev, test = split_documents(documents, data.split.dev, data.split.test, data.split.seed)
        return Splits(train, dev or read(data.dev), test or read(data.test), report)
    return Splits(read(data.train), read(data.dev), read(data.test), report)
