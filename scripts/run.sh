#!/usr/bin/env bash
# Command 1: install what is missing, build the terminal, and serve it from the
# bundled back office with the demo car wash.
#   POSSUM_ADDR=0.0.0.0:8080 bash scripts/run.sh   to reach it from a tablet on the LAN
#   POSSUM_DATA=/var/lib/possum bash scripts/run.sh to keep data elsewhere
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
bash scripts/setup.sh
echo "[run] building the terminal (trunk build --release)" >&2
trunk build --release
echo "[run] building the back office" >&2
cargo build --release -p possum-backoffice
ADDR="${POSSUM_ADDR:-127.0.0.1:8080}"
DATA="${POSSUM_DATA:-$ROOT/data}"
cat <<MSG

  POSSUM Terminal is served at   http://$ADDR/
  Terminal login (first run):    terminal.user@possum.com / SuperSecret123!
  Cashiers (card / PIN):         1001 / 1234 (cashier), 2001 / 2468 (manager), 3001 / 9999 (admin)
  Data folder:                   $DATA
  More demo fixtures:            docs/demo-data.md      Stop with Ctrl-C.

MSG
exec target/release/possum-backoffice serve --addr "$ADDR" --data-dir "$DATA" --demo --dist "$ROOT/dist"
