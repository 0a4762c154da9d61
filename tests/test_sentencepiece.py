"""Every stage on a SentencePiece tokenizer (XLM-R / multilingual-e5 family: Unigram, Metaspace `▁`, `<s> $A </s>`),
with a tiny one learned in the test (tests/tiny_encoders.py) and loaded as a pretrained `model.name_or_path`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from hadath.data.align import IGNORE, boundary_piece, plan_windows, word_pieces
from hadath.data.encode import LabelSpace, encode_windows, special_ids, training_features
from hadath.data.normalize import NormalizerSettings, normalize_word
from hadath.data.schemes import TagSpan
from hadath.data.sentence import Sentence
from hadath.data.words import split_words
from hadath.train.tokenizer_choice import pretrained_tokenizer

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "corpus"
DEFAULT = NormalizerSettings.preset("default")


def _sentence(text: str, spans: list[TagSpan] | None = None) -> Sentence:
    return Sentence(text, split_words(text), {"entities": spans or []})


def _ids(tokenizer: Any, word: str) -> list[int]:
    return tokenizer([word], add_special_tokens=False)["input_ids"][0]


@pytest.fixture(scope="module")
def tokenizer(sentencepiece_dir: Path) -> Any:
    return pretrained_tokenizer(str(sentencepiece_dir))  # the code path `hadath train` takes for name_or_path


@pytest.fixture(scope="module")
def bare_word(tokenizer: Any) -> str:
    """A corpus word the tokenizer opens with a bare `▁` followed by the pieces that hold its letters."""
    marker = boundary_piece(tokenizer)
    words = {w for line in (CORPUS / "train.jsonl").open(encoding="utf-8") for w in json.loads(line)["text"].split()}

    def hard(word: str) -> bool:  # the same pieces once the default preset has normalized it (alef forms...)
        ids = _ids(tokenizer, word)
        return ids[0] == marker and len(ids) > 2 and normalize_word(word, DEFAULT) == word

    found = sorted(w for w in words if w.isalpha() and hard(w))
    assert found, "the tiny tokenizer lost the hard case it must reproduce"
    return found[0]


def test_the_tiny_tokenizer_has_xlmr_ids_and_its_hard_cases(tokenizer: Any, bare_word: str) -> None:
    assert [tokenizer.convert_tokens_to_ids(t) for t in ("<s>", "<pad>", "</s>", "<unk>")] == [0, 1, 2, 3]
    assert tokenizer.convert_ids_to_tokens(_ids(tokenizer, bare_word))[0] == "▁"
    assert boundary_piece(tokenizer) == tokenizer.convert_tokens_to_ids("▁")
    assert _ids(tokenizer, "\x01") == []  # normalized to nothing by the tokenizer itself
    assert special_ids(tokenizer) == ([0], [2])


def test_a_word_opening_with_a_bare_marker_is_labelled_on_its_letters(tokenizer: Any, bare_word: str) -> None:
    sentence = _sentence(f"قال {bare_word} امس", [TagSpan(1, 2, "ORG")])
    pieces = word_pieces([sentence], tokenizer, DEFAULT)
    (window,) = encode_windows(pieces, tokenizer, max_length=64, stride=8)
    space = LabelSpace({"entities": ["O", "B-ORG", "I-ORG"]}, [])
    (feature,) = training_features([sentence], [window], space, all_subwords=False)
    labels = feature["labels_entities"]
    marker = list(window.owners).index(1) - 1  # the piece before the bare word's letters
    assert window.input_ids[marker] == boundary_piece(tokenizer)
    assert window.input_ids[0] == 0 and window.input_ids[-1] == 2
    assert labels[marker] == IGNORE and labels[marker + 1] == 1  # B-ORG on the first letters, not on `▁`
    assert [label for label in labels if label != IGNORE] == [0, 1, 0]
    assert window.owners[marker] < 0 and window.owners[marker + 1] == 1


def test_a_word_that_is_only_a_marker_keeps_it_as_its_piece(tokenizer: Any) -> None:
    marker = boundary_piece(tokenizer)
    none = NormalizerSettings.preset("none")
    sentence = _sentence("قال \u00ad ﹰ امس")  # soft hyphen: nothing after NFKC rules; ﹰ: NFKC gives " ً"
    pieces = word_pieces([sentence], tokenizer, none)
    assert pieces.pieces[0][1] == [tokenizer.unk_token_id] and pieces.stats.placeholder_words == 1
    (window,) = encode_windows(pieces, tokenizer, max_length=64, stride=8)
    leads = [o for i, o in enumerate(window.owners) if o >= 0 and window.owners[i - 1] != o]
    assert leads == [0, 1, 2, 3]
    assert _ids(tokenizer, "ﹰ")[0] == marker


def test_long_sentences_are_windowed_with_s_and_eos_framing_every_window(tokenizer: Any, bare_word: str) -> None:
    text = " ".join([f"قال {bare_word} في بغداد ،"] * 12)
    sentence = _sentence(text)
    pieces = word_pieces([sentence], tokenizer, DEFAULT)
    windows = encode_windows(pieces, tokenizer, max_length=24, stride=6)
    assert len(windows) > 3
    for window in windows:
        assert window.input_ids[0] == 0 and window.input_ids[-1] == 2 and len(window.input_ids) <= 24
        assert 0 not in window.input_ids[1:-1] and 2 not in window.input_ids[1:-1]
    cores = [w for window in windows for w in range(window.window.core_start, window.window.core_end)]
    assert cores == list(range(len(sentence.words)))
    counts = [len(p) for p in pieces.pieces[0]]
    assert [(w.window.start, w.window.end) for w in windows] == [(w.start, w.end) for w in plan_windows(counts, 22, 6)]


def test_the_frame_is_read_from_the_post_processor_whatever_the_token_names(tokenizer: Any) -> None:
    from transformers import PreTrainedTokenizerFast

    unnamed = PreTrainedTokenizerFast(tokenizer_object=tokenizer.backend_tokenizer, unk_token="<unk>")
    assert unnamed.cls_token_id is None and unnamed.bos_token_id is None
    assert special_ids(unnamed) == ([0], [2])


def test_data_stats_reads_xlmr_special_names_from_a_bare_tokenizer_json(
    sentencepiece_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from hadath.cli import main

    text = "قال محمد في بغداد"
    data = tmp_path / "a.jsonl"
    data.write_text(json.dumps({"text": text, "entities": [[4, 8, "PER"]]}, ensure_ascii=False) + "\n", "utf-8")
    tokenizer = pretrained_tokenizer(str(sentencepiece_dir))
    length = len(tokenizer(text)["input_ids"])  # with <s> and </s>
    tokenizer_file = str(sentencepiece_dir / "tokenizer.json")
    counts = []
    for maximum in (length, length - 1):
        assert main(["data", "stats", str(data), "--tokenizer", tokenizer_file, "--max-length", str(maximum)]) == 0
        stats = json.loads(capsys.readouterr().out)
        counts.append((stats["subwords_per_sentence"]["p100"], stats["sequences_over_max_length"]))
    assert counts == [(length, 0), (length, 1)]


def test_data_check_names_this_tokenizers_unknown_piece(tokenizer: Any) -> None:
    from hadath.data.check import zero_piece_findings

    sentence = _sentence("قال \x01 محمد")
    findings = zero_piece_findings({"train": [sentence]}, tokenizer, NormalizerSettings.preset("none"))
    text = " ".join(f.check + " " + f.action for f in findings)
    assert "<unk>" in text and "[UNK]" not in text


def test_the_exported_word_split_gives_hadaths_ids_and_comes_off_on_load(
    tokenizer: Any, bare_word: str, tmp_path: Path
) -> None:
    from hadath.inference.backends import LightTokenizer
    from hadath.inference.exported_normalizer import pipeline_normalization, remove_pipeline_normalizer
    from hadath.inference.exported_word_split import pipeline_word_split, remove_pipeline_word_split

    text = f"قال {bare_word}، في بغداد.\u200fامس"
    sentence = _sentence(text)
    (window,) = encode_windows(word_pieces([sentence], tokenizer, DEFAULT), tokenizer, 128, 8)
    before = tokenizer.backend_tokenizer.to_str()
    with pipeline_normalization(tokenizer, DEFAULT), pipeline_word_split(tokenizer):
        encoding = tokenizer(text, return_offsets_mapping=True)
        assert encoding["input_ids"] == window.input_ids  # what a plain pipeline feeds the encoder is Hadath's window
        starts = {start for start, _ in sentence.word_offsets}
        assert all(start in starts or text[start - 1] not in " \u200f" for start, _ in encoding["offset_mapping"][1:-1])
        # A pipeline decodes each word's pieces, then an entity's words: words stay apart, a word stays whole.
        word = normalize_word(bare_word, DEFAULT)
        marker, *letters = tokenizer.convert_ids_to_tokens(_ids(tokenizer, word))
        decoded = [tokenizer.convert_tokens_to_string(pieces) for pieces in ([marker], letters, ["▁قال"])]
        assert decoded == [" ", word, " قال"]
        assert tokenizer.convert_tokens_to_string([decoded[2], *decoded[:2]]) == f"قال {word}"
        assert tokenizer.convert_tokens_to_string([decoded[1], decoded[2]]) == f"{word} قال"
        tokenizer.save_pretrained(tmp_path)
    assert tokenizer.backend_tokenizer.to_str() == before
    light = LightTokenizer(tmp_path)
    remove_pipeline_normalizer(light, DEFAULT)
    remove_pipeline_word_split(light)  # as Tagger.load does
    assert json.loads(light.backend.to_str())["pre_tokenizer"]["type"] == "Metaspace"
    words = [normalize_word(word, DEFAULT) for word in sentence.words]
    expected = tokenizer(words, add_special_tokens=False)["input_ids"]
    assert light(words, add_special_tokens=False)["input_ids"] == expected


def test_normalized_words_reach_the_tokenizer_normalized_under_every_preset(tokenizer: Any) -> None:
    """Hadath's rules, then the tokenizer's NFKC: a presentation-form word gives the pieces of its plain letters."""
    plain, presentation = "لا", "\ufefb"  # lam-alef ligature: NFKC and fold_presentation_forms both give لا
    for name in ("none", "default", "arabert-v02", "aggressive"):
        settings = NormalizerSettings.preset(name)  # type: ignore[arg-type]
        assert _ids(tokenizer, normalize_word(presentation, settings)) == _ids(tokenizer, plain), name


# --- end to end on a tiny model trained a few steps -----------------------------------------------------------------

HARD_TEXTS = [
    "أعلنت هيئة المنافذ الحدودية مقتل أبو زيد الحضرمي في عملية نوعية شرق أربيل",
    "قال مُحَمَّد إن داعـــش شن هجوماً في\u200f كركوك عام ٢٠١٤.",  # diacritics, tatweel, bidi mark, Indic digits
    "وصل \ufefbعب \ufe8dلفريق إلى بغداد\u00ad يوم الثلاثاء",  # presentation forms, a soft hyphen
    "",
]


def _dev_texts() -> list[str]:
    return [json.loads(line)["text"] for line in (CORPUS / "dev.jsonl").read_text(encoding="utf-8").splitlines()]


def _spans(record: dict[str, Any]) -> list[tuple[int, int, str]]:
    return [(s["start"], s["end"], s["label"]) for s in record["entities"] + record["events"]]


@pytest.fixture(scope="module")
def run_dir(sentencepiece_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from hadath.cli import main

    config = tmp_path_factory.mktemp("config") / "sentencepiece.yaml"
    config.write_text(
        json.dumps(  # JSON is YAML
            {
                "name": "sentencepiece",
                "data": {
                    "train": str(CORPUS / "train.jsonl"),
                    "dev": str(CORPUS / "dev.jsonl"),
                    "test": str(CORPUS / "dev.jsonl"),
                    "format": "jsonl",
                },
                "model": {"name_or_path": str(sentencepiece_dir), "max_length": 64, "stride": 16, "decoding": "argmax"},
                "training": {
                    "epochs": 1,
                    "max_steps": 120,
                    "batch_size": 16,
                    "learning_rate": 0.005,
                    "logging_steps": 40,
                    "tensorboard": False,
                },
            }
        )  # fmt: skip
    )
    output = tmp_path_factory.mktemp("run")
    assert main(["train", str(config), "--output-dir", str(output)]) == 0
    return output


@pytest.fixture(scope="module")
def onnx_dirs(run_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from hadath.cli import main

    base = tmp_path_factory.mktemp("onnx")
    dirs = {"fp32": base / "fp32", "int8": base / "int8"}
    assert main(["export", str(run_dir / "model"), "--onnx", "--output-dir", str(dirs["fp32"])]) == 0
    assert main(["export", str(run_dir / "model"), "--onnx", "--int8", "--output-dir", str(dirs["int8"])]) == 0
    return dirs


@pytest.mark.slow
def test_train_then_evaluate_reproduces_the_run_scores(run_dir: Path, tmp_path: Path) -> None:
    from hadath.cli import main
    from hadath.inference.tagger import Tagger

    exported = json.loads((run_dir / "model" / "tokenizer.json").read_text(encoding="utf-8"))["pre_tokenizer"]
    loaded = json.loads(Tagger.load(run_dir / "model").tokenizer.backend_tokenizer.to_str())["pre_tokenizer"]
    assert (exported["type"], loaded["type"]) == ("Sequence", "Metaspace")  # Hadath takes its word split off
    metrics = json.loads((run_dir / "metrics.json").read_text())
    assert metrics["events"]["f1"] > 0.3 and metrics["entities"]["f1"] > 0.05, metrics  # it learns on this tokenizer
    assert main(["evaluate", str(run_dir / "model"), str(CORPUS / "dev.jsonl"), "--output-dir", str(tmp_path)]) == 0
    assert json.loads((tmp_path / "metrics.json").read_text()) == metrics


@pytest.mark.slow
def test_predict_offsets_index_the_text_under_every_normalization_preset(run_dir: Path, tmp_path: Path) -> None:
    from dataclasses import replace

    from hadath.export.model_dir import export_model
    from hadath.inference.tagger import Tagger

    checked = 0
    for name in ("none", "default", "arabert-v02", "aggressive"):
        tagger = Tagger.load(run_dir / "model", device="cpu")
        tagger.metadata = replace(tagger.metadata, normalizer=NormalizerSettings.preset(name))  # type: ignore[arg-type]
        exported = export_model(tagger, tmp_path / name)
        for records in (tagger.predict(HARD_TEXTS), Tagger.load(exported).predict(HARD_TEXTS)):
            for text, record in zip(HARD_TEXTS, records, strict=True):
                edges = split_words(text)
                for span in record["entities"] + record["events"]:
                    assert text[span["start"] : span["end"]] == span["text"], (name, span)
                    assert span["start"] in {s for s, _ in edges} and span["end"] in {e for _, e in edges}
                    checked += 1
    assert checked >= 8, "too few spans predicted: the offsets were hardly checked"


@pytest.mark.slow
def test_onnx_and_int8_exports_pass_their_parity_check_and_give_the_pytorch_records(
    run_dir: Path, onnx_dirs: dict[str, Path]
) -> None:
    from hadath.inference.tagger import Tagger

    for kind, directory in onnx_dirs.items():
        parity = json.loads((directory / "onnx.json").read_text())["parity"]
        assert parity["tokenizer_match"] is True and parity["windows"] > parity["sentences"], parity
        assert min(parity["argmax_agreement"].values()) >= (0.999 if kind == "fp32" else 0.95), parity
    texts = [*HARD_TEXTS, *_dev_texts()[:30]]
    reference = Tagger.load(run_dir / "model", device="cpu").predict(texts)
    assert sum(len(_spans(r)) for r in reference) >= 10
    assert [_spans(r) for r in Tagger.load(onnx_dirs["fp32"]).predict(texts, batch_size=3)] == [
        _spans(r) for r in reference
    ]
    int8 = Tagger.load(onnx_dirs["int8"]).predict(texts)
    assert sum(len(_spans(r)) for r in int8) >= 10
    assert all(r["text"][s["start"] : s["end"]] == s["text"] for r in int8 for s in r["entities"] + r["events"])


def _hard_words(text: str, tokenizer: Any, settings: NormalizerSettings) -> set[int]:
    """Word starts where the plain pipeline's word grouping cannot follow Hadath's words: a word opening with a bare
    `▁` (its own group there), and a word with no space before it (joined to the word before)."""
    marker = boundary_piece(tokenizer)
    hard = set()
    for start, end in split_words(text):
        if (start > 0 and not text[start - 1].isspace()) or _ids(tokenizer, normalize_word(text[start:end], settings))[
            :1
        ] == [marker]:
            hard.add(start)
    return hard


@pytest.mark.slow
def test_the_plain_pipeline_reads_the_pieces_hadath_reads(run_dir: Path) -> None:
    """`pipeline(aggregation_strategy="first")` on the exported folder: spans start on a letter, `word` is the span's
    (normalized) text with its words apart, and every span away from the two cases transformers' word grouping
    cannot follow for a tokenizer without a continuation prefix (`_hard_words`) is Hadath's argmax span."""
    import warnings

    from transformers import pipeline

    from hadath.inference.tagger import Tagger

    tagger = Tagger.load(run_dir / "model", device="cpu")
    assert tagger.metadata.decoding == "argmax"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Tokenizer does not support real words, using fallback heuristic"
        plain = pipeline("token-classification", model=str(run_dir / "model"), aggregation_strategy="first")
        texts = _dev_texts()
        outputs = [plain(text) for text in texts]
    settings = tagger.metadata.normalizer
    compared = 0
    for text, output, record in zip(texts, outputs, tagger.predict(texts), strict=True):
        hard = _hard_words(text, tagger.tokenizer, settings)

        def clean(spans: list[tuple[int, int, str]], hard: set[int] = hard) -> set[tuple[int, int, str]]:
            # A limit reaches the span it falls in and the spans that end or start one space from it, which the
            # pipeline may merge with it (it reads an `I-` after a span of its type as that span's continuation).
            return {s for s in spans if not any(s[0] - 2 <= h <= s[1] + 1 for h in hard)}

        for entity in output:
            assert not text[entity["start"]].isspace(), entity
            if clean([(entity["start"], entity["end"], "")]):
                assert entity["word"] == normalize_word(text[entity["start"] : entity["end"]], settings), entity
        ours = clean([(s["start"], s["end"], s["label"]) for s in record["entities"]])
        assert clean([(e["start"], e["end"], e["entity_group"]) for e in output]) == ours, text
        compared += len(ours)
    assert compared >= 100, compared


