"""How many CPU threads PyTorch runs one operation on: `training.threads` (an int, or `auto`) for train, evaluate
and predict.

Why `auto` is half the usable cores: a small encoder's step gains little from a second thread on a quiet machine, but
when every core has a thread and one core is busy elsewhere, the threads wait on each other at every operation and a
step runs tens of times slower (benchmarks/threads.py). Half the cores keeps a free core beside one busy process."""

from __future__ import annotations

import os
import sys

AUTO = "auto"


def usable_cores() -> int:
    """CPUs this process may run on (its affinity mask, which containers and `taskset` narrow)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS and Windows have no affinity mask
        return os.cpu_count() or 1


def resolve_threads(choice: int | str) -> int:
    """The thread count for `choice`: an int as given; `auto`: OMP_NUM_THREADS when set, else half the cores."""
    if choice != AUTO:
        return int(choice)
    explicit = os.environ.get("OMP_NUM_THREADS", "")
    if explicit.isdigit() and int(explicit) > 0:
        return int(explicit)
    return max(1, usable_cores() // 2)


def apply_threads(choice: int | str) -> int:
    """Set PyTorch's intra-op thread count from `choice` when PyTorch is loaded (an ONNX model never loads it);
    returns the count."""
    threads = resolve_threads(choice)
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.set_num_threads(threads)
    return threads
