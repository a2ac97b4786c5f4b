#!/usr/bin/env bash
# Set up everything KVDS Desktop needs on this machine, then run the app or the tests.
#
#   ./dev.sh app [kvds-desktop options]   set up, then start the desktop application
#   ./dev.sh test [pytest options]        set up, then run every check and test
#   ./dev.sh kvds [command ...]           set up, then run the kvds command line
#   ./dev.sh package                      set up, build the one-folder app, prove it runs
#
# Set KVDS_INSTALL_SYSTEM_PACKAGES=1 (as root) to let it install missing Qt system
# libraries with apt-get; otherwise it names them and stops.
set -euo pipefail
cd "$(dirname "$0")"

PYTHON=${PYTHON:-python3}
VENV=.venv
# Qt's system libraries: the first set is needed for everything (tests run offscreen),
# the second for real windows on X11.
BASE_LIBS="libGL.so.1:libgl1 libEGL.so.1:libegl1 libxkbcommon.so.0:libxkbcommon0 libfontconfig.so.1:libfontconfig1 libdbus-1.so.3:libdbus-1-3 libglib-2.0.so.0:libglib2.0-0"
WINDOW_LIBS="libxcb-cursor.so.0:libxcb-cursor0 libxcb-icccm.so.4:libxcb-icccm4 libxcb-image.so.0:libxcb-image0 libxcb-keysyms.so.1:libxcb-keysyms1 libxcb-randr.so.0:libxcb-randr0 libxcb-render-util.so.0:libxcb-render-util0 libxcb-shape.so.0:libxcb-shape0 libxcb-xkb.so.1:libxcb-xkb1 libxkbcommon-x11.so.0:libxkbcommon-x11-0"

