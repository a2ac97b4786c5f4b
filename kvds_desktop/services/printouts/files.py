"""Writing a printout to a file: all of it or nothing, with a message a person can act on."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from kvds_desktop.errors import N_, DiskFull, UserError


def check_target(path: Path) -> None:
    """Refuse early a target that cannot be a PDF file, before any work is done.

    Raises:
        UserError: the path is a folder, its folder does not exist or cannot be written.
    """
    path = Path(path)
    if path.is_dir():
        raise UserError(N_("{path} is a folder; give a file name for the PDF."), path=str(path))
    folder = path.parent
    if not folder.is_dir():
        raise UserError(N_("The folder {folder} does not exist."), folder=str(folder))
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise _write_error(path, PermissionError(errno.EACCES, os.strerror(errno.EACCES)))


def write_pdf(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename.

    An existing file is replaced only when the new one is complete; on any failure the
    temporary file is removed and the old file stays as it was.

    Raises:
        UserError: the path is a folder, its folder does not exist, the file is open in
            another program or the folder is read-only; DiskFull (a StorageError) when
            the disk is full.
    """
    path = Path(path)
    if path.is_dir():
        raise UserError(N_("{path} is a folder; give a file name for the PDF."), path=str(path))
    folder = path.parent
    if not folder.is_dir():
        raise UserError(N_("The folder {folder} does not exist."), folder=str(folder))
    temporary: Path | None = None
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        temporary = Path(name)
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        raise _write_error(path, exc) from exc
    return path


def _write_error(path: Path, exc: OSError) -> UserError:
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return DiskFull(
            N_("The file {path} cannot be written: the disk is full. Nothing was printed."),
            path=str(path),
        )
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return UserError(
            N_(
                "The file {path} cannot be written: the folder is read-only, or the file is "
                "open in another program (close it and try again)."
            ),
            path=str(path),
        )
    return UserError(
        N_("The file {path} cannot be written: {reason}"),
        path=str(path),
        reason=exc.strerror or str(exc),
    )
