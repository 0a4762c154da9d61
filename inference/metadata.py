"""`hadath.json`: everything beside the weights that inference needs to agree with training."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args

import numpy as np

from hadath.config import Decoding, Pooling
from hadath.data.encode import LabelSpace
from hadath.data.normalize import NormalizerSettings
from hadath.models.decoding import ChainScores

METADATA_FILE = "hadath.json"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class ModelMetadata:
    """Label maps, preprocessing and decoding settings saved with an exported model."""

    labels: LabelSpace
    normalizer: NormalizerSettings
    max_length: int
    stride: int
    decoding: Decoding
    threshold: float
    name: str = "hadath"
    pooling: Pooling = "mean"
    # Learned CRF scores per layer (`decoding: crf`), kept here so NumPy decoding needs no weights file.
    chains: dict[str, ChainScores] = field(default_factory=dict)

    def chain(self, layer: str) -> ChainScores | None:
        """The CRF scores of a layer, when the model was trained with a CRF."""
        return self.chains.get(layer)

    def save(self, directory: Path) -> None:
        """Write `hadath.json` into a model directory."""
        data: dict[str, Any] = {
            "format_version": FORMAT_VERSION,
            "name": self.name,
            "labels": self.labels.to_dict(),
            "normalizer": self.normalizer.to_dict(),
            "max_length": self.max_length,
            "stride": self.stride,
            "decoding": self.decoding,
            "threshold": self.threshold,
            "pooling": self.pooling,
            "chains": {
                layer: {"start": c.start.tolist(), "transitions": c.transitions.tolist(), "end": c.end.tolist()}
                for layer, c in self.chains.items()
            },
        }
        (directory / METADATA_FILE).write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> ModelMetadata:
        """Read `hadath.json`; a missing or foreign file is a clear error."""
        path = directory / METADATA_FILE
        if not path.is_file():
            raise FileNotFoundError(
                f"{path}: missing — {directory} is not a complete Hadath model directory (re-export it)"
            )
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format_version") != FORMAT_VERSION:
            raise ValueError(f"{path}: format_version {data.get('format_version')!r} — re-export with this Hadath")
        decoding, pooling = data["decoding"], data.get("pooling", "mean")
        for key, value, choices in ("decoding", decoding, get_args(Decoding)), ("pooling", pooling, get_args(Pooling)):
            if value not in choices:
                raise ValueError(f"{path}: `{key}` is {value!r}, not one of {', '.join(choices)} — re-export the model")
        return cls(
            labels=LabelSpace.from_dict(data["labels"]),
            normalizer=NormalizerSettings.from_dict(data["normalizer"]),
            max_length=int(data["max_length"]),
            stride=int(data["stride"]),
            decoding=decoding,
            threshold=float(data["threshold"]),
            name=str(data.get("name", "hadath")),
            pooling=pooling,
            chains={
                layer: ChainScores(*(np.asarray(c[key], dtype=np.float64) for key in ("start", "transitions", "end")))
                for layer, c in data.get("chains", {}).items()
            },
        )
