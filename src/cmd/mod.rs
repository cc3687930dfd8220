//! The subcommands of `firedrill`.

pub mod run;
pub mod serve;

use std::path::PathBuf;
use std::process::ExitCode;

use harness::runner::{load, scenario_files};

/// `firedrill check`: every file validated, every problem shown; exit 2 if any.
pub fn check(paths: &[PathBuf]) -> ExitCode {
    let files = match scenario_files(paths) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let mut bad = 0;
    for f in &files {
        match load(f) {
            Ok(_) => println!("ok    {}", f.display()),
            Err(p) => {
                bad += 1;
                println!("error {}", f.display());
                eprint!("{}", p.render());
            }
        }
    }
    println!("{} file(s) checked, {} with errors", files.len(), bad);
    if bad > 0 { ExitCode::from(2) } else { ExitCode::SUCCESS }
}
