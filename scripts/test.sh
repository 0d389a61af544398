#!/usr/bin/env bash
# One command from a fresh clone to the full test run: install (with chromium for the browser
# tests), lint with ruff, then run pytest. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
.venv/bin/ruff check .
exec .venv/bin/python -m pytest "$@"
