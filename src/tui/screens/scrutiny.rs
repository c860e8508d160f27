//! The scrutiny screens: the queue of a sample, the anonymised case a reviewer sees (what the
//! panel knew at the time, with no name, date of birth or reference), the review form, and the
//! board report as tables and bar charts.

use std::time::Instant;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Borders, Paragraph, Widget, Wrap};

use crate::domain::record::DecisionSnapshot;
use crate::domain::sampling::RuleSet;
use crate::scrutiny::{ReviewRecord, SampleRecord};
use crate::tui::app::{App, Editor, Overlay, Screen, Target};
use crate::tui::keys::Action;
use crate::tui::runner::Command;
use crate::tui::theme;
use crate::tui::view::trunc;
use crate::walk::Value;

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
            Why::Always(rules) => write!(f, "always: {}", rules.join(", ")),
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
        self.summary.as_ref().map_or("—", |s| crate::report::board::age_group(s.age_at_offence))
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
    pub snapshot: DecisionSnapshot,
    pub correction: Option<(String, DecisionSnapshot)>,
    /// How far the case can scroll (set when drawn).
    pub max_scroll: std::cell::Cell<u16>,
    /// The members' own ratings of this case in this sample, given before the panel agrees;
    /// hidden until the chair reveals them (v).
    pub blind: Vec<crate::scrutiny::BlindRating>,
    pub revealed: bool,
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

