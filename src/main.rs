use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

fn main() -> ExitCode {
    // A panic prints one line, with no payload (it could hold personal data) and no stack trace.
    jdp::cli::guarded(run)
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
