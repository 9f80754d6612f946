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
npm ci --no-audit --no-fund --loglevel=error
cp package-lock.json "$stamp"
