"""Writing a result to a path the user named, safely.

- A new file is created with the user's umask (0644 under umask 022), like any program's.
- An existing regular file keeps its mode; it is replaced atomically (write, then rename)
  unless it has other hard links or is reached through a symlink: then it is rewritten in
  place, so the links and the symlink stay what they were.
- A FIFO or a character device (`/dev/null`, `/dev/stdout`, a terminal) is written as a
  stream, never replaced; a FIFO no program reads is refused at once rather than waited on.
  Anything else that is not a regular file (a folder, a socket, a block device) is refused.
- Never over a file this run read (`advisor review job.yml -o job.yml`): every input goes
  through yamlio.read_limited, which notes it here. Never over a read-only file (0444).
Every failure is one AdvisorError naming the path (exit 2).
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from advisor.errors import AdvisorError

NEW_FILE_MODE = 0o666  # narrowed by the umask, as open(2) does

# (device, inode) of every file this run has read: an output must not replace one.
_inputs: set[tuple[int, int]] = set()


def note_input(info: os.stat_result) -> None:
    """Remember a file this run read (called by yamlio.read_limited with the open file's stat)."""
    _inputs.add((info.st_dev, info.st_ino))


def forget_inputs() -> None:
    """A new run (the CLI calls this first: tests run many in one process)."""
    _inputs.clear()


def write_text_file(path: Path | str, text: str) -> None:
    path = Path(path)
    data = text.encode("utf-8", errors="backslashreplace")  # a stray surrogate is shown, never a crash
    try:
        status = os.stat(path)  # follows symlinks: what would be written is the target
    except FileNotFoundError:
        if path.is_symlink():
            raise AdvisorError("is a symlink to nothing; not writing through it", where=str(path)) from None
        _create(path, data)
        return
    except OSError as exc:
        raise _error(exc, path) from None
    mode = status.st_mode
    if (status.st_dev, status.st_ino) in _inputs:
        raise AdvisorError("is an input of this run; not writing the output over it", where=str(path),
                           allowed="another file name for --output")
    if stat.S_ISDIR(mode):
        raise AdvisorError("is a folder; give a file name for the output", where=str(path))
    if stat.S_ISFIFO(mode) or stat.S_ISCHR(mode):
        _write_in_place(path, data, truncate=False)
    elif not stat.S_ISREG(mode):
        raise AdvisorError("is not a regular file (a socket or a block device); not writing to it",
                           where=str(path))
    elif not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(path, os.W_OK):
        raise AdvisorError("cannot write the output: the file is read-only; not replacing it", where=str(path),
                           allowed="a file you can write, or another file name for --output")
    elif path.is_symlink() or status.st_nlink > 1:
        _write_in_place(path, data, truncate=True)
    else:
        _replace(path, data, status)


def make_folders(path: Path | str, mode: int = 0o777) -> None:
    """`mkdir -p` without recursion: pathlib's and os.makedirs call themselves once per missing
    folder, so a path of 1,000 parts (ADVISOR_DATA_DIR=/tmp/d/d/...) was a RecursionError."""
    folder, missing = Path(path), []
    while not folder.is_dir() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for folder in reversed(missing):
        try:
            os.mkdir(folder, mode)
        except FileExistsError:
            if not folder.is_dir():
                raise


def check_writable_destination(path: Path | str) -> None:
    """Fail before a long run, not after it, when the output could not be written."""
    path = Path(path)
    if path.is_dir():
        raise AdvisorError("is a folder; give a file name for the output", where=str(path))
    folder = path.parent if str(path.parent) else Path(".")
    if not path.exists() and not folder.is_dir():
        raise AdvisorError("the folder for the output file does not exist", where=str(path))


def _create(path: Path, data: bytes) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise AdvisorError("the folder for the output file does not exist", where=str(path))
    tmp = _write_temporary(folder, path.name, data, NEW_FILE_MODE, path)
    _rename(tmp, path)


def _replace(path: Path, data: bytes, status: os.stat_result) -> None:
    tmp = _write_temporary(path.parent, path.name, data, 0o600, path)
    try:
        os.chmod(tmp, stat.S_IMODE(status.st_mode))
        if hasattr(os, "chown") and (status.st_uid, status.st_gid) != (os.getuid(), os.getgid()):
            try:
                os.chown(tmp, status.st_uid, status.st_gid)
            except PermissionError:
                pass  # only root can give a file away; the contents are still the user's
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise _error(exc, path) from None
    _rename(tmp, path)


def _write_temporary(folder: Path, name: str, data: bytes, mode: int, target: Path) -> Path:
    import secrets  # here, not at the top: only a written file pays for its import (and random's)

    tmp = folder / f".{name}.{secrets.token_hex(4)}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), mode)
    except OSError as exc:
        raise _error(exc, target) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _error(exc, target) from None
        raise
    return tmp


def _rename(tmp: Path, path: Path) -> None:
    try:
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise _error(exc, path) from None


def _write_in_place(path: Path, data: bytes, *, truncate: bool) -> None:
    # O_NONBLOCK: a FIFO with no reader fails at once (ENXIO) instead of waiting forever; once
    # open, writes block as usual, so a slow reader gets all of it.
    flags = os.O_WRONLY | (os.O_TRUNC if truncate else 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise AdvisorError("is a FIFO that no program is reading; not waiting for one", where=str(path),
                               allowed="start the reader first, or another file name for --output") from None
        raise _error(exc, path) from None
    try:
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
    except OSError as exc:
        raise _error(exc, path) from None


def _error(exc: OSError, path: Path) -> AdvisorError:
    return AdvisorError(f"cannot write the output: {exc.strerror or exc}", where=str(path))
