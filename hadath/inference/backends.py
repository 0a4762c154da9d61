"""What runs the network at inference: PyTorch on a `JointTagger`, or onnxruntime on an exported ONNX graph.

Both answer `run(input_ids, attention_mask)` with the same dict: per tag layer the log-probabilities of each tag
(batch, length, tags), under "sentence" the probability of each sentence label (batch, labels) and, with an attribute
head, under "factuality" its per-piece logits (batch, length, every attribute's values; pooled over a trigger and
normalised per attribute in `hadath/inference/factuality.py`). The ONNX path
imports neither torch nor transformers, so `hadath predict` on an ONNX directory starts in about a second.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from hadath.config import ConfigError

if TYPE_CHECKING:
    from hadath.models.joint import JointTagger

ONNX_GRAPH = "model.onnx"
ONNX_MANIFEST = "onnx.json"
ONNX_REQUIRED_FILES = (ONNX_GRAPH, ONNX_MANIFEST, "hadath.json", "tokenizer.json")
SENTENCE_OUTPUT = "logits_sentence"
FACTUALITY_OUTPUT = "logits_factuality"
# With `model.argument_states`: every piece's state projected by the argument head (hadath/models/arguments.py), pooled
# over a trigger's and an entity's pieces in `hadath/inference/arguments.py`.
ARGUMENT_STATES_OUTPUT = "argument_states"


class Backend(Protocol):
    """Runs one padded batch and returns log-probabilities per tag layer and sentence-label probabilities."""

    def run(self, input_ids: np.ndarray, attention_mask: np.ndarray) -> dict[str, np.ndarray]: ...


def is_onnx_dir(directory: Path) -> bool:
    """An ONNX export holds `model.onnx`; a PyTorch export holds `model.safetensors`."""
    return (directory / ONNX_GRAPH).is_file()


def check_onnx_dir(directory: Path) -> None:
    """Refuse an ONNX directory that misses a file inference needs, naming it."""
    missing = [name for name in ONNX_REQUIRED_FILES if not (directory / name).is_file()]
    if missing:
        raise FileNotFoundError(
            f"{directory}: incomplete ONNX model directory (missing {', '.join(missing)}) — "
            "re-run `hadath export MODEL_DIR --onnx --output-dir DIR`"
        )


def log_softmax(logits: np.ndarray) -> np.ndarray:
    """Numerically stable log-softmax over the last axis, in float32."""
    logits = logits.astype(np.float32, copy=False)
    shifted = logits - logits.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def sigmoid(logits: np.ndarray) -> np.ndarray:
    """Element-wise logistic function in float32."""
    return (1.0 / (1.0 + np.exp(-logits.astype(np.float32, copy=False)))).astype(np.float32)


def probabilities(logits: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Turn the graph's `logits_<layer>` / `logits_sentence` outputs into the Backend result."""
    result = {}
    for name, values in logits.items():
        if name == SENTENCE_OUTPUT:
            result["sentence"] = sigmoid(values)
        elif name == FACTUALITY_OUTPUT:
            result["factuality"] = values.astype(np.float32, copy=False)
        elif name == ARGUMENT_STATES_OUTPUT:
            result[name] = values.astype(np.float32, copy=False)
        else:
            result[name.removeprefix("logits_")] = log_softmax(values)
    return result


def resolve_torch_device(name: str) -> str:
    """`auto` picks CUDA when present, else CPU; a CUDA request without CUDA says why and what to use instead."""
    import torch

    if name == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if name.startswith("cuda") and not torch.cuda.is_available():
        why = (
            f"this torch ({torch.__version__}) was built without CUDA"
            if torch.version.cuda is None
            else "no CUDA GPU is visible (check the driver and CUDA_VISIBLE_DEVICES)"
        )
        raise ConfigError(
            f"--device {name}: {why} — use --device cpu (or auto), or install a CUDA build of torch "
            "(https://pytorch.org/get-started/locally/)"
        )
    return name


class TorchBackend:
    """The PyTorch joint tagger, on whatever device its weights live."""

    def __init__(self, model: JointTagger) -> None:
        self.model = model

    def run(self, input_ids: np.ndarray, attention_mask: np.ndarray) -> dict[str, np.ndarray]:
        """Forward one batch without autograd."""
        import torch

        device = next(self.model.parameters()).device
        with torch.inference_mode():
            outputs = self.model(
                input_ids=torch.from_numpy(input_ids).to(device),
                attention_mask=torch.from_numpy(attention_mask).to(device),
            )
        names = [f"logits_{layer}" for layer in self.model.layer_names]
        names += [name for name in (SENTENCE_OUTPUT, FACTUALITY_OUTPUT, ARGUMENT_STATES_OUTPUT) if name in outputs]
        return probabilities({name: outputs[name].float().cpu().numpy() for name in names})


