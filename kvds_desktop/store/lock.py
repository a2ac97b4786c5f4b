"""One writer per database: a lock beside the file, and a word about network drives.

SQLite keeps one file consistent between programs, but two coordinators typing in the same
file through two windows would each see a stale screen and overwrite the other's work.
The desktop application therefore holds :class:`WriterLock` while a database is open: an
operating-system lock on ``<file>.lock`` (``filelock``: fcntl on Linux, msvcrt on
Windows) that the system releases by itself when the program ends or crashes, so a lock
is never left behind. Beside it ``<file>.in-use`` says who holds it (user, computer,
process, since when), for the message the second instance shows.

A database on a network share gets a warning: file locks and SQLite's write-ahead log
are not reliable over SMB or NFS, and a dropped connection can damage the file.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import socket
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from filelock import FileLock, Timeout

from kvds_desktop.errors import N_, DatabaseInUse

NETWORK_FILESYSTEMS = frozenset({
    "nfs", "nfs4", "cifs", "smb3", "smbfs", "fuse.sshfs", "sshfs", "9p", "afs", "ceph",
    "glusterfs", "fuse.glusterfs", "davfs", "fuse.davfs2", "fuse.rclone", "lustre", "ncpfs",
})  # fmt: skip


@dataclass(frozen=True)
class Holder:
    """Who holds a database open."""

    user: str
    host: str
    pid: int
    since: str  # ISO time, local

    @classmethod
    def me(cls, now: datetime) -> Holder:
        """This process."""
        try:
            user = getpass.getuser()
        except (OSError, KeyError):
            user = "?"
        return cls(user, socket.gethostname(), os.getpid(), now.isoformat(timespec="minutes"))


class WriterLock:
    """The lock that makes this process the only writer of ``database``."""

    def __init__(self, database: Path) -> None:
        self.database = Path(database)
        self.lock_file = self.database.with_name(self.database.name + ".lock")
        self.info_file = self.database.with_name(self.database.name + ".in-use")
        self._lock = FileLock(self.lock_file, timeout=0)

    def acquire(self, now: datetime) -> None:
        """Take the lock, or say who has the database open.

        Raises:
            DatabaseInUse: another instance (on this or another computer) holds it.
        """
        try:
            self._lock.acquire()
        except Timeout:
            holder = self.holder()
            raise DatabaseInUse(
                N_("The database {path} is already open in KVDS Desktop ({who}). "
                   "Close it there first, or open another database. Two windows writing "
                   "to one file would overwrite each other's work."),
                path=str(self.database),
                who=_describe(holder),
            ) from None  # fmt: skip
        except OSError:
            return  # a folder where no lock can be made (read-only): opening will say so
        try:
            text = json.dumps(Holder.me(now).__dict__)
            self.info_file.write_text(text, encoding="utf-8")
        except OSError:
            pass  # the lock holds without the note

    def holder(self) -> Holder | None:
        """Who holds the lock, as far as the note beside it says."""
        try:
            data = json.loads(self.info_file.read_text(encoding="utf-8"))
            return Holder(str(data["user"]), str(data["host"]), int(data["pid"]),
                          str(data["since"]))  # fmt: skip
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def release(self) -> None:
        """Give the database free (idempotent)."""
        if self._lock.is_locked:
            with contextlib.suppress(OSError):
                self.info_file.unlink(missing_ok=True)
            self._lock.release()

    @property
    def held(self) -> bool:
        """Whether this process holds the lock."""
        return bool(self._lock.is_locked)


def _describe(holder: Holder | None) -> str:
    if holder is None:
        return "?"
    return f"{holder.user}@{holder.host}, {holder.since}"


def filesystem_type(path: Path, mounts: str | None = None) -> str | None:
    """The file system type of the mount that holds ``path`` (Linux; None elsewhere).

    ``mounts`` is the text of /proc/mounts (read when not given).
    """
    if mounts is None:
        try:
            mounts = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
    target = str(Path(path).expanduser().absolute())
    best, kind = "", None
    for line in mounts.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        point = parts[1].replace("\\040", " ")
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, kind = point, parts[2]
    return kind


def on_network_drive(path: Path, mounts: str | None = None) -> bool:
    """Whether ``path`` lies on a network share (SMB/NFS and the like)."""
    text = str(path)
    if text.startswith(("\\\\", "//")):
        return True  # a UNC path
    if sys.platform == "win32":
        return _windows_remote_drive(Path(path))
    return filesystem_type(Path(path), mounts) in NETWORK_FILESYSTEMS


def _windows_remote_drive(path: Path) -> bool:  # pragma: no cover - Windows only
    import ctypes

    drive = path.drive
    if not drive:
        return False
    remote = 4  # DRIVE_REMOTE
    kernel = ctypes.windll.kernel32  # type: ignore[attr-defined]
    return bool(kernel.GetDriveTypeW(drive + "\\") == remote)
