//! The command-line surface: what a chair, analyst or trainer types. The arguments (clap) and the
//! helpers every command shares live here; each command has its own file (`check`, `import`,
//! `agenda`, `export`, `demo`, `screens` for panel/train/scrutiny, `report`, `sample`, `verify` with
//! `sign`) and hands off to the layer that does the work.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use chrono::NaiveDate;

use crate::config::{self, ConfigErrors};
use crate::domain::PanelDefinition;
use crate::report::export::{ExportOptions, Format};
use crate::store::Store;

mod agenda;
mod check;
mod demo;
mod error;
mod export;
mod import;
mod letter;
mod panic;
mod papers;
mod report;
mod retention;
mod sample;
mod screens;
mod server;
mod tasks;
mod verify;

use agenda::*;
use check::*;
use demo::*;
use export::*;
use import::*;
use letter::*;
pub use panic::{guarded, install_panic_hook, panic_line};
use papers::*;
use report::*;
use retention::*;
use sample::*;
use screens::*;
use server::{db_label, open_backend};
use tasks::*;
use verify::*;

pub use error::{CliError, exit};

#[derive(Debug, Parser)]
#[command(
    name = "jdp",
    version,
    about = "Youth justice joint decision panels: walk a referral to a recorded joint decision, \
             draw scrutiny samples, report to the board, and train new panel members.",
    long_about = None,
)]
pub struct Cli {
    /// The database file holding referrals and decisions, or a PostgreSQL server's
    /// (postgres://USER@HOST/DATABASE; see README "Running a shared server")
    /// [default: jdp.sqlite3 in your data directory]
    #[arg(long, global = true, value_name = "PATH", env = "JDP_DB", hide_env_values = true)]
    pub db: Option<PathBuf>,

