#!/usr/bin/env bash
# Runs each fuzz target for SECONDS (default 60) with libFuzzer through
# cargo fuzz, on the stable toolchain (RUSTC_BOOTSTRAP=1 lets it use the
# sanitizer flags). New inputs go to fuzz/corpus/<target>/; minimise with
#   cargo fuzz cmin <target>
# Needs: cargo install cargo-fuzz
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
export RUSTC_BOOTSTRAP=1
for target in load append import read; do
  mkdir -p "fuzz/corpus/$target"
  echo "== $target for ${seconds}s"
  cargo fuzz run "$target" "fuzz/corpus/$target" -- -max_total_time="$seconds" -max_len=4096 -timeout=10 2>&1 \
    | grep -E "^#[0-9]+.*(DONE|pulse)|ERROR|panicked|Done [0-9]+ runs" | tail -n 3
done
