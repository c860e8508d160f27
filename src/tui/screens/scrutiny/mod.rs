//! The scrutiny screens, one file each: the queue of a sample (`queue`), the anonymised case a
//! reviewer sees with the review form (`case`), and the board report (`report`). They share one
//! meeting's state, held by its `Screen::Scrutiny` variant and defined here.

use crate::domain::record::DecisionSnapshot;
use crate::domain::sampling::RuleSet;
use crate::scrutiny::{ReviewRecord, SampleRecord};
use crate::tui::app::{App, Screen};
use crate::tui::runner::Command;

mod case;
mod queue;
mod report;

pub use case::{anonymised, anonymised_lines, anonymised_record};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReviewKey {
    Rating,
    Observations,
    LearningPoints,
    Actions,
    Reviewers,
    Record,
}

#[derive(Debug)]
pub struct CaseRow {
    pub id: i64,
    pub why: Why,
    pub reviewed: Option<String>,
    /// Offence, outcome, score, age and month, read when the queue opens (for a sample of a
    /// size a panel can review; see [`SUMMARISED_UP_TO`]).
    /// Boxed: a row without one (a sample of an older, uncapped kind can list hundreds of
    /// thousands of cases) then takes a pointer, not the summary's hundred bytes.
    pub summary: Option<Box<crate::store::scrutiny::DecisionSummary>>,
}

/// The largest sample whose rows are read in full for sorting and filtering: a sample drawn
/// before samples were capped can list hundreds of thousands of cases, and the screen must
/// still open it in little memory.
pub const SUMMARISED_UP_TO: usize = 5_000;

/// Why a case is in the sample, shown as "always: rules" or "random: stratum". Compact: a sample
/// of a long period lists hundreds of thousands of cases, and the strata are shared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Why {
    Always(RuleSet),
    Random(std::sync::Arc<str>),
}

impl std::fmt::Display for Why {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Why::Always(rules) => write!(f, "always: {}", rules.words(", ")),
            Why::Random(stratum) => write!(f, "random: {stratum}"),
        }
    }
}

/// The column the review queue is sorted by: `o` moves to the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortBy {
    /// As drawn: carried forward and always-included first, then the random draw.
    #[default]
    Drawn,
    Offence,
    Outcome,
    Score,
    AgeBand,
    Month,
    Why,
}

impl SortBy {
    const ALL: [SortBy; 7] =
        [SortBy::Drawn, SortBy::Offence, SortBy::Outcome, SortBy::Score, SortBy::AgeBand, SortBy::Month, SortBy::Why];

    fn next(self) -> Self {
        let i = Self::ALL.iter().position(|s| *s == self).unwrap_or(0);
        Self::ALL[(i + 1) % Self::ALL.len()]
    }

    pub fn label(self) -> &'static str {
        match self {
            SortBy::Drawn => "as drawn",
            SortBy::Offence => "offence",
            SortBy::Outcome => "outcome",
            SortBy::Score => "final score",
            SortBy::AgeBand => "age band",
            SortBy::Month => "month",
            SortBy::Why => "why included",
        }
    }
}

impl CaseRow {
    fn sum(&self) -> &crate::store::scrutiny::DecisionSummary {
        static NONE: std::sync::OnceLock<crate::store::scrutiny::DecisionSummary> = std::sync::OnceLock::new();
        self.summary.as_deref().unwrap_or_else(|| NONE.get_or_init(Default::default))
    }

    pub fn offence(&self) -> &str {
        self.summary.as_ref().map_or("—", |s| s.offence.as_str())
    }

    pub fn outcome(&self) -> &str {
        self.summary.as_ref().map_or("—", |s| s.outcome.as_str())
    }

    pub fn score(&self) -> String {
        self.summary.as_ref().map_or("—".into(), |s| s.final_score.to_string())
    }

    pub fn age_band(&self) -> &'static str {
        self.summary.as_ref().map_or("—", |s| crate::domain::referral::age_group(s.age_at_offence))
    }

    /// The month as a person writes it ("Jun 2026").
    pub fn month(&self) -> String {
        let Some(s) = &self.summary else { return "—".into() };
        chrono::NaiveDate::parse_from_str(&format!("{}-01", s.month), "%Y-%m-%d")
            .map_or(s.month.clone(), |d| d.format("%b %Y").to_string())
    }

    /// Whether the row matches a filter: any of its columns contains the text, case aside.
    pub fn matches(&self, filter: &str) -> bool {
        let f = filter.trim().to_lowercase();
        f.is_empty()
            || [
                self.offence(),
                self.outcome(),
                &self.score(),
                self.age_band(),
                &self.month(),
                &self.why.to_string(),
                self.reviewed.as_deref().unwrap_or("not reviewed"),
            ]
            .iter()
            .any(|c| c.to_lowercase().contains(&f))
    }
}

