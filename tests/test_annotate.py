"""`hadath annotate suggest|merge`: choosing sentences (uncertainty, random, diverse; bounded memory; near-duplicates
dropped), writing them as tool predictions (never gold), and merging corrected exports back with their annotator."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from hadath.annotate.near_duplicates import duplicate_key
from hadath.annotate.selection import Candidate, MostUncertain, Reservoir, spread
from hadath.annotate.uncertainty import label_doubt, sentence_uncertainty
from hadath.cli import main
from hadath.data.readers import read_documents, read_sentences
from hadath.data.sentence import Sentence
from hadath.data.tool_records import SUGGESTION_HASH, text_sha256
from hadath.data.words import split_words
from hadath.inference.tagger import Tagger, WordPrediction

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "corpus"


def candidate(order: int, uncertainty: float, text: str | None = None) -> Candidate:
    text = text or "نص " + "".join(chr(0x0628 + int(digit)) for digit in str(order))  # digits would be alike
    return Candidate(order, f"pool:{order}", text, duplicate_key(text), uncertainty)


def test_most_uncertain_keeps_the_top_n_in_bounded_memory() -> None:
    heap = MostUncertain(5)
    rng = np.random.default_rng(0)
    scores = rng.random(5000)
    held = 0
    for order, score in enumerate(scores):
        heap.offer(candidate(order, float(score)))
        held = max(held, len(heap._heap))  # what it holds, not just what it returns
    assert held == 5
    assert [c.order for c in heap.best()] == list(np.argsort(-scores)[:5])


def test_near_duplicates_enter_once() -> None:
    assert duplicate_key("قالَ الكـاظمي، إنّ ٣ هجمات") == duplicate_key("قال الكاظمي إن 4 هجمات\u200f")
    assert duplicate_key("قال الكاظمي") != duplicate_key("قال العبادي")
    heap = MostUncertain(3)
    heap.offer(candidate(0, 0.9, "قال الكاظمي"))
    heap.offer(candidate(1, 0.95, "قالَ الكـاظمي"))
    heap.offer(candidate(2, 0.5, "زار العبادي"))
    assert [c.order for c in heap.best()] == [0, 2] and heap.duplicates == 1


def test_reservoir_is_seeded_uniform_and_distinct() -> None:
    def sample(seed: int) -> list[int]:
        reservoir = Reservoir(10, seed)
        for order in range(1000):
            reservoir.offer(candidate(order % 500, 0.0))  # every text twice
        return sorted(c.order for c in reservoir.kept)

    assert sample(1) == sample(1) != sample(2)
    assert len(set(sample(1))) == 10
    counts = np.zeros(500)
    for seed in range(300):
        counts[sample(seed)] += 1
    assert counts[:250].sum() == pytest.approx(counts[250:].sum(), rel=0.2)  # no half of the pool favoured


def test_spread_starts_from_the_most_uncertain_and_covers_the_clusters() -> None:
    rng = np.random.default_rng(3)
    centres = np.eye(4) * 10
    points = np.vstack([centre + rng.normal(0, 0.1, (10, 4)) for centre in centres])
    uncertainty = np.linspace(0, 1, 40)  # the last cluster holds the most uncertain
    picked = spread(points, list(uncertainty), 4)
    assert picked[0] == 39
    assert sorted(index // 10 for index in picked) == [0, 1, 2, 3]
    twins = np.vstack([points[:1], points[:1], points[10:11]])
    assert spread(twins, [0.9, 0.8, 0.1], 3) == [0, 2]  # the copy of a picked row is never picked


def test_uncertainty_counts_the_least_sure_decision() -> None:
    prediction = WordPrediction(
        tags={"entities": ["B-PER", "I-PER", "O", "O"]},
        tag_scores={"entities": np.array([0.9, 0.9, 0.97, 0.6])},
        label_scores=np.array([0.99]),
        span_scores={"entities": [0.8]},
    )
    assert sentence_uncertainty(prediction, 0.5) == pytest.approx(0.4)  # the last word: 40% in an unseen span
    prediction.tag_scores["entities"][3] = 0.99
    assert sentence_uncertainty(prediction, 0.5) == pytest.approx(0.2)  # now the span's 0.8
    assert label_doubt(0.5, 0.5) == 1.0 and label_doubt(1.0, 0.5) == 0.0 and label_doubt(0.0, 0.3) == 0.0


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("run")
    code = main(["train", str(ROOT / "configs" / "scratch.yaml"), "--output-dir", str(output),
                 "--set", "training.max_steps=12", "--set", "training.tensorboard=false"])  # fmt: skip
    assert code == 0
    return output / "model"


@pytest.fixture(scope="module")
def pool(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pool")
    texts = [json.loads(line)["text"] for line in (CORPUS / "test.jsonl").read_text(encoding="utf-8").splitlines()]
    (folder / "a.txt").write_text("\n".join(texts[:150]) + "\n", encoding="utf-8")
    # JSONL with `text` beside plain lines, and a near-duplicate (diacritics, tatweel) of a.txt's first line.
    lines = [json.dumps({"text": text, "id": i}, ensure_ascii=False) for i, text in enumerate(texts[150:])]
    twin = texts[0].replace("ا", "ـا", 1) + "\u064e"
    (folder / "b.jsonl").write_text("\n".join([*lines, json.dumps({"text": twin}, ensure_ascii=False)]) + "\n")
    return folder


def suggest(tmp_path: Path, model_dir: Path, pool: Path, *flags: str) -> Path:
    output = tmp_path / "tasks.json"
    code = main(["annotate", "suggest", str(model_dir), str(pool), "--count", "6", "--output", str(output), *flags])
    assert code == 0
    return output


@pytest.mark.slow
def test_uncertainty_picks_the_least_sure_of_the_whole_pool(tmp_path: Path, model_dir: Path, pool: Path,
                                                           capsys: Any) -> None:  # fmt: skip
    output = suggest(tmp_path, model_dir, pool)
    texts = [line for path in sorted(pool.iterdir()) for line in path.read_text(encoding="utf-8").splitlines()]
    assert f"6 of {len(texts)} sentences suggested by uncertainty" in capsys.readouterr().err
    tasks = json.loads(output.read_text(encoding="utf-8"))
    tagger = Tagger.load(model_dir)
    texts = [json.loads(t)["text"] if t.startswith("{") else t for t in texts]
    sentences = [Sentence(t, split_words(t)) for t in texts]
    scores = [sentence_uncertainty(p, tagger.metadata.threshold) for p in tagger.predict_sentences(sentences)]
    top = sorted(range(len(texts)), key=lambda i: (-round(scores[i], 6), i))[:6]
    assert [task["data"]["text"] for task in tasks] == [texts[i] for i in top]
    first = tasks[0]
    assert "annotations" not in first and first["data"][SUGGESTION_HASH] == text_sha256(first["data"]["text"])
    prediction = first["predictions"][0]
    assert prediction["model_version"].startswith("model-") and 0 <= prediction["score"] <= 1
    assert first["data"]["hadath_uncertainty"] == round(scores[top[0]], 6)
    regions = [(t["data"]["text"], r) for t in tasks for r in t["predictions"][0]["result"] if r["type"] == "labels"]
    for text, r in regions:
        assert r["from_name"] in ("entities", "events") and 0 <= r["score"] <= 1
        assert text[r["value"]["start"] : r["value"]["end"]] == r["value"]["text"]
    assert '<Labels name="entities"' in Path(str(output) + ".labeling-config.xml").read_text(encoding="utf-8")
    # Predictions are not gold: read as an export, the suggestion file holds no sentence yet.
    documents, report = read_documents(output)
    assert not any(documents) and any("6 task(s) without a submitted annotation" in n for n in report.notes)


@pytest.mark.slow
def test_random_is_seeded_and_diverse_spreads(tmp_path: Path, model_dir: Path, pool: Path) -> None:
    def texts(*flags: str) -> list[str]:
        output = suggest(tmp_path, model_dir, pool, *flags)
        return [task["data"]["text"] for task in json.loads(output.read_text(encoding="utf-8"))]

    assert texts("--strategy", "random", "--seed", "4") == texts("--strategy", "random", "--seed", "4")
    assert texts("--strategy", "random", "--seed", "4") != texts("--strategy", "random", "--seed", "5")
    diverse = texts("--strategy", "diverse")
    assert len(diverse) == len(set(diverse)) == 6
    assert len({duplicate_key(t) for t in diverse}) == 6
    assert diverse[0] == texts()[0]  # the spread starts at the most uncertain


@pytest.mark.slow
def test_merge_takes_corrected_exports_back_with_the_annotator(tmp_path: Path, model_dir: Path, pool: Path,
                                                              capsys: Any) -> None:  # fmt: skip
    suggested = suggest(tmp_path, model_dir, pool)
    tasks = json.loads(suggested.read_text(encoding="utf-8"))
    text = tasks[0]["data"]["text"]
    first_word = split_words(text)[0]
    for number, task in enumerate(tasks):  # what Label Studio exports after people corrected the predictions
        region = {"id": "x", "from_name": "entities", "to_name": "text", "type": "labels",
                  "value": {"start": first_word[0], "end": first_word[1], "text": text[slice(*first_word)],
                            "labels": ["PER"]}}  # fmt: skip
        result = [region] if number == 0 else task["predictions"][0]["result"]
        task["annotations"] = [{"completed_by": 10 + number % 2, "result": result, "was_cancelled": False}]
    export = tmp_path / "export.json"
    export.write_text(json.dumps(tasks, ensure_ascii=False, indent=1), encoding="utf-8")
    merged = tmp_path / "gold.jsonl"
    capsys.readouterr()
    code = main(["annotate", "merge", str(export), "--suggested", str(suggested), "--output", str(merged)])
    assert code == 0, capsys.readouterr().err
    assert "wrote 6 sentences" in capsys.readouterr().err
    gold = read_sentences(merged)
    assert [s.text for s in gold] == [t["data"]["text"] for t in tasks]
    assert gold[0].annotator == "10" and gold[1].annotator == "11"
    assert [gold[0].text[slice(*gold[0].char_span(s))] for s in gold[0].layers["entities"]] == [text[slice(
        *first_word)]]  # fmt: skip
    # A text edited after it was suggested is refused, naming the file and line.
    tasks[2]["data"]["text"] = tasks[2]["data"]["text"] + " مضاف"
    export.write_text(json.dumps(tasks, ensure_ascii=False, indent=1), encoding="utf-8")
    assert main(["annotate", "merge", str(export), "--suggested", str(suggested), "--output", str(merged)]) == 1
    err = capsys.readouterr().err
    line = [n for n, row in enumerate(export.read_text(encoding="utf-8").splitlines(), 1) if row == " {"][2]
    assert f"{export}:{line}: task text changed since `hadath annotate suggest`" in err
    del tasks[2]["data"][SUGGESTION_HASH]  # and without its hash: the text is not among the suggested
    export.write_text(json.dumps(tasks, ensure_ascii=False, indent=1), encoding="utf-8")
    assert main(["annotate", "merge", str(export), "--suggested", str(suggested), "--output", str(merged)]) == 1
    assert f"{export}:{line}: sentence text is not one {suggested} suggested" in capsys.readouterr().err


@pytest.mark.slow
def test_doccano_suggestions_round_trip_through_merge(tmp_path: Path, model_dir: Path, pool: Path) -> None:
    output = tmp_path / "tasks.jsonl"
    flags = ["--count", "4", "--format", "doccano", "--output", str(output)]
    assert main(["annotate", "suggest", str(model_dir), str(pool), *flags]) == 0
    lines = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 4 and all(line["hadath_model_version"].startswith("model-") for line in lines)
    assert all(len(line["hadath_scores"]) == len(line.get("label", line.get("entities", []))) for line in lines)
    merged = tmp_path / "gold.jsonl"
    assert main(["annotate", "merge", str(output), "--suggested", str(output), "--output", str(merged)]) == 0
    assert [s.text for s in read_sentences(merged)] == [line["text"] for line in lines]


def test_suggest_help_explains_the_strategies(capsys: Any) -> None:
    with pytest.raises(SystemExit):
        main(["annotate", "suggest", "--help"])
    text = capsys.readouterr().out.lower()
    assert all(word in text for word in ("uncertainty", "random", "diverse", "prediction", "near-duplicates"))


def test_annotate_choices_come_from_the_config_choice_sets() -> None:
    import argparse
    import typing

    from hadath import cli, config

    parser = cli._parser()
    for name in ("annotate", "suggest"):
        parser = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices[name]
    flags = {action.dest: action.choices for action in parser._actions}
    assert tuple(flags["strategy"] or ()) == typing.get_args(config.SuggestStrategy)
    assert tuple(flags["format"] or ()) == typing.get_args(config.SuggestFormat)
    assert set(typing.get_args(config.SuggestFormat)) <= set(typing.get_args(config.FileFormat))
