"""Folders written by one process at a time, installed whole: what train, evaluate and export write survives a kill
and a second writer.

- `hold_folder(DIR, command)`: one writer per folder. An exclusive `flock` on the sibling `.DIR.hadath-lock`, which
  names the owner's PID; a second writer is refused in one line naming it. The kernel drops the lock when its owner
  dies (SIGKILL included), so a lock left by a killed run is stale by construction and the next run takes it.
- `make_staging` / `install_directory`: the new folder is written as a marked sibling (`.DIR.hadath-staging-*`, its
  marker holding the owner's PID) and renamed into place, the old one set aside first in a marked `retired` sibling,
  so no reader ever sees a half-written folder.
- `clear_stale`: a staging or retired sibling is removed only when its marker names this process or a dead one; a
  live writer's folder is never touched, and a sibling without the marker was never ours.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

# Written first into every staging directory: a sibling without it was not made here and is never removed.
STAGING_MARKER = ".hadath-export-staging"
_KINDS = ("retired", "staging")


class FolderBusyError(ValueError):
    """Another live process is writing the folder: `DIR: problem — fix`."""


def owner_alive(pid: int) -> bool:
    """Whether a process with this PID exists (one of another user counts as alive)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _marker_pid(path: Path) -> int | None:
    try:
        return int(path.read_text(encoding="utf-8").split()[0])
    except (OSError, ValueError, IndexError):
        return None


def lock_path(directory: Path) -> Path:
    """The lock file of a folder: a hidden sibling, so it survives the folder being replaced by a rename."""
    return directory.with_name(f".{directory.name}.hadath-lock")


@contextlib.contextmanager
def hold_folder(directory: Path, command: str) -> Iterator[None]:
    """Be the only hadath process writing `directory` for the duration, or raise FolderBusyError naming the owner."""
    directory = directory.resolve()
    directory.parent.mkdir(parents=True, exist_ok=True)
    path = lock_path(directory)
    while True:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            owner = _marker_pid(path)
            who = f"hadath (PID {owner})" if owner is not None else "hadath process"
            raise FolderBusyError(
                f"{directory}: another {who} is writing this folder — wait for it to finish, or pass another "
                f"--output-dir (`hadath {command}` never shares one)"
            ) from None
        # The holder before us may have unlinked the file after we opened it: then our lock guards nothing.
        try:
            same = os.stat(path).st_ino == os.fstat(descriptor).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(descriptor)
    try:
        os.ftruncate(descriptor, 0)
        os.write(descriptor, f"{os.getpid()} {command}\n".encode())
        yield
    finally:
        with contextlib.suppress(OSError):
            path.unlink()  # while still locked: a waiter that opened it sees another inode and retries
        os.close(descriptor)


def make_staging(directory: Path) -> Path:
    """A fresh staging folder beside `directory` (normal permissions: the umask applies), after clearing the stale
    staging folders of dead writers of the same destination."""
    directory.parent.mkdir(parents=True, exist_ok=True)
    clear_stale(directory)
    staging = _sibling(directory, "staging")
    staging.mkdir()  # mode 0o777 minus the umask, unlike tempfile.mkdtemp's 0o700
    (staging / STAGING_MARKER).write_text(f"{os.getpid()}\n", encoding="utf-8")
    return staging


def install_directory(staging: Path, directory: Path) -> None:
    """Rename a finished staging directory into place (replacing an older one), so no half-written folder is read."""
    (staging / STAGING_MARKER).unlink(missing_ok=True)
    if not directory.exists():
        staging.rename(directory)
        return
    retired = _sibling(directory, "retired")
    retired.mkdir()
    (retired / STAGING_MARKER).write_text(f"{os.getpid()}\n", encoding="utf-8")
    # The old folder goes inside the marked one, so a kill between the renames leaves nothing unmarked behind.
    directory.rename(retired / "model")
    staging.rename(directory)
    shutil.rmtree(retired, ignore_errors=True)


def clear_stale(directory: Path) -> None:
    """Remove the staging and retired siblings of `directory` that a killed writer left (SIGKILL skips cleanup):
    only folders named and marked here, and only when the marker names this process or a dead one."""
    for kind in _KINDS:
        for stale in directory.parent.glob(f".{directory.name}.hadath-{kind}-*"):
            if not stale.is_dir() or stale.is_symlink() or not (stale / STAGING_MARKER).is_file():
                continue
            owner = _marker_pid(stale / STAGING_MARKER)
            if owner is not None and owner != os.getpid() and owner_alive(owner):
                continue  # a live writer's folder: it removes or installs it itself
            if kind == "retired" and (stale / "model").is_dir() and not directory.exists():
                (stale / "model").rename(directory)  # killed between the two renames: the old folder comes back
            shutil.rmtree(stale, ignore_errors=True)


def _sibling(directory: Path, kind: str) -> Path:
    return directory.with_name(f".{directory.name}.hadath-{kind}-{secrets.token_hex(6)}")
