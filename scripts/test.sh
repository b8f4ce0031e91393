#!/usr/bin/env bash
# Command 2: every test. Native (contract, back office), browser (wasm-pack in
# headless Chromium), end to end (Playwright in Chromium against the bundled back office).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
bash scripts/setup.sh

echo "== native tests ==" >&2
cargo test --workspace --exclude possum-terminal

echo "== browser tests (headless Chromium) ==" >&2
wasm-pack test --headless --chrome --mode no-install

echo "== end-to-end tests (Playwright, Chromium, bundled back office) ==" >&2
trunk build --release
cargo build -p possum-backoffice
(cd e2e && npx playwright test)
