#!/usr/bin/env bash
# Command 2: every test. Style (rustfmt, clippy natively and for wasm32), native
# (contract, pricing, register, print, back office), browser (wasm-pack in headless
# Chromium), end to end (Playwright in Chromium against the bundled back office).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
bash scripts/setup.sh

echo "== style: rustfmt and clippy (a warning fails the run) ==" >&2
cargo fmt --all --check
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy -p possum-terminal --target wasm32-unknown-unknown --all-targets -- -D warnings

echo "== native tests ==" >&2
cargo test --workspace --exclude possum-terminal

echo "== back office on PostgreSQL: the API suite again and the two-instance tests ==" >&2
# A throw-away cluster of its own (scripts/pg-cluster.sh), stopped even when a test fails.
source scripts/pg-cluster.sh
pg_cluster_start
trap pg_cluster_stop EXIT
POSSUM_TEST_DATABASE_URL="$POSSUM_PG_URL" cargo test -p possum-backoffice --test api
pg_cluster_stop
trap - EXIT

echo "== browser tests (headless Chromium) ==" >&2
# ChromeDriver gets 5 s to bind its port by default; on a loaded 2-core machine
# it once took longer ("driver failed to bind port during startup"), so 60.
WASM_BINDGEN_TEST_DRIVER_TIMEOUT=60 wasm-pack test --headless --chrome --mode no-install

echo "== end-to-end tests (Playwright, Chromium, bundled back office) ==" >&2
trunk build --release
cargo build -p possum-backoffice
(cd e2e && npx playwright test)
