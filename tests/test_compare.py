"""`hadath compare`: paired bootstrap on the prediction files of two evaluations."""

from __future__ import annotations

from pathlib import Path

import pytest

from hadath.cli import main
from hadath.evaluation.compare import compare_runs, read_predictions

GOLD = [["B-PER", "I-PER", "O"], ["O", "B-LOC"], ["B-ORG", "O", "B-LOC"]]


def write_run(directory: Path, sentences: list[tuple[list[str], list[str]]], layer: str = "entities") -> Path:
    directory.mkdir()
    lines = []
    for gold, predicted in sentences:
        lines += [f"كلمة{i} {g} {p}" for i, (g, p) in enumerate(zip(gold, predicted, strict=True))] + [""]
    (directory / f"predictions-{layer}.conll").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return directory


def test_compare_prints_the_difference_and_p_value(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # 30 copies of three sentences: A gets 2 of 4 gold spans right with 3 guesses (F1 4/7), B gets all (F1 1).
    weak = [["B-PER", "O", "O"], ["O", "B-LOC"], ["B-ORG", "O", "O"]]
    run_a = write_run(tmp_path / "a", list(zip(GOLD, weak, strict=True)) * 30)
    run_b = write_run(tmp_path / "b", list(zip(GOLD, GOLD, strict=True)) * 30)
    result = compare_runs(run_a, run_b, samples=200)["entities"]
    assert (result.f1_a, result.f1_b, result.delta) == pytest.approx((4 / 7, 1.0, 3 / 7))
    assert result.p_value == pytest.approx(1 / 201) and 0.3 < result.low <= result.high < 0.6
    assert main(["compare", str(run_a), str(run_b), "--samples", "200"]) == 0
    table = capsys.readouterr().out
    assert "entities" in table and "0.5714" in table and "+0.4286" in table and "0.0050" in table


def test_compare_same_predictions_is_not_significant(tmp_path: Path) -> None:
    mixed = [["B-PER", "I-PER", "O"], ["O", "O"], ["B-ORG", "O", "B-PER"]]
    run_a = write_run(tmp_path / "a", list(zip(GOLD, mixed, strict=True)) * 5)
    run_b = write_run(tmp_path / "b", list(zip(GOLD, mixed, strict=True)) * 5)
    result = compare_runs(run_a, run_b)["entities"]
    assert result.delta == 0.0 and result.p_value == 1.0


def test_compare_refuses_different_gold(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run_a = write_run(tmp_path / "a", list(zip(GOLD, GOLD, strict=True)))
    other = [["O", "O", "O"], ["O", "B-LOC"], ["B-ORG", "O", "B-LOC"]]
    run_b = write_run(tmp_path / "b", list(zip(other, GOLD, strict=True)))
    assert main(["compare", str(run_a), str(run_b)]) == 1
    assert "gold tags differ" in capsys.readouterr().err
    run_c = write_run(tmp_path / "c", list(zip(GOLD, GOLD, strict=True)), layer="events")
    with pytest.raises(FileNotFoundError, match="no predictions-<layer>.conll file in common"):
        compare_runs(run_a, run_c)


def test_read_predictions_names_a_malformed_line(tmp_path: Path) -> None:
    path = tmp_path / "predictions-entities.conll"
    path.write_text("كلمة B-PER B-PER\nكلمة O\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"predictions-entities.conll:2: expected `token gold predicted`"):
        read_predictions(path)
