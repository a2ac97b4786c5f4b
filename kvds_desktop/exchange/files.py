"""Writing files safely: whole or not at all, with messages a person can act on.

Every export, printout, pack and calendar is written through here: to a temporary file
in the target's folder, then moved over the target, so a full disk or a crash never
leaves half a file where the old one was.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from kvds_desktop.errors import N_, DiskFull, UserError


def _check_place(out: Path) -> None:
    if out.is_dir():
        raise UserError(N_("{path} is a folder; give a file name."), path=str(out))
    folder = out.parent
    if not folder.is_dir():
        raise UserError(N_("The folder {folder} does not exist."), folder=str(folder))


def check_target(path: Path) -> None:
    """Refuse early a target that cannot be written, before any work is done.

    Raises:
        UserError: the path is a folder, its folder does not exist or cannot be written,
            or the file cannot be replaced.
    """
    path = Path(path)
    _check_place(path)
    if not os.access(path.parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise write_error(path, PermissionError(errno.EACCES, os.strerror(errno.EACCES)))


def atomic_write(out: Path, write: Callable[[Path], None]) -> None:
    """Write to a temporary file in the target's folder, then move it over ``out``.

    ``write`` fills the temporary file; a half-written file never takes the target's
    place, and the target keeps its old content when anything fails.

    Raises:
        UserError: ``out`` is a folder, its folder does not exist, or the folder or file
            cannot be written (read-only, open in another program); DiskFull (a
            StorageError) when the disk is full.
    """
    out = Path(out)
    _check_place(out)
    try:
        handle, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    except OSError as exc:
        raise write_error(out, exc) from exc
    os.close(handle)
    temporary = Path(name)
    try:
        write(temporary)
        os.replace(temporary, out)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise write_error(out, exc) from exc
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_error(out: Path, exc: OSError) -> UserError:
    """The message for an operating-system error while writing ``out``."""
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return DiskFull(
            N_(
                "The file {path} cannot be written: the disk is full. Nothing was written; "
                "make room or choose another disk."
            ),
            path=str(out),
        )
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return UserError(
            N_(
                "The file {path} cannot be written: the folder is read-only, or the file is "
                "open in another program (close it there and try again). Nothing was written."
            ),
            path=str(out),
        )
    return UserError(
        N_("The file {path} cannot be written: {reason}"),
        path=str(out),
        reason=exc.strerror or str(exc),
    )


def write_bytes(out: Path, data: bytes) -> Path:
    """Write ``data`` to ``out`` atomically (see :func:`atomic_write`); returns ``out``."""

    def write(target: Path) -> None:
        with target.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())

    atomic_write(Path(out), write)
    return Path(out)
