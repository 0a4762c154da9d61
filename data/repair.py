"""Validation and repair of dirty annotations, and the `ReadReport` that counts every repair and skip.

A problem is an *error* (the reader cannot tell what was meant: a tag without a prefix, a discontinuous span) or a
*warning* (readable but irregular: a stray `I-X`, read as conlleval reads it; a bidi mark glued to a token). The
policy decides what happens to the sentence: `error` fails on errors and keeps warned sentences as read; `repair`
fixes what has one obvious fix and counts it; `skip` drops every sentence with a problem and counts it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from hadath.data.errors import DataError
from hadath.data.readers.options import ReadOptions
from hadath.data.schemes import Scheme, split_tag
from hadath.data.words import INVISIBLE


@dataclass(frozen=True)
class Issue:
    """One problem in one place of a file."""

    error: DataError
    severity: str = "error"  # or "warning"

    def __str__(self) -> str:
        if self.severity == "error":
            return str(self.error)
        where = f"{self.error.path}:{self.error.line}" if self.error.line is not None else self.error.path
        return f"{where}: warning: {self.error.problem} — {self.error.fix}"


@dataclass
class ReadReport:
    """What reading found: failing problems, warnings, skipped sentences' problems, and counted repairs."""

    policy: str = "error"
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    skipped: list[Issue] = field(default_factory=list)
    skipped_sentences: int = 0
    repairs: Counter[str] = field(default_factory=Counter)
    schemes: dict[str, str] = field(default_factory=dict)
    sentences: int = 0
    sentences_from_splitting: int = 0

    def repaired(self, what: str, count: int = 1) -> None:
        """Count one kind of repair."""
        self.repairs[what] += count

    def settle(self, issues: Sequence[Issue]) -> bool:
        """Record a sentence's unrepaired problems under the policy; True when the sentence is kept."""
        if not issues:
            return True
        if self.policy == "skip":
            self.skipped.extend(issues)
            self.skipped_sentences += 1
            return False
        has_error = any(issue.severity == "error" for issue in issues)
        for issue in issues:
            (self.errors if issue.severity == "error" else self.warnings).append(issue)
        return not has_error

    def merge(self, other: ReadReport) -> None:
        """Add another file's report (train, dev and test together in the run report)."""
        self.errors += other.errors
        self.warnings += other.warnings
        self.skipped += other.skipped
        self.skipped_sentences += other.skipped_sentences
        self.repairs.update(other.repairs)
        self.schemes.update(other.schemes)
        self.sentences += other.sentences
        self.sentences_from_splitting += other.sentences_from_splitting

    def problems(self) -> list[Issue]:
        """Every problem (errors, warnings, and what was skipped) in file and line order."""
        found = [*self.errors, *self.warnings, *self.skipped]
        return sorted(found, key=lambda i: (i.error.path, i.error.line or 0))

    def raise_first_error(self) -> None:
        """Fail with the first error, saying how many more there are."""
        if not self.errors:
            return
        first = self.errors[0].error
        more = len(self.errors) - 1
        fix = first.fix + (f" ({more} more problem(s): run `hadath data validate {first.path}`)" if more else "")
        raise DataError(first.path, first.line, first.problem, fix)

    def summary(self) -> dict[str, Any]:
        """Counts for the run report and `hadath data validate`."""
        return {
            "policy": self.policy,
            "sentences": self.sentences,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "skipped sentences": self.skipped_sentences,
            "repairs": dict(sorted(self.repairs.items())),
            "schemes": dict(sorted(self.schemes.items())),
            "sentences from splitting": self.sentences_from_splitting,
        }


def issue(path: str, line: int | None, problem: str, fix: str, severity: str = "error") -> Issue:
    """Shorthand for an Issue."""
    return Issue(DataError(path, line, problem, fix), severity)


def map_tag(tag: str, tag_map: dict[str, str], report: ReadReport) -> str:
    """Apply the configured tag-spelling map to a whole tag or to its entity type (`B-PERS` -> `B-PER`)."""
    if not tag_map or tag == "O":
        return tag
    if tag in tag_map:
        report.repaired(f"tag renamed {tag} -> {tag_map[tag]}")
        return tag_map[tag]
    prefix, type_ = split_tag(tag)
    if type_ in tag_map:
        report.repaired(f"tag renamed {type_} -> {tag_map[type_]}")
        return f"{tag[:2]}{tag_map[type_]}" if prefix else tag_map[type_]
    return tag


def check_tags(
    tags: Sequence[str], lines: Sequence[int], scheme: Scheme, options: ReadOptions, path: str, report: ReadReport
) -> tuple[list[str], list[Issue]]:
    """Validate (and under `repair` fix) one layer's tags of one sentence; bare class names are fine in IO."""
    fixed: list[str] = []
    issues: list[Issue] = []
    repair = options.on_error == "repair"
    prev_prefix, prev_type = "O", ""
    for raw, line in zip(tags, lines, strict=True):
        tag = map_tag(raw, options.tag_map, report)
        prefix, type_ = split_tag(tag)
        if prefix == "" and scheme != "IO":
            if repair:
                # Consecutive words of one bare class form one span, as in the CSV format.
                prefix = "I" if prev_prefix != "O" and prev_type == type_ else "B"
                tag = f"{prefix}-{type_}"
                report.repaired("bare class name given a B-/I- prefix")
            else:
                issues.append(
                    issue(
                        path,
                        line,
                        f"tag {raw!r} is neither O nor PREFIX-TYPE",
                        f"write B-{type_}/I-{type_}, declare data.scheme: IO, or set data.on_error: repair "
                        "(consecutive words of one class become one span)",
                    )
                )
        elif prefix in ("E", "S") and scheme != "BIOES":
            issues.append(
                issue(path, line, f"tag {raw!r} is a BIOES tag in {scheme} data", "set data.scheme: BIOES or auto")
            )
        elif prefix in ("I", "E") and scheme in ("IOB2", "BIOES") and (prev_prefix in "OES" or prev_type != type_):
            opener = "B" if prefix == "I" else "S"
            if repair:
                tag = f"{opener}-{type_}"
                prefix = opener
                report.repaired(f"stray {raw[0]}- tag made {opener}-")
            else:
                issues.append(
                    issue(
                        path,
                        line,
                        f"stray {raw!r} after {'O' if prev_prefix == 'O' else f'{prev_prefix}-{prev_type}'} "
                        "(read as the start of a span, as conlleval does)",
                        f"make it {opener}-{type_} (data.on_error: repair does this)",
                        "warning",
                    )
                )
        fixed.append(tag)
        prev_prefix, prev_type = (prefix or "I"), type_
    return fixed, issues


def clean_token(token: str, line: int, options: ReadOptions, path: str, report: ReadReport) -> tuple[str, list[Issue]]:
    """A token without glued bidi/zero-width marks (under `repair`), or the problem they are."""
    if not any(char in INVISIBLE for char in token):
        return token, []
    stripped = "".join(char for char in token if char not in INVISIBLE)
    marks = " ".join(sorted({f"U+{ord(char):04X}" for char in token if char in INVISIBLE}))
    if not stripped:
        # Dropping the word would drop its tags: it stays a word and the encoder sees a placeholder piece for it.
        problem = f"token is only invisible marks ({marks}); kept as a word with a placeholder piece"
        return token, [issue(path, line, problem, "delete the line if it is noise", "warning")]
    if options.on_error == "repair":
        report.repaired("invisible marks stripped from a token")
        return stripped, []
    problem = f"token {stripped!r} has invisible mark(s) {marks} glued to it"
    return token, [issue(path, line, problem, "remove them (data.on_error: repair strips them)", "warning")]
