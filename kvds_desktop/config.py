"""The user's settings, kept as a small JSON file shared by the GUI and the CLI."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from kvds_desktop.errors import N_, UserError
from kvds_desktop.store.location import is_server, shown_location

LANGUAGES = ("nl", "en")


MATCH_WEIGHT_NAMES = ("sector", "experience", "education", "travel", "benefit")
RETENTION_NAMES = ("notes", "absence_reasons", "work_profiles", "anonymise")


@dataclass
class Settings:
    """Settings that outlive a session. Window geometry is kept by the GUI itself."""

    language: str = "nl"
    database: str | None = None  # None: the default database in the data folder
    backups_keep: int = 10
    daily_backup: bool = True
    recent_databases: list[str] = field(default_factory=list)
    # How much each part of a match's score counts (0 switches a part off).
    match_weights: dict[str, float] = field(default_factory=dict)
    # Months after a candidate's end before each kind of data is deleted or anonymised
    # (missing: the defaults of kvds_desktop.services.privacy.retention).
    retention_months: dict[str, int] = field(default_factory=dict)

    def normalised(self) -> Settings:
        """Return a copy with out-of-range values replaced by defaults."""
        language = self.language if self.language in LANGUAGES else "nl"
        keep = self.backups_keep if isinstance(self.backups_keep, int) else 10
        keep = max(1, min(keep, 100))
        recent = [str(p) for p in self.recent_databases if isinstance(p, str)][:8]
        weights = {
            str(k): max(0.0, min(10.0, float(v)))
            for k, v in (self.match_weights if isinstance(self.match_weights, dict) else {}).items()
            if k in MATCH_WEIGHT_NAMES and isinstance(v, int | float)
        }
        retention = {
            str(k): max(0, min(1200, int(v)))
            for k, v in (
                self.retention_months if isinstance(self.retention_months, dict) else {}
            ).items()
            if k in RETENTION_NAMES and isinstance(v, int) and not isinstance(v, bool)
        }
        return Settings(
            language, self.database, keep, bool(self.daily_backup), recent, weights, retention
        )


class SettingsStore:
    """Reads and writes :class:`Settings` at one path."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> Settings:
        """Return the saved settings; a missing or damaged file gives the defaults."""
        try:
            raw: Any = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return Settings()
        if not isinstance(raw, dict):
            return Settings()
        known = {f.name for f in fields(Settings)}
        try:
            return Settings(**{k: v for k, v in raw.items() if k in known}).normalised()
        except TypeError:
            return Settings()

    def save(self, settings: Settings) -> None:
        """Write the settings atomically (a crash never leaves half a file)."""
        tmp = self.path.with_suffix(".tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(json.dumps(asdict(settings), indent=2), encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError as exc:
            raise UserError(
                N_("The settings could not be saved to {path}: {reason}"),
                path=str(self.path),
                reason=exc.strerror or str(exc),
            ) from exc


def resolve_location(explicit: str | Path | None, settings: Settings, default: Path) -> Path | str:
    """The database to use: ``--db`` first, then the saved choice, then the default file.

    A file is a resolved path; a shared database on a server stays its address (a URL).
    """
    for choice in (explicit, settings.database):
        if choice:
            if is_server(str(choice)):
                return str(choice).strip()
            return Path(choice).expanduser().resolve()
    return default


def resolve_database(explicit: str | Path | None, settings: Settings, default: Path) -> Path:
    """The database file to use, for the work that only a file allows (backup, restore)."""
    where = resolve_location(explicit, settings, default)
    if isinstance(where, str):
        raise UserError(
            N_("This works on a database file, and {where} is a shared database on a server. "
               "Give a file with --db FILE, or make a copy first with 'kvds migrate-store'."),
            where=shown_location(where),
        )  # fmt: skip
    return where
