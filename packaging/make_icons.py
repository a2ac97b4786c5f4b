"""Make the application icon's PNG sizes and the Windows .ico from resources/icons/app.svg.

Run from the project root after changing the SVG:  .venv/bin/python packaging/make_icons.py
Writes resources/icons/app/kvds-desktop-<size>.png (the sizes the freedesktop icon theme
and the installers use) and kvds-desktop.ico (16 to 256 pixels). Qt draws the SVG;
Pillow writes the .ico (``pip install pillow``, only needed here).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def main() -> int:
    """Render every size; returns the exit status."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PIL import Image
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    root = Path(__file__).resolve().parents[1]
    source = root / "resources" / "icons" / "app.svg"
    out = root / "resources" / "icons" / "app"
    out.mkdir(parents=True, exist_ok=True)
    _app = QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(source))
    if not renderer.isValid():
        sys.stderr.write(f"cannot read {source}\n")
        return 1
    pngs = {}
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        path = out / f"kvds-desktop-{size}.png"
        image.save(str(path), "PNG")
        pngs[size] = path
    largest = Image.open(pngs[256])
    largest.save(out / "kvds-desktop.ico", sizes=[(s, s) for s in ICO_SIZES])
    print(f"wrote {len(pngs)} PNG files and kvds-desktop.ico to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
