#!/usr/bin/env bash
# Build the installable wheel of KVDS Desktop into dist/ (version from kvds_desktop/__init__.py).
# The wheel carries resources/ and translations/ inside the package (see pyproject.toml).
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-.venv/bin/python}
version=$("$python" -c 'import kvds_desktop; print(kvds_desktop.__version__)')
rm -rf dist
"$python" -m pip wheel --quiet --no-deps --wheel-dir dist .
echo "built dist/kvds_desktop-$version-py3-none-any.whl"
