#!/usr/bin/env bash
# Whole-command timings against the parse floor on three sizes:
#   S = plans/6418-KH-UBND (the real plan)
#   M = 10,000 tasks, 200 agencies, 100,000 updates
#   L = 100,000 tasks, 1,000 agencies, 1,000,000 updates
# Medians over RUNS runs (default 10), commands alternated run by run.
# The M and L plans are regenerated whenever examples/synth.rs changes.
# Needs GNU time (Debian: apt-get install time) and python3.
# Usage: bench/run.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
work=${KEHOACH_BENCH_DIR:-/tmp/kehoach-bench}
mkdir -p "$work"
cargo build --release --quiet --example synth --example floor
cargo build --release --quiet
stamp=$(sha256sum examples/synth.rs | cut -c1-16)
if [ "$(cat "$work/stamp" 2>/dev/null)" != "$stamp" ]; then
  rm -rf "$work/m" "$work/l"
  target/release/examples/synth --tasks 10000 --agencies 200 --updates 100000 --seed 1 --out "$work/m"
  target/release/examples/synth --tasks 100000 --agencies 1000 --updates 1000000 --seed 1 --out "$work/l"
  echo "$stamp" > "$work/stamp"
fi

# T0 is a yearly task with a single lead in both synthetic plans: `show`
# shows it, and the "after record" row records one update for it (undone
# after each run). On the real plan, `show` shows task 1.1.
python3 bench/measure.py "$runs" "$work/cache" "S=plans/6418-KH-UBND:1.1" "M=$work/m:T0:2025" "L=$work/l:T0:2025"

# A straightforward Python (tomllib) implementation of the same table on M.
start=$(date +%s.%N); python3 bench/report.py "$work/m" 2026-01-01 >/dev/null; end=$(date +%s.%N)
start2=$(date +%s.%N); target/release/kehoach --no-cache --plan "$work/m" report --year all --format json --as-of 2026-01-01 >/dev/null; end2=$(date +%s.%N)
python3 -c "import sys; p=float(sys.argv[2])-float(sys.argv[1]); r=float(sys.argv[4])-float(sys.argv[3]); print(f'\nM, report --year all: Python (tomllib) {p:.2f} s, kehoach {r:.3f} s, {p/r:.0f}x faster')" "$start" "$end" "$start2" "$end2"
