"""The candidate record's data-subject requests: everything about the person, and erasure."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from kvds_desktop.errors import UserError
from kvds_desktop.i18n import Translator
from kvds_desktop.services.audit import Actor
from kvds_desktop.services.privacy import erase_candidate, export_subject_file
from kvds_desktop.store.database import Database
from kvds_desktop.ui.dialogs import DialogService


class CandidatePrivacy:
    """Export all data of one candidate, or erase them, from their record."""

    def __init__(
        self,
        dialogs: DialogService,
        tr: Translator,
        actor: Actor,
        today: Callable[[], date],
        after_erase: Callable[[], None],
    ) -> None:
        self.dialogs, self.tr, self.actor, self.today = dialogs, tr, actor, today
        self.after_erase = after_erase

    def export(self, db: Database, uid: str, name: str) -> Path | None:
        """Ask where, then write everything about the candidate as PDF or JSON."""
        tr = self.tr
        out = self.dialogs.save_file(
            "subject", tr._("All data of {name}").format(name=name),
            "PDF (*.pdf);;JSON (*.json)", Path.home(), f"gegevens-{uid[:8]}.pdf",
        )  # fmt: skip
        if out is None:
            return None
        if out.suffix.lower() not in (".pdf", ".json"):
            out = out.with_suffix(".pdf")
        try:
            export_subject_file(db, uid, out, self.actor, today=self.today(), tr=tr)
        except UserError as exc:
            self.dialogs.error(tr._("The data could not be written"), exc.render(tr._))
            return None
        done = tr._("Written to {path}. Hand it to the person in a safe way; the export is "
                    "recorded in the audit trail.").format(path=out)  # fmt: skip
        self.dialogs.info(tr._("All data of {name}").format(name=name), done)
        return out

    def erase(self, db: Database, uid: str, name: str) -> bool:
        """Ask for the reason and a confirmation, then erase the candidate for good."""
        tr = self.tr
        reason = self.dialogs.text(
            tr._("Erase {name}").format(name=name),
            tr._("Why is this person erased (e.g. request of 12-11-2026 under the GDPR)?"),
        )
        if reason is None or not reason.strip():
            return False
        sure = self.dialogs.confirm(
            tr._("Erase {name}").format(name=name),
            tr._("Everything about {name} is deleted: record, notes, attendance, levels, "
                 "placements, outflow, and their traces in the audit trail. This cannot be "
                 "undone; a backup made earlier still holds the data. Erase now?"
                 ).format(name=name),
        )  # fmt: skip
        if not sure:
            return False
        try:
            result = erase_candidate(db, uid, self.actor, today=self.today(), reason=reason)
        except UserError as exc:
            self.dialogs.error(tr._("The candidate could not be erased"), exc.render(tr._))
            return False
        rows = result.total
        self.dialogs.info(tr._("Erased"),
                          tr.ngettext("{name} was erased ({n} record).",
                                      "{name} was erased ({n} records).", rows
                                      ).format(name=name, n=rows))  # fmt: skip
        self.after_erase()
        return True
