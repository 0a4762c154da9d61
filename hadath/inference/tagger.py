"""Inference on an exported model: `Tagger.load(DIR).predict(texts)` gives the same records as `hadath predict`."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

import numpy as np
from tqdm.auto import tqdm

from hadath.config import ConfigError
from hadath.data.align import AlignmentStats, word_pieces
from hadath.data.argument_pairs import span_types
from hadath.data.encode import EncodedWindow, encode_windows, pad_id, pad_windows
from hadath.data.schemes import TagSpan, spans_from_tags
from hadath.data.sentence import Sentence, layer_family
from hadath.data.words import split_words
from hadath.inference.arguments import ARGUMENT_WEIGHTS, ArgumentScorer, PredictedArgument, WordStates
from hadath.inference.backends import (
    ARGUMENT_STATES_OUTPUT,
    ONNX_GRAPH,
    Backend,
    LightTokenizer,
    OnnxBackend,
    TorchBackend,
    check_onnx_dir,
    is_onnx_dir,
    resolve_torch_device,
)
from hadath.inference.event_records import attach_arguments, attach_factuality
from hadath.inference.exported_normalizer import remove_pipeline_normalizer
from hadath.inference.exported_word_split import remove_pipeline_word_split
from hadath.inference.factuality import PredictedFactuality, trigger_factuality, with_cue_scores
from hadath.inference.layer_scores import LayerScores, decode_path, path_scores
from hadath.inference.metadata import ModelMetadata
from hadath.inference.onnx_verify import check_graph_outputs, check_onnx_files
from hadath.models.checkpoint_verify import check_links_stay_inside, check_no_remote_code
from hadath.models.decoding import build_constraints

if TYPE_CHECKING:
    from transformers import PreTrainedTokenizerBase

if TYPE_CHECKING:  # torch and transformers load lazily: an ONNX model directory never imports them
    import torch

    from hadath.models.joint import JointTagger

REQUIRED_FILES = ("config.json", "model.safetensors", "hadath.json", "hadath_heads.safetensors")
# Sentences encoded and decoded at once: bounds memory on any corpus size while keeping length-sorted batches full.
CHUNK_SENTENCES = 1024


class WordCoverageError(RuntimeError):
    """A word got no prediction, or more than one: an internal invariant broke (never the user's input)."""


@dataclass
class WordPrediction:
    """One sentence's decoded word tags per layer, the probability of each chosen tag, label probabilities, and the
    probability of each decoded span (in `spans_from_tags` order; see `span_scores` in the README)."""

    tags: dict[str, list[str]]
    tag_scores: dict[str, np.ndarray]
    label_scores: np.ndarray
    span_scores: dict[str, list[float]] = field(default_factory=dict)
    # With an argument head: the links among the decoded triggers and entities.
    arguments: list[PredictedArgument] = field(default_factory=list)
    # With an attribute head: its logits per word [words, values] and the attributes of each decoded trigger.
    factuality_logits: np.ndarray | None = None
    factuality: dict[tuple[int, int], PredictedFactuality] = field(default_factory=dict)
    # Asked for by evaluation (`uncalibrated=True`): the span scores at temperature 1 of each calibrated layer.
    uncalibrated_span_scores: dict[str, list[float]] = field(default_factory=dict)
    # With a span-state argument head: the sentence's `argument_states` per word, to link gold spans too.
    argument_states: WordStates | None = None

    def spans(self, family: str) -> list[TagSpan]:
        """The decoded spans of every layer of a family (`entities`, `events`), nested layers included."""
        return [s for layer, tags in self.tags.items() if layer_family(layer) == family
                for s in spans_from_tags(tags, "IOB2")]  # fmt: skip


def check_model_dir(directory: Path) -> None:
    """Refuse a directory that is not a complete exported model, naming what is missing."""
    if not directory.is_dir():
        raise FileNotFoundError(f"{directory}: not a directory — pass the `model/` folder of a Hadath run")
    missing = [name for name in REQUIRED_FILES if not (directory / name).is_file()]
    if len(missing) == len(REQUIRED_FILES):  # nothing of a model here: re-exporting is not the fix
        if (directory / "checkpoints").is_dir():
            raise FileNotFoundError(
                f"{directory}: a run that has not exported its model yet — finish it with "
                f"`hadath train CONFIG --output-dir {directory} --resume`"
            )
        raise FileNotFoundError(
            f"{directory}: not a Hadath model directory (no hadath.json) — pass the `model/` folder of a run, "
            "or a `hadath export` output"
        )
    if missing:
        raise FileNotFoundError(
            f"{directory}: incomplete model directory (missing {', '.join(missing)}) — re-run `hadath export`"
        )


class Tagger:
    """A loaded joint tagger plus its tokenizer and saved settings."""

    def __init__(
        self,
        model: JointTagger | OnnxBackend,
        tokenizer: PreTrainedTokenizerBase | LightTokenizer,
        metadata: ModelMetadata,
        backend: Backend | None = None,
        scorer: ArgumentScorer | None = None,
    ) -> None:
        # `model` is the JointTagger (what training and `export` save) or, for an ONNX directory, the graph itself.
        self.model = model
        self.backend: Backend = backend if backend is not None else TorchBackend(model)  # type: ignore[arg-type]
        # An exported tokenizer carries Hadath's normalization for plain pipelines; Hadath has normalized already.
        remove_pipeline_normalizer(tokenizer, metadata.normalizer)
        # And Hadath's word split: every word it hands the tokenizer is one already.
        remove_pipeline_word_split(tokenizer)
        self.tokenizer = tokenizer
        self.metadata = metadata
        self.constraints = {layer: build_constraints(tags, "IOB2") for layer, tags in metadata.labels.layers.items()}
        head = getattr(model, "argument_head", None)
        roles = metadata.labels.arguments
        # The argument head runs in NumPy from its weights, the same for a PyTorch and an ONNX model.
        types = span_types(metadata.labels.layers)
        self.scorer = scorer or (ArgumentScorer.from_head(head, roles, types) if head is not None and roles else None)

    @classmethod
    def load(cls, directory: str | Path, device: str = "auto", threads: int = 0) -> Tagger:
        """Load an exported model directory: PyTorch (safetensors, no remote code) or ONNX (`hadath export --onnx`).
        `threads` caps the CPU threads of one forward pass (0: the runtime's default, one per core)."""
        directory = Path(directory)
        if directory.is_dir() and is_onnx_dir(directory):
            check_onnx_dir(directory)
            check_onnx_files(directory)  # links, auto_map, the hashes recorded at export
            metadata = ModelMetadata.load(directory)
            graph = OnnxBackend(directory / ONNX_GRAPH, device, threads)
            check_graph_outputs(directory / ONNX_GRAPH, graph.output_shapes, metadata)
            roles = metadata.labels.arguments
            types = span_types(metadata.labels.layers)
            weights = directory / ARGUMENT_WEIGHTS
            scorer = ArgumentScorer.from_file(weights, roles, types, metadata.argument_states) if roles else None
            return cls(graph, LightTokenizer(directory), metadata, graph, scorer)
        check_model_dir(directory)
        # What needs only the folder's JSON is refused before torch and transformers load (seconds on small machines);
        # `load_joint` checks the weights against the architecture after.
        check_links_stay_inside(directory)
        check_no_remote_code(directory)
        metadata = ModelMetadata.load(directory)
        from transformers import AutoTokenizer
        from transformers.utils import logging as transformers_logging

        from hadath.models.checkpoint import load_joint

        if threads:
            import torch

            torch.set_num_threads(threads)
        layers = {layer: len(tags) for layer, tags in metadata.labels.layers.items()}
        # The weight-loading progress bar is noise for a service that loads one model at start.
        transformers_logging.disable_progress_bar()
        model = load_joint(
            directory,
            layers,
            len(metadata.labels.sentence_labels),
            device=resolve_torch_device(device),
            pooling=metadata.pooling,
            argument_roles=len(metadata.labels.arguments),
            argument_types=len(span_types(metadata.labels.layers)),
            attribute_sizes=[len(values) for values in metadata.labels.attributes.values()],
            argument_states=metadata.argument_states,
        )
        tokenizer = AutoTokenizer.from_pretrained(directory)
        return cls(model, tokenizer, metadata)

    @property
    def device(self) -> torch.device:
        """Where the model's weights live."""
        if isinstance(self.model, OnnxBackend):
            raise AttributeError("an ONNX tagger has no torch device — its onnxruntime session is `tagger.backend`")
        return next(self.model.parameters()).device

    def _batches(self, windows: list[EncodedWindow], batch_size: int) -> Iterator[list[EncodedWindow]]:
        # Sorting by length keeps padding (and so wasted compute) small.
        ordered = sorted(windows, key=lambda w: len(w.input_ids))
        for begin in range(0, len(ordered), batch_size):
            yield ordered[begin : begin + batch_size]

    def _forward(self, batch: list[EncodedWindow]) -> dict[str, np.ndarray]:
        ids, mask = pad_windows(batch, pad_id(self.tokenizer))
        return self.backend.run(ids, mask)

    def predict_sentences(
        self,
        sentences: Sequence[Sentence],
        batch_size: int = 32,
        progress: bool = False,
        stats: AlignmentStats | None = None,
    ) -> list[WordPrediction]:
        """Word-level predictions for every layer: exactly one tag per word (checked on every batch)."""
        return list(self.iter_predictions(sentences, batch_size, progress, stats))

    def iter_predictions(
        self,
        sentences: Sequence[Sentence],
        batch_size: int = 32,
        progress: bool = False,
        stats: AlignmentStats | None = None,
        *,
        chunk_size: int = CHUNK_SENTENCES,
        uncalibrated: bool = False,
    ) -> Iterator[WordPrediction]:
        """`predict_sentences` as a stream, in input order: sentences are encoded, run and decoded chunk by chunk,
        so memory holds one chunk's scores however large the corpus. Alignment counts are added to `stats`;
        `uncalibrated` also gives the temperature-1 span scores of calibrated layers."""
        was_training = self.model.training
        self.model.eval()
        bar = tqdm(total=len(sentences), desc="predict", unit="sentence", disable=not progress, leave=False)
        try:
            for begin in range(0, len(sentences), chunk_size):
                chunk = sentences[begin : begin + chunk_size]
                yield from self._predict_chunk(chunk, batch_size, stats, uncalibrated)
                bar.update(len(chunk))
        finally:
            bar.close()
            self.model.train(was_training)

    def layer_scores(self, sentences: Sequence[Sentence], batch_size: int = 32) -> Iterator[dict[str, np.ndarray]]:
        """Per sentence, in input order, each tag layer's word log-probabilities [words, tags] before decoding."""
        was_training = self.model.training
        self.model.eval()
        try:
            for begin in range(0, len(sentences), CHUNK_SENTENCES):
                chunk = sentences[begin : begin + CHUNK_SENTENCES]
                scores = self._chunk_scores(chunk, batch_size, None)[0]
                yield from ({layer: scores[layer][index] for layer in scores} for index in range(len(chunk)))
        finally:
            self.model.train(was_training)

    def _predict_chunk(
        self, sentences: Sequence[Sentence], batch_size: int, stats: AlignmentStats | None, uncalibrated: bool
    ) -> list[WordPrediction]:
        scores, label_scores, factuality, states = self._chunk_scores(sentences, batch_size, stats)
        predictions = [
            self._decode(
                scores, index, label_scores[index], s.words, uncalibrated=uncalibrated, states=states.get(index)
            )
            for index, s in enumerate(sentences)
        ]
        cue_scores = self.metadata.factuality_cues
        for prediction, word_logits, sentence in zip(predictions, factuality, sentences, strict=False):
            if cue_scores is not None:
                word_logits = with_cue_scores(word_logits, sentence.words, cue_scores)
            prediction.factuality_logits = word_logits
            prediction.factuality = {
                (t.start, t.end): self.attributes(prediction, t) for t in prediction.spans("events")
            }
        return predictions

    def _chunk_scores(
        self, sentences: Sequence[Sentence], batch_size: int, stats: AlignmentStats | None
    ) -> tuple[dict[str, list[np.ndarray]], np.ndarray, list[np.ndarray], dict[int, WordStates]]:
        """Per layer and sentence the word scores, the sentence-label probabilities, the attribute logits and (with
        a span-state argument head) each sentence's per-word `argument_states` sums."""
        meta = self.metadata
        pieces = word_pieces(sentences, self.tokenizer, meta.normalizer)
        windows = encode_windows(pieces, self.tokenizer, meta.max_length, meta.stride)
        layers = meta.labels.layers
        scores = {
            layer: [np.zeros((len(s.word_offsets), len(tags)), dtype=np.float32) for s in sentences]
            for layer, tags in layers.items()
        }
        predicted = [np.zeros(len(s.word_offsets), dtype=np.int32) for s in sentences]
        label_sums = np.zeros((len(sentences), len(meta.labels.sentence_labels)), dtype=np.float32)
        values = sum(len(choices) for choices in meta.labels.attributes.values())
        factuality = [np.zeros((len(s.word_offsets), values), dtype=np.float32) for s in sentences] if values else []
        window_counts = np.zeros(len(sentences), dtype=np.float32)
        states: dict[int, WordStates] = {}
        for batch in self._batches(windows, batch_size):
            outputs = self._forward(batch)
            for row, window in enumerate(batch):
                positions, words = _core_first_pieces(window)
                _check_window_words(window, words, sentences[window.sentence])
                predicted[window.sentence][words] += 1
                for layer in layers:
                    scores[layer][window.sentence][words] = outputs[layer][row, positions]
                if "sentence" in outputs:
                    label_sums[window.sentence] += outputs["sentence"][row]
                if "factuality" in outputs and factuality:
                    factuality[window.sentence][words] = outputs["factuality"][row, positions]
                window_counts[window.sentence] += 1
                if ARGUMENT_STATES_OUTPUT in outputs:
                    _add_word_states(states, window, sentences, outputs[ARGUMENT_STATES_OUTPUT][row])
        for sentence, counts in zip(sentences, predicted, strict=True):
            if np.any(counts != 1):
                raise WordCoverageError(
                    f"{sentence.source or '<text>'}: {int(np.sum(counts == 1))} of {len(counts)} words got exactly "
                    "one prediction — this is a bug in Hadath's alignment, please report it with this sentence"
                )
        if stats is not None:
            stats.merge(pieces.stats)
        label_scores = label_sums / np.maximum(window_counts, 1)[:, None]
        return scores, label_scores, factuality, states

    def _decode(
        self,
        scores: dict[str, list[np.ndarray]],
        index: int,
        label_scores: np.ndarray,
        words: Sequence[str],
        *,
        uncalibrated: bool = False,
        states: WordStates | None = None,
    ) -> WordPrediction:
        tags, tag_scores, span_scores, raw_span_scores = {}, {}, {}, {}
        for layer, names in self.metadata.labels.layers.items():
            matrix = scores[layer][index]
            tag_scores[layer], span_scores[layer], path = self._decode_layer(layer, matrix)
            tags[layer] = [names[i] for i in path]
            if uncalibrated and self.metadata.temperature(layer) != 1.0 and len(matrix):
                raw_span_scores[layer] = self.path_scores(layer, matrix, path)[1]
        prediction = WordPrediction(tags, tag_scores, label_scores, span_scores)
        prediction.uncalibrated_span_scores = raw_span_scores
        prediction.argument_states = states
        prediction.arguments = self.link(words, prediction.spans("events"), prediction.spans("entities"), states)
        return prediction

    def link(
        self,
        words: Sequence[str],
        triggers: Sequence[TagSpan],
        entities: Sequence[TagSpan],
        states: WordStates | None = None,
    ) -> list[PredictedArgument]:
        """The argument head's links among given triggers and entities of a sentence's words (decoded spans, or gold
        spans to score the head alone); none without an argument head."""
        return [] if self.scorer is None else self.scorer.link(words, triggers, entities, states)

    def attributes(self, prediction: WordPrediction, trigger: TagSpan) -> PredictedFactuality:
        """The attribute head's values for one trigger of a predicted sentence (a decoded trigger, or a gold one to
        score the head alone)."""
        assert prediction.factuality_logits is not None, "the model has no attribute head"
        attributes = self.metadata.labels.attributes
        return trigger_factuality(prediction.factuality_logits, trigger.start, trigger.end, attributes)

    def _decode_layer(self, layer: str, matrix: np.ndarray) -> tuple[np.ndarray, list[float], np.ndarray]:
        """The decoded path, each word's probability of its tag and each span's probability (at the layer's
        calibration temperature)."""
        path = decode_path(self.metadata, self.constraints[layer], layer, matrix)
        word, spans = self.path_scores(layer, matrix, path, self.metadata.temperature(layer))
        return word, spans, path

    def path_scores(
        self, layer: str, matrix: np.ndarray, path: np.ndarray, temperature: float = 1.0
    ) -> tuple[np.ndarray, list[float]]:
        """Each word's probability of its tag on `path` and each span's probability, at `temperature`."""
        return path_scores(self.metadata, self.constraints[layer], layer, LayerScores(matrix, path, temperature))

    def record(self, sentence: Sentence, prediction: WordPrediction, text: str | None = None) -> dict[str, Any]:
        """The `hadath predict` JSON record for one sentence."""
        families: dict[str, list[dict[str, Any]]] = {"entities": [], "events": []}
        for layer, tags in prediction.tags.items():
            target = families.setdefault(layer_family(layer), [])
            decoded = spans_from_tags(tags, "IOB2")
            for span, score in zip(decoded, prediction.span_scores[layer], strict=True):
                start, end = sentence.char_span(span)
                target.append(
                    {
                        "start": start,
                        "end": end,
                        "label": span.label,
                        "text": sentence.text[start:end],
                        "score": round(score, 4),
                    }
                )
        if self.scorer is not None:
            attach_arguments(sentence, prediction.arguments, families["events"])
        if self.metadata.labels.attributes:
            attach_factuality(sentence, prediction.factuality, families["events"])
        for spans in families.values():
            spans.sort(key=lambda s: (s["start"], -s["end"], s["label"]))
        threshold = self.metadata.threshold
        labels = [
            name
            for name, p in zip(self.metadata.labels.sentence_labels, prediction.label_scores, strict=True)
            if p >= threshold
        ]
        return {"text": sentence.text if text is None else text, **families, "labels": labels}

    @overload  # a str is also a Sequence[str]: this first overload wins for it
    def predict(  # type: ignore[overload-overlap]
        self, texts: str, batch_size: int = 32, progress: bool = False
    ) -> dict[str, Any]: ...

    @overload
    def predict(self, texts: Sequence[str], batch_size: int = 32, progress: bool = False) -> list[dict[str, Any]]: ...

    def predict(
        self, texts: str | Sequence[str], batch_size: int = 32, progress: bool = False
    ) -> dict[str, Any] | list[dict[str, Any]]:
        """Records for raw texts (one record for one string); offsets index into each text exactly as given."""
        if isinstance(texts, str):  # a string is a sequence of characters: never tag it letter by letter
            return self.predict([texts], batch_size, progress)[0]
        sentences = [Sentence(text, split_words(text)) for text in texts]
        predictions = self.predict_sentences(sentences, batch_size, progress)
        return [self.record(s, p) for s, p in zip(sentences, predictions, strict=True)]


def _check_window_words(window: EncodedWindow, words: list[int], sentence: Sentence) -> None:
    """Every word of a window's core must be read from exactly one first piece, in order."""
    core = window.window
    if words != list(range(core.core_start, core.core_end)):
        raise WordCoverageError(
            f"{sentence.source or '<text>'}: window over words {core.core_start}..{core.core_end - 1} yielded "
            f"{len(words)} word predictions — this is a bug in Hadath's alignment, please report it"
        )


def _add_word_states(
    states: dict[int, WordStates], window: EncodedWindow, sentences: Sequence[Sentence], projected: np.ndarray
) -> None:
    """Add one window's `argument_states` rows to the per-word sums of its core words (every piece, not only the
    first: the head pools over all of a span's pieces, as in training)."""
    core = window.window
    owned = [(p, w) for p, w in enumerate(window.owners) if w >= 0 and core.core_start <= w < core.core_end]
    if not owned:
        return
    found = states.get(window.sentence)
    if found is None:
        words = len(sentences[window.sentence].word_offsets)
        found = states[window.sentence] = WordStates(np.zeros((words, projected.shape[-1]), np.float32),
                                                     np.zeros(words, np.float32))  # fmt: skip
    positions, owners = zip(*owned, strict=True)
    np.add.at(found.sums, list(owners), projected[list(positions)])
    np.add.at(found.counts, list(owners), 1.0)


def _core_first_pieces(window: EncodedWindow) -> tuple[list[int], list[int]]:
    """Positions of the lead (first owned) piece of each core word in the window, and those words' sentence indices."""
    positions, words, previous = [], [], -1
    core = window.window
    for position, owner in enumerate(window.owners):
        if owner >= 0 and owner != previous and core.core_start <= owner < core.core_end:
            positions.append(position)
            words.append(owner)
        previous = owner
    return positions, words


def load_explained(directory: str | Path, device: str = "auto", threads: int = 0) -> Tagger:
    """`Tagger.load`, with a damaged file in the model directory (bad JSON, bad safetensors header, a tokenizer that
    does not parse) reported as one `ValueError` line naming the directory and the fix instead of the loader's own
    exception; a missing file or a config problem keeps its own message."""
    try:
        return Tagger.load(directory, device=device, threads=threads)
    except (FileNotFoundError, ConfigError):
        raise
    except Exception as error:
        if str(error).startswith(str(directory)):  # already our own `DIR: problem — fix` message
            raise
        first = str(error).strip().splitlines()[0] if str(error).strip() else ""
        raise ValueError(
            f"{directory}: cannot load the model ({type(error).__name__}: {first}) — "
            "a file in it is damaged: re-run `hadath export` (or training) to rewrite it"
        ) from error


__all__ = ["Tagger", "WordCoverageError", "WordPrediction", "check_model_dir", "load_explained"]
