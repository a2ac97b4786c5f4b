"""Teacher mode: the same application opened with a week pack, showing only that pack.

A teacher opens the pack the coordinator sent (File > Open week pack, or
``kvds-desktop --teacher PACK``) with the passphrase they agreed. The pack becomes a
small database on the teacher's laptop, so every mark typed on the Aanwezigheid page
is saved there at once, also without network. File > Export marks writes the sealed
marks file that goes back to the coordinator.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from kvds_desktop.errors import UserError
from kvds_desktop.exchange.files import write_bytes
from kvds_desktop.exchange.sealed import WrongPassphrase
from kvds_desktop.i18n import Translator
from kvds_desktop.paths import AppPaths
from kvds_desktop.services.offline import packs
from kvds_desktop.store.database import Database
from kvds_desktop.ui.dialogs import DialogService

PACK_FILTER = "KVDS (*.kvdspack);;*"
MARKS_FILTER = "KVDS (*.kvdsmarks);;*"


class TeacherMode:
    """Opens week packs and exports the teacher's marks."""

    def __init__(
        self,
        *,
        paths: AppPaths,
        tr: Translator,
        dialogs: DialogService,
        use: Callable[[Database], None],
        status: Callable[[str], None],
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.paths = paths
        self.tr = tr
        self.dialogs = dialogs
        self._use = use
        self._status = status
        self._now = now
        self._passphrases: dict[str, str] = {}  # pack uid -> passphrase, this session only

    def set_translator(self, tr: Translator) -> None:
        """Speak another language from now on."""
        self.tr = tr

    def choose_pack(self) -> Path | None:
        """Ask for a pack file and open it; the teacher database's path, or None."""
        path = self.dialogs.open_file(
            "pack", self.tr._("Open a week pack"), PACK_FILTER, Path.home()
        )
        return self.open_pack(path) if path is not None else None

    def open_pack(self, path: Path) -> Path | None:
        """Open the pack at ``path`` (asking its passphrase) and show it; None if not."""
        tr = self.tr
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            self.dialogs.error(
                tr._("The week pack cannot be opened"),
                tr._("The file {path} cannot be read: {reason}").format(
                    path=path, reason=exc.strerror or exc
                ),
            )
            return None
        label = tr._("The passphrase you agreed with the coordinator for {name}:").format(
            name=Path(path).name
        )
        while True:
            passphrase = self.dialogs.passphrase(tr._("Open a week pack"), label)
            if passphrase is None:
                return None
            try:
                pack = packs.open_pack(data, passphrase)
                target = self.paths.teacher_dir / f"{pack.pack_uid}.sqlite"
                self.paths.teacher_dir.mkdir(parents=True, exist_ok=True)
                db = packs.teacher_database(pack, target)
            except WrongPassphrase as exc:
                self.dialogs.error(tr._("The week pack cannot be opened"), exc.render(tr._))
                continue
            except (UserError, OSError) as exc:
                text = exc.render(tr._) if isinstance(exc, UserError) else str(exc)
                self.dialogs.error(tr._("The week pack cannot be opened"), text)
                return None
            self._passphrases[pack.pack_uid] = passphrase
            self._use(db)
            return target

    def export_marks(self, db: Database | None) -> Path | None:
        """Write the sealed marks file of the open teacher database; its path, or None."""
        tr = self.tr
        info = packs.teacher_info(db) if db is not None else None
        if db is None or info is None:
            return None
        passphrase = self._passphrases.get(info.pack_uid)
        if passphrase is None:
            passphrase = self.dialogs.passphrase(
                tr._("Export marks"),
                tr._("The passphrase you agreed with the coordinator for this week pack:"),
            )
            if passphrase is None:
                return None
        try:
            result = packs.export_marks(db, passphrase=passphrase, now=self._now())
        except UserError as exc:
            self.dialogs.error(tr._("The marks cannot be exported"), exc.render(tr._))
            return None
        target = self.dialogs.save_file(
            "marks", tr._("Export marks"), MARKS_FILTER, Path.home(), result.suggested_file_name
        )
        if target is None:
            return None
        try:
            write_bytes(target, result.data)
        except UserError as exc:
            self.dialogs.error(tr._("The marks cannot be exported"), exc.render(tr._))
            return None
        self._passphrases[info.pack_uid] = passphrase
        text = tr.ngettext(
            "{count} mark written to {path}. Send this file to the coordinator.",
            "{count} marks written to {path}. Send this file to the coordinator.",
            result.mark_count,
        ).format(count=result.mark_count, path=target)
        self.dialogs.info(tr._("Export marks"), text)
        self._status(text)
        return target
