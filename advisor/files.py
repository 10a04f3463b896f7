"""Writing a result to a path the user named, safely.

- A new file is created with the user's umask (0644 under umask 022), like any program's.
- An existing regular file keeps its mode; it is replaced atomically (write, then rename)
  unless it has other hard links or is reached through a symlink: then it is rewritten in
  place, so the links and the symlink stay what they were.
- A FIFO or a character device (`/dev/null`, `/dev/stdout`, a terminal) is written as a
  stream, never replaced; anything else that is not a regular file (a folder, a socket, a
  block device) is refused. Every failure is one AdvisorError naming the path (exit 2).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from advisor.errors import AdvisorError

NEW_FILE_MODE = 0o666  # narrowed by the umask, as open(2) does


def write_text_file(path: Path | str, text: str) -> None:
    path = Path(path)
    data = text.encode("utf-8")
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
    if stat.S_ISDIR(mode):
        raise AdvisorError("is a folder; give a file name for the output", where=str(path))
    if stat.S_ISFIFO(mode) or stat.S_ISCHR(mode):
        _write_in_place(path, data, truncate=False)
    elif not stat.S_ISREG(mode):
        raise AdvisorError("is not a regular file (a socket or a block device); not writing to it",
                           where=str(path))
    elif path.is_symlink() or status.st_nlink > 1:
        _write_in_place(path, data, truncate=True)
    else:
        _replace(path, data, status)


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
    flags = os.O_WRONLY | (os.O_TRUNC if truncate else 0)
    try:
        fd = os.open(path, flags)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
    except OSError as exc:
        raise _error(exc, path) from None


def _error(exc: OSError, path: Path) -> AdvisorError:
    return AdvisorError(f"cannot write the output: {exc.strerror or exc}", where=str(path))