const FORM: [ReviewKey; 6] = [
    ReviewKey::Rating,
    ReviewKey::Observations,
    ReviewKey::LearningPoints,
    ReviewKey::Actions,
    ReviewKey::Reviewers,
    ReviewKey::Record,
];

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

    /// Opens the review queue of a stored sample.
    pub fn scrutiny(mut self, sample_seq: i64, sample: SampleRecord) -> Self {
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
        self.overlay = None;
        self.screen = Screen::Scrutiny(Box::new(Scrutiny {
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
        self.cmd(Command::RefreshReviews);
        self.run_commands();
        self
    }

    pub fn on_scrutiny_queue_key(&mut self, action: Action) {
        let Screen::Scrutiny(s) = &mut self.screen else { return };
        let shown = s.shown().len();
        match action {
            Action::Up => s.cursor = s.cursor.saturating_sub(1),
            Action::Down => s.cursor = (s.cursor + 1).min(shown.saturating_sub(1)),
            Action::Open => {
                let Some(id) = s.shown().get(s.cursor).map(|r| r.id) else { return };
                self.cmd(Command::OpenReview(id));
            }
            Action::Sort | Action::Filter if s.rows.len() > SUMMARISED_UP_TO => {
                self.status = Some(format!(
                    "This sample lists {} cases, more than a panel can review: it cannot be sorted or filtered. \
                     Draw a sample of a reviewable size.",
                    s.rows.len()
                ));
            }
            Action::Sort => {
                // The selected case stays selected in the new order.
                let at = s.shown().get(s.cursor).map(|r| r.id);
                s.sort = s.sort.next();
                s.cursor = at.and_then(|id| s.shown().iter().position(|r| r.id == id)).unwrap_or(0);
            }
            Action::Filter => {
                self.overlay = Some(Overlay::Edit(Editor {
                    target: Target::ScrutinyFilter,
                    label: "Show only cases with (offence, outcome, score, age band, month or rule; empty for all)"
                        .into(),
                    area: crate::tui::app::text_area(&s.filter),
                    multiline: false,
                    changed: false,
                    last_save: Instant::now(),
                }));
            }
            Action::Report => self.cmd(Command::BuildReport),
            _ => {}
        }
    }

    pub fn on_scrutiny_case_key(&mut self, action: Action) {
        let Screen::Scrutiny(s) = &mut self.screen else { return };
        match action {
            Action::Back => {
                s.case = None;
                s.view = ScrutinyView::Queue;
            }
            Action::Down => s.focus = (s.focus + 1) % FORM.len(),
            Action::Up => s.focus = (s.focus + FORM.len() - 1) % FORM.len(),
            Action::PageDown | Action::PageUp => {
                let max = s.case.as_ref().map_or(0, |c| c.max_scroll.get());
                super::scroll(&mut s.scroll, max, action, 10);
            }
            Action::Reveal => {
                if let Some(c) = s.case.as_mut() {
                    c.revealed = true;
                }
            }
            Action::Open => match FORM[s.focus] {
                ReviewKey::Rating => {
                    let options = self.panel.scrutiny.ratings.iter().map(|r| (r.id.clone(), r.label.clone())).collect();
                    let current = Value::Choice(Some(s.form.rating.clone()).filter(|r| !r.is_empty()));
                    self.overlay = Some(crate::tui::app::picker(
                        Target::Review(ReviewKey::Rating),
                        "Rating".into(),
                        options,
                        &current,
                        false,
                        false,
                    ));
                }
                ReviewKey::Record => self.cmd(Command::RecordReview),
                ref k => {
                    let (label, text) = match k {
                        ReviewKey::Observations => ("Observations", s.form.observations.clone()),
                        ReviewKey::LearningPoints => {
                            ("Learning points — one a line, \"theme: point\"", s.form.learning_points.join("\n"))
                        }
                        ReviewKey::Actions => {
                            ("Actions — one a line: what; owner; due YYYY-MM-DD", s.actions_text.clone())
                        }
                        _ => ("Reviewers present — one a line", s.form.reviewers.join("\n")),
                    };
                    self.overlay = Some(Overlay::Edit(Editor {
                        target: Target::Review(k.clone()),
                        label: label.into(),
                        area: crate::tui::app::text_area(&text),
                        multiline: true,
                        changed: false,
                        last_save: Instant::now(),
                    }));
                }
            },
            _ => {}
        }
    }

    pub fn commit_review_field(&mut self, key: ReviewKey, value: Value) {
        let Screen::Scrutiny(s) = &mut self.screen else { return };
        let lines = |t: &str| t.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect();
        match (key, value) {
            (ReviewKey::Rating, Value::Choice(Some(r))) => s.form.rating = r,
            (ReviewKey::Observations, Value::Text(t)) => s.form.observations = t,
            (ReviewKey::LearningPoints, Value::Text(t)) => s.form.learning_points = lines(&t),
            (ReviewKey::Reviewers, Value::Text(t)) => s.form.reviewers = lines(&t),
            (ReviewKey::Actions, Value::Text(t)) => {
                if let Err(e) = parse_actions(&t) {
                    self.status = Some(e);
                }
                s.actions_text = t;
            }
            _ => {}
        }
    }

    pub fn on_report_key(&mut self, action: Action) {
        let Screen::Scrutiny(s) = &mut self.screen else { return };
        match action {
            Action::Back => s.view = ScrutinyView::Queue,
            Action::Down => s.scroll = s.scroll.saturating_add(1),
            Action::Up => s.scroll = s.scroll.saturating_sub(1),
            Action::PageDown => s.scroll = s.scroll.saturating_add(15),
            Action::PageUp => s.scroll = s.scroll.saturating_sub(15),
            _ => {}
        }
    }

    pub fn render_scrutiny_queue(&self, area: Rect, buf: &mut Buffer) {
        let Some(s) = self.scrutiny_state() else { return };
        let title = format!(
            "Scrutiny — sample record {} ({} to {}, seed \"{}\")",
            s.sample_seq, s.sample.from, s.sample.to, s.sample.seed
        );
        let block = Block::new().borders(Borders::ALL).title(title);
        let inner = block.inner(area);
        block.render(area, buf);
        let done = s.rows.iter().filter(|r| r.reviewed.is_some()).count();
        let shown = s.shown();
        let filtered = if s.filter.trim().is_empty() {
            String::new()
        } else {
            format!(" · showing {} matching \"{}\"", shown.len(), s.filter.trim())
        };
        let mut lines = vec![
            Line::from(format!(
                "{} cases ({} always included, {} random) · {done} reviewed · sorted: {}{filtered}",
                s.rows.len(),
                s.sample.always.len(),
                s.sample.chosen.len(),
                s.sort.label()
            ))
            .style(theme::label()),
            Line::from("Anonymised: what the panel knew at the time. Every view is logged.").style(theme::muted()),
        ];
        // At 80 columns the review status shrinks to a mark, so why a case is here still shows.
        let wide = inner.width >= 110;
        lines.push(
            Line::from(if wide {
                format!(
                    "  {:<9} {:<26} {:<7} {:>5} {:<6} {:<9} {:<22} {}",
                    "Record", "Offence", "Outcome", "Score", "Age", "Month", "Reviewed", "Why included"
                )
            } else {
                format!(
                    "  {:<7} {:<16} {:<5} {:>2} {:<6} {:<9} {} {}",
                    "Record", "Offence", "Out.", "Sc", "Age", "Month", "✓", "Why included"
                )
            })
            .style(theme::label()),
        );
        let visible = inner.height.saturating_sub(3) as usize;
        let start = s.cursor.saturating_sub(visible.saturating_sub(1));
        for (i, row) in shown.iter().enumerate().skip(start).take(visible) {
            let mark = if i == s.cursor { "▶ " } else { "  " };
            let status = row.reviewed.as_ref().map_or("not reviewed".to_string(), |r| format!("✓ {r}"));
            let corrects = if row.summary.as_ref().is_some_and(|s| s.corrects) { " (a correction)" } else { "" };
            let text = if wide {
                format!(
                    "{mark}{:<9} {:<26} {:<7} {:>5} {:<6} {:<9} {:<22} {}{corrects}",
                    row.id,
                    trunc(row.offence(), 26),
                    trunc(row.outcome(), 7),
                    row.score(),
                    row.age_band(),
                    row.month(),
                    trunc(&status, 22),
                    row.why
                )
            } else {
                format!(
                    "{mark}{:<7} {:<16} {:<5} {:>2} {:<6} {:<9} {} {}{corrects}",
                    row.id,
                    trunc(row.offence(), 16),
                    trunc(row.outcome(), 5),
                    row.score(),
                    row.age_band(),
                    row.month(),
                    if row.reviewed.is_some() { "✓" } else { "·" },
                    row.why
                )
            };
            lines.push(Line::from(trunc(&text, inner.width as usize)).style(if i == s.cursor {
                theme::focus()
            } else {
                Style::new()
            }));
        }
        Paragraph::new(lines).render(inner, buf);
    }

    pub fn render_scrutiny_case(&self, area: Rect, buf: &mut Buffer) {
        let Some(s) = self.scrutiny_state() else { return };
        let Some(case) = &s.case else { return };
        let [left, right] = Layout::horizontal([Constraint::Percentage(58), Constraint::Percentage(42)]).areas(area);
        let correction = case.correction.as_ref().map(|(why, o)| (why.as_str(), o));
        let lines = anonymised_record(&case.snapshot, correction, &self.panel);
        let block =
            Block::new().borders(Borders::ALL).title(format!(" Record {}: what the panel knew (anonymised) ", case.id));
        super::render_scrolled(lines, block, s.scroll, &case.max_scroll, left, buf);
        let f = &s.form;
        let rating =
            self.panel.scrutiny.ratings.iter().find(|r| r.id == f.rating).map_or("— choose", |r| r.label.as_str());
        let values = [
            rating.to_string(),
            if f.observations.is_empty() { "—".into() } else { f.observations.clone() },
            if f.learning_points.is_empty() { "—".into() } else { f.learning_points.join("; ") },
            if s.actions_text.trim().is_empty() {
                "—".into()
            } else {
                s.actions_text.lines().filter(|l| !l.trim().is_empty()).collect::<Vec<_>>().join(" | ")
            },
            if f.reviewers.is_empty() { "—".into() } else { f.reviewers.join("; ") },
            String::new(),
        ];
        let labels = [
            "Rating",
            "Observations",
            "Learning points",
            "Actions (what; owner; due)",
            "Reviewers present",
            "[ Record this review ]",
        ];
        let mut lines = Vec::new();
        for (i, (label, value)) in labels.iter().zip(values).enumerate() {
            let style = if i == s.focus { theme::focus() } else { theme::label() };
            lines.push(Line::from(format!("{}{label}", if i == s.focus { "▶ " } else { "  " })).style(style));
            if !value.is_empty() {
                lines.push(Line::from(format!("    {value}")));
            }
        }
        // The members' own ratings: counted, and shown only once the chair reveals them.
        let own = &case.blind;
        lines.push(Line::from(""));
        if own.is_empty() {
            lines.push(Line::from("  Members' own ratings: none given").style(theme::muted()));
        } else if !case.revealed {
            lines.push(
                Line::from(format!("  Members' own ratings: {} given — v reveals them", own.len()))
                    .style(theme::muted()),
            );
        } else {
            lines.push(Line::from("  Members' own ratings:").style(theme::label()));
            for b in own {
                let label = self
                    .panel
                    .scrutiny
                    .ratings
                    .iter()
                    .find(|r| r.id == b.rating)
                    .map_or(b.rating.as_str(), |r| r.label.as_str());
                let vote = if b.votes(&self.panel) { "" } else { ", no vote" };
                lines.push(Line::from(format!("    {} ({}{vote}): {label}", b.reviewer, b.agency)));
            }
        }
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(Block::new().borders(Borders::ALL).title(" Review "))
            .render(right, buf);
    }

    pub fn render_report(&self, area: Rect, buf: &mut Buffer) {
        let Some(r) = self.scrutiny_state().and_then(|s| s.report.as_ref()) else { return };
        let scroll = self.scrutiny_state().map_or(0, |s| s.scroll);
        let [charts, text] = Layout::vertical([Constraint::Length(10), Constraint::Fill(1)]).areas(area);
        let [mix, time] = Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(charts);
        let mut totals: std::collections::BTreeMap<String, u64> = Default::default();
        for m in r.by_score.values() {
            for (o, n) in m {
                *totals.entry(o.clone()).or_default() += n;
            }
        }
        let bars: Vec<Bar> =
            totals.iter().map(|(o, n)| Bar::default().label(Line::from(o.clone())).value(*n)).collect();
        // Every outcome's bar fits, however narrow the window: the width is shared out.
        let fit = |area: Rect, n: usize, most: u16| {
            (area.width.saturating_sub(2) / (n.max(1) as u16)).saturating_sub(1).clamp(1, most)
        };
        BarChart::default()
            .block(Block::new().borders(Borders::ALL).title(" Outcome mix (decisions) "))
            .data(BarGroup::default().bars(&bars))
            .bar_width(fit(mix, bars.len(), 6))
            .bar_gap(1)
            .render(mix, buf);
        let months: Vec<Bar> = r
            .timeliness
            .iter()
            .map(|m| Bar::default().label(Line::from(m.month[5..].to_string())).value(m.referral_to_decision.0 as u64))
            .collect();
        BarChart::default()
            .block(Block::new().borders(Borders::ALL).title(" Median days, referral to decision "))
            .data(BarGroup::default().bars(&months))
            .bar_width(fit(time, months.len(), 3))
            .bar_gap(1)
            .render(time, buf);
        let md = crate::report::write::markdown(r);
        let lines: Vec<Line> = md.lines().map(|l| Line::from(l.to_string())).collect();
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0))
            .block(Block::new().borders(Borders::TOP).title(" Report (↑↓ PgUp PgDn scroll) "))
            .render(text, buf);
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

/// What a reviewer sees: facts without identity. The name, date of birth and reference are
/// left out, and scrubbed from every piece of free text.
/// The whole anonymised case a reviewer reads (see [`anonymised_record`]).
pub fn anonymised(snap: &DecisionSnapshot, panel: &crate::domain::PanelDefinition) -> Vec<Line<'static>> {
    anonymised_record(snap, None, panel)
}

/// The whole record as a reviewer may read it: every field the record keeps, anonymised by the
/// one scrubber (no name, date of birth, reference, named adult or exact date); the findings at
/// the time; and for a correction, the reason and what changed from the original.
pub fn anonymised_record(
    snap: &DecisionSnapshot,
    correction: Option<(&str, &DecisionSnapshot)>,
    panel: &crate::domain::PanelDefinition,
) -> Vec<Line<'static>> {
    let a = crate::report::case_view::anonymised(snap, correction, panel);
    let mut l = vec![Line::from(a.heading).style(theme::title())];
    if let Some((reason, changed)) = a.correction {
        l.push(Line::from(format!("A correction of an earlier record, because: {reason}")).style(theme::warning()));
        l.push(Line::from("What changed (was → now):").style(theme::label()));
        for (field, was, is) in changed {
            l.push(Line::from(format!("  {field}: {was}  →  {is}")).style(theme::warning()));
        }
    }
    l.extend(crate::tui::case_view::lines(&a.rows));
    l.push(Line::from("Findings at the time").style(theme::label()));
    if a.findings.is_empty() {
        l.push(Line::from("  none"));
    }
    l.extend(a.findings.into_iter().map(|f| Line::from(format!("  {f}"))));
    l
}
