#!/usr/bin/env bash
# The benchmarks (not part of the test command): builds the release terminal
# and back office, generates a large tenant (50,000 products, 200,000
# customers), measures in headless Chromium next to Dexie, a bare IndexedDB
# loop and MiniSearch, prints a table of medians and writes bench-results/bench.json.
# Smaller or longer: BENCH_RUNS=5 BENCH_PRODUCTS=5000 BENCH_CUSTOMERS=20000 BENCH_SALES=500 bash scripts/bench.sh
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
bash scripts/setup.sh
trunk build --release
cargo build --release -p possum-backoffice
# The back office under anonymous abuse (issue 16): peak memory under 200
# sign-ins at once, a second tenant's pulls while the first is flooded.
cargo run --release -p possum-backoffice --example abuse_bench
# The back office's storage (issue 22): api/Sale and pull rows per second on
# SQLite, on PostgreSQL with one instance and with two, and with 1,000 tenants,
# on a throw-away cluster of its own (stopped even when the bench fails).
source scripts/pg-cluster.sh
pg_cluster_start
trap pg_cluster_stop EXIT
POSSUM_BENCH_DATABASE_URL="$POSSUM_PG_URL" RUST_LOG=warn cargo run --release -p possum-backoffice --example storage_bench
pg_cluster_stop
trap - EXIT
export POSSUM_BACKOFFICE="$ROOT/target/release/possum-backoffice"
cd e2e && npx playwright test -c bench.config.ts