class OnnxBackend:
    """An exported ONNX graph (fp32 or dynamic int8) run by onnxruntime."""

    # predict_sentences toggles train/eval around inference, as for a torch Module; a graph has no such mode.
    training = False

    def __init__(self, path: Path, device: str = "cpu", threads: int = 0) -> None:
        import onnxruntime as ort

        available = ort.get_available_providers()
        if device == "cuda" and "CUDAExecutionProvider" not in available:
            raise ValueError(
                f"{path}: --device cuda but this onnxruntime has no CUDA provider — use --device cpu "
                "or install onnxruntime-gpu"
            )
        use_cuda = device in ("cuda", "auto") and "CUDAExecutionProvider" in available
        providers = ["CUDAExecutionProvider", "CPUExecutionProvider"] if use_cuda else ["CPUExecutionProvider"]
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.intra_op_num_threads = threads  # 0: one per physical core
        self.path = path
        self.session = ort.InferenceSession(str(path), options, providers=providers)
        self.output_names = [output.name for output in self.session.get_outputs()]
        # name -> shape, a dimension a number or a symbolic name (what `onnx_verify` checks against hadath.json).
        self.output_shapes = {output.name: list(output.shape) for output in self.session.get_outputs()}

    def run(self, input_ids: np.ndarray, attention_mask: np.ndarray) -> dict[str, np.ndarray]:
        """Run the graph on one batch (int64 ids and mask)."""
        feed = {"input_ids": input_ids.astype(np.int64), "attention_mask": attention_mask.astype(np.int64)}
        values = self.session.run(self.output_names, feed)
        return probabilities({name: np.asarray(value) for name, value in zip(self.output_names, values, strict=True)})

    def eval(self) -> OnnxBackend:
        """No-op: a graph is always in inference mode."""
        return self

    def train(self, mode: bool = True) -> OnnxBackend:
        """No-op: a graph cannot be trained."""
        return self


class LightTokenizer:
    """The slice of a transformers fast tokenizer that inference uses, read straight from `tokenizer.json`.

    Importing transformers costs about a second; the `tokenizers` library alone gives the same ids (checked at export).
    """

    def __init__(self, directory: Path) -> None:
        from tokenizers import Tokenizer

        self.backend = Tokenizer.from_file(str(directory / "tokenizer.json"))
        special = _special_tokens(directory)
        self.unk_token_id = self._id(special.get("unk_token"))
        self.pad_token_id = self._id(special.get("pad_token"))
        self.cls_token_id = self._id(special.get("cls_token"))
        self.sep_token_id = self._id(special.get("sep_token"))
        self.bos_token_id = self._id(special.get("bos_token"))
        self.eos_token_id = self._id(special.get("eos_token"))

    def _id(self, token: str | None) -> int | None:
        return None if token is None else self.backend.token_to_id(token)

    def __call__(self, texts: list[str], add_special_tokens: bool = True) -> dict[str, list[list[int]]]:
        """Piece ids of each text, like `PreTrainedTokenizerFast.__call__(...)["input_ids"]`."""
        encodings = self.backend.encode_batch(texts, add_special_tokens=add_special_tokens)
        return {"input_ids": [encoding.ids for encoding in encodings]}


def _special_tokens(directory: Path) -> dict[str, str]:
    """Special token strings from `special_tokens_map.json` and `tokenizer_config.json` (either may be absent)."""
    found: dict[str, str] = {}
    for name in ("special_tokens_map.json", "tokenizer_config.json"):
        path = directory / name
        if not path.is_file():
            continue
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        for key in ("unk_token", "pad_token", "cls_token", "sep_token", "bos_token", "eos_token"):
            value = data.get(key)
            if isinstance(value, dict):  # older files store AddedToken dicts
                value = value.get("content")
            if isinstance(value, str) and key not in found:
                found[key] = value
    return found


__all__ = [
    "Backend",
    "LightTokenizer",
    "OnnxBackend",
    "TorchBackend",
    "check_onnx_dir",
    "is_onnx_dir",
    "resolve_torch_device",
]
