#!/usr/bin/env bash
# Build KVDS Desktop as one folder (PyInstaller) and, on Linux, the tarball around it.
#
#   packaging/build-app.sh            -> dist/kvds-desktop/  (kvds-desktop, kvds, _internal/)
#                                        dist/kvds-desktop-<version>-linux-<arch>.tar.gz
#
# Needs the project's virtual environment (./dev.sh makes it) and PyInstaller, which this
# script installs into it when missing. On Windows run the same PyInstaller command in a
# Python prompt, then compile packaging/windows/kvds-desktop.iss with Inno Setup (README).
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-.venv/bin/python}
"$python" -c 'import PyInstaller' 2>/dev/null || "$python" -m pip install --quiet "pyinstaller>=6.10,<7"
version=$("$python" -c 'import kvds_desktop; print(kvds_desktop.__version__)')
rm -rf build/pyinstaller dist/kvds-desktop
"$python" -m PyInstaller --noconfirm --log-level WARN \
    --workpath build/pyinstaller --distpath dist packaging/kvds-desktop.spec
echo "built dist/kvds-desktop ($(du -sh dist/kvds-desktop | cut -f1))"

if [[ "$(uname -s)" == "Linux" ]]; then
    arch=$(uname -m)
    stage=build/tarball/kvds-desktop-$version
    rm -rf build/tarball && mkdir -p "$stage"
    cp -a dist/kvds-desktop "$stage/app"
    install -Dm644 packaging/kvds-desktop.desktop "$stage/share/applications/kvds-desktop.desktop"
    install -Dm644 packaging/linux/nl.kvds.Desktop.metainfo.xml \
        "$stage/share/metainfo/nl.kvds.Desktop.metainfo.xml"
    install -Dm644 packaging/linux/kvds-desktop-mime.xml "$stage/share/mime/packages/kvds-desktop.xml"
    for png in resources/icons/app/kvds-desktop-*.png; do
        size=${png##*-}; size=${size%.png}
        install -Dm644 "$png" "$stage/share/icons/hicolor/${size}x${size}/apps/kvds-desktop.png"
    done
    install -Dm644 resources/icons/app.svg "$stage/share/icons/hicolor/scalable/apps/kvds-desktop.svg"
    install -Dm755 packaging/linux/install.sh "$stage/install.sh"
    install -Dm755 packaging/linux/uninstall.sh "$stage/uninstall.sh"
    tarball=dist/kvds-desktop-$version-linux-$arch.tar.gz
    tar -C build/tarball -czf "$tarball" "kvds-desktop-$version"
    echo "built $tarball ($(du -sh "$tarball" | cut -f1))"
fi
