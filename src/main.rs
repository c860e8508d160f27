use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    jdp::cli::run(jdp::cli::Cli::parse())
}
