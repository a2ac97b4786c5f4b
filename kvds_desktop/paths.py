"""Where the application keeps its files: data, configuration, logs and backups.

The folders come from platformdirs; :class:`AppPaths` can be pointed at any root
(``KVDS_HOME`` or a test's ``tmp_path``) so that no test touches a real profile.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from kvds_desktop import APP_ID

DATABASE_FILE_NAME = "kvds.sqlite"


@dataclass(frozen=True)
class AppPaths:
    """The folders of one user's installation."""

    data_dir: Path
    config_dir: Path
    log_dir: Path

    @classmethod
    def default(cls) -> AppPaths:
        """Folders for this user, or below ``$KVDS_HOME`` when that is set."""
        home = os.environ.get("KVDS_HOME")
        if home:
            return cls.under(Path(home))
        return cls(
            data_dir=Path(platformdirs.user_data_dir(APP_ID, appauthor=False)),
            config_dir=Path(platformdirs.user_config_dir(APP_ID, appauthor=False)),
            log_dir=Path(platformdirs.user_log_dir(APP_ID, appauthor=False)),
        )

    @classmethod
    def under(cls, root: Path) -> AppPaths:
        """All folders below one root (used by tests and portable installs)."""
        return cls(data_dir=root / "data", config_dir=root / "config", log_dir=root / "logs")

    @property
    def default_database(self) -> Path:
        """The database used when no other is chosen."""
        return self.data_dir / DATABASE_FILE_NAME

    @property
    def backup_dir(self) -> Path:
        """Where automatic backups go."""
        return self.data_dir / "backups"

    @property
    def teacher_dir(self) -> Path:
        """Where a teacher's databases of opened week packs are kept, one per pack."""
        return self.data_dir / "teacher"

    @property
    def settings_file(self) -> Path:
        """The application's settings (language, database, backups)."""
        return self.config_dir / "settings.json"
