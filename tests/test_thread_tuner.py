"""The thread tuner keeps the count that runs fastest now, and changes its mind when the machine does."""

from __future__ import annotations

from hadath.train.thread_tuner import ThreadTuner


def _run(tuner: ThreadTuner, steps: int, seconds_at: dict[int, float], used: list[int]) -> None:
    """`steps` steps of 100 padded pieces whose wall time depends only on the thread count just set."""
    for _ in range(steps):
        tuner.before_step()
        tuner.after_step(100, seconds_at[used[-1]])


def test_keeps_the_faster_count_and_rechecks_when_the_machine_changes() -> None:
    used: list[int] = []
    tuner = ThreadTuner([1, 2], used.append, probe_steps=3, recheck_every=20)
    _run(tuner, 30, {2: 0.9, 1: 1.4}, used)  # quiet cores: two threads win
    assert tuner.choices[0].threads == 2
    assert tuner.choices[0].cost == {2: 9.0, 1: 14.0}
    assert used[0] == 2 and used[1:7] == [2, 1, 2, 1, 2, 1]  # the first step untimed, then interleaved
    assert used[7:27] == [2] * 20
    _run(tuner, 40, {2: 4.0, 1: 1.5}, used)  # a busy core elsewhere: the threads wait on each other
    assert [choice.threads for choice in tuner.choices][-1] == 1
    assert used[-5:] == [1] * 5
    assert "ran on 2 and 1" in tuner.summary()


def test_one_candidate_never_probes() -> None:
    used: list[int] = []
    tuner = ThreadTuner([1, 1], used.append)
    _run(tuner, 10, {1: 1.0}, used)
    assert used == [1] * 10 and not tuner.choices
    assert tuner.summary().startswith("1 (auto")


def test_a_steady_machine_is_probed_once() -> None:
    """Each probe runs its steps on the slower count too: on quiet cores the first probe is the only one."""
    used: list[int] = []
    tuner = ThreadTuner([1, 2], used.append, probe_steps=3, recheck_every=20)
    _run(tuner, 300, {2: 0.9, 1: 1.4}, used)
    assert len(tuner.choices) == 1
    assert used.count(1) == 3


def test_on_the_narrower_count_it_rechecks_and_returns_when_cores_free_up() -> None:
    used: list[int] = []
    tuner = ThreadTuner([1, 2], used.append, probe_steps=3, recheck_every=20)
    _run(tuner, 30, {2: 4.0, 1: 1.5}, used)  # busy from the start: one thread wins
    assert tuner.choices[0].threads == 1
    _run(tuner, 60, {2: 0.9, 1: 1.4}, used)  # the other process ended; a one-thread step barely changes
    assert tuner.choices[-1].threads == 2 and used[-5:] == [2] * 5


def test_a_slowdown_on_the_widest_count_triggers_the_next_probe_at_once() -> None:
    used: list[int] = []
    tuner = ThreadTuner([1, 2], used.append, probe_steps=3, recheck_every=1000)
    _run(tuner, 20, {2: 0.9, 1: 1.4}, used)
    _run(tuner, 12, {2: 4.0, 1: 1.5}, used)  # five slow steps fill the window, then six probe steps
    assert [choice.threads for choice in tuner.choices] == [2, 1]
    assert tuner.choices[-1].step <= 20 + 12
