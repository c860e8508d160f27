//! `jdp letter`: the letter telling the child, their parent or carer, the victim or the social
//! worker what the panel decided, from the templates beside the panel definition
//! (`panels/letters/`). Every letter is measured for readability against the letters' limits, is
//! written owner-only, and is logged in the access log as a disclosure (who, to whom, when; no
//! personal content). `--sent` records the matching follow-up task done.

use std::io::Write;
use std::path::Path;

use chrono::Utc;

use super::*;
use crate::domain::letters::{self, LetterFormat, Recipient};
use crate::domain::task_board::{self, Closed, TaskEvent};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LetterTo {
    Child,
    Carer,
    Victim,
    SocialWorker,
}

impl From<LetterTo> for Recipient {
    fn from(t: LetterTo) -> Self {
        match t {
            LetterTo::Child => Recipient::Child,
            LetterTo::Carer => Recipient::Carer,
            LetterTo::Victim => Recipient::Victim,
            LetterTo::SocialWorker => Recipient::SocialWorker,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LetterFormatArg {
    Html,
    Md,
    Txt,
}

impl From<LetterFormatArg> for LetterFormat {
    fn from(f: LetterFormatArg) -> Self {
        match f {
            LetterFormatArg::Html => LetterFormat::Html,
            LetterFormatArg::Md => LetterFormat::Md,
            LetterFormatArg::Txt => LetterFormat::Txt,
        }
    }
}

/// The letters for the panel definition in use: `letters/` beside its file, else the built-in set.
pub(crate) fn open_letters(cli: &Cli) -> Result<(String, letters::LettersFile), CliError> {
    let file = match panel_source(cli) {
        PanelSource::File(p) => Some(p),
        PanelSource::BuiltIn => None,
    };
    Ok(config::letters::letters_for(file.as_deref())?)
}

#[allow(clippy::too_many_arguments)]
pub(super) fn letter(
    cli: &Cli,
    record: i64,
    to: Recipient,
    format: LetterFormat,
    path: Option<&Path>,
    sent: bool,
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<(), CliError> {
    let panel = open_panel(cli)?;
    let (source, file) = open_letters(cli)?;
    let mut store = super::server::open_existing_backend(cli)?;
    let row = store
        .decision(record)
        .map_err(store_err(cli))?
        .ok_or_else(|| CliError::Input(format!("record {record} is not a recorded decision")))?;
    if let Some(later) = row.superseded_by {
        return Err(CliError::Input(format!(
            "record {record} is superseded by record {later}: write the letter for record {later}"
        )));
    }
    if row.erased {
        return Err(CliError::Input(format!(
            "record {record}'s personal details were erased after retention: no letter can be written from it"
        )));
    }
    let (text, over) = letters::compose(&row.snapshot, &panel, &file, to, format).map_err(CliError::Input)?;
    for o in &over {
        writeln!(err, "warning: the letter to the {} ({source}) is hard to read: {o}", to.id())
            .map_err(CliError::stdout)?;
    }
    let target = format!(
        "letter to the {} for record {record} ({}), {}",
        to.id(),
        row.snapshot.case.referral.reference,
        path.map_or("standard output".into(), |p| p.display().to_string())
    );
    write_disclosed(
        cli,
        &mut *store,
        ("letter", &target, "telling people the panel's decision"),
        path,
        text.as_bytes(),
        out,
    )?;
    if sent {
        let id = crate::domain::task_board::task_id(record, to.task());
        let on = today();
        let event = TaskEvent {
            referral_id: 0,
            decision: 0,
            task: String::new(),
            closed: Closed::LetterSent { to },
            by: actor(),
            on,
        };
        let said = match store.close_task(&id, event, &actor(), Utc::now()) {
            Ok(rec) => {
                // Done once every letter the task needs is sent: derived from the chain.
                let board = store.task_board(on).map_err(store_err(cli))?;
                match task_board::letter_left_open(&board, &id, to, rec.seq) {
                    Some(open) => writeln!(err, "{open}"),
                    None => writeln!(err, "Task {id} recorded done (record {}).", rec.seq),
                }
            }
            Err(e) => writeln!(err, "The letter is written; task {id} was not recorded: {e}"),
        };
        said.map_err(CliError::stdout)?;
    }
    Ok(())
}

/// `jdp check` on a letters file or directory: the templates load and every placeholder is known
/// (problems located); each outcome's letter to each recipient, rendered for an example decision,
/// is measured, with a warning where it is over the readability limits.
pub(super) fn check_letters(
    path: &Path,
    panel: &PanelDefinition,
    beside: Option<&Path>,
) -> Result<String, ConfigErrors> {
    let file = config::letters::load_letters_checked(path, Some(panel))?;
    let mut problems = Vec::new();
    let example = example_decision(panel);
    for o in &panel.outcomes {
        let mut snap = example.clone();
        snap.case.decision.outcome = Some(o.code.clone());
        for to in Recipient::ALL {
            let Some(t) = letters::template(&file, to, &o.code) else { continue };
            let values = letters::values(&snap, panel, &file.settings, to);
            let plain = letters::render(t, &values, LetterFormat::Txt);
            for over in letters::over_limits(&letters::readability(&plain), &file.settings) {
                problems.push(format!("warning: the letter to the {} for {} is hard to read: {over}", to.id(), o.code));
            }
        }
    }
    let mut summary = format!("{} letter template(s)", file.letters.len());
    if let Some(b) = beside {
        summary.push_str(&format!(", checked against {}", b.display()));
    }
    for p in problems {
        summary.push('\n');
        summary.push_str(&p);
    }
    Ok(summary)
}

/// A decision to render letters with when checking templates: the example referral's facts.
fn example_decision(panel: &PanelDefinition) -> crate::domain::record::DecisionSnapshot {
    use crate::domain::referral::*;
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default();
    let mut case = Case::new(Referral {
        reference: "EXAMPLE-0001".into(),
        child: Child {
            name: "Sam Example".into(),
            known_as: Vec::new(),
            date_of_birth: d("2012-03-01"),
            sex: Sex::Male,
            ethnicity: "Not stated".into(),
            looked_after: Some(LookedAfter {
                local_authority: "Example Borough".into(),
                social_worker: Some("Alex Worker".into()),
            }),
        },
        offences: Vec::new(),
        response: Response::Admitted,
        previous_outcomes: Vec::new(),
        officer_in_case: String::new(),
        referral_date: d("2026-10-20"),
        appropriate_adult: None,
    });
    case.victim = VictimViews::NoDirectVictim;
    case.decision.rationale = "A first offence, admitted, with a victim who wants an apology".into();
    crate::domain::record::DecisionSnapshot {
        case,
        chair: String::new(),
        decided_on: d("2026-11-23"),
        panel_version: panel.panel.version.clone(),
        matrix_version: panel.gravity.version.clone(),
        score: crate::domain::record::ScoreSnapshot {
            offence: String::new(),
            group: String::new(),
            base: 0,
            final_score: 0,
            movement: 0,
            indicated: None,
            departure: false,
            factors: Vec::new(),
        },
        findings: Vec::new(),
        tasks: Vec::new(),
    }
}

/// `jdp minutes`: the minutes of a panel meeting (see `report::minutes`).
pub(super) fn panel_minutes(
    cli: &Cli,
    session: Option<NaiveDate>,
    format: PaperFormat,
    pseudonymise: bool,
    path: Option<&Path>,
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<(), CliError> {
    let panel = open_panel(cli)?;
    let mut store = super::server::open_existing_backend(cli)?;
    let on = match session {
        // A mistyped date must not make official-looking minutes of a meeting that never was.
        Some(d) => {
            let sat = store.session_dates().map_err(store_err(cli))?;
            if !sat.contains(&d) && store.head_after(d).map_err(store_err(cli))?.is_none() {
                let last: Vec<String> = sat.iter().rev().take(5).map(|d| d.to_string()).collect();
                return Err(CliError::Input(format!(
                    "no panel sat on {d}: no sitting and nothing recorded that day (sittings recorded: {})",
                    if last.is_empty() { "none".to_string() } else { last.join(", ") }
                )));
            }
            d
        }
        None => store.session_dates().map_err(store_err(cli))?.last().copied().ok_or_else(|| {
            CliError::Input("no panel sitting is recorded yet (the session screen, s, records one)".into())
        })?,
    };
    let md = crate::report::minutes::markdown(&mut *store, &panel, on, pseudonymise).map_err(store_err(cli))?;
    let bytes = match format {
        PaperFormat::Md => md.into_bytes(),
        PaperFormat::Html => {
            crate::report::papers::simple_html(&format!("Minutes of the joint decision panel, {on}"), &md).into_bytes()
        }
    };
    let target = format!(
        "minutes of the panel on {on}{}, {}",
        if pseudonymise { " (pseudonymised)" } else { "" },
        path.map_or("standard output".into(), |p| p.display().to_string())
    );
    write_disclosed(cli, &mut *store, ("minutes", &target, "the panel's minutes"), path, &bytes, out)?;
    if let Some(p) = path {
        writeln!(err, "Wrote the minutes of the panel on {on} to {}.", p.display()).map_err(CliError::stdout)?;
    }
    Ok(())
}
