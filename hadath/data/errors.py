"""The one error type for bad input data: it always names the file, the line and the fix."""

from __future__ import annotations


class DataError(ValueError):
    """Bad input, reported to the user as `FILE:LINE: problem — fix` (no traceback)."""

    def __init__(self, path: str, line: int | None, problem: str, fix: str) -> None:
        where = f"{path}:{line}" if line is not None else str(path)
        super().__init__(f"{where}: {problem} — {fix}")
        self.path, self.line, self.problem, self.fix = path, line, problem, fix
