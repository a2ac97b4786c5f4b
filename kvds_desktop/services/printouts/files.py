"""Writing a printout to a file: all of it or nothing (see :mod:`kvds_desktop.exchange.files`)."""

from __future__ import annotations

from pathlib import Path

from kvds_desktop.exchange.files import check_target, write_bytes

__all__ = ["check_target", "write_pdf"]


def write_pdf(path: Path, data: bytes) -> Path:
    """Write the PDF ``data`` to ``path``, replacing a file only when the new one is whole.

    Raises:
        UserError: the path is a folder, its folder does not exist, the file is open in
            another program or the folder is read-only; DiskFull when the disk is full.
    """
    return write_bytes(path, data)
