"""Start of the bundled desktop program (PyInstaller runs this file)."""

import multiprocessing

from kvds_desktop.app import main

if __name__ == "__main__":
    multiprocessing.freeze_support()
    raise SystemExit(main())
