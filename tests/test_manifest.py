"""The run manifest: data hashes, resolved config, seeds, library versions and the git commit read from `.git`."""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import platform
from pathlib import Path

from hadath.config import config_to_dict, load_config
from hadath.export.manifest import build_manifest, git_commit, read_manifest, write_manifest

COMMIT = "0123456789abcdef0123456789abcdef01234567"


def _config(tmp_path: Path) -> Path:
    (tmp_path / "train.conll").write_text("قال O\nمحمد B-PER\n", encoding="utf-8")
    (tmp_path / "test.conll").write_text("زار O\nعلي B-PER\n\n", encoding="utf-8")
    config = tmp_path / "exp.yaml"
    config.write_text(
        "data: {train: train.conll, test: test.conll, format: conll}\ntraining: {seed: 7}\n", encoding="utf-8"
    )
    return config


def test_manifest_hashes_data_and_records_config_seeds_versions(tmp_path: Path) -> None:
    config = load_config(_config(tmp_path))
    manifest = build_manifest(config)
    for split in ("train", "test"):
        path = tmp_path / f"{split}.conll"
        assert manifest["data_files"][split] == {
            "path": str(path.resolve()),
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        }
    assert "dev" not in manifest["data_files"]
    assert manifest["config"] == config_to_dict(config)
    assert manifest["seeds"] == {"training.seed": 7}
    versions = manifest["versions"]
    assert versions["python"] == platform.python_version()
    for name in ("torch", "transformers", "datasets", "tokenizers"):
        assert versions[name] == importlib.metadata.version(name)
    commit = manifest["git_commit"]
    assert commit == "unknown" or (len(commit) == 40 and int(commit, 16) >= 0)
    write_manifest(manifest, tmp_path)
    assert read_manifest(tmp_path) == json.loads(json.dumps(manifest))
    assert read_manifest(tmp_path / "nowhere") is None


def test_a_changed_data_file_changes_its_hash(tmp_path: Path) -> None:
    config_path = _config(tmp_path)
    before = build_manifest(load_config(config_path))["data_files"]["train"]["sha256"]
    (tmp_path / "train.conll").write_text("قال O\nمحمد B-LOC\n", encoding="utf-8")
    after = build_manifest(load_config(config_path))["data_files"]["train"]["sha256"]
    assert before != after


def test_git_commit_from_a_branch_ref_packed_refs_and_detached_head(tmp_path: Path) -> None:
    git = tmp_path / "repo" / ".git"
    (git / "refs" / "heads").mkdir(parents=True)
    nested = tmp_path / "repo" / "hadath" / "train"
    nested.mkdir(parents=True)
    (git / "HEAD").write_text("ref: refs/heads/main\n")
    (git / "refs" / "heads" / "main").write_text(COMMIT + "\n")
    assert git_commit(nested) == COMMIT
    (git / "refs" / "heads" / "main").unlink()
    (git / "packed-refs").write_text(f"# pack-refs with: peeled\n{COMMIT[::-1]} refs/heads/main\n")
    assert git_commit(nested) == COMMIT[::-1]
    (git / "packed-refs").unlink()
    assert git_commit(nested) == "unknown"  # a repository without commits yet
    (git / "HEAD").write_text(COMMIT + "\n")
    assert git_commit(nested) == COMMIT


def test_git_commit_outside_a_checkout_is_unknown(tmp_path: Path) -> None:
    assert git_commit(tmp_path) == "unknown"
