"""What a training run records beside its metrics: `run.json`, one identifier key per fact.

The reports and the model card show each fact under its label, an English phrase; `run.json` files written before
the identifier keys used those labels as keys, and `RunFacts.load` reads them too.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

RUN_FILE = "run.json"


def _fact(label: str) -> Any:
    return field(default=None, metadata={"label": label})


@dataclass(frozen=True)
class RunFacts:
    """One training run's facts; a field is None when an older run.json did not record it."""

    evaluated_split: str | None = _fact("evaluated split")
    training_sentences: int | None = _fact("training sentences")
    data_read: dict[str, Any] | None = _fact("data read (repairs, skips, problems)")
    training_windows: int | None = _fact("training windows")
    windowed_sentences: int | None = _fact("sentences split into windows")
    training_placeholder_words: int | None = _fact("training words given a placeholder piece")
    evaluated_words: int | None = _fact("evaluated words (one prediction each, every layer)")
    evaluated_placeholder_words: int | None = _fact("evaluated words given a placeholder piece")
    threshold: float | None = _fact("sentence-label threshold")
    span_temperature: str | None = _fact("span-score temperature (dev ECE before → after)")
    training_wall_s: float | None = _fact("training wall time (s)")
    training_processes: int | None = _fact("training processes")
    # A count, or what hadath/train/thread_tuner.py measured and kept.
    cpu_threads: int | str | None = _fact("CPU threads")
    precision: str | None = _fact("precision")
    exported_model: str | None = _fact("exported model")

    def labelled(self) -> dict[str, Any]:
        """Label -> value for every recorded fact, in field order: the `Run facts` of report.md and report.html."""
        return {f.metadata["label"]: getattr(self, f.name) for f in _fields() if getattr(self, f.name) is not None}

    def save(self, run_dir: Path) -> None:
        """Write `run_dir/run.json` with identifier keys."""
        text = json.dumps(dataclasses.asdict(self), indent=2, ensure_ascii=False) + "\n"
        (run_dir / RUN_FILE).write_text(text, encoding="utf-8")

    @classmethod
    def load(cls, run_dir: Path) -> RunFacts | None:
        """The facts of `run_dir/run.json` (identifier keys, or the labels older runs wrote), or None without one."""
        path = run_dir / RUN_FILE
        if not path.is_file():
            return None
        raw = json.loads(path.read_text(encoding="utf-8"))
        known = {f.name: raw.get(f.name, raw.get(f.metadata["label"])) for f in _fields()}
        return cls(**known)


def _fields() -> tuple[dataclasses.Field[Any], ...]:
    return dataclasses.fields(RunFacts)
