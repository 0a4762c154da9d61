"""Any `datasets` dataset with a token column and tag columns: saved to disk, local data files, or a hub name.

`PATH` is a directory written by `save_to_disk`, a local `.parquet`/`.arrow`/`.json(l)`/`.csv` data file, or
`hf://NAME` for the hub (needs network); `PATH#SPLIT` picks a split of a DatasetDict (default `train`). Tags may be
strings or ClassLabel ids (their names are used). Columns: `tokens`/`words` for tokens, `ner_tags` (or `entities`,
`tags`) for entities, `<layer>_tags` or `<layer>` for other layers (`events_tags`, `entities_2_tags`), `labels` for
sentence labels.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hadath.data.errors import DataError
from hadath.data.readers.options import ReadOptions
from hadath.data.readers.token_rows import TokenRow, build_documents
from hadath.data.repair import ReadReport, issue
from hadath.data.sentence import Sentence, layer_family

_HUB = re.compile(r"^hf:/+")
TOKEN_COLUMNS = ("tokens", "words")
ENTITY_COLUMNS = ("ner_tags", "entities", "tags")
_FILE_BUILDERS = {".parquet": "parquet", ".arrow": "arrow", ".json": "json", ".jsonl": "json", ".csv": "csv"}


def hub_name(location: str) -> str | None:
    """`org/name` for `hf://org/name` (also after Path() has folded the double slash), None for a local path."""
    return _HUB.sub("", location) if _HUB.match(location) else None


def _load(location: str, split: str) -> Any:
    import datasets

    try:
        name = hub_name(location)
        if name:
            loaded = datasets.load_dataset(name)
        elif Path(location).is_dir():
            loaded = datasets.load_from_disk(location)
        else:
            builder = _FILE_BUILDERS.get(Path(location).suffix.lower(), "parquet")
            loaded = datasets.load_dataset(builder, data_files={split or "train": location})
    except DataError:
        raise
    except Exception as error:  # datasets raises many types (network, missing files, bad format)
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise DataError(
            location, None, f"cannot load the dataset ({message})", "pass a save_to_disk directory or a data file"
        ) from None
    if isinstance(loaded, datasets.DatasetDict):
        chosen = split or "train"
        if chosen not in loaded:
            raise DataError(
                location, None, f"has no split {chosen!r}", f"add #SPLIT, one of: {', '.join(map(str, loaded))}"
            )
        return loaded[chosen]
    return loaded


def tag_layers(columns: list[str]) -> dict[str, str]:
    """Tag layer -> column for the columns of a dataset."""
    layers: dict[str, str] = {}
    entity = next((name for name in ENTITY_COLUMNS if name in columns), None)
    if entity:
        layers["entities"] = entity
    for name in columns:
        layer = name.removesuffix("_tags")
        if name != entity and layer_family(layer) in ("entities", "events") and layer not in layers:
            layers[layer] = name
    return layers


def _names(feature: Any) -> list[str] | None:
    inner = getattr(feature, "feature", None)
    names = getattr(inner, "names", None)
    return list(names) if names else None


def _rows(
    dataset: Any, path: Path, token_column: str, layers: dict[str, str], names: dict[str, list[str] | None]
) -> Iterator[tuple[int, list[TokenRow]]]:
    """A sentence of rows per dataset row; a row whose tag count differs from its token count is one problem row."""
    for index, record in enumerate(dataset, start=1):
        tokens = record[token_column]
        tag_rows: dict[str, list[str]] = {}
        for layer, column in layers.items():
            values: list[Any] = record[column] or ["O"] * len(tokens)
            layer_names = names[layer]
            tag_rows[layer] = [layer_names[v] if layer_names else str(v) for v in values]
            if len(values) != len(tokens):
                problem = issue(
                    str(path), index, f"{column} has {len(values)} tags for {len(tokens)} tokens", "fix row"
                )
                yield 0, [TokenRow(index, "", {}, problem)]
                break
        else:
            if tokens:
                yield 0, [TokenRow(index, str(t), {k: v[i] for k, v in tag_rows.items()}) for i, t in enumerate(tokens)]


def read_hf_dataset(path: Path, options: ReadOptions, report: ReadReport) -> Iterator[tuple[int, Sentence]]:
    """Stream a `datasets` dataset's sentences (one document; a row is a sentence)."""
    location, _, split = str(path).partition("#")
    dataset = _load(location, split)
    columns = list(dataset.column_names)
    token_column = next((name for name in TOKEN_COLUMNS if name in columns), None)
    layers = tag_layers(columns)
    if token_column is None or not layers:
        raise DataError(
            str(path),
            None,
            f"no token column or no tag column among {columns}",
            "name them `tokens` and `ner_tags` (or `<layer>_tags`)",
        )
    names = {layer: _names(dataset.features[column]) for layer, column in layers.items()}
    label_names = _names(dataset.features["labels"]) if "labels" in columns else None
    source = functools.partial(_rows, dataset, path, token_column, layers, names)
    for _, sentence in build_documents(source, options, str(path), report):
        # Sentence labels ride along by row: the sentence's source line is its row number.
        labels = dataset[int(sentence.source.rsplit(":", 1)[1]) - 1].get("labels") or []
        sentence.labels = [label_names[v] if label_names else str(v) for v in labels]
        yield 0, sentence
