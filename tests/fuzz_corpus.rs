//! Replays the committed fuzz corpora of the `load` target through the
//! loader and of the `read` target through every reading command, so that
//! every input the fuzzer kept stays panic-free without the fuzzer
//! installed.

mod common;
use common::*;

#[test]
fn load_corpus_never_panics() {
    let corpus = root().join("fuzz/corpus/load");
    let entries = std::fs::read_dir(&corpus).expect("fuzz/corpus/load is committed");
    let base = root().join("tests/errors/_base");
    let tmp = tempfile::tempdir().unwrap();
    let mut n = 0;
    for entry in entries {
        let data = std::fs::read(entry.unwrap().path()).unwrap();
        let Some((&which, bytes)) = data.split_first() else {
            continue;
        };
        let which = usize::from(which) % FILES.len();
        copy_dir(&base, tmp.path());
        std::fs::write(tmp.path().join(FILES[which]), bytes).unwrap();
        let checked = kehoach::validate::load_plan(tmp.path(), "plan", &kehoach::cache::Cache::Off);
        assert!(checked.plan.is_some() || checked.errors() > 0);
        n += 1;
    }
    assert!(n > 100, "corpus too small: {n}");
}

include!("../fuzz/read_case.rs");

/// Replays the `read` target's corpus: every reading command on every plan
/// the fuzzer kept, in process, on all cores (each with its own plan).
#[test]
fn read_corpus_never_panics() {
    let corpus = root().join("fuzz/corpus/read");
    let inputs: Vec<Vec<u8>> = std::fs::read_dir(&corpus)
        .expect("fuzz/corpus/read is committed")
        .map(|entry| std::fs::read(entry.unwrap().path()).unwrap())
        .collect();
    assert!(inputs.len() > 100, "corpus too small: {}", inputs.len());
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    std::thread::scope(|scope| {
        for part in inputs.chunks(inputs.len().div_ceil(cores)) {
            scope.spawn(move || {
                let tmp = tempfile::tempdir().unwrap();
                for data in part {
                    read_case(tmp.path(), data);
                }
            });
        }
    });
}
