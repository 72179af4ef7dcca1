//! Arbitrary bytes as one file of a small valid plan, then the reading
//! commands on it (see `read_case.rs`): never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

include!("../read_case.rs");

fn dir() -> &'static std::path::Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().expect("temp dir")).path()
}

fuzz_target!(|data: &[u8]| read_case(dir(), data));
