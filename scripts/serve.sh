#!/usr/bin/env bash
# One command from a fresh clone to a running server on the embedded store:
# install, build the release into dist/, validate it, serve it (options go to `aatd-kg serve`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/aatd-kg build
.venv/bin/aatd-kg validate
exec .venv/bin/aatd-kg serve "$@"
