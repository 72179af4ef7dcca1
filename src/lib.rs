//! kehoach keeps a government plan as plain TOML files and tells, at any
//! date, which agency did what it was assigned, on time or late.
//!
//! The pipeline, one module a stage:
//! `load` (files -> raw structs) → `validate` (raw -> `model::Plan`, every
//! problem with file:line:col) → `status` (classify each occurrence as of a
//! date) → `report` (format-neutral rows) → `render` (every format a person
//! reads). `write` is the only code that changes files; `messages` holds
//! every problem and refusal a user can see, in Vietnamese and English;
//! `cache` keeps what `load` and `validate` produced between runs.

/// Re-exported for the fuzz targets and benchmarks.
pub use chrono::NaiveDate;

pub mod cache;
pub mod cli;
pub mod commands;
pub mod discover;
pub mod labels;
pub mod load;
pub mod memory;
pub mod messages;
pub mod model;
pub mod problem;
pub mod render;
pub mod report;
pub mod serve;
pub mod status;
pub mod text;
pub mod usage;
pub mod validate;
pub mod write;