    /// The panel definition (outcomes, gravity matrix, agencies)
    /// [default: panels/default.toml if present, else the copy built into jdp]
    #[arg(long, global = true, value_name = "PATH", env = "JDP_PANEL", hide_env_values = true)]
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
    /// The next panel's agenda: every referral not yet decided, longest waiting first, with the
    /// days it has waited, when the YJS assessment is due (flagged if overdue) and what is still
    /// missing before the panel can decide (written to the access log; names no one)
    Agenda {
        /// The date of the panel (YYYY-MM-DD) [default: today]
        #[arg(long, value_name = "DATE")]
        date: Option<NaiveDate>,
        /// Write here (created owner-only) instead of to the screen
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Import referrals from a TOML or CSV file (all or nothing; see panels/examples/referrals.toml
    /// and referrals.csv, and README "Import referrals" for the CSV columns)
    Import { file: PathBuf },
    /// Export recorded decisions for scrutiny or analysis (written to the access log)
    #[command(
        mut_arg("from", |a| a.help("First decision date to include (YYYY-MM-DD) [default: the first]")),
        mut_arg("to", |a| a.help("Last decision date to include (YYYY-MM-DD) [default: the last]")),
    )]
    Export {
        #[arg(long, value_enum, default_value = "csv")]
        format: Format,
        /// Replace names, references and dates of birth with stable pseudonyms
        #[arg(long)]
        pseudonymise: bool,
        #[command(flatten)]
        period: Period,
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
        /// On a server, also make each kept anonymised case (what scrutiny logins read) again
        /// from its decision and compare the two; slower (minutes for a million decisions)
        #[arg(long)]
        cases: bool,
    },
    /// Move a panel's file store to an empty database on a PostgreSQL server (as its owner), or
    /// copy a server's store to a new file (a training or offline copy, marked as a copy): every
    /// hash unchanged, verified end to end
    Copy {
        /// The file store, or the server's database (postgres://USER@HOST/DATABASE)
        #[arg(long, value_name = "PATH|URL")]
        from: PathBuf,
        /// The server's database, or a new file
        #[arg(long, value_name = "URL|PATH")]
        to: String,
    },
    /// Prepare a shared PostgreSQL server (--db postgres://…): see README "Running a shared server"
    Server {
        #[command(subcommand)]
        command: ServerCommand,
    },
    /// Draw a reproducible scrutiny sample of past decisions and record it in the chain
    #[command(
        mut_arg("from", |a| a.help("The first day of the first month to sample (YYYY-MM-01) [default: the start of last quarter]")),
        mut_arg("to", |a| a.help("The last day of the last month to sample (e.g. 2026-09-30) [default: the end of last quarter]")),
    )]
    Sample {
        #[command(flatten)]
        period: Period,
        /// How many cases to review, full stop: carried-forward cases first, then a share for
        /// cases an always-include rule caught (scrutiny.always_include_percent), the rest at random
        #[arg(long, value_name = "N", default_value_t = 30)]
        size: usize,
        /// Any text; the same seed always draws the same sample [default: a fresh one, shown]
        #[arg(long, value_name = "S")]
        seed: Option<String>,
        /// Share the sample across strata in proportion to their size
        #[arg(long, value_enum, default_value = "outcome")]
        by: StrataArg,
        /// A themed sample: only decisions of this offence group (e.g. weapons), outcome (code or
        /// label) or always-include rule (e.g. looked-after)
        #[arg(long, value_name = "THEME")]
        theme: Option<String>,
        /// Recompute a stored sample (its record number) and say whether it matches (a
        /// force-wide sample's part: the whole draw, across its panels)
        #[arg(long, value_name = "RECORD", conflicts_with_all = ["from", "to", "seed", "theme", "force_wide"])]
        recompute: Option<i64>,
        /// One sample across every panel on the server this login may read (with --db
        /// postgres://…), each panel's part recorded in its own chain
        #[arg(long)]
        force_wide: bool,
    },
    /// List the referrals and decisions past the panel's retention period (records.retention_months),
    /// by reference and record number; --erase erases the children's personal details from them
    /// (written to the access log; verify still passes)
    Retention {
        /// Erase the children's personal details from everything listed (asks first on a terminal)
        #[arg(long)]
        erase: bool,
        /// Why, for the access log
        #[arg(long, value_name = "TEXT", default_value = "the retention period has ended")]
        reason: String,
        /// Do not ask for confirmation (for scripts)
        #[arg(long, requires = "erase")]
        yes: bool,
    },
    /// Sign the current head of the chain and the access log with this account's key (kept
    /// outside the database) and print it, for the panel's minutes
    Sign,
    /// Review a scrutiny sample: anonymised cases, ratings, observations and learning points;
    /// or write its review pack or minutes
    Scrutiny {
        /// The sample's record number [default: the latest sample]
        #[arg(long, value_name = "RECORD")]
        sample: Option<i64>,
        #[command(subcommand)]
        command: Option<ScrutinyCommand>,
    },
    /// Produce the scrutiny and board report (outcomes, disproportionality, timeliness)
    Report {
        #[command(flatten)]
        period: Period,
        /// The scrutiny panel's annual report for this calendar year (instead of --from/--to):
        /// the year's figures, reviews, learning points, and actions opened and closed
        #[arg(long, value_name = "YYYY", conflicts_with_all = ["from", "to"], value_parser = clap::value_parser!(i32).range(1990..=2200))]
        year: Option<i32>,
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
        /// How many quarters the trends set side by side, ending with the period's last, 4 to 8
        #[arg(long, value_name = "N", default_value_t = crate::report::board::TREND_QUARTERS as u8,
              value_parser = clap::value_parser!(u8).range(4..=8))]
        quarters: u8,
        /// Every panel on the server this login may read, as one report for the force (with
        /// --db postgres://…): the decisions counted together, each panel's reviews and actions
        #[arg(long)]
        force_wide: bool,
    },
    /// A letter telling the child, their parent or carer, the victim or the social worker what
    /// the panel decided, from the templates in panels/letters/ (written to the access log)
    Letter {
        /// The recorded decision's record number
        record: i64,
        /// Who the letter is for
        #[arg(long, value_enum)]
        to: LetterTo,
        #[arg(long, value_enum, default_value = "txt")]
        format: LetterFormatArg,
        /// Write here (created owner-only) instead of to the screen
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// The letter has been sent: record its follow-up task done
        #[arg(long)]
        sent: bool,
    },
    /// The minutes of a panel meeting: date, chair, members by agency, apologies, observers,
    /// the confidentiality statement, each referral decided (decision, rationale, tasks) and the
    /// chain head after the meeting (SEQ:HASH, for jdp verify --expect); written to the access
    /// log. The scrutiny panel's minutes are jdp scrutiny minutes.
    Minutes {
        /// The date of the sitting (YYYY-MM-DD) [default: the latest sitting]
        session: Option<NaiveDate>,
        #[arg(long, value_enum, default_value = "md")]
        format: PaperFormat,
        /// Replace the children's names and references with the export's stable pseudonyms, for
        /// circulation beyond the panel
        #[arg(long)]
        pseudonymise: bool,
        /// Write here (created owner-only) instead of to the screen
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// The follow-up task board: every task of every recorded decision with its owner, due date
    /// and status (due, overdue, done, not needed); `done` and `not-needed` close one with a
    /// record in the chain (the board is written to the access log)
    Tasks {
        /// Only the tasks past their due date
        #[arg(long)]
        overdue: bool,
        /// Only this agency's tasks (its id or name, e.g. police or "Youth Justice Service")
        #[arg(long, value_name = "AGENCY")]
        owner: Option<String>,
        /// table for the terminal, md, csv, or ics (a calendar of the open tasks)
        #[arg(long, value_enum, default_value = "table")]
        format: TasksFormat,
        /// Write here (created owner-only) instead of to the screen
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        #[command(subcommand)]
        command: Option<TasksCommand>,
    },
}

