"""The Qt front end: windows, pages, dialogs. The only package that imports PySide6."""
