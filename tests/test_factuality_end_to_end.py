"""The attribute head end to end on the scratch model: trained by default on the bundled corpus, scored in
metrics.json / report.md / report.html beside the cue rules, predicted on every event by PyTorch and ONNX alike, and
filtered by `hadath predict --only-reported`."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from hadath.cli import main
from hadath.inference.tagger import Tagger

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "corpus"
pytestmark = pytest.mark.slow
TEXTS = [
    "نفى الجيش العراقي يوم الأحد وقوع أي هجوم على قضاء سنجار",
    "هدد تنظيم داعش بشن هجمات على الموصل",
    "هاجم مسلحون نقطة تفتيش في كركوك أمس",
    "ارتفعت أسعار النفط في بغداد خلال العام الجاري",
]


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("run")
    code = main(
        ["train", str(ROOT / "configs" / "scratch.yaml"), "--output-dir", str(output),
         "--set", "training.max_steps=200", "--set", "training.logging_steps=50", "--set", "training.tensorboard=false",
         "--set", f"data.test={CORPUS / 'dev.jsonl'}"]
    )  # fmt: skip
    assert code == 0
    return output


def test_metrics_and_reports_carry_the_factuality_scores(run_dir: Path) -> None:
    block = json.loads((run_dir / "metrics.json").read_text())["factuality"]
    assert block["gold_triggers"] == 128 and block["support"] == 100  # dev triggers, dev reported events
    assert set(block["per_type"]) == {"polarity", "modality", "genericity", "tense"}
    assert 0.0 <= block["cue_macro_f1"] <= 1.0 and 0.0 < block["macro_f1"] <= 1.0
    assert set(block["scorings"]) == {"reported events · attribute head", "reported events · cue rules"}
    assert "cue rules macro F1" in (run_dir / "report.md").read_text(encoding="utf-8")
    assert "cue rules macro F1" in (run_dir / "report.html").read_text(encoding="utf-8")
    hadath = json.loads((run_dir / "model" / "hadath.json").read_text())
    assert list(hadath["labels"]["attributes"]) == ["polarity", "modality", "genericity", "tense"]


def test_every_predicted_event_has_attributes_and_the_reported_flag(run_dir: Path) -> None:
    records = Tagger.load(run_dir / "model").predict(TEXTS)
    events = [event for record in records for event in record["events"]]
    assert events, "the trained model predicted no event"
    for event in events:
        assert set(event["attributes"]) == {"polarity", "modality", "genericity", "tense"}
        assert set(event["attribute_scores"]) == set(event["attributes"])
        assert event["reported"] == (
            event["attributes"]["polarity"] == "positive"
            and event["attributes"]["modality"] == "asserted"
            and event["attributes"]["genericity"] == "specific"
            and event["attributes"]["tense"] != "future"
        )


def test_only_reported_filters_events_and_keeps_every_line(
    run_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "in.txt"
    source.write_text("\n".join(TEXTS) + "\n", encoding="utf-8")
    assert main(["predict", str(run_dir / "model"), str(source)]) == 0
    everything = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert main(["predict", str(run_dir / "model"), str(source), "--only-reported"]) == 0
    reported = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["text"] for r in reported] == TEXTS
    assert all(event["reported"] for r in reported for event in r["events"])
    expected = [[e for e in r["events"] if e["reported"]] for r in everything]
    assert [r["events"] for r in reported] == expected


def test_the_cue_scores_are_learnt_and_saved_beside_the_graph(run_dir: Path) -> None:
    from hadath.data.factuality import attribute_labels
    from hadath.data.factuality_cues import cue_prior

    scores = json.loads((run_dir / "model" / "hadath.json").read_text())["factuality_cues"]
    assert len(scores) == 3 and all(len(row) == 10 for row in scores)  # negation, modal, future × attribute values
    moved = abs(np.array(scores) - np.array(cue_prior(attribute_labels()))).max()
    assert 0.01 < moved < 10.0  # trained from the cue rules' scores, and finite
    polarity = attribute_labels()["polarity"]
    negation = dict(zip(polarity, scores[0][: len(polarity)], strict=True))
    assert negation["negative"] > negation["positive"] + 1.0  # a negation cue before a trigger: still negative
    assert not any("cue_scores" in name for name in _heads_file_names(run_dir / "model"))  # not a graph weight


def _heads_file_names(model_dir: Path) -> list[str]:
    from safetensors import safe_open

    with safe_open(str(model_dir / "hadath_heads.safetensors"), framework="pt") as heads:
        return list(heads.keys())


def test_onnx_gives_the_same_attributes(run_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "onnx"
    assert main(["export", str(run_dir / "model"), "--onnx", "--output-dir", str(target)]) == 0
    manifest = json.loads((target / "onnx.json").read_text())
    assert "logits_factuality" in manifest["outputs"] and manifest["parity"]["argmax_agreement"]["factuality"] > 0.999
    texts = [json.loads(line)["text"] for line in (CORPUS / "dev.jsonl").read_text(encoding="utf-8").splitlines()[:60]]
    torch_records = Tagger.load(run_dir / "model").predict(texts)
    onnx_records = Tagger.load(target).predict(texts)

    def attributes(records: list[dict]) -> list[tuple]:
        return [(r["text"], e["start"], e["end"], e["reported"], tuple(e["attributes"].values()))
                for r in records for e in r["events"]]  # fmt: skip

    assert attributes(torch_records), "no event predicted on the dev sample"
    assert attributes(onnx_records) == attributes(torch_records)


def test_a_model_without_the_head_refuses_only_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    output = tmp_path / "plain"
    code = main(
        ["train", str(ROOT / "configs" / "scratch.yaml"), "--output-dir", str(output), "--set", "training.max_steps=2",
         "--set", "training.tensorboard=false", "--set", "model.factuality=false",
         "--set", f"data.test={CORPUS / 'dev.jsonl'}"]
    )  # fmt: skip
    assert code == 0
    assert "factuality" not in json.loads((output / "metrics.json").read_text())
    source = tmp_path / "in.txt"
    source.write_text(TEXTS[0] + "\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["predict", str(output / "model"), str(source), "--only-reported"]) == 1
    assert "has no attribute head" in capsys.readouterr().err
