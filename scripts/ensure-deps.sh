#!/usr/bin/env bash
# Makes sure the Debian packages retort's build, tests and tooling need are
# installed.
#
#   scripts/ensure-deps.sh            check/install the default set
#   scripts/ensure-deps.sh PKG...     check/install just these packages
#
# All present: returns at once. Some missing: as root, runs `apt-get update`
# once and installs them non-interactively; otherwise prints the exact
# `sudo apt-get install` line and exits 1.
set -euo pipefail

default_packages=(
    libboost1.81-dev
    libsqlite3-dev
    libpq-dev
    postgresql
    catch2
    libbenchmark-dev
    cmake
    ninja-build
    g++
    clang
    libclang-rt-dev  # clang's ASan/UBSan and libFuzzer runtimes (only "recommended" by clang)
    make             # a bare machine may not even have it (.ci/run calls this first)
)

if (($# > 0)); then
    packages=("$@")
else
    packages=("${default_packages[@]}")
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "ensure-deps: dpkg-query not found (not a Debian-based system); skipping the check." >&2
    echo "ensure-deps: needed: ${packages[*]}" >&2
    exit 0
fi

missing=()
for pkg in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null || true)
    if [[ "$status" != ii* ]]; then
        missing+=("$pkg")
    fi
done

if ((${#missing[@]} == 0)); then
    exit 0
fi

if [[ "$(id -u)" -ne 0 ]]; then
    echo "ensure-deps: missing packages: ${missing[*]}" >&2
    echo "ensure-deps: install them with:" >&2
    echo "sudo apt-get install -y ${missing[*]}"
    exit 1
fi

echo "ensure-deps: installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y "${missing[@]}"
