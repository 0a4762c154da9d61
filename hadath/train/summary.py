"""What a person reads while a run trains and when it ends: one progress bar with the loss and the latest dev scores,
at most one line per epoch, and a closing table that says what was scored, where the outputs are and what to try."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

from tqdm.auto import tqdm
from transformers import TrainerCallback, TrainerControl, TrainerState, TrainingArguments

from hadath.config import ExperimentConfig
from hadath.train.run_facts import RunFacts

BUNDLED_CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"
# Third-party messages that say nothing a user of the run can act on: the weight writer's bar, checkpoint sorting.
# tensor_parallel: "The following layers were not sharded: ..." on every load of a model that has an (empty) TP plan.
QUIET_LOGGERS = (
    "datasets",
    "transformers.modeling_utils",
    "transformers.trainer_utils",
    "transformers.distributed.tensor_parallel",
)


def dev_scores(logs: dict[str, Any]) -> dict[str, float]:
    """`eval_<name>_f1` entries of a Trainer log, keyed by `<name>`."""
    return {key[5:-3]: float(v) for key, v in logs.items() if key.startswith("eval_") and key.endswith("_f1")}


class RunProgress(TrainerCallback):
    """Replaces the Trainer's progress bar and log printer: one bar whose postfix holds the latest loss and dev F1,
    and one line per epoch (its dev F1 when there is a dev split) written above the bar."""

    def __init__(self) -> None:
        self.bar: Any = None
        self.loss: float | None = None
        self.best: float | None = None
        self.postfix: dict[str, str] = {}

    def _say(self, line: str) -> None:
        tqdm.write(line, file=sys.stderr)  # above the bar, which stays on the last line

    def on_train_begin(self, args: TrainingArguments, state: TrainerState, control: TrainerControl,
                       **kwargs: Any) -> None:  # fmt: skip
        if state.is_world_process_zero:
            self.bar = tqdm(total=state.max_steps, desc="training", unit="step", dynamic_ncols=True, leave=False)

    def on_step_end(self, args: TrainingArguments, state: TrainerState, control: TrainerControl,
                    **kwargs: Any) -> None:  # fmt: skip
        if self.bar is not None:
            self.bar.update(state.global_step - self.bar.n)

    def on_log(self, args: TrainingArguments, state: TrainerState, control: TrainerControl,
               logs: dict[str, Any] | None = None, **kwargs: Any) -> None:  # fmt: skip
        if self.bar is None or not logs:
            return
        if "loss" in logs:
            self.loss = float(logs["loss"])
            self.postfix["loss"] = f"{self.loss:.4f}"
        self.postfix.update({f"dev {name}": f"{f1:.3f}" for name, f1 in dev_scores(logs).items()})
        self.bar.set_postfix(self.postfix, refresh=False)

    def on_evaluate(self, args: TrainingArguments, state: TrainerState, control: TrainerControl,
                    metrics: dict[str, float] | None = None, **kwargs: Any) -> None:  # fmt: skip
        if self.bar is None or not metrics:
            return
        scores = " · ".join(f"{name} {f1:.4f}" for name, f1 in dev_scores(metrics).items())
        selected = metrics.get(args.metric_for_best_model or "")
        mark = ""
        if selected is not None and (self.best is None or selected > self.best):
            self.best, mark = selected, "  (best so far)"
        loss = f"  loss {self.loss:.4f}" if self.loss is not None else ""
        self._say(f"epoch {state.epoch:.0f}/{args.num_train_epochs:.0f}{loss}  dev F1 {scores}{mark}")

    def on_epoch_end(self, args: TrainingArguments, state: TrainerState, control: TrainerControl,
                     **kwargs: Any) -> None:  # fmt: skip
        if self.bar is not None and args.eval_strategy == "no" and self.loss is not None:
            self._say(f"epoch {state.epoch:.0f}/{args.num_train_epochs:.0f}  loss {self.loss:.4f}")

    def on_train_end(self, args: TrainingArguments, state: TrainerState, control: TrainerControl,
                     **kwargs: Any) -> None:  # fmt: skip
        if self.bar is None:
            return
        self.bar.close()
        metric = args.metric_for_best_model or ""
        if state.global_step < state.max_steps and state.best_model_checkpoint:
            self._say(
                f"stopped early after epoch {state.epoch:.0f}: dev {metric.removeprefix('eval_')} stopped improving; "
                f"kept the best epoch ({Path(state.best_model_checkpoint).name})"
            )
        self.bar = None


def quiet_third_party() -> None:
    """Silence progress bars and hints from libraries that say nothing a user of this run can act on."""
    import datasets
    from transformers.utils import logging as hf_logging

    datasets.disable_progress_bars()
    hf_logging.disable_progress_bar()
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.ERROR)


def _score_rows(metrics: dict[str, Any], over_seeds: bool) -> list[str]:
    spread = "± std of F1" if over_seeds else "95% CI of F1"
    rows = [f"  {'layer':<16}{'precision':>10}{'recall':>9}{'F1':>9}   {spread}"]
    for layer, block in metrics.items():
        if not isinstance(block, dict) or "f1" not in block:
            continue
        if over_seeds:
            interval = f"± {block.get('std', {}).get('f1', 0.0):.4f}"
        else:
            low, high = block.get("f1_ci95") or (None, None)
            interval = f"[{low:.3f}, {high:.3f}]" if low is not None else "—"
        rows.append(f"  {layer:<16}{block['precision']:>10.4f}{block['recall']:>9.4f}{block['f1']:>9.4f}   {interval}")
    return rows


def closing_summary(config: ExperimentConfig, output_dir: Path, metrics: dict[str, Any]) -> str:
    """The table printed when `hadath train` ends: scores on the evaluated split, where the outputs are, what next."""
    seeds = list(metrics.get("seeds") or [])
    facts = RunFacts.load(output_dir / (f"seed-{seeds[0]}" if seeds else ""))
    split = (facts and facts.evaluated_split) or "the evaluated split"
    if seeds:
        heading = f"mean over seeds {', '.join(map(str, seeds))} (each seed's scores: {output_dir}/seed-<n>/), {split}"
    else:
        heading = split
    model = output_dir / "model"
    lines = [f"hadath: run `{config.name}` scored on {heading}", *_score_rows(metrics, bool(seeds)), ""]
    lines += [f"  model    {model}", f"  report   {output_dir / 'report.md'}  ·  {output_dir / 'report.html'}", ""]
    lines += [
        "next:",
        f"  echo 'النص العربي هنا' | hadath predict {model}        # tag raw text, one JSON line per input line",
        f"  hadath evaluate {model} YOUR_TEST.jsonl               # score it on other annotated data",
        f"  hadath serve {model}                                  # HTTP API and a try-it page on :8000",
    ]
    if Path(config.data.train).resolve().parent == BUNDLED_CORPUS:
        lines += [
            "",
            "note: the bundled corpus is synthetic (sentences composed from templates): its scores show that the",
            "      pipeline works, not how a model does on real text. For real data: copy configs/quickstart.yaml,",
            "      point data.train/dev/test at your files, check them with `hadath data check CONFIG`, and set",
            "      model.name_or_path to a pretrained Arabic encoder (see configs/arabert.yaml).",
        ]
    return "\n".join(lines)
