"""Start of the bundled command line, ``kvds`` (PyInstaller runs this file)."""

from kvds_desktop.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
