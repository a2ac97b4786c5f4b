"""Datasets the benchmarks share, generated on the fly once per run."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from datetime import date
from pathlib import Path

TODAY = date(2026, 11, 28)
_cache: dict[str, Path] = {}


def demo_database(scale: str) -> Path:
    """A database file with the demo data of ``scale``, made once per process."""
    if scale not in _cache:
        from kvds_desktop.services.demo import generate_demo
        from kvds_desktop.store.database import Database

        folder = Path(tempfile.mkdtemp(prefix=f"kvds-bench-{scale}-"))
        atexit.register(shutil.rmtree, folder, True)
        path = folder / f"{scale}.sqlite"
        db = Database.open(path, create=True)
        generate_demo(db, scale=scale, seed=1, today=TODAY)
        db.close()
        _cache[scale] = path
    return _cache[scale]