missing_packages() {
    local pairs="$1" missing="" lib pkg
    for pair in $pairs; do
        lib=${pair%%:*}; pkg=${pair##*:}
        if ! ldconfig -p 2>/dev/null | grep -q "$lib"; then missing="$missing $pkg"; fi
    done
    echo "$missing"
}

ensure_system_libraries() {
    local wanted="$BASE_LIBS" missing
    [ "${1:-}" = "window" ] && wanted="$BASE_LIBS $WINDOW_LIBS"
    missing=$(missing_packages "$wanted")
    [ -z "$missing" ] && return 0
    if [ "${KVDS_INSTALL_SYSTEM_PACKAGES:-0}" = "1" ] && [ "$(id -u)" = "0" ]; then
        echo "Installing Qt system libraries:$missing"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq
        # shellcheck disable=SC2086
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
        return 0
    fi
    echo "Qt needs system libraries that this machine lacks:$missing" >&2
    echo "Install them with:  sudo apt-get install$missing" >&2
    echo "(or run again as root with KVDS_INSTALL_SYSTEM_PACKAGES=1)" >&2
    exit 1
}

ensure_python() {
    if ! command -v "$PYTHON" >/dev/null; then
        echo "Python 3.11 or newer is needed: sudo apt-get install python3 python3-venv" >&2
        exit 1
    fi
    if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
        echo "Python 3.11 or newer is needed; $PYTHON is $("$PYTHON" --version 2>&1)." >&2
        exit 1
    fi
    if [ ! -x "$VENV/bin/python" ]; then
        "$PYTHON" -m venv "$VENV" || {
            echo "Could not create a virtual environment: sudo apt-get install python3-venv" >&2
            exit 1
        }
    fi
    local stamp="$VENV/.kvds-installed" want
    want=$(sha256sum pyproject.toml | cut -d' ' -f1)
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
        echo "Installing the Python packages into $VENV ..."
        "$VENV/bin/python" -m pip install --quiet --upgrade pip
        "$VENV/bin/python" -m pip install --quiet -e ".[dev]"
        echo "$want" > "$stamp"
    fi
}

ensure_test_tools() {
    # LibreOffice converts files in the exchange tests, as a municipality's Excel would.
    command -v soffice >/dev/null && return 0
    if [ "${KVDS_INSTALL_SYSTEM_PACKAGES:-0}" = "1" ] && [ "$(id -u)" = "0" ]; then
        echo "Installing LibreOffice Calc for the exchange tests ..."
        DEBIAN_FRONTEND=noninteractive apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
            libreoffice-calc-nogui >/dev/null
    else
        echo "Note: LibreOffice is not installed; the tests that need it are skipped" \
             "(sudo apt-get install libreoffice-calc-nogui)." >&2
    fi
}

have_postgres() {
    ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null
}

ensure_postgres() {
    # The PostgreSQL server: the suite runs a second time on a throwaway cluster of it.
    have_postgres && return 0
    if [ "${KVDS_INSTALL_SYSTEM_PACKAGES:-0}" = "1" ] && [ "$(id -u)" = "0" ]; then
        echo "Installing PostgreSQL for the shared-database tests ..."
        DEBIAN_FRONTEND=noninteractive apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
            postgresql >/dev/null
    else
        echo "Note: PostgreSQL is not installed; the tests run on SQLite only" \
             "(sudo apt-get install postgresql)." >&2
    fi
}

start_test_cluster() {
    # A cluster of our own on loopback, stopped and removed when this script ends.
    [ -n "${KVDS_TEST_POSTGRES:-}" ] && return 0
    have_postgres || return 0
    CLUSTER_BASE=$(mktemp -d)
    chmod 755 "$CLUSTER_BASE"  # the server's unprivileged user must reach the folder in it
    CLUSTER_DIR=$CLUSTER_BASE/pg
    trap 'tests/pg_cluster.sh stop "$CLUSTER_DIR"; rm -rf "$CLUSTER_BASE"' EXIT
    KVDS_TEST_POSTGRES=$(tests/pg_cluster.sh start "$CLUSTER_DIR")
    export KVDS_TEST_POSTGRES
}

run_checks() {
    local status=0
    echo "== ruff"; "$VENV/bin/ruff" check kvds_desktop tests bench translations packaging
    echo "== import contracts"; "$VENV/bin/lint-imports"
    echo "== mypy"; "$VENV/bin/mypy"
    start_test_cluster
    # every core runs tests (pytest-xdist); KVDS_TEST_WORKERS=0 runs them in this process
    local workers=(-n "${KVDS_TEST_WORKERS:-auto}")
    echo "== pytest on SQLite files"
    "$VENV/bin/python" -m pytest "${workers[@]}" "$@" || status=$?
    if [ -n "${KVDS_TEST_POSTGRES:-}" ]; then
        echo "== pytest on PostgreSQL"
        KVDS_TEST_STORE=postgresql "$VENV/bin/python" -m pytest "${workers[@]}" "$@" || status=$?
    fi
    return "$status"
}

command=${1:-}
[ $# -gt 0 ] && shift
case "$command" in
    app)
        ensure_system_libraries window
        ensure_python
        if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ] \
            && [[ " $* " != *" --screenshot "* ]]; then
            echo "No display found. Start it from a desktop session, or under a virtual one:" >&2
            echo "  xvfb-run -a ./dev.sh app" >&2
            echo "or make a picture of a page: ./dev.sh app --screenshot kandidaten page.png" >&2
            exit 1
        fi
        exec "$VENV/bin/kvds-desktop" "$@"
        ;;
    test)
        ensure_system_libraries
        ensure_test_tools
        ensure_postgres
        ensure_python
        run_checks "$@"
        ;;
    package)
        ensure_system_libraries
        ensure_python
        "$VENV/bin/python" -m pip install --quiet -e ".[package]"
        packaging/build-app.sh
        "$VENV/bin/python" packaging/smoke_test.py dist/kvds-desktop
        ;;
    kvds)
        ensure_python
        exec "$VENV/bin/kvds" "$@"
        ;;
    *)
        sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
        exit 2
        ;;
esac
