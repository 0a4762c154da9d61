"""`hadath.json`: everything beside the weights that inference needs to agree with training.

A model directory is input like any other: every field is checked on load (types, ranges, allowed values, CRF
score shapes) and a bad one is a one-line error naming the file and the key, never a silent default.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args

import numpy as np

from hadath.config import Decoding, Pooling, quote
from hadath.data.encode import LabelSpace
from hadath.data.factuality import attribute_labels
from hadath.data.factuality_cues import CUE_CLASSES
from hadath.data.normalize import NormalizerSettings
from hadath.data.roles import NO_ROLE
from hadath.models.decoding import ChainScores

METADATA_FILE = "hadath.json"
FORMAT_VERSION = 1
# Longest window a saved model may ask for (subwords); encoders with more positions than this do not exist yet.
MAX_LENGTH_LIMIT = 1 << 16


class MetadataError(ValueError):
    """A bad `hadath.json` field: `FILE: `key` problem — fix`."""


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
    # Per tag layer, the temperature fitted on dev (`evaluation.calibrate`) that span and tag scores are computed at;
    # a layer without one (every layer of a model saved before calibration existed) is scored at 1.
    temperatures: dict[str, float] = field(default_factory=dict)
    # The argument head reads pooled span states (`model.argument_states`): the network answers `argument_states`.
    argument_states: bool = False
    # The attribute head's learned cue scores [cue classes, attribute values] (`model.factuality_cues`), added to
    # each word's attribute logits in NumPy (`hadath/inference/factuality.py`); None without cue features.
    factuality_cues: np.ndarray | None = field(default=None, compare=False)

    def chain(self, layer: str) -> ChainScores | None:
        """The CRF scores of a layer, when the model was trained with a CRF."""
        return self.chains.get(layer)

    def temperature(self, layer: str) -> float:
        """The calibration temperature of a layer's scores (1: as the network gives them)."""
        return self.temperatures.get(layer, 1.0)

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
        if self.temperatures:  # absent otherwise: an uncalibrated model's file stays as older Hadath wrote it
            data["temperatures"] = dict(self.temperatures)
        if self.argument_states:  # likewise
            data["argument_states"] = True
        if self.factuality_cues is not None:  # likewise
            data["factuality_cues"] = self.factuality_cues.tolist()
        (directory / METADATA_FILE).write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> ModelMetadata:
        """Read and check `hadath.json`; a missing, foreign or damaged file is a clear error."""
        path = directory / METADATA_FILE
        if not path.is_file():
            raise FileNotFoundError(
                f"{path}: missing — {directory} is not a complete Hadath model directory (re-export it)"
            )
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, RecursionError) as error:  # bad JSON or UTF-8, huge integers, deep nesting
            raise MetadataError(f"{path}: not valid JSON ({str(error)[:80]}) — re-export the model") from None
        if not isinstance(data, dict):
            raise MetadataError(f"{path}: expected a JSON object — re-export the model")
        if data.get("format_version") != FORMAT_VERSION:
            version = quote(data.get("format_version"))
            raise MetadataError(f"{path}: format_version {version} — re-export with this Hadath")
        return _parse(data, _Fields(path, data))


class _Fields:
    """Typed access to the fields of one parsed `hadath.json`, raising MetadataError for a bad one."""

    def __init__(self, path: Path, data: dict[str, Any]) -> None:
        self.path, self.data = path, data

    def fail(self, key: str, problem: str) -> MetadataError:
        return MetadataError(f"{self.path}: `{key}` {problem} — re-export the model (or fix the file)")

    def get(self, key: str, kind: type | tuple[type, ...], default: Any = None) -> Any:
        value = self.data.get(key, default)
        if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
            name = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
            raise self.fail(key, f"must be {name}, got {type(value).__name__} {quote(value)}")
        return value

    def choice(self, key: str, choices: tuple[str, ...], default: str | None = None) -> Any:
        value: str = self.get(key, str, default)
        if value not in choices:
            raise self.fail(key, f"is {quote(value)}, not one of {', '.join(choices)}")
        return value


def _parse(data: dict[str, Any], fields: _Fields) -> ModelMetadata:
    labels = _labels(fields)
    max_length: int = fields.get("max_length", int)
    if not 2 <= max_length <= MAX_LENGTH_LIMIT:
        raise fields.fail("max_length", f"is {quote(max_length)}, must be in [2, {MAX_LENGTH_LIMIT}]")
    stride: int = fields.get("stride", int)
    if not 0 <= stride < max_length // 2:
        raise fields.fail("stride", f"is {quote(stride)}, must be in [0, max_length/2)")
    threshold = fields.get("threshold", (int, float))
    if not (math.isfinite(threshold) and 0.0 < threshold < 1.0):
        raise fields.fail("threshold", f"is {quote(threshold)}, must be a number in (0, 1)")
    decoding: Decoding = fields.choice("decoding", get_args(Decoding))
    chains = _chains(fields, labels)
    if decoding == "crf" and set(chains) != set(labels.layers):
        raise fields.fail("chains", f"must hold CRF scores for every layer ({', '.join(labels.layers)})")
    try:
        normalizer = NormalizerSettings.from_dict(fields.get("normalizer", dict))
    except (TypeError, ValueError) as error:
        raise fields.fail("normalizer", f"is invalid ({error})") from None
    return ModelMetadata(
        labels=labels,
        normalizer=normalizer,
        max_length=max_length,
        stride=stride,
        decoding=decoding,
        threshold=float(threshold),
        name=fields.get("name", str, "hadath"),
        pooling=fields.choice("pooling", get_args(Pooling), "mean"),
        chains=chains,
        temperatures=_temperatures(fields, labels),
        argument_states=fields.get("argument_states", bool, False),
        factuality_cues=_factuality_cues(fields, labels),
    )


