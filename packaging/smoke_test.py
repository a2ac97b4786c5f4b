"""Prove the built one-folder app runs on its own: copy it, start it with a bare environment.

Run after packaging/build-app.sh:  .venv/bin/python packaging/smoke_test.py [dist/kvds-desktop]

The folder is copied to a temporary place and started with an empty environment (a fresh
HOME, PATH=/usr/bin:/bin, no virtual environment, offscreen Qt), as on a machine with only
the system's Qt libraries. It checks that

1. ``kvds demo`` creates the database in the user data folder (~/.local/share/kvds-desktop),
2. ``kvds print week`` prints a week overview whose text names the location and week,
3. ``kvds-desktop --screenshot`` starts the window on that database and draws a page.

Exit status 0 when all hold; otherwise the failing step and its output.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from pypdf import PdfReader

WEEK = "2026-W49"


def run(program: Path, args: list[str], home: Path) -> subprocess.CompletedProcess[str]:
    """Start one of the bundled programs with a bare environment."""
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8",
           "QT_QPA_PLATFORM": "offscreen"}  # fmt: skip
    return subprocess.run(
        [str(program), *args], env=env, cwd=home, capture_output=True, text=True, timeout=300,
        check=False,
    )  # fmt: skip


def check(
    step: str, result: subprocess.CompletedProcess[str], ok: bool, *, exit_code: int = 0
) -> None:
    """Stop with the step's output when it failed (or ended with another exit code)."""
    if result.returncode != exit_code or not ok:
        sys.stderr.write(f"smoke test failed at: {step} (exit {result.returncode})\n")
        sys.stderr.write(result.stdout[-3000:] + result.stderr[-3000:])
        raise SystemExit(1)
    print(f"ok: {step}")


def main(argv: list[str]) -> int:
    """Run the three steps on a copy of the built folder."""
    built = Path(argv[0] if argv else "dist/kvds-desktop").resolve()
    if not (built / "kvds-desktop").exists():
        sys.stderr.write(f"no built app in {built}; run packaging/build-app.sh first\n")
        return 1
    with tempfile.TemporaryDirectory(prefix="kvds-smoke-") as scratch:
        root = Path(scratch)
        app = root / "copy" / "kvds-desktop"
        shutil.copytree(built, app, symlinks=True)
        home = root / "home"
        home.mkdir()
        database = home / ".local" / "share" / "kvds-desktop" / "kvds.sqlite"

        result = run(app / "kvds", ["demo", "--scale", "pilot"], home)
        check("the database is made in the user data folder", result, database.is_file())

        pdf = home / "week.pdf"
        result = run(app / "kvds", ["--lang", "en", "print", "week", "--location", "Druten",
                                    "--week", WEEK, "--out", str(pdf)], home)  # fmt: skip
        text = ""
        if pdf.is_file():
            text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
        check("a week overview is printed", result, "Druten" in text and "week 49" in text)

        # a shared database: the bundled PostgreSQL driver loads and the refusal is a message
        result = run(app / "kvds", ["--lang", "en", "--db",
                                    "postgresql+psycopg://nobody@127.0.0.1:1/kvds", "info"], home)
        check("a shared database that does not answer is explained", result,
              "cannot be reached" in result.stderr and "Traceback" not in result.stderr,
              exit_code=1)  # fmt: skip

        shot = home / "groups.png"
        result = run(app / "kvds-desktop", ["--screenshot", "groepen", str(shot)], home)
        check("the window starts and draws a page", result,
              shot.is_file() and shot.stat().st_size > 20_000)  # fmt: skip
    print(f"the built app in {built} runs on its own")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
