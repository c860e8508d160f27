//! The command-line surface: what a chair, analyst or trainer types. Each command parses its
//! arguments here and hands off to the layer that does the work.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::{self, ConfigErrors};
use crate::domain::PanelDefinition;
use crate::domain::panel::ILLUSTRATIVE_LABEL;

#[derive(Debug, Parser)]
#[command(
    name = "jdp",
    version,
    about = "Youth justice joint decision panels: walk a referral to a recorded joint decision, \
             draw scrutiny samples, report to the board, and train new panel members.",
    long_about = None,
)]
pub struct Cli {
    /// The database file holding referrals and decisions
    /// [default: jdp.sqlite3 in your data directory]
    #[arg(long, global = true, value_name = "PATH", env = "JDP_DB")]
    pub db: Option<PathBuf>,

    /// The panel definition (outcomes, gravity matrix, agencies)
    /// [default: panels/default.toml if present, else the copy built into jdp]
    #[arg(long, global = true, value_name = "PATH", env = "JDP_PANEL")]
    pub panel: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the live panel screen (the default when no command is given)
    Panel,
    /// Run a mock panel from a training scenario, on a separate training database
    Train {
        /// A scenario file or name from panels/training/; omit to pick from a list
        scenario: Option<String>,
    },
    /// Validate panel definitions, referral files or training scenarios and report every problem
    /// with its file, line, column and key
    Check {
        /// Files to check [default: the panel definition in use]
        files: Vec<PathBuf>,
    },
    /// Import referrals from a TOML file (all or nothing)
    Import { file: PathBuf },
    /// Export recorded decisions for scrutiny or analysis
    Export,
    /// Fill a database with synthetic referrals and decisions for demonstrations and testing
    DemoData,
    /// Check the tamper-evident chain of recorded decisions and name the first bad record
    Verify,
    /// Draw a reproducible scrutiny sample of past decisions
    Sample,
    /// Produce the scrutiny and board report (outcomes, disproportionality, timeliness)
    Report,
}

/// 0 success, 1 a user error (bad file, invalid input), 2 a usage error (clap's own).
pub const EXIT_USER_ERROR: u8 = 1;

pub fn run(cli: Cli) -> ExitCode {
    let mut out = std::io::stdout().lock();
    let mut err = std::io::stderr().lock();
    let result = match cli.command.as_ref().unwrap_or(&Command::Panel) {
        Command::Check { files } => check(&cli, files, &mut out, &mut err),
        Command::Panel => panel(&cli, &mut out, &mut err),
        other => {
            let _ = writeln!(err, "jdp {}: not available yet in this version of jdp.", name(other));
            Err(())
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(()) => ExitCode::from(EXIT_USER_ERROR),
    }
}

fn name(c: &Command) -> &'static str {
    match c {
        Command::Panel => "panel",
        Command::Train { .. } => "train",
        Command::Check { .. } => "check",
        Command::Import { .. } => "import",
        Command::Export => "export",
        Command::DemoData => "demo-data",
        Command::Verify => "verify",
        Command::Sample => "sample",
        Command::Report => "report",
    }
}

/// Where the panel definition comes from, for messages and reports.
pub enum PanelSource {
    File(PathBuf),
    BuiltIn,
}

impl std::fmt::Display for PanelSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::File(p) => write!(f, "{}", p.display()),
            Self::BuiltIn => write!(f, "the built-in default panel definition"),
        }
    }
}

pub fn panel_source(cli: &Cli) -> PanelSource {
    match &cli.panel {
        Some(p) => PanelSource::File(p.clone()),
        None => {
            let local = Path::new("panels").join("default.toml");
            if local.is_file() { PanelSource::File(local) } else { PanelSource::BuiltIn }
        }
    }
}

pub fn load_panel(source: &PanelSource) -> Result<PanelDefinition, ConfigErrors> {
    match source {
        PanelSource::File(p) => config::load_panel(p),
        PanelSource::BuiltIn => config::parse_panel("<built-in panels/default.toml>", config::DEFAULT_PANEL),
    }
}

pub fn default_db_path() -> PathBuf {
    directories::ProjectDirs::from("uk", "jdp", "jdp")
        .map(|d| d.data_dir().join("jdp.sqlite3"))
        .unwrap_or_else(|| PathBuf::from("jdp.sqlite3"))
}

pub fn db_path(cli: &Cli) -> PathBuf {
    cli.db.clone().unwrap_or_else(default_db_path)
}

fn check(cli: &Cli, files: &[PathBuf], out: &mut impl Write, err: &mut impl Write) -> Result<(), ()> {
    let sources: Vec<PanelSource> =
        if files.is_empty() { vec![panel_source(cli)] } else { files.iter().cloned().map(PanelSource::File).collect() };
    let mut bad = 0;
    for source in &sources {
        match load_panel(source) {
            Ok(p) => {
                let _ = writeln!(
                    out,
                    "ok: {source}: panel \"{}\" ({}), {} outcomes, {} offences, matrix \"{}\" (scale {}–{}){}",
                    p.panel.name,
                    p.panel.version,
                    p.outcomes.len(),
                    p.gravity.offences.len(),
                    p.gravity.version,
                    p.gravity.scale_min,
                    p.gravity.scale_max,
                    if p.gravity.illustrative { format!(" — {ILLUSTRATIVE_LABEL}") } else { String::new() },
                );
            }
            Err(e) => {
                bad += 1;
                let _ = writeln!(err, "{e}");
            }
        }
    }
    if bad > 0 {
        let _ = writeln!(err, "{bad} of {} file(s) have problems.", sources.len());
        Err(())
    } else {
        Ok(())
    }
}

fn panel(cli: &Cli, out: &mut impl Write, err: &mut impl Write) -> Result<(), ()> {
    let source = panel_source(cli);
    let p = load_panel(&source).map_err(|e| {
        let _ = writeln!(err, "{e}");
    })?;
    let _ = writeln!(out, "jdp — {} ({})", p.panel.name, p.panel.area);
    let _ = writeln!(out, "Panel definition: {source} (version {})", p.panel.version);
    let _ = writeln!(out, "Database: {}", db_path(cli).display());
    let _ = writeln!(out, "The panel screen is not available yet in this version of jdp.");
    Ok(())
}
