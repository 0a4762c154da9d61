"""One path per file, installed or not: the top-level stage links load no second copy, an editable install is typed
for a user's own mypy and pyright, and the wheel holds every stage (ARCHITECTURE.md, "Where a stage lives")."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"]
STAGES = [name.split(".")[1] for name in PACKAGES if name.count(".") == 1 and name != "hadath.static"]
# The environment of a user's process: not this checkout on PYTHONPATH.
USER_ENV = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}


def _python(code: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_every_stage_is_a_real_folder_in_the_package_with_a_top_level_link() -> None:
    assert set(STAGES) == {"data", "models", "inference", "train", "evaluation", "export", "batch", "annotate"}
    for stage in STAGES:
        assert (ROOT / "hadath" / stage).is_dir() and not (ROOT / "hadath" / stage).is_symlink()
        assert (ROOT / stage).is_symlink() and (ROOT / stage).resolve() == (ROOT / "hadath" / stage).resolve()


@pytest.mark.parametrize("stage", STAGES)
def test_the_repo_root_imports_no_second_copy_of_a_stage(stage: str) -> None:
    done = _python(f"import {stage}", ROOT)
    assert done.returncode == 1
    assert f"ImportError: import hadath.{stage}, not {stage}: {stage}/ links to hadath/{stage}/" in done.stderr


def _venv_with_this_checkout_installed(tmp_path: Path, *install: str) -> Path:
    """A fresh venv that sees this interpreter's packages (setuptools, mypy, pyyaml) through a .pth line, with
    `pip install --no-deps --no-build-isolation *install` run in it (no network)."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    (Path(purelib) / "outer.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", *install],
        check=True, capture_output=True, env=USER_ENV, cwd=tmp_path, timeout=300,
    )  # fmt: skip
    return python


@pytest.mark.slow  # a venv, an editable install, strict mypy and pyright: 60-310 s on 2 loaded cores
def test_an_editable_install_is_typed_for_a_users_mypy_and_pyright(tmp_path: Path) -> None:
    python = _venv_with_this_checkout_installed(tmp_path, "-e", str(ROOT))
    project = tmp_path / "project"
    project.mkdir()
    (project / "use.py").write_text(
        "from hadath.data.schemes import canonical_scheme\n\ncanonical_scheme(3)\n", encoding="utf-8"
    )
    where = subprocess.run(
        [str(python), "-c", "import hadath.data.schemes as m; print(m.__file__)"],
        cwd=project, env=USER_ENV, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert where.stdout.strip() == str(ROOT / "hadath" / "data" / "schemes.py")
    done = subprocess.run(
        [str(python), "-m", "mypy", "--no-incremental", "--strict", "use.py"],
        cwd=project, env=USER_ENV, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 1, done.stdout + done.stderr
    assert (
        'use.py:3: error: Argument 1 to "canonical_scheme" has incompatible type "int"; expected "str"' in done.stdout
    )
    assert "missing library stubs or py.typed" not in done.stdout
    # pyright, with the venv's interpreter, sees the same function through the same install.
    seen = subprocess.run(
        [sys.executable, "-m", "pyright", "--pythonpath", str(python), "use.py"],
        cwd=project, env=USER_ENV, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert seen.returncode == 1, seen.stdout + seen.stderr
    assert 'use.py:3:18 - error: Argument of type "Literal[3]" cannot be assigned to parameter "name"' in seen.stdout


def test_the_wheel_holds_every_stage_and_imports_outside_the_checkout(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(wheels), str(ROOT)],
        check=True, capture_output=True, env=USER_ENV, cwd=tmp_path, timeout=300,
    )  # fmt: skip
    (wheel,) = wheels.glob("hadath-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    tops = {name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")}
    assert tops == {"hadath"}  # no top-level `data`, `train`, ... beside it
    for needed in (
        "hadath/py.typed",
        "hadath/data/schemes.py",
        "hadath/data/corpus/train.jsonl",
        "hadath/train/recipe.py",
    ):
        assert needed in names
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    done = _python(
        "import hadath.data.schemes as m; print(m.__file__)", tmp_path, {**USER_ENV, "PYTHONPATH": str(site)}
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(site / "hadath" / "data" / "schemes.py")


def test_no_function_takes_more_than_five_positional_parameters() -> None:
    """STYLE.md: past five, keywords (`*`) or a dataclass, so a call site says what each argument is."""
    import ast

    wide = []
    for path in sorted((ROOT / "hadath").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                names = [a.arg for a in node.args.posonlyargs + node.args.args if a.arg not in ("self", "cls")]
                if len(names) > 5:
                    wide.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}")
    assert wide == []