/// Closing a task on the board: a record in the chain, never an edit.
#[derive(Debug, Subcommand)]
pub enum TasksCommand {
    /// Mark a task done (its id from jdp tasks, e.g. 7/inform_victim)
    Done {
        task: String,
        /// Who did it [default: this account]
        #[arg(long, value_name = "NAME")]
        by: Option<String>,
    },
    /// Close a task that is not needed, saying why
    NotNeeded {
        task: String,
        #[arg(long, value_name = "TEXT")]
        reason: String,
    },
}

/// The period of decisions a command covers: one argument pair for `sample`, `report` and
/// `export`, checked in one place.
#[derive(Debug, Clone, Copy, Default, clap::Args)]
pub struct Period {
    /// First decision date (YYYY-MM-DD) [default: the start of last quarter]
    #[arg(long, value_name = "DATE")]
    pub from: Option<NaiveDate>,
    /// Last decision date (YYYY-MM-DD) [default: the end of last quarter]
    #[arg(long, value_name = "DATE")]
    pub to: Option<NaiveDate>,
}

impl Period {
    /// The dates as given, refusing a period that ends before it starts.
    pub fn given(&self) -> Result<(Option<NaiveDate>, Option<NaiveDate>), CliError> {
        match (self.from, self.to) {
            (Some(f), Some(t)) if f > t => Err(CliError::Input(format!("--from {f} is after --to {t}"))),
            _ => Ok((self.from, self.to)),
        }
    }

    /// The dates, each missing one taken from the calendar quarter before `today`'s.
    pub fn or_last_quarter(&self, today: NaiveDate) -> Result<(NaiveDate, NaiveDate), CliError> {
        let (q_from, q_to) = last_quarter(today);
        let (from, to) = (self.from.unwrap_or(q_from), self.to.unwrap_or(q_to));
        Period { from: Some(from), to: Some(to) }.given()?;
        Ok((from, to))
    }
}

/// `jdp server`: a panel's database on a PostgreSQL server, and who may do what in it.
#[derive(Debug, Subcommand)]
pub enum ServerCommand {
    /// Make the panel's database ready (schema, roles chair/member/scrutiny/trainer/admin, their
    /// privileges); run as the database's owner, once per panel (safe to run again)
    Init,
    /// Give a login a role, on one panel (its database) or, without --panel-db, on every panel
    Grant {
        /// The login (made by the server's administrator, e.g. with createuser)
        user: String,
        #[arg(value_enum)]
        role: crate::store::pg::Role,
        /// The panel's database [default: every panel on the server] (`--panel` names the panel
        /// definition file, as everywhere in jdp)
        #[arg(long = "panel-db", value_name = "DATABASE")]
        panel_db: Option<String>,
    },
}

