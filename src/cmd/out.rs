//! Writing to the terminal without panicking: `firedrill run … | head` closes the pipe early,
//! and a closed pipe must end the program quietly, as it ends any Unix filter.

use std::io::Write;

/// The status a shell reports for a program a closed pipe stopped (128 + SIGPIPE).
const CLOSED_PIPE: i32 = 141;

/// Writes `text` to standard output; a closed pipe ends the program with status 141 and no
/// message. Any other write error is as final, since nothing more can be shown.
pub fn stdout(text: std::fmt::Arguments<'_>) {
    let mut out = std::io::stdout().lock();
    if out.write_fmt(text).and_then(|()| out.flush()).is_err() {
        std::process::exit(CLOSED_PIPE);
    }
}

/// Writes `text` to standard error; nowhere left to say a failure, so one is ignored.
pub fn stderr(text: std::fmt::Arguments<'_>) {
    let _ = std::io::stderr().lock().write_fmt(text);
}

/// `println!` that survives a closed pipe.
macro_rules! say {
    () => { $crate::cmd::out::stdout(format_args!("\n")) };
    ($($arg:tt)*) => { $crate::cmd::out::stdout(format_args!("{}\n", format_args!($($arg)*))) };
}

/// `eprintln!` that survives a closed pipe.
macro_rules! tell {
    ($($arg:tt)*) => { $crate::cmd::out::stderr(format_args!("{}\n", format_args!($($arg)*))) };
}

/// `eprint!` that survives a closed pipe.
macro_rules! tell_raw {
    ($($arg:tt)*) => { $crate::cmd::out::stderr(format_args!($($arg)*)) };
}

pub(crate) use {say, tell, tell_raw};
