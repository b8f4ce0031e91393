#!/usr/bin/env bash
# Installs what the build and the tests need on a fresh Debian machine, and skips
# every piece that is already there. Safe to run again and again.
# Facts behind each step: ../shared/TOOLCHAIN.md (versions, offline pitfalls).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

# wasm-bindgen's CLI must match the crate in Cargo.lock exactly.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)
TRUNK_VERSION="0.21.14"      # 0.22 needs a newer rustc than this machine's
WASM_PACK_VERSION="0.15.1"

say() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  say "installing Chromium and ChromeDriver from Debian"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium chromium-driver >/dev/null
fi

if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 5 minutes)"
  # No --locked: the registry mirror lags behind the CLI's own lock file.
  cargo install -q --force wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

if [ "$(trunk --version 2>/dev/null | awk '{print $2}')" != "$TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (about 12 minutes, the longest step)"
  cargo install -q --locked --force trunk --version "$TRUNK_VERSION"
fi

if [ "$(wasm-pack --version 2>/dev/null | awk '{print $2}')" != "$WASM_PACK_VERSION" ]; then
  say "installing wasm-pack $WASM_PACK_VERSION (about 3 minutes)"
  cargo install -q --locked --force wasm-pack --version "$WASM_PACK_VERSION"
fi

# binaryen 132 (wasm-opt) and Playwright come from npm, pinned by e2e/package-lock.json.
# Debian's binaryen 108 miscompiles release builds: node_modules/.bin goes first on PATH.
if [ ! -x e2e/node_modules/.bin/wasm-opt ] || [ ! -d e2e/node_modules/@playwright/test ] \
   || [ e2e/package-lock.json -nt e2e/node_modules/.package-lock.json ]; then
  say "installing binaryen and Playwright from npm"
  (cd e2e && npm ci --no-audit --no-fund --loglevel=error)
fi
# PostgreSQL: the back office's second backend; its tests start a cluster of their own.
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  say "installing PostgreSQL from Debian (about a minute)"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq postgresql >/dev/null
fi
say "toolchain ready"
