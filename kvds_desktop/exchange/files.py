"""Writing export files safely: whole or not at all, with messages a person can act on."""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from kvds_desktop.errors import N_, UserError


def atomic_write(out: Path, write: Callable[[Path], None]) -> None:
    """Write to a temporary file in the target's folder, then move it over ``out``.

    ``write`` fills the temporary file; a half-written file never takes the target's
    place, and the target keeps its old content when anything fails.

    Raises:
        UserError: ``out`` is a folder, its folder does not exist, the disk is full, or
            the folder or file cannot be written (read-only, open in another program).
    """
    if out.is_dir():
        raise UserError(N_("{path} is a folder; give a file name for the export."), path=str(out))
    folder = out.parent
    if not folder.is_dir():
        raise UserError(N_("The folder {folder} does not exist."), folder=str(folder))
    try:
        handle, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=folder)
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
        return UserError(
            N_("The file {path} cannot be written: the disk is full. Nothing was exported."),
            path=str(out),
        )
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return UserError(
            N_(
                "The file {path} cannot be written: the folder is read-only, or the file is "
                "open in another program (close it in Excel and try again). Nothing was "
                "exported."
            ),
            path=str(out),
        )
    return UserError(
        N_("The file {path} cannot be written: {reason}"),
        path=str(out),
        reason=exc.strerror or str(exc),
    )


def write_bytes(out: Path, data: bytes) -> None:
    """Write ``data`` to ``out`` atomically (see :func:`atomic_write`)."""

    def write(target: Path) -> None:
        with target.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())

    atomic_write(Path(out), write)
