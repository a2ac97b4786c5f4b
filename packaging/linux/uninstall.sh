#!/usr/bin/env bash
# Remove KVDS Desktop installed by install.sh. The user's database, backups and settings
# stay where they are (Help > About shows the folders); remove them by hand if wanted.
set -euo pipefail
prefix=${PREFIX:-$HOME/.local}
rm -rf "$prefix/opt/kvds-desktop"
rm -f "$prefix/bin/kvds-desktop" "$prefix/bin/kvds" \
    "$prefix/share/applications/kvds-desktop.desktop" \
    "$prefix/share/metainfo/nl.kvds.Desktop.metainfo.xml" \
    "$prefix/share/mime/packages/kvds-desktop.xml" \
    "$prefix/share/icons/hicolor/scalable/apps/kvds-desktop.svg"
find "$prefix/share/icons/hicolor" -name kvds-desktop.png -delete 2>/dev/null || true
echo "KVDS Desktop removed; your data was kept."