/// What `jdp scrutiny` does besides opening the screen: papers, returned ratings, actions.
#[derive(Debug, Subcommand)]
pub enum ScrutinyCommand {
    /// A printable, self-contained, anonymised review pack: one case a page, with a ratings sheet,
    /// for members who review by correspondence (written to the access log)
    Pack {
        /// The sample's record number [default: the latest sample]
        #[arg(long, value_name = "RECORD")]
        sample: Option<i64>,
        /// Write here (created owner-only)
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// The minutes of the meeting on a sample: reviewers, each case's rating, observations,
    /// learning points, and what is carried forward
    Minutes {
        /// The sample's record number [default: the latest sample]
        #[arg(long, value_name = "RECORD")]
        sample: Option<i64>,
        #[arg(long, value_enum, default_value = "md")]
        format: PaperFormat,
        /// Write here (created owner-only) instead of to the screen
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Import the ratings members returned on their packs (CSV: record,reviewer,agency,rating,
    /// observations): each a blind rating in the chain; every problem located, nothing imported
    /// unless all are good
    Ratings {
        /// The sample the ratings are for [default: the latest sample]
        #[arg(long, value_name = "RECORD")]
        sample: Option<i64>,
        file: PathBuf,
    },
    /// The actions agreed at reviews: what, owner, due, and where each stands (open, overdue,
    /// done, dropped), carried from meeting to meeting
    Actions {
        /// Only the actions still open
        #[arg(long)]
        open: bool,
    },
    /// Close an action (its id from jdp scrutiny actions): a record in the chain, never an edit
    Close {
        /// The action, as REVIEW.N
        action: String,
        #[arg(long = "as", value_enum)]
        close_as: CloseAs,
        /// What was done, or why it was dropped
        #[arg(long)]
        note: String,
    },
}

/// How an action is closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CloseAs {
    Done,
    Dropped,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PaperFormat {
    Md,
    Html,
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
    let q = crate::domain::dates::Quarter::of(today).previous();
    (q.first_day(), q.last_day())
}

/// Kept for callers that name the input-error code (the panic hook among them).
pub const EXIT_USER_ERROR: u8 = exit::INPUT;

pub fn run(cli: Cli) -> ExitCode {
    // Everything printed goes through the terminal-safe writer: data cannot carry escape codes.
    let mut out = crate::safe_out::TerminalSafe::new(std::io::stdout().lock());
    let mut err = crate::safe_out::TerminalSafe::new(std::io::stderr().lock());
    match dispatch(&cli, &mut out, &mut err) {
        Ok(()) => ExitCode::SUCCESS,
        // The reader stopped reading (`jdp export | head`): nothing is wrong with jdp's work.
        Err(CliError::Write { source, .. }) if source.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            // Problems `check` found were printed file by file; the count still goes out last.
            let _ = writeln!(err, "{e}");
            ExitCode::from(e.exit_code())
        }
    }
}

fn dispatch(cli: &Cli, out: &mut impl Write, err: &mut impl Write) -> Result<(), CliError> {
    if let Some(Command::Copy { from, to }) = &cli.command {
        return server::copy(cli, from, to, out);
    }
    // The report, sampling, the scrutiny panel's screen and commands, the task board, the
    // agenda, the minutes, letters, demo data, import, verify, signing and retention run the same code on a file or a server (`store::reading`, `store::Backend`); check
    // reads no store.
    // Training never uses JDP_DB (a workstation set up for the server trains on this machine);
    // a server typed as --db is refused there: a training database is a file.
    let trains_here = matches!(cli.command, Some(Command::Train { .. })) && !cli.db_on_command_line;
    if let Some(url) = server::server_url(cli)
        && !trains_here
        && !matches!(
            cli.command,
            Some(
                Command::Report { .. }
                    | Command::Sample { .. }
                    | Command::Scrutiny { .. }
                    | Command::Tasks { .. }
                    | Command::Check { .. }
                    | Command::Import { .. }
                    | Command::Agenda { .. }
                    | Command::Minutes { .. }
                    | Command::Letter { .. }
                    | Command::DemoData { .. }
                    | Command::Verify { .. }
                    | Command::Sign
                    | Command::Retention { .. }
            )
        )
    {
        return server::dispatch(cli, &url, out, err);
    }
    match cli.command.as_ref().unwrap_or(&Command::Panel) {
        Command::Check { files } => check(cli, files, out, err),
        Command::Panel => panel(cli, out),
        Command::Import { file } => import(cli, file, out),
        Command::Agenda { date, out: path } => agenda(cli, *date, path.as_deref(), out),
        Command::Export { format, pseudonymise, period, out: path, reason } => {
            let (from, to) = period.given()?;
            let opts = ExportOptions { format: *format, pseudonymise: *pseudonymise, from, to };
            run_export(cli, &opts, path.as_deref(), reason, err)
        }
        Command::DemoData { decisions, seed, until } => demo_data(cli, *decisions, *seed, *until, out),
        Command::Verify { expect, cases } => verify(cli, expect.as_ref(), *cases, out),
        Command::Sign => sign(cli, out),
        Command::Retention { erase, reason, yes } => retention(cli, *erase, reason, *yes, out),
        Command::Train { scenario } => train(cli, scenario.as_deref()),
        Command::Scrutiny { sample, command: None } => scrutiny_screen(cli, *sample),
        Command::Scrutiny { command: Some(ScrutinyCommand::Pack { sample, out: path }), .. } => {
            scrutiny_pack(cli, *sample, path, err)
        }
        Command::Scrutiny { command: Some(ScrutinyCommand::Minutes { sample, format, out: path }), .. } => {
            scrutiny_minutes(cli, *sample, *format, path.as_deref(), out, err)
        }
        Command::Scrutiny { command: Some(ScrutinyCommand::Actions { open }), .. } => scrutiny_actions(cli, *open, out),
        Command::Scrutiny { command: Some(ScrutinyCommand::Ratings { sample, file }), .. } => {
            scrutiny_ratings(cli, *sample, file, out)
        }
        Command::Scrutiny { command: Some(ScrutinyCommand::Close { action, close_as, note }), .. } => {
            scrutiny_close(cli, action, *close_as, note, out)
        }
        Command::Report {
            period,
            year,
            format,
            out: path,
            reference_ethnicity,
            reference_sex,
            reference_age,
            quarters,
            force_wide,
        } => {
            let refs = crate::report::board::References {
                ethnicity: reference_ethnicity.clone(),
                sex: reference_sex.clone(),
                age_group: reference_age.clone(),
            };
            let (period, annual) = match year {
                Some(y) => (
                    Period { from: NaiveDate::from_ymd_opt(*y, 1, 1), to: NaiveDate::from_ymd_opt(*y, 12, 31) },
                    Some(*y),
                ),
                None => (*period, None),
            };
            let shape = ReportShape { refs: &refs, quarters: usize::from(*quarters), force_wide: *force_wide };
            report(cli, &period, annual, *format, path.as_deref(), &shape, out, err)
        }
        Command::Minutes { session, format, pseudonymise, out: path } => {
            panel_minutes(cli, *session, *format, *pseudonymise, path.as_deref(), out, err)
        }
        Command::Letter { record, to, format, out: path, sent } => {
            letter(cli, *record, (*to).into(), (*format).into(), path.as_deref(), *sent, out, err)
        }
        Command::Tasks { command: Some(TasksCommand::Done { task, by }), .. } => {
            close_task(cli, task, crate::domain::task_board::Closed::Done, by.as_deref(), out)
        }
        Command::Tasks { command: Some(TasksCommand::NotNeeded { task, reason }), .. } => {
            let closed = crate::domain::task_board::Closed::NotNeeded { reason: reason.clone() };
            close_task(cli, task, closed, None, out)
        }
        Command::Tasks { overdue, owner, format, out: path, command: None } => {
            let filter = TaskFilter { overdue: *overdue, owner: owner.clone() };
            tasks(cli, &filter, *format, path.as_deref(), out)
        }
        Command::Copy { .. } => unreachable!("jdp copy is dispatched before the store is chosen"),
        Command::Server { .. } => Err(CliError::Input(
            "jdp server prepares a PostgreSQL server: name it with --db postgres://USER@HOST/DATABASE (or JDP_DB)"
                .into(),
        )),
        Command::Sample { period, size, seed, by, theme, recompute, force_wide } => match recompute {
            Some(seq) => recompute_sample(cli, *seq, out),
            None => {
                let ask = SampleAsk {
                    size: *size,
                    seed: seed.clone(),
                    by: *by,
                    theme: theme.clone(),
                    force_wide: *force_wide,
                };
                sample(cli, period, ask, out, err)
            }
        },
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

/// Who is at the keyboard, for the access log: the operating-system account (never `$USER`,
/// which anyone can set).
pub fn actor() -> String {
    crate::platform::os_account()
}

pub use crate::words::count;

/// A store error at the command line always names the database file.
pub(crate) fn store_err(cli: &Cli) -> impl Fn(crate::store::StoreError) -> CliError {
    let path = db_path(cli);
    move |e| CliError::store(&path, e)
}

pub(crate) fn open_panel(cli: &Cli) -> Result<PanelDefinition, CliError> {
    Ok(load_panel(&panel_source(cli))?)
}

/// The store, created if new: for the commands that make or add to one (panel, import,
/// demo-data, train --db).
pub(crate) fn open_store(cli: &Cli) -> Result<Store, CliError> {
    Store::open(&db_path(cli)).map_err(store_err(cli))
}

/// An existing store, never a new one: for the commands that read one.
pub(crate) fn open_existing_store(cli: &Cli) -> Result<Store, CliError> {
    Store::open_existing(&db_path(cli)).map_err(store_err(cli))
}

/// Today, for the default period: the one place the CLI reads the clock's date.
pub(crate) fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}
