#!/bin/sh
# Install the system packages AATD-KG's tests and benchmarks need (Debian/Ubuntu):
#   chromium  - the headless browser of tests/browser (driven by Playwright's Python API;
#               no browser is downloaded by Playwright)
#   wrk       - the HTTP load generator of benchmarks/
# Idempotent: packages already installed are skipped. Works as root (no sudo needed) or as a
# user with sudo. Non-interactive when CI=true (or with no terminal).
set -eu

PACKAGES="chromium wrk"

missing=""
for pkg in $PACKAGES; do
    if dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        echo "install-system-deps: $pkg already installed"
    else
        missing="$missing $pkg"
    fi
done

if [ -z "$missing" ]; then
    echo "install-system-deps: nothing to do"
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-system-deps: apt-get not found; install these packages by hand:$missing" >&2
    exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "install-system-deps: run as root or install sudo (needed to install:$missing)" >&2
    exit 1
fi

if [ "${CI:-}" = "true" ] || [ ! -t 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
fi

echo "install-system-deps: installing$missing"
# shellcheck disable=SC2086  # word splitting of $missing and $SUDO is intended
$SUDO env DEBIAN_FRONTEND="${DEBIAN_FRONTEND:-}" apt-get update -q
# shellcheck disable=SC2086
$SUDO env DEBIAN_FRONTEND="${DEBIAN_FRONTEND:-}" apt-get install -y -q --no-install-recommends $missing

for pkg in $missing; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || {
        echo "install-system-deps: $pkg did not install" >&2
        exit 1
    }
done
if [ ! -x /usr/bin/chromium ]; then
    echo "install-system-deps: /usr/bin/chromium is missing after install" >&2
    exit 1
fi
echo "install-system-deps: done"
