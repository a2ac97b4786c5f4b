"""Reading whatever a teacher sent back: a sealed marks file or a filled-in workbook."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from kvds_desktop.errors import N_, UserError
from kvds_desktop.services.offline import packs, workbook
from kvds_desktop.services.offline.facts import IncomingFile

MARKS_SUFFIX = ".kvdsmarks"
PACK_SUFFIX = ".kvdspack"
WORKBOOK_SUFFIX = ".xlsx"


@dataclass(frozen=True)
class Intake:
    """One file read: its marks, and the workbook cells that could not be understood."""

    incoming: IncomingFile
    unreadable: tuple[workbook.UnreadableCell, ...] = ()

    @property
    def needs_passphrase(self) -> bool:
        """Whether the file was sealed (marks files are, workbooks are not)."""
        return self.incoming.kind != workbook.WORKBOOK_KIND


def is_workbook(path: Path) -> bool:
    """Whether ``path`` looks like an Excel workbook (an XLSX is a zip archive)."""
    return path.suffix.lower() in (WORKBOOK_SUFFIX, ".xlsm") or zipfile.is_zipfile(path)


def read_incoming(path: Path, passphrase: str | None) -> Intake:
    """Read a marks file (with ``passphrase``) or a teacher workbook.

    Raises:
        UserError: the file cannot be read, is neither, the passphrase is missing or
            wrong, the file was changed, or a workbook's layout is broken.
    """
    path = Path(path)
    if not path.is_file():
        raise UserError(N_("The file {path} does not exist."), path=str(path))
    if is_workbook(path):
        read = workbook.read_workbook(path)
        return Intake(read.incoming, tuple(read.unreadable))
    if path.suffix.lower() == PACK_SUFFIX:
        raise UserError(
            N_(
                "{name} is a week pack, the file you send to a teacher. Import the marks "
                "file the teacher sends back."
            ),
            name=path.name,
        )
    if passphrase is None:
        raise UserError(
            N_("{name} is sealed; give the passphrase agreed with the teacher."), name=path.name
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(
            N_("The file {path} cannot be read: {reason}"),
            path=str(path),
            reason=exc.strerror or str(exc),
        ) from exc
    return Intake(packs.read_marks(data, passphrase, file_name=path.name))
