//! What can go wrong at the command line, and the exit code each kind gives, so that a script can
//! tell a typing mistake from a database that will not open from a chain that no longer verifies.

use std::path::{Path, PathBuf};

use crate::config::ConfigErrors;
use crate::outfile::OutError;
use crate::store::StoreError;

/// The exit codes, as the README lists them.
pub mod exit {
    /// A problem with the input: a bad file, invalid data, a choice jdp refuses.
    pub const INPUT: u8 = 1;
    /// A mistyped command (clap's own code for usage errors).
    pub const USAGE: u8 = 2;
    /// Verification failed: the chain, the access log, a signature or a minuted head does not
    /// check out, or a stored sample no longer recomputes.
    pub const FAILED: u8 = 3;
    /// The database, an output file or the terminal could not be used (damaged, read-only, gone,
    /// disk full).
    pub const STORAGE: u8 = 4;
}

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Input refused, with a message already located and worded for the user.
    #[error("{0}")]
    Input(String),
    /// Problems in a panel definition, referral file or scenario, each located.
    #[error("{0}")]
    Config(#[from] ConfigErrors),
    /// `jdp check` found problems (already printed, file by file).
    #[error("{bad} of {total} file(s) have problems.")]
    Check { bad: usize, total: usize },
    /// A verification that did not pass; the text says what failed.
    #[error("{0}")]
    Failed(String),
    /// The store refused or failed; the error names the database file.
    #[error("{0}")]
    Store(StoreError),
    /// A file named with `--out` could not be opened: the name is the problem.
    #[error("{0}")]
    Out(#[from] OutError),
    /// Writing an output failed part way; the incomplete file, if any, was removed.
    #[error("{}: {source}{}", path.display(), if *removed { "; the incomplete file was removed" } else { "" })]
    Write { path: PathBuf, source: std::io::Error, removed: bool },
    /// The terminal could not be used.
    #[error("the terminal failed: {0}")]
    Terminal(std::io::Error),
}

impl CliError {
    /// A store error from the database at `db`: errors that arose after opening name the file.
    pub fn store(db: &Path, e: StoreError) -> Self {
        CliError::Store(e.in_file(db))
    }

    pub fn stdout(source: std::io::Error) -> Self {
        CliError::Write { path: PathBuf::from("standard output"), source, removed: false }
    }

    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Input(_) | CliError::Config(_) | CliError::Check { .. } => exit::INPUT,
            CliError::Failed(_) => exit::FAILED,
            CliError::Store(e) => match e {
                // What the user asked for, not what the disk did.
                StoreError::NotSqlite { .. }
                | StoreError::NoDatabase { .. }
                | StoreError::NotJdp { .. }
                | StoreError::Newer { .. }
                | StoreError::AlreadyDecided { .. }
                | StoreError::DraftChanged { .. }
                | StoreError::DecidedMeanwhile { .. }
                | StoreError::Refused(_) => exit::INPUT,
                StoreError::Damaged { .. }
                | StoreError::ReadOnly { .. }
                | StoreError::Missing { .. }
                | StoreError::Gone { .. }
                | StoreError::Io { .. }
                | StoreError::Sqlite(_)
                | StoreError::Server(_)
                | StoreError::NotPermitted(_)
                | StoreError::Unreachable(_) => exit::STORAGE,
            },
            // The file named with --out cannot be used (a link, the database, no such folder).
            CliError::Out(_) => exit::INPUT,
            CliError::Write { .. } | CliError::Terminal(_) => exit::STORAGE,
        }
    }
}

/// Output to standard output that fails (a closed pipe, a full disk) is an error, never ignored.
impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        CliError::stdout(e)
    }
}