/// The decision under review, with the one it corrects (if it is a correction) and why.
#[derive(Debug)]
pub struct ReviewCase {
    pub id: i64,
    /// The case as the reviewer reads it (`Backend::anonymised_case`).
    pub case: crate::domain::case_view::Anonymised,
    /// How far the case can scroll (set when drawn).
    pub max_scroll: std::cell::Cell<u16>,
    /// The members' own ratings of this case in this sample, given before the panel agrees;
    /// hidden until the chair reveals them (v).
    pub blind: Vec<crate::scrutiny::BlindRating>,
    pub revealed: bool,
    /// The review as it opened (the one that stands, or empty): typing that differs from it is
    /// not yet recorded, and leaving with it is asked first.
    pub opened: ReviewRecord,
}

/// Which of the scrutiny screens is on show: they share one sample's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScrutinyView {
    Queue,
    Case,
    Report,
}

/// A scrutiny meeting's state, held by its screen: the sample, its review queue, the case open,
/// the review form and the report.
#[derive(Debug)]
pub struct Scrutiny {
    pub view: ScrutinyView,
    pub sample_seq: i64,
    pub sample: SampleRecord,
    pub rows: Vec<CaseRow>,
    /// The position in the rows as shown (sorted and filtered).
    pub cursor: usize,
    pub sort: SortBy,
    pub filter: String,
    pub case: Option<ReviewCase>,
    pub form: ReviewRecord,
    /// The actions as typed; read into the review when it is recorded.
    pub actions_text: String,
    pub focus: usize,
    pub report: Option<crate::report::board::Report>,
    pub scroll: u16,
}

impl Scrutiny {
    /// The open case's review has typing not yet recorded.
    pub fn unrecorded(&self) -> bool {
        self.case.as_ref().is_some_and(|c| c.opened != self.form || !self.actions_text.trim().is_empty())
    }

    /// The rows as shown: those matching the filter, in the chosen order.
    pub fn shown(&self) -> Vec<&CaseRow> {
        let mut rows: Vec<&CaseRow> = self.rows.iter().filter(|r| r.matches(&self.filter)).collect();
        match self.sort {
            SortBy::Drawn => {}
            SortBy::Offence => rows.sort_by(|a, b| a.offence().cmp(b.offence())),
            SortBy::Outcome => rows.sort_by(|a, b| a.outcome().cmp(b.outcome())),
            SortBy::Score => rows.sort_by_key(|r| std::cmp::Reverse(r.sum().final_score)),
            SortBy::AgeBand => rows.sort_by_key(|r| r.age_band()),
            SortBy::Month => rows.sort_by(|a, b| a.sum().month.cmp(&b.sum().month)),
            SortBy::Why => rows.sort_by_cached_key(|r| r.why.to_string()),
        }
        rows
    }
}

/// The actions as typed, one a line ("what; owner; due YYYY-MM-DD"), read when the review is
/// recorded: each line's problem, with its line number.
pub fn parse_actions(text: &str) -> Result<Vec<crate::domain::actions::ActionItem>, String> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| crate::domain::actions::parse_line(l).map_err(|e| format!("Actions, line {}: {e}", i + 1)))
        .collect()
}

impl App {
    pub fn scrutiny_state(&self) -> Option<&Scrutiny> {
        match &self.screen {
            Screen::Scrutiny(s) => Some(s),
            _ => None,
        }
    }

    pub fn scrutiny_state_mut(&mut self) -> Option<&mut Scrutiny> {
        match &mut self.screen {
            Screen::Scrutiny(s) => Some(s),
            _ => None,
        }
    }

    /// The scrutiny screen on `store`: the review queue of a stored sample. Nothing of the
    /// panel's queue is read (a scrutiny login on a server may not read it at all).
    pub fn scrutiny(
        store: impl Into<Box<dyn crate::store::Backend>>,
        panel: crate::domain::PanelDefinition,
        today: chrono::NaiveDate,
        sample_seq: i64,
        sample: SampleRecord,
    ) -> Self {
        let mut app = App::bare(store, panel, today, false);
        app.cmd(Command::ScreenSettings);
        let mut strata: Vec<std::sync::Arc<str>> = Vec::new();
        let mut stratum = |name: &str| match strata.iter().find(|s| &***s == name) {
            Some(s) => s.clone(),
            None => {
                strata.push(name.into());
                strata[strata.len() - 1].clone()
            }
        };
        let rows = sample
            .always
            .iter()
            .map(|a| CaseRow { id: a.id, why: Why::Always(a.rules), reviewed: None, summary: None })
            .chain(sample.chosen.iter().map(|c| CaseRow {
                id: c.id,
                why: Why::Random(stratum(&c.stratum)),
                reviewed: None,
                summary: None,
            }))
            .collect();
        app.screen = Screen::Scrutiny(Box::new(Scrutiny {
            view: ScrutinyView::Queue,
            sample_seq,
            sample,
            rows,
            cursor: 0,
            sort: SortBy::default(),
            filter: String::new(),
            case: None,
            form: empty_form(sample_seq, 0),
            actions_text: String::new(),
            focus: 0,
            report: None,
            scroll: 0,
        }));
        app.cmd(Command::RefreshReviews);
        app.run_commands();
        app
    }
}

pub(crate) fn empty_form(sample: i64, decision: i64) -> ReviewRecord {
    ReviewRecord {
        sample,
        decision,
        rating: String::new(),
        observations: String::new(),
        learning_points: vec![],
        reviewers: vec![],
        actions: vec![],
    }
}
