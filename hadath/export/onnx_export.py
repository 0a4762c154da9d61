"""Exporting the joint tagger to ONNX: the graph, optional dynamic int8 quantization, and a parity check.

The graph is the whole `JointTagger` forward (inputs `input_ids`, `attention_mask`, dynamic batch and length; outputs
`logits_<layer>` per tag layer and `logits_sentence`), exported with torch's `torch.export`-based exporter
(`dynamo=True`). The legacy TorchScript tracer also runs on torch 2.13 but is deprecated and bakes data-dependent
branches of transformers' attention-mask code into constants (it warns so while tracing); `torch.export` keeps batch
and length symbolic and checks that the graph holds for every size in range. The argument head's pair scorer is not
in the graph (it reads the decoded spans, not the encoder states): its weights go to `arguments.safetensors` and
`hadath/inference/arguments.py` scores pairs in NumPy, exactly as it does for a PyTorch model directory. The attribute
head is in the graph (it reads encoder states): its per-piece logits are the output `logits_factuality`, pooled over
each trigger in NumPy. With `model.argument_states` the argument head's projection of every piece's state is in the
graph too (output `argument_states`), pooled over each pair's spans in NumPy (hadath/models/arguments.py says why that
is exact).
"""

from __future__ import annotations

import contextlib
import json
import logging
import shutil
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from hadath.data.align import word_pieces
from hadath.data.encode import EncodedWindow, encode_windows, pad_id, pad_windows
from hadath.data.sentence import Sentence
from hadath.data.words import split_words
from hadath.export.model_dir import (
    check_destination,
    install_directory,
    make_staging,
    save_pipeline_tokenizer,
    verify_staged,
)
from hadath.inference.arguments import ARGUMENT_WEIGHTS
from hadath.inference.backends import (
    ARGUMENT_STATES_OUTPUT,
    ONNX_GRAPH,
    ONNX_MANIFEST,
    LightTokenizer,
    OnnxBackend,
    TorchBackend,
)
from hadath.inference.exported_normalizer import remove_pipeline_normalizer
from hadath.inference.exported_word_split import remove_pipeline_word_split
from hadath.inference.onnx_verify import FILE_HASHES, export_file_hashes
from hadath.inference.tagger import Tagger
from hadath.models.joint import JointTagger

EXPORTER = "torch.onnx.export(dynamo=True)"
# The exporter lists torchvision ops it skips, and onnxruntime's quantizer suggests image-model pre-processing on the
# root logger: neither concerns a text tagger.
EXPORT_NOISE = ("torch.onnx._internal.exporter._registration", "")
MANIFEST_VERSION = 1
# Below this the fp32 graph is not the model it claims to be: refuse the export rather than ship it.
MIN_FP32_AGREEMENT = 0.999
FALLBACK_TEXTS = (
    "شنت طائرات التحالف غارات جوية على مواقع لتنظيم داعش في وادي الشاي جنوب كركوك يوم الثلاثاء.",
    "وقال رئيس الوزراء مصطفى الكاظمي إن القوات الأمنية اعتقلت خمسة مطلوبين في بغداد.",
    "تعتزم شركة نفط البصرة رفع إنتاجها من حقل باي حسن إلى 250 ألف برميل يوميا.",
)


class _GraphForward(nn.Module):
    """The joint forward with a fixed, named tuple of outputs (ONNX graphs have positional outputs)."""

    def __init__(self, model: JointTagger, names: list[str]) -> None:
        super().__init__()
        self.model = model
        self.names = names

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> tuple[torch.Tensor, ...]:
        outputs = self.model(input_ids=input_ids, attention_mask=attention_mask)
        return tuple(outputs[name] for name in self.names)


