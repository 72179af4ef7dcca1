// The small valid plan the fuzz targets (and their replays in
// tests/fuzz_corpus.rs) put arbitrary bytes into, one file at a time:
// `include!`d where needed.

/// The plan's files, in the order an input's first byte picks them.
const FILES: [&str; 5] = ["plan.toml", "agencies.toml", "tasks.toml", "indicators.toml", "progress/A/2023.toml"];
/// Their valid contents.
const BASE: [&str; 5] = [
    include_str!("../tests/errors/_base/plan.toml"),
    include_str!("../tests/errors/_base/agencies.toml"),
    include_str!("../tests/errors/_base/tasks.toml"),
    include_str!("../tests/errors/_base/indicators.toml"),
    include_str!("../tests/errors/_base/progress/A/2023.toml"),
];
