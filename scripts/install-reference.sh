#!/usr/bin/env bash
# Installs the npm packages that carry the reference implementations (Hugging Face tokenizers,
# @huggingface/jinja, llama.cpp via node-llama-cpp) into tests/reference/node_modules.
# Idempotent: does nothing when package-lock.json and node_modules agree.
set -euo pipefail
ref="$(cd "$(dirname "$0")/../tests/reference" && pwd)"
cd "$ref"
stamp=node_modules/.lucent-lock-stamp
if [ -f "$stamp" ] && cmp -s package-lock.json "$stamp"; then
  echo "install-reference: npm packages present"
  exit 0
fi
# --omit=optional: node-llama-cpp lists every platform's binaries as optional (CUDA alone is
# ~540 MB); package.json names the two we use (CPU and Vulkan for linux-x64) directly.
# `npm install` (not `npm ci`): npm 11 refuses `ci` when the lock lacks other platforms' optional
# packages, which --omit=optional leaves out on purpose. Versions are pinned exactly in package.json.
NODE_LLAMA_CPP_SKIP_DOWNLOAD=true npm install --omit=optional --no-audit --no-fund --loglevel=error
cp package-lock.json "$stamp"