def _factuality_cues(fields: _Fields, labels: LabelSpace) -> np.ndarray | None:
    """The cue scores: one finite row per cue class, one column per attribute value; only with an attribute head."""
    raw = fields.data.get("factuality_cues")
    if raw is None:
        return None
    shape = (len(CUE_CLASSES), sum(len(values) for values in labels.attributes.values()))
    if not labels.attributes:
        raise fields.fail("factuality_cues", "is set but the model has no attribute head (labels.attributes)")
    try:
        array = np.asarray(raw, dtype=np.float64)
    except (TypeError, ValueError):
        raise fields.fail("factuality_cues", "is not a numeric array") from None
    if array.shape != shape or not np.isfinite(array).all():
        problem = f"must be {shape} finite numbers (cue classes {', '.join(CUE_CLASSES)} × attribute values)"
        raise fields.fail("factuality_cues", f"{problem}, got shape {array.shape}")
    return array


def _temperatures(fields: _Fields, labels: LabelSpace) -> dict[str, float]:
    temperatures: dict[str, float] = {}
    for layer, value in fields.get("temperatures", dict, {}).items():
        if layer not in labels.layers:
            raise fields.fail(f"temperatures.{layer}", f"names no layer of the model ({', '.join(labels.layers)})")
        if isinstance(value, bool) or not isinstance(value, int | float) or not (math.isfinite(value) and value > 0):
            raise fields.fail(f"temperatures.{layer}", f"is {quote(value)}, must be a positive number")
        temperatures[layer] = float(value)
    return temperatures


def _labels(fields: _Fields) -> LabelSpace:
    raw = fields.get("labels", dict)
    layers = raw.get("layers")
    if not isinstance(layers, dict) or not layers:
        raise fields.fail("labels.layers", "must be a non-empty object of layer -> tag list")
    for layer, tags in layers.items():
        key = f"labels.layers.{layer}"
        if not isinstance(tags, list) or not tags or not all(isinstance(tag, str) for tag in tags):
            raise fields.fail(key, f"must be a non-empty list of tag strings, got {quote(tags)}")
        if tags[0] != "O" or len(set(tags)) != len(tags) or not all(tag[:2] in ("B-", "I-") for tag in tags[1:]):
            raise fields.fail(key, f"must be `O` then distinct B-/I- tags, got {quote(tags)}")
    sentence_labels = raw.get("sentence_labels")
    if not isinstance(sentence_labels, list) or not all(isinstance(label, str) for label in sentence_labels):
        raise fields.fail("labels.sentence_labels", f"must be a list of strings, got {quote(sentence_labels)}")
    if len(set(sentence_labels)) != len(sentence_labels):
        raise fields.fail("labels.sentence_labels", "holds a label twice")
    arguments = raw.get("arguments", [])
    if not isinstance(arguments, list) or not all(isinstance(role, str) for role in arguments):
        raise fields.fail("labels.arguments", f"must be a list of role names, got {quote(arguments)}")
    if arguments and (arguments[0] != NO_ROLE or len(set(arguments)) != len(arguments)):
        raise fields.fail("labels.arguments", f"must be `{NO_ROLE}` then distinct roles, got {quote(arguments)}")
    layer_tags = {layer: list(tags) for layer, tags in layers.items()}
    return LabelSpace(
        layer_tags, list(sentence_labels), list(arguments), _attributes(fields, raw.get("attributes", {}))
    )


def _attributes(fields: _Fields, raw: Any) -> dict[str, list[str]]:
    """The attribute head's classes: exactly hadath/data/factuality.py's attributes and values, or none."""
    expected = attribute_labels()
    if raw and raw != expected:
        problem = f"must be {json.dumps(expected)}, got {quote(raw)}"
        raise fields.fail("labels.attributes", problem + " (a model of another Hadath version: retrain it)")
    return expected if raw else {}


def _chains(fields: _Fields, labels: LabelSpace) -> dict[str, ChainScores]:
    chains: dict[str, ChainScores] = {}
    for layer, raw in fields.get("chains", dict, {}).items():
        if layer not in labels.layers:
            raise fields.fail(f"chains.{layer}", f"names no layer of the model ({', '.join(labels.layers)})")
        size = len(labels.layers[layer])
        shapes = {"start": (size,), "transitions": (size, size), "end": (size,)}
        arrays = []
        for key, shape in shapes.items():
            try:
                array = np.asarray(raw[key], dtype=np.float64)
            except (KeyError, TypeError, ValueError):
                raise fields.fail(f"chains.{layer}.{key}", "is missing or not a numeric array") from None
            if array.shape != shape or not np.isfinite(array).all():
                problem = f"must be {shape} finite numbers (one per tag), got shape {array.shape}"
                raise fields.fail(f"chains.{layer}.{key}", problem)
            arrays.append(array)
        chains[layer] = ChainScores(*arrays)
    return chains
