#!/usr/bin/env bash
# Runs each fuzz target for SECONDS (default 60) with libFuzzer, on the
# stable toolchain (RUSTC_BOOTSTRAP=1 lets it use the sanitizer flags).
# New inputs go to fuzz/corpus/<target>/; crashes to fuzz/artifacts/<target>/.
# With cargo-fuzz installed (cargo install cargo-fuzz) it runs `cargo fuzz
# run`; without it, it builds the targets with the same coverage
# instrumentation cargo-fuzz adds (libFuzzer is guided by it: a plain
# build only tries random inputs) and runs them directly.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
export RUSTC_BOOTSTRAP=1
targets=(load append import read)
args=(-max_total_time="$seconds" -max_len=4096 -timeout=10)
if ! cargo fuzz --version >/dev/null 2>&1; then
  triple=$(rustc -vV | sed -n 's/^host: //p')
  export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-fuzz/target}
  RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters \
-Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares \
--cfg fuzzing -Cdebug-assertions -Coverflow-checks" \
    cargo build --quiet --release --manifest-path fuzz/Cargo.toml --target "$triple"
fi
for target in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$target" "fuzz/artifacts/$target"
  echo "== $target for ${seconds}s"
  if cargo fuzz --version >/dev/null 2>&1; then
    cargo fuzz run --debug-assertions "$target" "fuzz/corpus/$target" -- "${args[@]}" 2>&1
  else
    "$CARGO_TARGET_DIR/$triple/release/$target" "fuzz/corpus/$target" "${args[@]}" \
      -artifact_prefix="fuzz/artifacts/$target/" 2>&1
  fi | grep -E "^#[0-9]+.*(DONE|pulse)|ERROR|panicked|Done [0-9]+ runs" | tail -n 3
done
