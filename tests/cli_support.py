"""Running the `kvds` command in tests, as a script would, on a fixed date in English."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path
from typing import Any

from kvds_desktop.cli import main
from kvds_desktop.paths import AppPaths

CLI_TODAY = date(2026, 11, 28)


def run_cli(paths: AppPaths, db: Path, *argv: str) -> tuple[int, str, str]:
    """Exit status, stdout and stderr of ``kvds --db DB ARGV...``."""
    out, err = io.StringIO(), io.StringIO()
    code = main(
        ["--today", CLI_TODAY.isoformat(), "--lang", "en", "--db", str(db), *argv],
        paths=paths,
        out=out,
        err=err,
    )
    return code, out.getvalue(), err.getvalue()


def json_result(result: tuple[int, str, str]) -> Any:
    """The JSON a successful command printed."""
    code, out, err = result
    assert code == 0, err
    return json.loads(out)
