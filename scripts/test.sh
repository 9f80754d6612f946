#!/usr/bin/env bash
# The one test command (README, CI): sets up, builds with warnings as errors, runs every test.
# Arguments go to ctest, e.g. scripts/test.sh -R tokenizer
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build_dir="${LUCENT_BUILD_DIR:-$root/build}"
"$root/scripts/build.sh" -DLUCENT_WERROR=ON
ctest --test-dir "$build_dir" --output-on-failure -j "$(nproc)" "$@"
