#!/usr/bin/env bash
# Installs what Lucent needs and builds it into ./build (or $LUCENT_BUILD_DIR).
# Extra arguments go to CMake's configure step, e.g. -DLUCENT_SANITIZE=ON.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh"
"$root/scripts/install-reference.sh"
build_dir="${LUCENT_BUILD_DIR:-$root/build}"
cmake -S "$root" -B "$build_dir" -G Ninja "$@"
cmake --build "$build_dir" -j "$(nproc)"
