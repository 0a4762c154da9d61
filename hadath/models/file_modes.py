"""safetensors creates its files 0600 whatever the umask; the files Hadath writes get the permissions any file written
by this process gets (0666 minus the umask), so a model folder others should read is readable."""

from __future__ import annotations

import os
from pathlib import Path


def apply_umask(path: Path) -> None:
    """Give `path` mode 0666 minus the process umask."""
    umask = os.umask(0)
    os.umask(umask)
    path.chmod(0o666 & ~umask)
