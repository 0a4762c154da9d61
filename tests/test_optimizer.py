"""The optimizer's three rates: the encoder's (with layer-wise decay), the heads' and the CRF's — and that a CRF at a
pretrained encoder's rate learns transitions only with its own rate."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest
import torch

from hadath.cli import main
from hadath.config import ConfigError, ScratchConfig, TrainingConfig
from hadath.data.encode import LabelSpace
from hadath.models.decoding import build_constraints
from hadath.models.joint import JointTagger
from hadath.models.scratch import scratch_bert
from hadath.train.optimizer import build_optimizer, parameter_rates
from hadath.train.trainer import check_best_metric

ROOT = Path(__file__).resolve().parents[1]
TAGS = ["O", "B-PER", "I-PER"]
SHAPE = ScratchConfig(hidden_size=16, num_layers=2, num_heads=2, intermediate_size=32)


def _model() -> JointTagger:
    encoder = scratch_bert(60, SHAPE, max_length=32, labels=TAGS)
    return JointTagger(encoder, {"entities": 3, "events": 3}, 2, crf_constraints={"entities": build_constraints(TAGS)})


def test_each_part_learns_at_its_rate() -> None:
    training = TrainingConfig(learning_rate=1e-4, head_learning_rate=1e-3, crf_learning_rate=1e-2,
                              layerwise_lr_decay=0.5, weight_decay=0.01)  # fmt: skip
    rates = {name: (rate, decayed) for name, rate, decayed in parameter_rates(_model(), training)}
    assert rates["crfs.entities.transitions"] == (1e-2, False)
    assert rates["token_model.classifier.weight"] == (1e-3, True)
    assert rates["extra_heads.events.weight"] == (1e-3, True) and rates["sentence_head.bias"] == (1e-3, False)
    # 2 layers: layer 1 at lr·0.5, layer 0 at lr·0.25, the embeddings at lr·0.125; LayerNorm weights not decayed.
    assert rates["token_model.bert.encoder.layer.1.output.dense.weight"] == (5e-5, True)
    assert rates["token_model.bert.encoder.layer.0.output.dense.weight"] == (2.5e-5, True)
    assert rates["token_model.bert.embeddings.word_embeddings.weight"] == (1.25e-5, True)
    assert rates["token_model.bert.embeddings.LayerNorm.weight"] == (1.25e-5, False)
    groups = build_optimizer(_model(), training).param_groups
    assert sum(len(group["params"]) for group in groups) == len(rates)


def test_the_fused_update_is_adamws() -> None:
    """Three steps of the fused optimizer leave every parameter where torch's per-tensor AdamW puts it."""
    training = TrainingConfig(learning_rate=1e-3, head_learning_rate=1e-2, layerwise_lr_decay=0.5, weight_decay=0.1)
    torch.manual_seed(0)
    fused_model = _model()
    loop_model = _model()
    loop_model.load_state_dict(fused_model.state_dict())
    fused_model.eval(), loop_model.eval()  # no dropout: both see the same gradients
    fused = build_optimizer(fused_model, training)
    assert all(group["fused"] for group in fused.param_groups)
    loop = build_optimizer(loop_model, training)
    for group in loop.param_groups:  # the same groups, stepped by torch's per-tensor loop
        group["fused"], group["foreach"] = False, False
    loop_params = dict(loop_model.named_parameters())
    ids = torch.randint(5, 60, (2, 7))
    for _ in range(3):
        for model, optimizer in ((fused_model, fused), (loop_model, loop)):
            optimizer.zero_grad()
            model.token_model(input_ids=ids).logits.square().mean().backward()
            optimizer.step()
    moved = 0
    for name, parameter in fused_model.named_parameters():
        torch.testing.assert_close(parameter, loop_params[name], rtol=1e-5, atol=1e-6, msg=name)
        moved += int(parameter.grad is not None and parameter.grad.abs().sum() > 0)
    assert moved > 10  # the comparison saw updates, not untouched parameters


def test_frozen_parameters_are_left_out() -> None:
    model = _model()
    model.token_model.get_input_embeddings().weight.requires_grad_(False)
    names = {name for name, _, _ in parameter_rates(model, TrainingConfig())}
    assert "token_model.bert.embeddings.word_embeddings.weight" not in names
    assert "token_model.bert.embeddings.position_embeddings.weight" in names


def _largest_transition(run: Path) -> float:
    chains = json.loads((run / "model" / "hadath.json").read_text(encoding="utf-8"))["chains"]
    return float(np.abs(np.array(chains["entities"]["transitions"])).max())


@pytest.mark.slow
def test_a_crf_at_a_pretrained_encoders_rate_learns_only_with_its_own_rate(tmp_path: Path) -> None:
    tiny = ["training.max_steps=30", "training.tensorboard=false", "training.learning_rate=5e-5",
            "model.scratch.hidden_size=32", "model.scratch.num_layers=1", "model.scratch.intermediate_size=64",
            "data.dev=null", "training.warmup_ratio=0"]  # fmt: skip
    config = str(ROOT / "configs" / "scratch.yaml")
    for name, crf_rate in (("own", "1e-2"), ("encoder", "5e-5")):
        settings = [*tiny, f"training.crf_learning_rate={crf_rate}"]
        assert main(["train", config, "--output-dir", str(tmp_path / name), *(f"--set={s}" for s in settings)]) == 0
    own, at_encoder_rate = _largest_transition(tmp_path / "own"), _largest_transition(tmp_path / "encoder")
    assert own > 0.1 > 0.01 > at_encoder_rate, (own, at_encoder_rate)


def test_best_metric_must_be_scored_on_the_data() -> None:
    tags = ["O", "B-PER", "I-PER"]
    space = LabelSpace({"entities": tags, "events": tags}, ["SECURITY"])
    for metric in ("mean_f1", "entities_f1", "events_f1", "classification_f1"):
        check_best_metric(metric, space)
    with pytest.raises(ConfigError, match="use one of: mean_f1, entities_f1, events_f1, classification_f1$"):
        check_best_metric("entites_f1", space)
    with pytest.raises(ConfigError, match="arguments_f1 is not scored"):
        check_best_metric("arguments_f1", space)
    check_best_metric("arguments_f1", dataclasses.replace(space, arguments=["none", "Agent"]))
    with pytest.raises(ConfigError, match="factuality_f1 is not scored"):
        check_best_metric("factuality_f1", space)
    check_best_metric("factuality_f1", dataclasses.replace(space, attributes={"polarity": ["positive", "negative"]}))
