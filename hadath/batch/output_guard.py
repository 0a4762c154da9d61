"""A batch job's output folder must stay apart from its inputs: shards written among the inputs are read back as
inputs on the next run, which then can never resume ("different inputs")."""

from __future__ import annotations

from pathlib import Path

from hadath.config import ConfigError


def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def refuse_output_among_inputs(inputs: list[str], output_dir: Path) -> None:
    """Refuse an output folder that is an input folder, lies inside one, or contains an input file or folder."""
    output = output_dir.resolve()
    for item in inputs:
        source = Path(item).resolve()
        if not source.exists():
            continue  # a glob or a missing path: `input_files` reports it
        inside_input = source.is_dir() and _within(output, source)
        if inside_input or _within(source, output):
            relation = "is or lies inside the input folder" if inside_input else "contains the input"
            raise ConfigError(
                f"{output_dir}: --output-dir {relation} {item} — its shards would be read as inputs on the next "
                "run: pass a folder outside the inputs"
            )
