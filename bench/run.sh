#!/usr/bin/env bash
# Times whole commands against the parse floor on three sizes:
#   S = plans/6418-KH-UBND, M = 10,000 tasks / 200 agencies / 100,000 updates,
#   L = 100,000 tasks / 1,000 agencies / 1,000,000 updates.
# Needs hyperfine and GNU time (Debian: apt-get install hyperfine time).
# Usage: bench/run.sh [RUNS]   (medians over RUNS runs, default 10)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
work=${KEHOACH_BENCH_DIR:-/tmp/kehoach-bench}
mkdir -p "$work"
cargo build --release --quiet --example synth --example floor
cargo build --release --quiet
k=target/release/kehoach
floor=target/release/examples/floor
[ -d "$work/m" ] || target/release/examples/synth --tasks 10000 --agencies 200 --updates 100000 --seed 1 --out "$work/m"
[ -d "$work/l" ] || target/release/examples/synth --tasks 100000 --agencies 1000 --updates 1000000 --seed 1 --out "$work/l"

median() { # hyperfine JSON -> median seconds of command N
  python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['results'][int(sys.argv[2])]['median'])" "$1" "$2"
}
peak() { /usr/bin/time -f "%M" "$@" 2>&1 >/dev/null | tail -1; }

printf '| size | files | bytes | floor (s) | report --year all (s) | ratio | check (s) | due (s) | peak MiB floor | peak MiB kehoach | ratio |\n'
printf '|---|---|---|---|---|---|---|---|---|---|---|\n'
for size in S M L; do
  case $size in
    S) dir=plans/6418-KH-UBND ;;
    M) dir=$work/m ;;
    L) dir=$work/l ;;
  esac
  files=$(find "$dir" -name '*.toml' | wc -l)
  bytes=$(find "$dir" -name '*.toml' -print0 | xargs -0 cat | wc -c)
  hyperfine -N -w 2 -r "$runs" --export-json "$work/$size.json" \
    "$floor $dir" \
    "$k --plan $dir report --year all --format json --as-of 2026-01-01" \
    "$k --plan $dir check" \
    "$k --plan $dir due --as-of 2025-06-01" >/dev/null 2>&1
  f=$(median "$work/$size.json" 0); r=$(median "$work/$size.json" 1)
  c=$(median "$work/$size.json" 2); d=$(median "$work/$size.json" 3)
  pf=$(peak "$floor" "$dir"); pk=$(peak "$k" --plan "$dir" report --year all --format json --as-of 2026-01-01)
  python3 - "$size" "$files" "$bytes" "$f" "$r" "$c" "$d" "$pf" "$pk" <<'PY'
import sys
s, files, b, f, r, c, d, pf, pk = sys.argv[1:]
f, r, c, d, pf, pk = map(float, (f, r, c, d, pf, pk))
print(f"| {s} | {files} | {int(b):,} | {f:.3f} | {r:.3f} | {r/f:.2f}× | {c:.3f} | {d:.3f} | {pf/1024:.0f} | {pk/1024:.0f} | {pk/pf:.2f}× |")
PY
done
if command -v python3 >/dev/null; then
  hyperfine -N -w 1 -r 3 --export-json "$work/py.json" \
    "python3 bench/report.py $work/m 2026-01-01" \
    "$k --plan $work/m report --year all --format json --as-of 2026-01-01" >/dev/null 2>&1
  py=$(median "$work/py.json" 0); rs=$(median "$work/py.json" 1)
  python3 -c "import sys; p,r=map(float,sys.argv[1:]); print(f'\nM, report --year all: Python (tomllib) {p:.2f} s, kehoach {r:.3f} s: {p/r:.0f}× faster')" "$py" "$rs"
fi
