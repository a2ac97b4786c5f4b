"""The packaging files agree with the application and with each other.

The installers cannot be built in the tests (the one-folder build runs in CI through
``./dev.sh package``, the Windows installer only on Windows), so what can drift apart is
checked here: version, program names, the week pack's file type, the icon sizes.
"""

from __future__ import annotations

import configparser
import re
import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from kvds_desktop import APP_ID, __version__
from kvds_desktop.app import parse_args
from kvds_desktop.services.offline.packs import PACK_SUFFIX

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
ICONS = ROOT / "resources" / "icons" / "app"


def _desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(PACKAGING / "kvds-desktop.desktop", encoding="utf-8")
    return parser["Desktop Entry"]


def test_the_spec_builds_both_programs_named_as_the_launchers_expect() -> None:
    spec = (PACKAGING / "kvds-desktop.spec").read_text("utf-8")
    assert re.search(r'program\(gui, "kvds-desktop"', spec)
    assert re.search(r'program\(cli, "kvds"', spec)
    iss = (PACKAGING / "windows" / "kvds-desktop.iss").read_text("utf-8")
    assert '#define AppExe "kvds-desktop.exe"' in iss
    assert r'#define Source "..\..\dist\kvds-desktop"' in iss
    assert _desktop_entry()["Exec"].split()[0] == APP_ID


def test_versions_agree() -> None:
    iss = (PACKAGING / "windows" / "kvds-desktop.iss").read_text("utf-8")
    assert f'#define AppVersion "{__version__}"' in iss
    meta = ET.parse(PACKAGING / "linux" / "nl.kvds.Desktop.metainfo.xml").getroot()
    versions = [r.get("version") for r in meta.iter("release")]
    assert versions and versions[0] == __version__


def test_the_installer_is_per_user_and_keeps_the_data() -> None:
    iss = (PACKAGING / "windows" / "kvds-desktop.iss").read_text("utf-8")
    assert "PrivilegesRequired=lowest" in iss
    assert "DefaultDirName={localappdata}" in iss
    assert "[UninstallDelete]" not in iss.replace("; No [UninstallDelete]", "")
    association = re.search(r'Subkey: "Software\\Classes\\(\.\w+)"', iss)
    assert association and association.group(1) == PACK_SUFFIX


def test_the_linux_files_name_the_same_desktop_entry_and_file_type() -> None:
    meta = ET.parse(PACKAGING / "linux" / "nl.kvds.Desktop.metainfo.xml").getroot()
    launchable = meta.find("launchable")
    assert launchable is not None and launchable.text == "kvds-desktop.desktop"
    entry = _desktop_entry()
    assert entry["Icon"] == APP_ID
    mime = ET.parse(PACKAGING / "linux" / "kvds-desktop-mime.xml").getroot()
    ns = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}
    globs = {
        t.get("type"): t.find("m:glob", ns).get("pattern")  # type: ignore[union-attr]
        for t in mime.findall("m:mime-type", ns)
    }
    assert globs["application/x-kvds-weekpack"] == f"*{PACK_SUFFIX}"
    assert "application/x-kvds-weekpack" in entry["MimeType"]


@pytest.mark.parametrize("size", [16, 24, 32, 48, 64, 128, 256, 512])
def test_every_icon_size_is_made_from_the_svg(size: int) -> None:
    png = (ICONS / f"kvds-desktop-{size}.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == (size, size)


def test_the_windows_icon_holds_the_small_and_large_sizes() -> None:
    data = (ICONS / "kvds-desktop.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1)
    sizes = {data[6 + 16 * i] or 256 for i in range(count)}
    assert {16, 32, 48, 256} <= sizes


def test_a_double_clicked_week_pack_opens_teacher_mode(tmp_path: Path) -> None:
    pack = tmp_path / f"weekpack-2026-W49-linda{PACK_SUFFIX}"
    args = parse_args([str(pack)])
    assert args.teacher == str(pack) and args.db is None
    database = tmp_path / "kopie.sqlite"
    args = parse_args([str(database)])
    assert args.db == str(database) and args.teacher is None
