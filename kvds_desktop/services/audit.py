"""Writing the audit trail: who changed what in which record, when and from where."""

from __future__ import annotations

import getpass
import json
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session

from kvds_desktop.domain import bsn
from kvds_desktop.store.database import Database
from kvds_desktop.store.models import AuditEntry, new_uid

SENSITIVE_FIELDS = frozenset({"bsn"})


@dataclass(frozen=True)
class Actor:
    """The person and the device a change comes from."""

    name: str
    device: str

    @classmethod
    def current(cls) -> Actor:
        """The logged-in user on this computer."""
        try:
            name = getpass.getuser()
        except (OSError, KeyError):
            name = "kvds"
        return cls(name, socket.gethostname())


def _plain(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def values_json(values: Mapping[str, Any] | None) -> str:
    """Changed fields as the audit trail stores them: JSON, dates as ISO text, BSNs masked."""
    values = values or {}
    clean = {
        key: (bsn.mask(str(value)) if key in SENSITIVE_FIELDS and value else _plain(value))
        for key, value in values.items()
    }
    return json.dumps(clean, ensure_ascii=False, sort_keys=True) if clean else ""


def record(
    session: Session,
    actor: Actor,
    action: str,
    table_name: str,
    record_uid: str,
    *,
    old: Mapping[str, Any] | None = None,
    new: Mapping[str, Any] | None = None,
    at: datetime | None = None,
    result: str = "ok",
) -> None:
    """Add one audit entry to the session's transaction (BSNs are masked)."""
    session.add(
        AuditEntry(
            at=at or datetime.now(UTC),
            actor=actor.name,
            device=actor.device,
            action=action,
            table_name=table_name,
            record_uid=record_uid,
            old_values=values_json(old),
            new_values=values_json(new),
            result=result,
        )
    )


def audit_row(
    actor: Actor,
    action: str,
    table_name: str,
    record_uid: str,
    *,
    old: Mapping[str, Any] | None = None,
    new: Mapping[str, Any] | None = None,
    at: datetime | None = None,
) -> dict[str, Any]:
    """One audit_entry row for a bulk Core insert, in the same form as :func:`record`."""
    return {
        "uid": new_uid(),
        "at": at or datetime.now(UTC),
        "actor": actor.name[:120],
        "device": actor.device[:120],
        "action": action,
        "table_name": table_name,
        "record_uid": record_uid,
        "old_values": values_json(old),
        "new_values": values_json(new),
        "result": "ok",
    }


def record_export(
    db: Database,
    actor: Actor,
    what: str,
    target: str,
    *,
    count: int | None = None,
    about: str = "",
    recipient: str = "",
) -> None:
    """Audit an export or print that holds personal data: what, where to, for whom.

    ``what`` names the document (``progress``, ``outflow``, ``digest``, ``schedule`` ...),
    ``target`` the file or "preview", ``about`` the candidate uid of a one-person document,
    ``recipient`` who it is for (a klantmanager, the municipality). No content is stored.
    """
    new: dict[str, Any] = {"file": target}
    if count is not None:
        new["rows"] = count
    if recipient:
        new["for"] = recipient
    with db.session() as session:
        record(session, actor, f"export.{what}", "candidate" if about else "export", about,
               new=new)  # fmt: skip
