//! Arbitrary bytes as one file of a small valid plan, then load and
//! validate the whole plan: must return problems or a plan, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

include!("../base_plan.rs");

fn dir() -> &'static std::path::Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().expect("temp dir")).path()
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, bytes)) = data.split_first() else { return };
    let which = usize::from(which) % FILES.len();
    let dir = dir();
    std::fs::create_dir_all(dir.join("progress/A")).expect("mkdir");
    for (i, (name, base)) in FILES.iter().zip(BASE).enumerate() {
        if i == which {
            std::fs::write(dir.join(name), bytes).expect("write");
        } else {
            std::fs::write(dir.join(name), base).expect("write");
        }
    }
    let checked = kehoach::validate::load_plan(dir, "plan", &kehoach::cache::Cache::Off);
    if checked.plan.is_none() {
        assert!(checked.errors() > 0, "no plan and no error");
    }
    for p in &checked.problems {
        let _ = p.render(kehoach::model::Lang::Vi, false);
    }
});
