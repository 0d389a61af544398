#!/usr/bin/env bash
# Install AATD-KG into ./.venv from the repository's own files.
#   scripts/setup.sh          runtime only (build + serve)
#   scripts/setup.sh --test   also the test tools and the system packages the tests use (chromium)
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
apt_install() {
  command -v apt-get >/dev/null || { echo "setup: apt-get not found; install $* by hand" >&2; return 1; }
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "$@"
}

PY="${PYTHON:-python3}"
if ! command -v "$PY" >/dev/null || ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "setup: Python >= 3.11 is needed; installing Debian's python3" >&2
  apt_install python3 python3-venv python3-pip
  PY=python3
fi
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv 2>/dev/null || { apt_install python3-venv && "$PY" -m venv .venv; }
fi
.venv/bin/python -m pip install -q --upgrade pip
if [ "${1:-}" = "--test" ]; then
  .venv/bin/python -m pip install -q -e ".[test]"
  bash scripts/install-system-deps.sh
else
  .venv/bin/python -m pip install -q -e .
fi
