"""`python -m kvds_desktop` starts the desktop application."""

from kvds_desktop.app import main

raise SystemExit(main())