def output_names(model: JointTagger) -> list[str]:
    """`logits_<layer>` for every tag layer, then `logits_sentence` when the model has sentence labels and
    `logits_factuality` when it has an attribute head."""
    names = [f"logits_{layer}" for layer in model.layer_names]
    names += ["logits_sentence"] if model.sentence_head is not None else []
    names += ["logits_factuality"] if model.factuality_head is not None else []
    head = model.argument_head
    return names + ([ARGUMENT_STATES_OUTPUT] if head is not None and head.span is not None else [])


@contextlib.contextmanager
def _quiet_loggers(names: Sequence[str]) -> Iterator[None]:
    loggers = [logging.getLogger(name or None) for name in names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def export_graph(model: JointTagger, path: Path) -> list[str]:
    """Write the fp32 ONNX graph of `model` (on CPU, eval mode) to `path`; returns its output names."""
    model = model.cpu().eval()
    names = output_names(model)
    max_positions = int(model.token_model.config.max_position_embeddings)
    # A padded row in the example keeps the attention-mask path in the graph (an all-ones mask may be skipped).
    ids = torch.full((2, 8), 5, dtype=torch.long)
    mask = torch.ones_like(ids)
    mask[1, 5:] = 0
    batch = torch.export.Dim("batch", min=1, max=4096)
    length = torch.export.Dim("length", min=2, max=max_positions)
    with warnings.catch_warnings(), _quiet_loggers(EXPORT_NOISE):
        # torch.export's internal deprecation and axis-renaming notices say nothing a user can act on.
        warnings.simplefilter("ignore", (FutureWarning, UserWarning))
        program = torch.onnx.export(
            _GraphForward(model, names),
            (ids, mask),
            dynamo=True,
            input_names=["input_ids", "attention_mask"],
            output_names=names,
            dynamic_shapes={"input_ids": {0: batch, 1: length}, "attention_mask": {0: batch, 1: length}},
            verbose=False,
        )
    if program is None:
        raise RuntimeError(f"{path}: torch.onnx.export returned no program — rerun with --debug")
    program.save(str(path))
    return names


def feed_forward_outputs(graph_path: Path) -> list[str]:
    """The MatMul nodes that read a Gelu's output: each encoder layer's feed-forward output projection. An encoder
    whose feed-forward activation is not GELU has none, and is quantized whole (onnx.json's `fp32_nodes` is empty)."""
    import onnx

    graph = onnx.load(str(graph_path), load_external_data=False).graph
    gelu_outputs = {name for node in graph.node if node.op_type == "Gelu" for name in node.output}
    return [node.name for node in graph.node if node.op_type == "MatMul" and node.input[0] in gelu_outputs]


def quantize_graph(source: Path, target: Path, keep_feed_forward_fp32: bool = True) -> list[str]:
    """onnxruntime dynamic quantization: int8 weights for MatMul/Gemm (and the embedding tables), activations
    quantized on the fly per tensor — except each layer's feed-forward output projection, which stays fp32 (returned).
    Its input, the GELU's output, spans a far wider range than any other activation (the outliers of Bondarenko et al.,
    EMNLP 2021), and one scale for all of it costs the most: on two e5-small ANERcorp models quantizing everything
    lost 1.53 and 1.06 entity F1 on dev, keeping these 12 of the 73 projections fp32 +0.57 and -0.27 (README,
    "Figures on it"; `keep_feed_forward_fp32=False` quantizes them too: `hadath export --int8-all`)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    kept_fp32 = feed_forward_outputs(source) if keep_feed_forward_fp32 else []
    with _quiet_loggers(EXPORT_NOISE):
        quantize_dynamic(str(source), str(target), weight_type=QuantType.QInt8, nodes_to_exclude=kept_fp32)
    return kept_fp32


@dataclass
class ParityReport:
    """How closely the ONNX graph follows the PyTorch model on sample sentences."""

    sentences: int
    windows: int
    tokens: int
    argmax_agreement: dict[str, float] = field(default_factory=dict)
    sentence_label_agreement: float | None = None
    max_abs_prob_diff: float = 0.0
    tokenizer_match: bool = True
    # With span states in the argument head: the largest difference of the projected piece states.
    max_abs_state_diff: float = 0.0

    @property
    def worst_agreement(self) -> float:
        """The lowest per-layer argmax agreement (1.0 with no tag layers)."""
        return min(self.argmax_agreement.values(), default=1.0)

    def summary(self) -> str:
        """One line for the CLI."""
        layers = ", ".join(f"{layer} {value:.2%}" for layer, value in self.argmax_agreement.items())
        labels = "" if self.sentence_label_agreement is None else f", labels {self.sentence_label_agreement:.2%}"
        return (
            f"argmax agreement with PyTorch on {self.sentences} sentences / {self.tokens} tokens: {layers}{labels} "
            f"(max |Δp| {self.max_abs_prob_diff:.4f})"
        )


def _batches(windows: Sequence[EncodedWindow], size: int, pad: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    ordered = sorted(windows, key=lambda w: len(w.input_ids))
    for begin in range(0, len(ordered), size):
        yield pad_windows(ordered[begin : begin + size], pad)


def check_parity(tagger: Tagger, graph: OnnxBackend, light: LightTokenizer, texts: Sequence[str]) -> ParityReport:
    """Run the PyTorch model and the graph on the same windows and count where their argmax tags agree."""
    meta = tagger.metadata
    # Compare the tokenizer inference will use: Tagger.load takes the pipeline's normalization rules off (they are
    # not idempotent for every preset: aggressive folds ۃ to ة, then a second pass folds ة to ه).
    remove_pipeline_normalizer(light, meta.normalizer)
    remove_pipeline_word_split(light)
    # One long document made of the sample itself, so windows longer than a sentence are compared too.
    texts = [*texts, " ".join(texts[:64])]
    sentences = [Sentence(text, split_words(text)) for text in texts]
    pieces = word_pieces(sentences, tagger.tokenizer, meta.normalizer)
    light_pieces = word_pieces(sentences, light, meta.normalizer)
    windows = encode_windows(pieces, tagger.tokenizer, meta.max_length, meta.stride)
    light_windows = encode_windows(light_pieces, light, meta.max_length, meta.stride)
    report = ParityReport(len(sentences), len(windows), 0)
    report.tokenizer_match = [w.input_ids for w in windows] == [w.input_ids for w in light_windows]
    reference = TorchBackend(tagger.model.cpu().eval())  # type: ignore[union-attr]
    agree: dict[str, float] = {}
    label_agree = label_total = 0
    threshold = meta.threshold
    for ids, mask in _batches(windows, 32, pad_id(tagger.tokenizer)):
        expected, got = reference.run(ids, mask), graph.run(ids, mask)
        valid = mask.astype(bool)
        report.tokens += int(valid.sum())
        for name, values in expected.items():
            # Layers come as log-probabilities, sentence labels as probabilities: compare probabilities.
            if name == ARGUMENT_STATES_OUTPUT:  # projected states, no probabilities: their largest difference
                report.max_abs_state_diff = max(report.max_abs_state_diff, float(np.abs(values - got[name]).max()))
                continue
            if name == "factuality":  # logits side by side, one softmax per attribute: agree per attribute
                agree[name] = agree.get(name, 0) + _attribute_agreement(values, got[name], meta, valid)
                continue
            diff = (
                np.abs(values - got[name]) if name == "sentence" else np.abs(np.exp(values) - np.exp(got[name]))[valid]
            )
            report.max_abs_prob_diff = max(report.max_abs_prob_diff, float(diff.max(initial=0.0)))
            if name == "sentence":
                label_agree += int(((values >= threshold) == (got[name] >= threshold)).sum())
                label_total += values.size
            else:
                same = values.argmax(-1) == got[name].argmax(-1)
                agree[name] = agree.get(name, 0) + int(same[valid].sum())
    report.argmax_agreement = {name: count / max(report.tokens, 1) for name, count in agree.items()}
    report.sentence_label_agreement = label_agree / label_total if label_total else None
    return report


def _attribute_agreement(expected: np.ndarray, got: np.ndarray, meta: Any, valid: np.ndarray) -> float:
    """Summed over the valid pieces, the share of attributes whose argmax value the two logit arrays agree on."""
    cuts = np.cumsum([len(values) for values in meta.labels.attributes.values()])[:-1]
    pairs = zip(np.split(expected, cuts, -1), np.split(got, cuts, -1), strict=True)
    same = np.mean([a.argmax(-1) == b.argmax(-1) for a, b in pairs], axis=0)
    return float(same[valid].sum())


def default_parity_texts(limit: int = 256) -> list[str]:
    """Sentences of the bundled dev split (a few built-in ones when the corpus is not installed)."""
    import hadath.data

    path = Path(hadath.data.__file__).parent / "corpus" / "dev.jsonl"
    if not path.is_file():
        return list(FALLBACK_TEXTS)
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line)["text"] for _, line in zip(range(limit), handle, strict=False) if line.strip()]


def export_onnx(
    tagger: Tagger,
    directory: Path,
    *,
    int8: bool,
    sample_texts: Sequence[str],
    carry: Sequence[Path] = (),
    force: bool = False,
    keep_feed_forward_fp32: bool = True,
) -> ParityReport:
    """Write graph, tokenizer, `hadath.json` and `onnx.json` (with the parity report) atomically into `directory`;
    `carry` files (the run manifest, the model card) are copied beside them. With `int8`, `keep_feed_forward_fp32`
    leaves each layer's feed-forward output projection unquantized (`quantize_graph`)."""
    import onnxruntime

    directory = directory.resolve()
    check_destination(directory, force)
    staging = make_staging(directory)
    try:
        fp32 = staging / ("model.fp32.onnx" if int8 else ONNX_GRAPH)
        names = export_graph(tagger.model, fp32)  # type: ignore[arg-type]
        kept_fp32: list[str] = []
        if int8:
            kept_fp32 = quantize_graph(fp32, staging / ONNX_GRAPH, keep_feed_forward_fp32)
            fp32.unlink()
        save_pipeline_tokenizer(tagger, staging)
        tagger.metadata.save(staging)
        if tagger.scorer is not None:
            tagger.scorer.save(staging / ARGUMENT_WEIGHTS)
        for path in carry:
            shutil.copy2(path, staging / path.name)
        graph = OnnxBackend(staging / ONNX_GRAPH, "cpu")
        report = check_parity(tagger, graph, LightTokenizer(staging), sample_texts)
        if not report.tokenizer_match:
            raise ValueError(
                f"{directory}: tokenizer.json alone gives other piece ids than the model's tokenizer — "
                "export a model whose tokenizer is a fast (tokenizers) one"
            )
        if not int8 and report.worst_agreement < MIN_FP32_AGREEMENT:
            raise ValueError(f"{directory}: fp32 ONNX graph disagrees with PyTorch — {report.summary()}")
        manifest: dict[str, Any] = {
            "format_version": MANIFEST_VERSION,
            "graph": ONNX_GRAPH,
            "exporter": EXPORTER,
            "torch": torch.__version__,
            "onnxruntime": onnxruntime.__version__,
            "quantization": "dynamic-int8" if int8 else None,
            "fp32_nodes": kept_fp32,  # with int8: the feed-forward output projections kept fp32 (quantize_graph)
            "inputs": ["input_ids", "attention_mask"],
            "outputs": names,
            "parity": asdict(report),
            # Every file a load reads, so a damaged or edited one is refused (hadath/inference/onnx_verify.py).
            FILE_HASHES: export_file_hashes(staging),
        }
        (staging / ONNX_MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        verify_staged(staging, directory)
        install_directory(staging, directory)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return report
