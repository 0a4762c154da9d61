"""`training.threads: auto` on a CPU: the trainer times its own steps and keeps the thread count that runs fastest
now, on this machine.

Why measured rather than fixed: on quiet cores a thread per core makes a pretrained encoder's step about 1.6× faster
(multilingual-e5-small, 2 cores: 0.9 against 1.4 s), but with one core busy elsewhere the threads wait on each other
at every operation and a step runs several times slower than on one thread (benchmarks/threads.py). Which of the two
holds depends on what else runs, and that changes during a long training. So the steps alternate the candidate counts
for a few steps and the one with the least time per padded piece is kept. A probe costs its steps on the slower
count, so it is not repeated while nothing changes: on the widest count a core taken elsewhere shows as a slowdown
(the recent steps' median cost `drift`× the probe's), which triggers the next probe; on a narrower count the cores
freeing up does not show in its own steps, so the probe is repeated every `recheck_every` steps. evaluate and predict
keep `resolve_threads` (they do not time themselves)."""

from __future__ import annotations

import os
import statistics
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import torch

from hadath.inference.threads import AUTO, resolve_threads, usable_cores


@dataclass
class Choice:
    """One probe's outcome: at `step`, `threads` won; seconds per 1,000 padded pieces of each candidate."""

    step: int
    threads: int
    cost: dict[int, float]


@dataclass
class ThreadTuner:
    """Alternates `candidates` for `probe_steps` steps each (interleaved, so a run of long or short batches falls on
    both), then runs on the fastest until the next probe (when: the module docstring). The first step of a training
    is not timed: it pays for allocations that later steps reuse."""

    candidates: Sequence[int]
    set_threads: Callable[[int], None]
    probe_steps: int = 3
    recheck_every: int = 100
    drift: float = 1.5
    window: int = 5
    choices: list[Choice] = field(default_factory=list)
    _schedule: deque[int] = field(default_factory=deque)
    _recent: deque[float] = field(default_factory=deque)
    _samples: dict[int, list[float]] = field(default_factory=dict)
    _steps: int = 0
    _current: int = 0

    def __post_init__(self) -> None:
        self.candidates = sorted(set(self.candidates), reverse=True)
        self._current = self.candidates[0]
        self._recent = deque(maxlen=self.window)

    def before_step(self) -> None:
        """Set the thread count for the step about to run."""
        if not self._schedule and self._probe_due():
            self._schedule.extend(c for _ in range(self.probe_steps) for c in self.candidates)
            self._samples = {c: [] for c in self.candidates}
            self._recent.clear()
        if self._schedule:
            self._current = self._schedule[0]
        elif self.choices:
            self._current = self.choices[-1].threads
        self.set_threads(self._current)

    def after_step(self, pieces: int, seconds: float) -> None:
        """Record the step just run: `pieces` padded positions in its batch, `seconds` of wall time."""
        self._steps += 1
        per_piece = 1000 * seconds / max(pieces, 1)
        if self._steps == 1:
            return
        if not self._schedule:  # between probes
            self._recent.append(per_piece)
            return
        self._samples[self._schedule.popleft()].append(per_piece)
        if not self._schedule:
            cost = {c: round(statistics.median(times), 4) for c, times in self._samples.items()}
            self.choices.append(Choice(self._steps, min(cost, key=cost.__getitem__), cost))

    def _probe_due(self) -> bool:
        if self._steps == 0 or len(self.candidates) < 2:
            return False
        if not self.choices:
            return True
        last = self.choices[-1]
        if last.threads == self.candidates[0]:  # the widest: probe again when its steps slow down
            full = len(self._recent) == self.window
            return full and statistics.median(self._recent) > self.drift * last.cost[last.threads]
        return self._steps - last.step >= self.recheck_every

    def summary(self) -> str:
        """For run.json: the counts it ran on, and the first and latest probe."""
        if not self.choices:
            return f"{self._current} (auto: too few steps to compare {', '.join(map(str, self.candidates))})"
        kept = sorted({choice.threads for choice in self.choices}, reverse=True)

        def said(choice: Choice) -> str:
            costs = ", ".join(f"{c}: {s:.3g}" for c, s in choice.cost.items())
            return f"step {choice.step} kept {choice.threads} (s per 1k pieces {costs})"

        probes = [said(self.choices[0])] + ([said(self.choices[-1])] if len(self.choices) > 1 else [])
        return f"auto, ran on {' and '.join(map(str, kept))}: {len(self.choices)} probes; " + "; ".join(probes)


def thread_tuner(choice: int | str, on_cpu: bool, processes: int) -> ThreadTuner | None:
    """A tuner for `training.threads` when it is `auto`, training runs on the CPU in one process, more than one core
    is usable and OMP_NUM_THREADS does not fix the count; otherwise None (`apply_threads` has set the count)."""
    if choice != AUTO or not on_cpu or processes > 1 or os.environ.get("OMP_NUM_THREADS", "").isdigit():
        return None
    cores = usable_cores()
    if cores < 2:
        return None
    return ThreadTuner([cores, resolve_threads(AUTO)], torch.set_num_threads)
