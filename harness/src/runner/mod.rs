//! Entry points that run scenario files: finding them (`files`), running one (`file`, shared by
//! the CLI and `serve --scenario`), and the `cargo test` runner (`cargo_test`).

mod cargo_test;
mod file;
mod files;

pub use cargo_test::{Arguments, Conclusion, Drills, GuardrailFactory, drills};
pub use file::{Problem, load, load_as, load_rows_as, report_hook, run_file, runtime, scope_file};
pub use files::{MAX_SCENARIO_FILES, Walk, scenario_files, test_name, walk};
