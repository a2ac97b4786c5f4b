#!/usr/bin/env bash
# Install KVDS Desktop for this user (no administrator rights): the program under
# ~/.local/opt/kvds-desktop, the commands kvds-desktop and kvds in ~/.local/bin, the menu
# entry, icons and AppStream data under ~/.local/share. The user's data (database,
# backups, settings) is not here and is never touched: see Help > About in the app.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
prefix=${PREFIX:-$HOME/.local}
rm -rf "$prefix/opt/kvds-desktop"
mkdir -p "$prefix/opt" "$prefix/bin"
cp -a "$here/app" "$prefix/opt/kvds-desktop"
ln -sf "$prefix/opt/kvds-desktop/kvds-desktop" "$prefix/bin/kvds-desktop"
ln -sf "$prefix/opt/kvds-desktop/kvds" "$prefix/bin/kvds"
cp -a "$here/share/." "$prefix/share/"
sed -i "s|^Exec=kvds-desktop|Exec=$prefix/bin/kvds-desktop|" \
    "$prefix/share/applications/kvds-desktop.desktop"
command -v update-mime-database >/dev/null && update-mime-database "$prefix/share/mime" || true
command -v update-desktop-database >/dev/null && update-desktop-database -q "$prefix/share/applications" || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$prefix/share/icons/hicolor" || true
echo "KVDS Desktop installed in $prefix/opt/kvds-desktop; start it from the menu or with kvds-desktop."