@pytest.mark.slow
def test_serve_returns_the_tagger_records(run_dir: Path) -> None:
    from test_serve import _serve, request

    from hadath.inference.tagger import Tagger
    from hadath.serve import Limits

    tagger = Tagger.load(run_dir / "model", device="cpu")
    texts = HARD_TEXTS[:3]
    for address in _serve(tagger, Limits()):
        status, body = request(address, "POST", "/predict", json.dumps({"texts": texts}).encode())
        assert status == 200 and isinstance(body, dict)
        assert body["records"] == tagger.predict(texts) and sum(len(_spans(r)) for r in body["records"]) > 0


@pytest.mark.slow
def test_predict_with_the_ray_engine_gives_plain_predict_records(run_dir: Path, tmp_path: Path) -> None:
    pytest.importorskip("ray", reason="Ray is an optional extra: pip install 'hadath[ray]'")
    import io
    from contextlib import redirect_stdout

    from hadath.cli import main

    source = tmp_path / "news.txt"
    source.write_text("\n".join([*HARD_TEXTS, *_dev_texts()[:40]]) + "\n", encoding="utf-8")
    buffer = io.StringIO()
    with redirect_stdout(buffer):
        assert main(["predict", str(run_dir / "model"), str(source), "--batch-size", "4"]) == 0
    plain = [json.loads(line) for line in buffer.getvalue().splitlines()]
    assert main(["predict", str(run_dir / "model"), str(source), "--engine", "ray", "--output-dir",
                 str(tmp_path / "out"), "--batch-size", "4"]) == 0  # fmt: skip
    rows = [json.loads(line) for path in sorted((tmp_path / "out" / "shards").glob("*[0-9].jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines()]  # fmt: skip
    rows.sort(key=lambda row: row["line"])
    assert [{k: v for k, v in row.items() if k not in ("source", "line")} for row in rows] == plain
    assert sum(len(_spans(r)) for r in plain) >= 10
