use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

fn main() -> ExitCode {
    // A panic prints one line, with no payload (it could hold personal data) and no stack trace.
    std::panic::set_hook(Box::new(|info| {
        let at = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        eprintln!("jdp: internal error{at}; nothing more was done. Please report it (no case data is shown here).");
    }));
    let code = std::panic::catch_unwind(run);
    code.unwrap_or_else(|_| ExitCode::from(jdp::cli::EXIT_USER_ERROR))
}

fn run() -> ExitCode {
    let matches = jdp::cli::Cli::command().get_matches();
    let mut cli = match jdp::cli::Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    // Training must never open the live database named by JDP_DB: only an explicit --db counts.
    cli.db_on_command_line = matches.value_source("db") == Some(clap::parser::ValueSource::CommandLine);
    jdp::cli::run(cli)
}
