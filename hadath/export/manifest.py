"""`manifest.json`: what a run was made from, so it can be reproduced and trusted.

SHA-256 of every data file, the resolved config, the seeds, the library versions and the code's git commit. The
commit is read from `.git` directly (no `git` process), and is "unknown" outside a checkout.
"""

from __future__ import annotations

import importlib.metadata
import json
import platform
import time
from pathlib import Path
from typing import Any

from hadath.config import ExperimentConfig, config_to_dict
from hadath.data.file_hash import file_sha256

MANIFEST_FILE = "manifest.json"
LIBRARIES = ("torch", "transformers", "datasets", "tokenizers", "numpy", "seqeval", "hadath")
UNKNOWN = "unknown"


def library_versions() -> dict[str, str]:
    """Python and the installed versions of the libraries a result depends on."""
    versions = {"python": platform.python_version()}
    for name in LIBRARIES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = UNKNOWN
    return versions


def _git_dir(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        candidate = folder / ".git"
        if candidate.is_dir():
            return candidate
        if candidate.is_file():  # a worktree or submodule: `gitdir: <path>`
            text = candidate.read_text(encoding="utf-8").strip()
            if text.startswith("gitdir:"):
                return (folder / text.removeprefix("gitdir:").strip()).resolve()
    return None


def git_commit(start: Path | None = None) -> str:
    """The commit checked out in the repository holding `start` (default: this package), or "unknown"."""
    git = _git_dir((start or Path(__file__)).resolve())
    if git is None:
        return UNKNOWN
    try:
        head = (git / "HEAD").read_text(encoding="utf-8").strip()
        if not head.startswith("ref:"):
            return head or UNKNOWN
        ref = head.removeprefix("ref:").strip()
        # A worktree keeps HEAD locally but refs in the common directory.
        common = git / "commondir"
        roots = [git, (git / common.read_text(encoding="utf-8").strip()).resolve()] if common.is_file() else [git]
        for root in roots:
            if (root / ref).is_file():
                return (root / ref).read_text(encoding="utf-8").strip()
            packed = root / "packed-refs"
            if packed.is_file():
                for line in packed.read_text(encoding="utf-8").splitlines():
                    if line.endswith(" " + ref):
                        return line.split(" ", 1)[0]
    except OSError:
        return UNKNOWN
    return UNKNOWN  # a fresh repository without commits


def build_manifest(config: ExperimentConfig) -> dict[str, Any]:
    """The manifest of a run of `config` (data paths already resolved by `load_config`)."""
    data_files = {}
    for split in ("train", "dev", "test"):
        value = getattr(config.data, split)
        if value:
            path = Path(value)
            data_files[split] = {"path": str(path), "sha256": file_sha256(path) if path.is_file() else UNKNOWN}
    return {
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "data_files": data_files,
        "config": config_to_dict(config),
        # transformers' Trainer seeds python, numpy and torch (and data order) from this one value.
        "seeds": {"training.seed": config.training.seed},
        "versions": library_versions(),
        "git_commit": git_commit(),
    }


def write_manifest(manifest: dict[str, Any], directory: Path) -> Path:
    """Write `manifest.json` into `directory`."""
    path = directory / MANIFEST_FILE
    path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def read_manifest(directory: Path) -> dict[str, Any] | None:
    """The manifest of a run or model directory, or None when it has none (models exported before manifests)."""
    path = directory / MANIFEST_FILE
    if not path.is_file():
        return None
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, RecursionError) as error:  # bad JSON or UTF-8, huge integers, deep nesting
        raise ValueError(
            f"{path}: not valid JSON ({str(error)[:80]}) — restore it from the run, or delete it (the model loads "
            "without a manifest)"
        ) from None
    return loaded if isinstance(loaded, dict) else None
