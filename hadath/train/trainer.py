"""The Trainer Hadath trains with: dev scoring with the real decoder, best/last checkpoints, early stopping,
layer-wise learning-rate decay, length-grouped batches, TensorBoard logs. Distribution and precision are the
Trainer's own (accelerate): the same config runs on CPU, one GPU, or `torchrun`/`accelerate launch` DDP."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import torch
from datasets import Dataset
from transformers import EarlyStoppingCallback, PrinterCallback, Trainer, TrainerCallback, TrainingArguments

from hadath.config import ConfigError, Precision, TrainingConfig
from hadath.data.encode import LabelSpace, pad_id
from hadath.data.sentence import Sentence
from hadath.evaluation.evaluate import ARGUMENTS, CLASSIFICATION, FACTUALITY, score
from hadath.inference.metadata import ModelMetadata
from hadath.inference.tagger import Tagger
from hadath.models.joint import JointTagger
from hadath.train.collate import JointCollator
from hadath.train.optimizer import build_optimizer
from hadath.train.summary import RunProgress
from hadath.train.thread_tuner import ThreadTuner, thread_tuner

if TYPE_CHECKING:
    from transformers import PreTrainedTokenizerBase

MEAN_F1 = "mean_f1"


class DevScoringTrainer(Trainer):
    """A Trainer whose `evaluate` decodes the dev split word by word, as `hadath evaluate` does, instead of
    collecting logits: the selection metric is then the metric the user reads in the report."""

    def __init__(self, *args: Any, dev: Sequence[Sentence], tagger_for: Callable[[JointTagger], Tagger],
                 thread_tuner: ThreadTuner | None = None, **kwargs: Any) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self.dev = dev
        self.tagger_for = tagger_for
        self.thread_tuner = thread_tuner

    def training_step(self, model: Any, inputs: dict[str, Any], num_items_in_batch: Any = None) -> torch.Tensor:
        """One forward and backward pass; timed for the thread tuner when there is one."""
        if self.thread_tuner is None:
            return super().training_step(model, inputs, num_items_in_batch)
        self.thread_tuner.before_step()
        started = time.perf_counter()
        loss = super().training_step(model, inputs, num_items_in_batch)
        self.thread_tuner.after_step(inputs["input_ids"].numel(), time.perf_counter() - started)
        return loss

    def evaluate(
        self, eval_dataset: Any = None, ignore_keys: list[str] | None = None, metric_key_prefix: str = "eval"
    ) -> dict[str, float]:
        """Dev F1 of every layer (and the sentence labels) under the configured decoding."""
        model = self.accelerator.unwrap_model(self.model)
        evaluation = score(self.tagger_for(model), self.dev, self.args.per_device_eval_batch_size)
        metrics = {f"{metric_key_prefix}_{name}_f1": float(block["f1"]) for name, block in evaluation.metrics.items()}
        # The selection default: every trained layer counts, not only the one that peaks first. Reported-event F1 is
        # logged (and selectable as `factuality_f1`) but not averaged in: it re-scores the event layer's spans.
        averaged = [v for k, v in metrics.items() if k != f"{metric_key_prefix}_{FACTUALITY}_f1"]
        if averaged:
            metrics[f"{metric_key_prefix}_{MEAN_F1}"] = sum(averaged) / len(averaged)
        self.log(metrics)
        self.control = self.callback_handler.on_evaluate(self.args, self.state, self.control, metrics)
        return metrics


def check_best_metric(metric: str, space: LabelSpace) -> None:
    """Refuse a `training.best_metric` that dev scoring never logs for this data, before any training (the Trainer
    would otherwise stop with a KeyError after the first epoch)."""
    names = [MEAN_F1, *(f"{layer}_f1" for layer in space.layers)]
    names += [f"{CLASSIFICATION}_f1"] if space.sentence_labels else []
    names += [f"{ARGUMENTS}_f1"] if space.arguments else []
    names += [f"{FACTUALITY}_f1"] if space.attributes else []
    if metric not in names:
        raise ConfigError(f"training.best_metric: {metric} is not scored on this data — use one of: {', '.join(names)}")


def precision_flags(choice: Precision, use_cpu: bool) -> dict[str, bool]:
    """bf16/fp16 switches: `auto` takes bf16 on a GPU that supports it, full precision otherwise."""
    if choice == "auto":
        choice = "bf16" if not use_cpu and torch.cuda.is_bf16_supported() else "fp32"
    return {"bf16": choice == "bf16", "fp16": choice == "fp16"}


def training_arguments(training: TrainingConfig, checkpoint_dir: Path, has_dev: bool) -> TrainingArguments:
    """Trainer settings from the config. With a dev split: score every epoch, keep the best and the last checkpoint,
    load the best at the end; without: keep the last."""
    use_cpu = training.device == "cpu" or not torch.cuda.is_available()
    distributed = int(os.environ.get("WORLD_SIZE", "1")) > 1
    precision = precision_flags(training.precision, use_cpu)
    return TrainingArguments(
        output_dir=str(checkpoint_dir),
        num_train_epochs=training.epochs,
        max_steps=training.max_steps,
        per_device_train_batch_size=training.batch_size,
        per_device_eval_batch_size=training.eval_batch_size,
        gradient_accumulation_steps=training.gradient_accumulation_steps,
        learning_rate=training.learning_rate,
        weight_decay=training.weight_decay,
        # Not a slip: transformers 5 dropped `warmup_ratio` and reads a `warmup_steps` below 1 as a fraction of the
        # steps (1 or more as a count), which is why hadath/config.py keeps warmup_ratio in [0, 1).
        warmup_steps=training.warmup_ratio,
        lr_scheduler_type=training.lr_scheduler,
        max_grad_norm=training.max_grad_norm,
        seed=training.seed,
        use_cpu=use_cpu,
        bf16=precision["bf16"],
        fp16=precision["fp16"],
        logging_steps=training.logging_steps,
        disable_tqdm=True,
        eval_strategy="epoch" if has_dev else "no",
        save_strategy="epoch",
        save_total_limit=2 if has_dev else 1,
        load_best_model_at_end=has_dev,
        metric_for_best_model=f"eval_{training.best_metric}" if has_dev else None,
        greater_is_better=True,
        train_sampling_strategy="group_by_length" if training.group_by_length else "random",
        torch_compile=training.torch_compile,
        report_to="none",
        remove_unused_columns=False,
        label_names=[],
        dataloader_num_workers=0,
        # CPU processes started by torchrun talk over gloo; GPUs use the default (NCCL).
        ddp_backend="gloo" if distributed and not torch.cuda.is_available() else None,
        ddp_find_unused_parameters=False,
    )


def build_trainer(
    training: TrainingConfig,
    args: TrainingArguments,
    *,
    model: JointTagger,
    tokenizer: PreTrainedTokenizerBase,
    dataset: Dataset,
    dev: Sequence[Sentence],
    metadata_for: Callable[[JointTagger], ModelMetadata],
    output_dir: Path,
) -> DevScoringTrainer:
    """A ready-to-train Trainer for one experiment, with `args` from `training_arguments`."""
    if "length" not in dataset.column_names:
        dataset = dataset.add_column("length", [len(ids) for ids in dataset["input_ids"]])
    callbacks: list[TrainerCallback] = []
    if dev and training.early_stopping_patience:
        callbacks.append(EarlyStoppingCallback(early_stopping_patience=training.early_stopping_patience))
    if training.tensorboard:
        callbacks.append(_tensorboard(output_dir / "tensorboard"))
    optimizer = build_optimizer(model, training)
    trainer = DevScoringTrainer(
        model=model,
        args=args,
        train_dataset=dataset,
        # The Trainer insists on an eval dataset when it evaluates; DevScoringTrainer.evaluate reads `dev` instead.
        eval_dataset=dataset.select(range(1)) if dev else None,
        data_collator=JointCollator(pad_id(tokenizer)),
        callbacks=callbacks,
        optimizers=(optimizer, None),
        dev=dev,
        tagger_for=lambda m: Tagger(m, tokenizer, metadata_for(m)),
        thread_tuner=thread_tuner(training.threads, args.use_cpu, args.world_size),
    )
    # `disable_tqdm` swapped the Trainer's bar for its dict printer; RunProgress replaces both.
    trainer.remove_callback(PrinterCallback)
    trainer.add_callback(RunProgress())
    return trainer


def _tensorboard(directory: Path) -> TrainerCallback:
    from transformers.integrations.integration_utils import TensorBoardCallback

    # The writer opens on the main process only, at train begin, in the run directory.
    callback = TensorBoardCallback()
    callback.logging_dir = str(directory)
    return callback


def last_complete_checkpoint(checkpoint_dir: Path) -> str | None:
    """The newest `checkpoint-N` whose trainer state (written last by the Trainer) is complete JSON: a run killed
    while saving resumes from the checkpoint before, never from a half-written one."""
    candidates = sorted(
        (p for p in checkpoint_dir.glob("checkpoint-*") if p.name.split("-")[-1].isdigit()),
        key=lambda p: int(p.name.split("-")[-1]),
        reverse=True,
    )
    for candidate in candidates:
        try:
            json.loads((candidate / "trainer_state.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        return str(candidate)
    return None
