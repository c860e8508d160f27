//! What a user sees if jdp has a bug: one line, never the panic's payload (it could hold a
//! child's name or anything else typed into a case) and no stack trace, then exit 1.

use std::panic::UnwindSafe;
use std::process::ExitCode;

/// The one line printed for any panic: where it happened in jdp's source, nothing more.
pub fn panic_line(location: Option<&std::panic::Location<'_>>) -> String {
    let at = location.map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
    format!("jdp: internal error{at}; nothing more was done. Please report it (no case data is shown here).")
}

/// Replaces the default hook (which prints the payload and, with RUST_BACKTRACE, a stack trace)
/// for the whole process.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| eprintln!("{}", panic_line(info.location()))));
}

/// Runs a command with the hook installed: a panic gives exit code 1 after its one line.
pub fn guarded(run: impl FnOnce() -> ExitCode + UnwindSafe) -> ExitCode {
    install_panic_hook();
    std::panic::catch_unwind(run).unwrap_or_else(|_| ExitCode::from(super::EXIT_USER_ERROR))
}
