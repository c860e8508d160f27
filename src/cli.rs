//! The command-line surface: what a chair, analyst or trainer types. Each command parses its
//! arguments here and hands off to the layer that does the work.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use chrono::{NaiveDate, Utc};
use rand::SeedableRng;

use crate::config::{self, ConfigErrors};
use crate::domain::PanelDefinition;
use crate::domain::panel::ILLUSTRATIVE_LABEL;
use crate::report::export::{ExportOptions, Format, export};
use crate::store::Store;

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

    /// Whether --db was typed (not taken from JDP_DB); set by main.
    #[arg(skip)]
    pub db_on_command_line: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the live panel screen (the default when no command is given)
    Panel,
    /// Run a mock panel from a training scenario, on a separate training database (in memory
    /// unless --db names a training database; JDP_DB is never used for training)
    Train {
        /// A scenario file, or the start of a file name or title in panels/training/; omit to
        /// pick from a list
        scenario: Option<String>,
    },
    /// Validate panel definitions, referral files or training scenarios and report every problem
    /// with its file, line, column and key
    Check {
        /// Files to check [default: the panel definition in use]
        files: Vec<PathBuf>,
    },
    /// Import referrals from a TOML file (all or nothing; see panels/examples/referrals.toml)
    Import { file: PathBuf },
    /// Export recorded decisions for scrutiny or analysis (written to the access log)
    Export {
        #[arg(long, value_enum, default_value = "csv")]
        format: Format,
        /// Replace names, references and dates of birth with stable pseudonyms
        #[arg(long)]
        pseudonymise: bool,
        /// First decision date to include (YYYY-MM-DD)
        #[arg(long, value_name = "DATE")]
        from: Option<NaiveDate>,
        /// Last decision date to include (YYYY-MM-DD)
        #[arg(long, value_name = "DATE")]
        to: Option<NaiveDate>,
        /// Write here (created owner-only) instead of to the screen
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Why the export is made, for the access log
        #[arg(long, default_value = "export for scrutiny or analysis")]
        reason: String,
    },
    /// Fill a database with synthetic referrals and decisions for demonstrations and testing
    DemoData {
        /// How many synthetic decisions to make
        #[arg(long, value_name = "N")]
        decisions: u64,
        /// The same seed always makes the same data
        #[arg(long, value_name = "S", default_value_t = 1)]
        seed: u64,
        /// The latest decision date (decisions spread over the two years before it)
        #[arg(long, value_name = "DATE", default_value = "2026-09-30")]
        until: NaiveDate,
    },
    /// Check the tamper-evident chain of recorded decisions and name the first bad record; prints
    /// the head as SEQ:HASH, the exact string to write in the minutes
    Verify {
        /// A head from the minutes (SEQ:HASH): fail unless the chain still passes through it
        #[arg(long, value_name = "SEQ:HASH")]
        expect: Option<crate::store::MinutedHead>,
    },
    /// Draw a reproducible scrutiny sample of past decisions and record it in the chain
    Sample {
        /// First decision date (YYYY-MM-DD) [default: the start of last quarter]
        #[arg(long, value_name = "DATE")]
        from: Option<NaiveDate>,
        /// Last decision date (YYYY-MM-DD) [default: the end of last quarter]
        #[arg(long, value_name = "DATE")]
        to: Option<NaiveDate>,
        /// How many decisions to draw at random (always-included cases come on top)
        #[arg(long, value_name = "N", default_value_t = 30)]
        size: usize,
        /// Any text; the same seed always draws the same sample [default: a fresh one, shown]
        #[arg(long, value_name = "S")]
        seed: Option<String>,
        /// Share the sample across strata in proportion to their size
        #[arg(long, value_enum, default_value = "outcome")]
        by: StrataArg,
        /// Recompute a stored sample (its record number) and say whether it matches
        #[arg(long, value_name = "RECORD", conflicts_with_all = ["from", "to", "seed"])]
        recompute: Option<i64>,
    },
    /// Sign the current head of the chain and the access log with this account's key (kept
    /// outside the database) and print it, for the panel's minutes
    Sign,
    /// Review a scrutiny sample: anonymised cases, ratings, observations and learning points
    Scrutiny {
        /// The sample's record number [default: the latest sample]
        #[arg(long, value_name = "RECORD")]
        sample: Option<i64>,
    },
    /// Produce the scrutiny and board report (outcomes, disproportionality, timeliness)
    Report {
        /// First decision date (YYYY-MM-DD) [default: the start of last quarter]
        #[arg(long, value_name = "DATE")]
        from: Option<NaiveDate>,
        /// Last decision date (YYYY-MM-DD) [default: the end of last quarter]
        #[arg(long, value_name = "DATE")]
        to: Option<NaiveDate>,
        /// md for papers, csv for analysts, html for a self-contained page for the board
        #[arg(long, value_enum, default_value = "md")]
        format: ReportFormat,
        /// Write here (created owner-only) instead of to the screen
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Reference group for ethnicity in the relative rate index [default: the largest group]
        #[arg(long, value_name = "GROUP")]
        reference_ethnicity: Option<String>,
        /// Reference group for sex [default: the largest group]
        #[arg(long, value_name = "GROUP")]
        reference_sex: Option<String>,
        /// Reference age group: 10–13, 14–15 or 16–17 [default: the largest group]
        #[arg(long, value_name = "GROUP")]
        reference_age: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Md,
    Csv,
    Html,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StrataArg {
    None,
    Outcome,
    Gravity,
    Group,
}

impl From<StrataArg> for crate::domain::sampling::Strata {
    fn from(s: StrataArg) -> Self {
        use crate::domain::sampling::Strata;
        match s {
            StrataArg::None => Strata::None,
            StrataArg::Outcome => Strata::Outcome,
            StrataArg::Gravity => Strata::Gravity,
            StrataArg::Group => Strata::Group,
        }
    }
}

/// The calendar quarter before the one `today` is in.
pub fn last_quarter(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    use chrono::Datelike;
    let q = (today.month0() / 3) as i32; // 0..3
    let (y, q) = if q == 0 { (today.year() - 1, 3) } else { (today.year(), q - 1) };
    let from = NaiveDate::from_ymd_opt(y, (q * 3 + 1) as u32, 1).expect("a valid month");
    let next =
        if q == 3 { NaiveDate::from_ymd_opt(y + 1, 1, 1) } else { NaiveDate::from_ymd_opt(y, (q * 3 + 4) as u32, 1) };
    (from, next.expect("a valid month").pred_opt().expect("a day before"))
}

/// 0 success, 1 a user error (bad file, invalid input), 2 a usage error (clap's own).
pub const EXIT_USER_ERROR: u8 = 1;

pub fn run(cli: Cli) -> ExitCode {
    // Everything printed goes through the terminal-safe writer: data cannot carry escape codes.
    let mut out = crate::safe_out::TerminalSafe::new(std::io::stdout().lock());
    let mut err = crate::safe_out::TerminalSafe::new(std::io::stderr().lock());
    let result = match cli.command.as_ref().unwrap_or(&Command::Panel) {
        Command::Check { files } => check(&cli, files, &mut out, &mut err),
        Command::Panel => panel(&cli, &mut out, &mut err),
        Command::Import { file } => import(&cli, file, &mut out, &mut err),
        Command::Export { format, pseudonymise, from, to, out: path, reason } => {
            let opts = ExportOptions { format: *format, pseudonymise: *pseudonymise, from: *from, to: *to };
            run_export(&cli, &opts, path.as_deref(), reason, &mut err)
        }
        Command::DemoData { decisions, seed, until } => demo_data(&cli, *decisions, *seed, *until, &mut out, &mut err),
        Command::Verify { expect } => verify(&cli, expect.as_ref(), &mut out, &mut err),
        Command::Sign => sign(&cli, &mut out, &mut err),
        Command::Train { scenario } => train(&cli, scenario.as_deref(), &mut err),
        Command::Scrutiny { sample } => scrutiny_screen(&cli, *sample, &mut err),
        Command::Report { from, to, format, out: path, reference_ethnicity, reference_sex, reference_age } => {
            let refs = crate::report::board::References {
                ethnicity: reference_ethnicity.clone(),
                sex: reference_sex.clone(),
                age_group: reference_age.clone(),
            };
            report(&cli, *from, *to, *format, path.as_deref(), &refs, &mut out, &mut err)
        }
        Command::Sample { from, to, size, seed, by, recompute } => {
            sample(&cli, *from, *to, *size, seed.clone(), *by, *recompute, &mut out, &mut err)
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(()) => ExitCode::from(EXIT_USER_ERROR),
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

/// What a file is, from its top-level tables.
enum FileKind {
    Panel,
    Referrals,
    Scenario,
}

fn kind_of(path: &Path) -> FileKind {
    // Never open a FIFO or a device to look: loading it reports the error.
    if !std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
        return FileKind::Panel;
    }
    let Ok(text) = std::fs::read_to_string(path) else { return FileKind::Panel };
    match text.parse::<toml::Table>() {
        Ok(t) if t.contains_key("scenario") => FileKind::Scenario,
        Ok(t) if t.contains_key("referrals") => FileKind::Referrals,
        Ok(_) => FileKind::Panel,
        // A file that fails to parse is still recognised by its tables' headers.
        Err(_) => kind_from_headers(&text),
    }
}

fn kind_from_headers(text: &str) -> FileKind {
    let heads: Vec<&str> = text.lines().map(str::trim).filter(|l| l.starts_with('[')).collect();
    if heads.iter().any(|h| h.starts_with("[scenario]") || h.starts_with("[scenario.")) {
        FileKind::Scenario
    } else if heads
        .iter()
        .any(|h| h.starts_with("[[referrals]]") || h.starts_with("[referrals.") || h.starts_with("[[referrals."))
    {
        FileKind::Referrals
    } else {
        FileKind::Panel
    }
}

fn check(cli: &Cli, files: &[PathBuf], out: &mut impl Write, err: &mut impl Write) -> Result<(), ()> {
    let sources: Vec<PanelSource> =
        if files.is_empty() { vec![panel_source(cli)] } else { files.iter().cloned().map(PanelSource::File).collect() };
    let mut bad = 0;
    let mut panel_in_use: Option<PanelDefinition> = None;
    for source in &sources {
        let kind = match source {
            PanelSource::File(p) => kind_of(p),
            PanelSource::BuiltIn => FileKind::Panel,
        };
        let result: Result<String, ConfigErrors> = match (&kind, source) {
            (FileKind::Panel, _) => load_panel(source).map(|p| {
                format!(
                    "panel \"{}\" ({}), {} outcomes, {} offences, matrix \"{}\" (scale {}–{}){}",
                    p.panel.name,
                    p.panel.version,
                    p.outcomes.len(),
                    p.gravity.offences.len(),
                    p.gravity.version,
                    p.gravity.scale_min,
                    p.gravity.scale_max,
                    if p.gravity.illustrative { format!(" — {ILLUSTRATIVE_LABEL}") } else { String::new() },
                )
            }),
            (_, PanelSource::File(path)) => {
                // Referral files and scenarios are checked against the panel definition in use.
                if panel_in_use.is_none() {
                    panel_in_use = Some(open_panel(cli, err)?);
                }
                let panel = panel_in_use.as_ref().expect("loaded above");
                match kind {
                    FileKind::Scenario => config::scenario::load_scenario(path, panel).map(|s| {
                        format!(
                            "training scenario \"{}\" ({}, {} minutes)",
                            s.scenario.title,
                            s.scenario.level.label(),
                            s.scenario.minutes
                        )
                    }),
                    _ => config::referrals::load_referrals(path, panel)
                        .map(|f| format!("{} referral(s)", f.referrals.len())),
                }
            }
            _ => unreachable!("the built-in source is a panel definition"),
        };
        match result {
            Ok(summary) => {
                let _ = writeln!(out, "ok: {source}: {summary}");
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

/// Who is at the keyboard, for the access log: the operating-system account (never `$USER`,
/// which anyone can set).
pub fn actor() -> String {
    crate::platform::os_account()
}

pub use crate::words::count;

fn say(err: &mut impl Write, e: impl std::fmt::Display) {
    let _ = writeln!(err, "{e}");
}

/// Store errors at the command line always name the database file.
fn store_err(cli: &Cli, err: &mut impl Write) -> impl FnMut(crate::store::StoreError) {
    let path = db_path(cli);
    move |e| say(err, e.in_file(&path))
}

fn open_panel(cli: &Cli, err: &mut impl Write) -> Result<PanelDefinition, ()> {
    load_panel(&panel_source(cli)).map_err(|e| say(err, e))
}

fn open_store(cli: &Cli, err: &mut impl Write) -> Result<Store, ()> {
    Store::open(&db_path(cli)).map_err(store_err(cli, err))
}

fn panel(cli: &Cli, out: &mut impl Write, err: &mut impl Write) -> Result<(), ()> {
    let p = open_panel(cli, err)?;
    let store = open_store(cli, err)?;
    if std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        let today = chrono::Local::now().date_naive();
        let mut app = crate::tui::App::new(store, p, today, false);
        app.actor = actor();
        app.protected.extend(crate::outfile::database_files(&db_path(cli)));
        app.protected.extend(crate::outfile::database_files(&default_db_path()));
        return crate::tui::run(app).map_err(|e| say(err, format!("the terminal failed: {e}")));
    }
    // Piped or scripted: a summary is the useful output.
    let s = store.summary().map_err(store_err(cli, err))?;
    let _ = writeln!(out, "jdp — {} ({})", p.panel.name, p.panel.area);
    let _ = writeln!(out, "Panel definition: {} (version {})", panel_source(cli), p.panel.version);
    let _ = writeln!(
        out,
        "Database: {}{}",
        db_path(cli).display(),
        if s.synthetic { " — SYNTHETIC DEMO DATA" } else { "" }
    );
    let _ = writeln!(
        out,
        "{} referral(s), {} in progress, {} record(s) in the chain",
        count(s.referrals as u64),
        count(s.in_progress as u64),
        count(s.records as u64)
    );
    Ok(())
}

fn import(cli: &Cli, file: &Path, out: &mut impl Write, err: &mut impl Write) -> Result<(), ()> {
    let p = open_panel(cli, err)?;
    let parsed = config::referrals::load_referrals(file, &p).map_err(|e| say(err, e))?;
    let mut store = open_store(cli, err)?;
    let refs: Vec<&str> = parsed.referrals.iter().map(|r| r.reference.as_str()).collect();
    let existing = store.existing_references(&refs).map_err(store_err(cli, err))?;
    if !existing.is_empty() {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        let doc = config::Document::new(&text);
        for (i, r) in refs.iter().enumerate().filter(|(_, r)| existing.iter().any(|e| e == *r)) {
            let problem = config::Problem::new(
                format!("referrals[{i}].reference"),
                "a reference not already in the database",
                format!("\"{r}\", imported before"),
            );
            say(err, config::locate(&file.display().to_string(), &doc, problem));
        }
        say(err, "Nothing was imported.");
        return Err(());
    }
    let ids = store.add_referrals(&parsed.referrals, &actor(), Utc::now()).map_err(store_err(cli, err))?;
    let _ = writeln!(out, "Imported {} referral(s) into {}.", ids.len(), db_path(cli).display());
    Ok(())
}

fn run_export(
    cli: &Cli,
    opts: &ExportOptions,
    path: Option<&Path>,
    reason: &str,
    err: &mut impl Write,
) -> Result<(), ()> {
    let mut store = open_store(cli, err)?;
    let synthetic = store.is_synthetic().map_err(store_err(cli, err))?;
    let target = format!(
        "decisions {} to {}, {:?}{} to {}",
        opts.from.map_or("from the first".into(), |d| format!("from {d}")),
        opts.to.map_or("the last".into(), |d| d.to_string()),
        opts.format,
        if opts.pseudonymise { ", pseudonymised" } else { "" },
        path.map_or("standard output".into(), |p| p.display().to_string())
    );
    let mut file = open_output(&store, path, err)?;
    // The access-log entry and the disclosure are one transaction: no log, no export.
    let n = store
        .disclose(&actor(), "export", &target, reason, Utc::now(), |s| match file.as_mut() {
            Some(f) => {
                let n = export(s, opts, f)?;
                f.flush().map_err(|source| output_error(f.path(), source))?;
                Ok(n)
            }
            None => export(s, opts, &mut crate::safe_out::TerminalSafe::new(std::io::stdout().lock())),
        })
        .map_err(store_err(cli, err))?;
    finish_output(file, err)?;
    say(err, format!("Exported {n} {target}.{}", if synthetic { " SYNTHETIC DEMO DATA." } else { "" }));
    Ok(())
}

/// Opens the file a person named with `--out` (see `outfile`): never the database itself.
fn open_output(
    store: &Store,
    path: Option<&Path>,
    err: &mut impl Write,
) -> Result<Option<crate::outfile::OutFile>, ()> {
    path.map(|p| crate::outfile::OutFile::create(p, &store.database_files()).map_err(|e| say(err, e))).transpose()
}

fn output_error(path: &Path, source: std::io::Error) -> crate::store::StoreError {
    crate::store::StoreError::Io { path: path.display().to_string(), source }
}

/// Syncs a finished output; on failure it is removed and the failure said.
fn finish_output(file: Option<crate::outfile::OutFile>, err: &mut impl Write) -> Result<(), ()> {
    match file {
        Some(f) => {
            let shown = f.path().display().to_string();
            f.finish().map_err(|e| say(err, format!("{shown}: {e}; the incomplete file was removed")))
        }
        None => Ok(()),
    }
}

fn demo_data(
    cli: &Cli,
    n: u64,
    seed: u64,
    until: NaiveDate,
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<(), ()> {
    let p = open_panel(cli, err)?;
    // One trial decision first, so a panel that allows none is refused before anything is written.
    let mut trial = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    crate::demo::try_generate(&mut trial, &p, 0, until).map_err(|e| say(err, format!("demo-data: {e}")))?;
    let mut store = open_store(cli, err)?;
    let before = store.summary().map_err(store_err(cli, err))?.referrals as u64;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let mut failure = None;
    let items = (before..before + n)
        .map_while(|i| crate::demo::try_generate(&mut rng, &p, i, until).map_err(|e| failure = Some(e)).ok());
    let written = store.insert_demo(items, &actor(), Utc::now()).map_err(store_err(cli, err))?;
    if let Some(e) = failure {
        return Err(say(err, format!("demo-data stopped early ({written} record(s) written): {e}")));
    }
    let _ = writeln!(
        out,
        "Wrote {} synthetic decision(s) ({} record(s) with corrections) to {} — marked SYNTHETIC.",
        count(n),
        count(written),
        db_path(cli).display()
    );
    Ok(())
}

fn train(cli: &Cli, wanted: Option<&str>, err: &mut impl Write) -> Result<(), ()> {
    let p = open_panel(cli, err)?;
    let scenarios = config::scenario::shipped_or_dir(Path::new("panels/training"), &p);
    let chosen = match wanted {
        None => None,
        Some(w) if Path::new(w).is_file() => {
            Some(config::scenario::load_scenario(Path::new(w), &p).map_err(|e| say(err, e))?)
        }
        Some(w) => {
            let w_lower = w.to_lowercase();
            let found = scenarios.iter().find(|(name, s)| {
                name.to_lowercase().starts_with(&w_lower)
                    || s.as_ref().is_ok_and(|s| s.scenario.title.to_lowercase().starts_with(&w_lower))
            });
            match found {
                Some((_, Ok(s))) => Some(s.clone()),
                Some((_, Err(e))) => return Err(say(err, e)),
                None => return Err(say(err, format!("no training scenario matches \"{w}\" (see panels/training/)"))),
            }
        }
    };
    let mut store = if cli.db_on_command_line {
        let path = db_path(cli);
        Store::open(&path).map_err(store_err(cli, err))?
    } else {
        Store::open_in_memory().map_err(|e| say(err, e))?
    };
    store.make_training().map_err(store_err(cli, err))?;
    if !std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        return Err(say(err, "jdp train needs a terminal."));
    }
    let today = chrono::Local::now().date_naive();
    let list = scenarios.into_iter().filter_map(|(name, s)| s.ok().map(|s| (name, s))).collect();
    let mut app = crate::tui::App::training(store, p, today, list, chosen);
    app.actor = actor();
    app.protected.extend(crate::outfile::database_files(&db_path(cli)));
    app.protected.extend(crate::outfile::database_files(&default_db_path()));
    crate::tui::run(app).map_err(|e| say(err, format!("the terminal failed: {e}")))
}

fn scrutiny_screen(cli: &Cli, sample: Option<i64>, err: &mut impl Write) -> Result<(), ()> {
    let p = open_panel(cli, err)?;
    let store = open_store(cli, err)?;
    let samples = crate::scrutiny::samples(&store).map_err(store_err(cli, err))?;
    let chosen = match sample {
        Some(seq) => samples.into_iter().find(|(s, _)| *s == seq),
        None => samples.into_iter().last(),
    };
    let Some((seq, s)) = chosen else {
        return Err(say(err, "No scrutiny sample to review: draw one first with jdp sample."));
    };
    if !std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        return Err(say(err, "jdp scrutiny needs a terminal."));
    }
    let today = chrono::Local::now().date_naive();
    let mut app = crate::tui::App::new(store, p, today, false).scrutiny(seq, s);
    app.actor = actor();
    app.protected.extend(crate::outfile::database_files(&db_path(cli)));
    app.protected.extend(crate::outfile::database_files(&default_db_path()));
    crate::tui::run(app).map_err(|e| say(err, format!("the terminal failed: {e}")))
}

#[allow(clippy::too_many_arguments)]
fn report(
    cli: &Cli,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    format: ReportFormat,
    path: Option<&Path>,
    refs: &crate::report::board::References,
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<(), ()> {
    let p = open_panel(cli, err)?;
    let mut store = open_store(cli, err)?;
    let (q_from, q_to) = last_quarter(chrono::Local::now().date_naive());
    let (from, to) = (from.unwrap_or(q_from), to.unwrap_or(q_to));
    let r = crate::report::board::build_with(&store, &p, from, to, refs).map_err(store_err(cli, err))?;
    let mut bytes: Vec<u8> = Vec::new();
    match format {
        ReportFormat::Md => bytes.extend(crate::report::write::markdown(&r).into_bytes()),
        ReportFormat::Html => bytes.extend(crate::report::write::html(&r).into_bytes()),
        ReportFormat::Csv => crate::report::write::csv(&r, &mut bytes).map_err(|e| say(err, e))?,
    }
    let target = format!("board report {from} to {to} ({format:?})");
    let mut file = open_output(&store, path, err)?;
    store
        .disclose(&actor(), "report", &target, "scrutiny and board report", Utc::now(), |_| match file.as_mut() {
            Some(f) => f.write_all(&bytes).and_then(|()| f.flush()).map_err(|source| output_error(f.path(), source)),
            None => out.write_all(&bytes).map_err(|source| output_error(Path::new("standard output"), source)),
        })
        .map_err(store_err(cli, err))?;
    finish_output(file, err)?;
    if let Some(pth) = path {
        say(err, format!("Wrote the {format:?} report for {from} to {to} to {}.", pth.display()));
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn sample(
    cli: &Cli,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    size: usize,
    seed: Option<String>,
    by: StrataArg,
    recompute: Option<i64>,
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<(), ()> {
    use crate::scrutiny;
    let p = open_panel(cli, err)?;
    let mut store = open_store(cli, err)?;
    if let Some(seq) = recompute {
        let (stored, again) = scrutiny::recompute(&store, &p, seq).map_err(store_err(cli, err))?;
        if stored.chosen == again.chosen && stored.always == again.always {
            let _ = writeln!(
                out,
                "ok: sample record {seq} recomputes exactly ({} chosen, {} always included).",
                stored.chosen.len(),
                stored.always.len()
            );
            return Ok(());
        }
        let was: std::collections::BTreeSet<i64> = stored.cases().into_iter().collect();
        let now: std::collections::BTreeSet<i64> = again.cases().into_iter().collect();
        say(
            err,
            format!(
                "DIFFERS: sample record {seq} no longer recomputes: {} case(s) only in the stored sample, {} only in a fresh draw \
             (decisions in the period have changed since it was drawn).",
                was.difference(&now).count(),
                now.difference(&was).count()
            ),
        );
        return Err(());
    }
    let (q_from, q_to) = last_quarter(chrono::Local::now().date_naive());
    let (from, to) = (from.unwrap_or(q_from), to.unwrap_or(q_to));
    if from > to {
        return Err(say(err, format!("--from {from} is after --to {to}")));
    }
    let seed = match seed {
        Some(s) => s,
        None => store
            .conn()
            .query_row("SELECT lower(hex(randomblob(8)))", [], |r| r.get::<_, String>(0))
            .map_err(|e| say(err, e))?,
    };
    let req = scrutiny::SampleRequest { seed, from, to, size, strata: by.into() };
    let (rec, s) = scrutiny::draw(&mut store, &p, &req, &actor(), Utc::now()).map_err(store_err(cli, err))?;
    let synthetic = if store.is_synthetic().unwrap_or(false) { " — SYNTHETIC DEMO DATA" } else { "" };
    let _ = writeln!(out, "Sample record {} ({}, seed \"{}\"){synthetic}", rec.seq, s.algorithm, s.seed);
    let _ = writeln!(out, "Period {} to {}: {} current decision(s).", s.from, s.to, count(s.population as u64));
    let _ = writeln!(out, "Random sample of {} by {:?}, shared by largest remainder:", s.chosen.len(), by);
    for a in &s.allocation {
        let _ = writeln!(
            out,
            "  {:<34} {:>8} in the period  {:>4} chosen",
            a.stratum,
            count(a.population as u64),
            a.chosen
        );
    }
    let mut by_rule: std::collections::BTreeMap<&str, usize> = Default::default();
    for a in &s.always {
        for r in &a.rules {
            *by_rule.entry(r.as_str()).or_default() += 1;
        }
    }
    let _ = writeln!(out, "Always included: {} decision(s), by rule:", s.always.len());
    for (rule, n) in &by_rule {
        let _ = writeln!(out, "  {rule:<40} {n:>6}");
    }
    let reference = |id: i64| -> String {
        store
            .conn()
            .query_row("SELECT coalesce(reference, '') FROM records WHERE seq = ?1", [id], |r| r.get(0))
            .unwrap_or_default()
    };
    let _ = writeln!(out, "Cases to review:");
    const SHOW: usize = 60;
    for a in s.always.iter().take(SHOW) {
        let _ = writeln!(out, "  record {:>9}  {:<16} always: {}", a.id, reference(a.id), a.rules.join(", "));
    }
    if s.always.len() > SHOW {
        let _ = writeln!(
            out,
            "  … and {} more always-included (all are in sample record {})",
            s.always.len() - SHOW,
            rec.seq
        );
    }
    for c in &s.chosen {
        let _ = writeln!(out, "  record {:>9}  {:<16} random: {}", c.id, reference(c.id), c.stratum);
    }
    let _ = writeln!(out, "Recompute at any time: jdp sample --recompute {}", rec.seq);
    sign_and_print(&mut store, out, err);
    Ok(())
}

fn verify(
    cli: &Cli,
    expect: Option<&crate::store::MinutedHead>,
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<(), ()> {
    let store = open_store(cli, err)?;
    let result = match expect {
        Some(e) => store.verify_expecting(e),
        None => store.verify(),
    };
    match result.map_err(store_err(cli, err))? {
        Ok(report) => {
            let _ = writeln!(out, "ok: {} record(s) checked; head {}", count(report.checked as u64), report.minute());
            if let Some(e) = expect {
                let _ = writeln!(out, "ok: the chain passes through the minuted head {}:{}", e.seq, e.hash);
            }
            verify_signed_heads(cli, &store, out, err)
        }
        Err(failure) => {
            say(err, format!("FAILED: {failure}"));
            Err(())
        }
    }
}

/// After verify's chains pass: the signed heads this account knows keys for.
fn verify_signed_heads(cli: &Cli, store: &Store, out: &mut impl Write, err: &mut impl Write) -> Result<(), ()> {
    let keys = crate::signing::known_keys(&crate::signing::key_dir()).map_err(|e| say(err, e))?;
    match store.verify_signatures(&keys).map_err(store_err(cli, err))? {
        Ok(r) => {
            let latest = r.latest.map_or(String::new(), |s| format!("; latest: {s}"));
            let others = if r.unknown_key > 0 {
                format!("; {} by keys this account does not know", r.unknown_key)
            } else {
                String::new()
            };
            if r.checked == 0 && r.unknown_key == 0 {
                let _ = writeln!(out, "ok: no signed heads yet (jdp sign signs the head for the minutes)");
            } else {
                let _ = writeln!(out, "ok: {} signed head(s) checked{latest}{others}", r.checked);
            }
            Ok(())
        }
        Err(failure) => {
            say(err, format!("FAILED: {failure}"));
            Err(())
        }
    }
}

/// Signs the head with this account's key and prints it; a failure to sign is said, but what
/// was recorded stays recorded.
fn sign_and_print(store: &mut Store, out: &mut impl Write, err: &mut impl Write) {
    let signed =
        crate::signing::Signer::load_or_create(&crate::signing::key_dir()).and_then(|s| s.sign_head(store, Utc::now()));
    match signed {
        Ok(s) => {
            let _ = writeln!(out, "Signed: {s}. For the minutes: {}", s.head.minute());
        }
        Err(e) => say(err, format!("Recorded, but the head could not be signed: {e}")),
    }
}

fn sign(cli: &Cli, out: &mut impl Write, err: &mut impl Write) -> Result<(), ()> {
    let mut store = open_store(cli, err)?;
    let signer = crate::signing::Signer::load_or_create(&crate::signing::key_dir()).map_err(|e| say(err, e))?;
    let s = signer.sign_head(&mut store, Utc::now()).map_err(store_err(cli, err))?;
    let _ = writeln!(out, "Signed: {s}.");
    let _ = writeln!(out, "For the minutes: {}", s.head.minute());
    Ok(())
}
