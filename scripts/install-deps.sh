#!/usr/bin/env bash
# Installs every Debian package Lucent needs to build, run and test (idempotent).
# Runs apt-get directly as root, through sudo otherwise.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config git clang-14 libclang-rt-14-dev
  # engine (inference/): Unicode regex, normalization, JSON for tools
  libpcre2-dev libicu-dev nlohmann-json3-dev
  # storage/
  libsqlite3-dev sqlite3
  # Qt 6 (app/, ui/, tests)
  qt6-base-dev qt6-declarative-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
  qml6-module-qtquick qml6-module-qtquick-controls qml6-module-qtquick-layouts
  qml6-module-qtquick-templates qml6-module-qtquick-window qml6-module-qtqml-workerscript
  qml6-module-qttest qml6-module-qtquick-dialogs qml6-module-qt-labs-platform qml6-module-qtquick-shapes
  # model library tests: a real HTTP server on loopback
  nginx-light
  # desktop app: Markdown parser, KDE syntax highlighting (KF5's command-line tool; KF6 isn't packaged)
  libmd4c-dev libkf5syntaxhighlighting-tools
  # Vulkan compute engine
  libvulkan-dev glslc mesa-vulkan-drivers vulkan-validationlayers vulkan-tools
  # reference data (node-llama-cpp, tokenizers, jinja)
  nodejs npm
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# A machine may carry a newer Node.js outside dpkg; keep it.
if command -v node >/dev/null && command -v npm >/dev/null; then
  missing=("${missing[@]/nodejs}"); missing=("${missing[@]/npm}")
fi
read -r -a missing <<< "${missing[*]}"

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all Debian packages present"
  exit 0
fi

sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
