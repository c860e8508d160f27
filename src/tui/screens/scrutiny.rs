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
use crate::redact;
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
    Reviewers,
    Record,
}

pub struct CaseRow {
    pub id: i64,
    pub why: Why,
    pub reviewed: Option<String>,
}

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

pub struct Scrutiny {
    pub sample_seq: i64,
    pub sample: SampleRecord,
    pub rows: Vec<CaseRow>,
    pub cursor: usize,
    pub case: Option<(i64, DecisionSnapshot)>,
    pub form: ReviewRecord,
    pub focus: usize,
    pub report: Option<crate::report::board::Report>,
    pub scroll: u16,
}

const FORM: [ReviewKey; 5] =
    [ReviewKey::Rating, ReviewKey::Observations, ReviewKey::LearningPoints, ReviewKey::Reviewers, ReviewKey::Record];

impl App {
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
            .map(|a| CaseRow { id: a.id, why: Why::Always(a.rules), reviewed: None })
            .chain(sample.chosen.iter().map(|c| CaseRow {
                id: c.id,
                why: Why::Random(stratum(&c.stratum)),
                reviewed: None,
            }))
            .collect();
        self.overlay = None;
        self.resume = None;
        self.scrutiny_state = Some(Scrutiny {
            sample_seq,
            sample,
            rows,
            cursor: 0,
            case: None,
            form: empty_form(sample_seq, 0),
            focus: 0,
            report: None,
            scroll: 0,
        });
        self.cmd(Command::RefreshReviews);
        self.screen = Screen::ScrutinyQueue;
        self.run_commands();
        self
    }

    pub fn on_scrutiny_queue_key(&mut self, action: Action) {
        let Some(s) = self.scrutiny_state.as_mut() else { return };
        match action {
            Action::Up => s.cursor = s.cursor.saturating_sub(1),
            Action::Down => s.cursor = (s.cursor + 1).min(s.rows.len().saturating_sub(1)),
            Action::Open => {
                let Some(id) = s.rows.get(s.cursor).map(|r| r.id) else { return };
                self.cmd(Command::OpenReview(id));
            }
            Action::Report => self.cmd(Command::BuildReport),
            _ => {}
        }
    }

    pub fn on_scrutiny_case_key(&mut self, action: Action) {
        let Some(s) = self.scrutiny_state.as_mut() else { return };
        match action {
            Action::Back => {
                s.case = None;
                self.screen = Screen::ScrutinyQueue;
            }
            Action::Down => s.focus = (s.focus + 1) % FORM.len(),
            Action::Up => s.focus = (s.focus + FORM.len() - 1) % FORM.len(),
            Action::PageDown => s.scroll = s.scroll.saturating_add(10),
            Action::PageUp => s.scroll = s.scroll.saturating_sub(10),
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
        let Some(s) = self.scrutiny_state.as_mut() else { return };
        let lines = |t: &str| t.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect();
        match (key, value) {
            (ReviewKey::Rating, Value::Choice(Some(r))) => s.form.rating = r,
            (ReviewKey::Observations, Value::Text(t)) => s.form.observations = t,
            (ReviewKey::LearningPoints, Value::Text(t)) => s.form.learning_points = lines(&t),
            (ReviewKey::Reviewers, Value::Text(t)) => s.form.reviewers = lines(&t),
            _ => {}
        }
    }

    pub fn on_report_key(&mut self, action: Action) {
        let Some(s) = self.scrutiny_state.as_mut() else { return };
        match action {
            Action::Back => self.screen = Screen::ScrutinyQueue,
            Action::Down => s.scroll = s.scroll.saturating_add(1),
            Action::Up => s.scroll = s.scroll.saturating_sub(1),
            Action::PageDown => s.scroll = s.scroll.saturating_add(15),
            Action::PageUp => s.scroll = s.scroll.saturating_sub(15),
            _ => {}
        }
    }

    pub fn render_scrutiny_queue(&self, area: Rect, buf: &mut Buffer) {
        let Some(s) = &self.scrutiny_state else { return };
        let title = format!(
            "Scrutiny — sample record {} ({} to {}, seed \"{}\")",
            s.sample_seq, s.sample.from, s.sample.to, s.sample.seed
        );
        let block = Block::new().borders(Borders::ALL).title(title);
        let inner = block.inner(area);
        block.render(area, buf);
        let done = s.rows.iter().filter(|r| r.reviewed.is_some()).count();
        let mut lines = vec![
            Line::from(format!(
                "{} case(s): {} always included, {} drawn at random · {done} reviewed",
                s.rows.len(),
                s.sample.always.len(),
                s.sample.chosen.len()
            ))
            .style(theme::label()),
            Line::from("Reviewers see what the panel knew at the time, anonymised. Every view is logged.")
                .style(theme::muted()),
        ];
        let visible = inner.height.saturating_sub(2) as usize;
        let start = s.cursor.saturating_sub(visible.saturating_sub(1));
        for (i, row) in s.rows.iter().enumerate().skip(start).take(visible) {
            let mark = if i == s.cursor { "▶ " } else { "  " };
            let status = row.reviewed.as_ref().map_or("not reviewed".to_string(), |r| format!("✓ {r}"));
            let text = format!("{mark}record {:>9}  {:<30} {}", row.id, trunc(&status, 30), row.why);
            lines.push(Line::from(trunc(&text, inner.width as usize)).style(if i == s.cursor {
                theme::focus()
            } else {
                Style::new()
            }));
        }
        Paragraph::new(lines).render(inner, buf);
    }

    pub fn render_scrutiny_case(&self, area: Rect, buf: &mut Buffer) {
        let Some(s) = &self.scrutiny_state else { return };
        let Some((id, snap)) = &s.case else { return };
        let [left, right] = Layout::horizontal([Constraint::Percentage(58), Constraint::Percentage(42)]).areas(area);
        let lines = anonymised(snap, &self.panel);
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((s.scroll, 0))
            .block(Block::new().borders(Borders::ALL).title(format!(" Record {id}: what the panel knew (anonymised) ")))
            .render(left, buf);
        let f = &s.form;
        let rating =
            self.panel.scrutiny.ratings.iter().find(|r| r.id == f.rating).map_or("— choose", |r| r.label.as_str());
        let values = [
            rating.to_string(),
            if f.observations.is_empty() { "—".into() } else { f.observations.clone() },
            if f.learning_points.is_empty() { "—".into() } else { f.learning_points.join("; ") },
            if f.reviewers.is_empty() { "—".into() } else { f.reviewers.join("; ") },
            String::new(),
        ];
        let labels = ["Rating", "Observations", "Learning points", "Reviewers present", "[ Record this review ]"];
        let mut lines = Vec::new();
        for (i, (label, value)) in labels.iter().zip(values).enumerate() {
            let style = if i == s.focus { theme::focus() } else { theme::label() };
            lines.push(Line::from(format!("{}{label}", if i == s.focus { "▶ " } else { "  " })).style(style));
            if !value.is_empty() {
                lines.push(Line::from(format!("    {value}")));
            }
        }
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(Block::new().borders(Borders::ALL).title(" Review "))
            .render(right, buf);
    }

    pub fn render_report(&self, area: Rect, buf: &mut Buffer) {
        let Some(r) = self.scrutiny_state.as_ref().and_then(|s| s.report.as_ref()) else { return };
        let scroll = self.scrutiny_state.as_ref().map_or(0, |s| s.scroll);
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
        BarChart::default()
            .block(Block::new().borders(Borders::ALL).title(" Outcome mix (decisions) "))
            .data(BarGroup::default().bars(&bars))
            .bar_width(6)
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
            .bar_width(3)
            .bar_gap(1)
            .render(time, buf);
        let md = crate::report::write::markdown(r);
        let lines: Vec<Line> = md.lines().map(|l| Line::from(l.to_string())).collect();
        Paragraph::new(lines)
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
    }
}

/// What a reviewer sees: facts without identity. The name, date of birth and reference are
/// left out, and scrubbed from every piece of free text.
pub fn anonymised(snap: &DecisionSnapshot, panel: &crate::domain::PanelDefinition) -> Vec<Line<'static>> {
    let c = &snap.case;
    let r = &c.referral;
    let pairs = redact::identifiers(c, &redact::Replace { name: "[reference]", reference: Some("[reference]") });
    let clean = |t: &str| redact::apply(t, &pairs);
    let mut l = vec![
        Line::from(format!(
            "Child: aged {} at the offence · {} · {}{}",
            r.age_at_offence().map_or("?".into(), |a| a.to_string()),
            r.child.sex.label(),
            r.child.ethnicity,
            if r.child.looked_after.is_some() { " · looked after" } else { "" }
        )),
        Line::from(format!(
            "Offence: {} · {} · {} previous outcome(s)",
            snap.score.offence,
            r.response.label(),
            r.previous_outcomes.len()
        )),
        Line::from(format!(
            "Gravity: base {}, factors [{}], final {} (moved {:+}); the matrix indicated {}",
            snap.score.base,
            snap.score.factors.join(", "),
            snap.score.final_score,
            snap.score.movement,
            snap.score.indicated.as_deref().unwrap_or("—")
        )),
        Line::from(""),
        Line::from("Police research summary").style(theme::label()),
    ];
    for (label, text) in [
        ("History", &c.research.history),
        ("Intelligence", &c.research.intelligence),
        ("Family context", &c.research.family_context),
        ("Exploitation", &c.research.exploitation),
        ("Safeguarding", &c.research.safeguarding),
    ] {
        if !text.trim().is_empty() {
            l.push(Line::from(format!("  {label}: {}", clean(text))));
        }
    }
    l.push(Line::from(format!("  {} search(es) audited", c.research.searches.len())));
    l.push(Line::from(format!("Victim: {}", c.victim.label())).style(theme::label()));
    if let crate::domain::referral::VictimViews::Contacted(v) = &c.victim {
        l.push(Line::from(format!("  Views: {}  Wishes: {}", clean(&v.views), clean(&v.wishes))));
    }
    l.push(Line::from("Assessed needs").style(theme::label()));
    for n in &c.needs.needs {
        let label = panel.need_domain(&n.domain).map_or(n.domain.as_str(), |d| d.label.as_str());
        l.push(Line::from(format!("  {label}: {}", n.level.label())));
    }
    l.push(Line::from(format!("  Child's views: {}", clean(&c.needs.child_views))));
    l.push(Line::from(format!("  Carer's views: {}", clean(&c.needs.carer_views))));
    l.push(Line::from("Findings at the time").style(theme::label()));
    for f in &snap.findings {
        l.push(Line::from(format!("  {} {}", if f.blocking { "BLOCKED" } else { "WARNING" }, clean(&f.reason))));
    }
    let views: Vec<String> = c.decision.views.iter().map(|v| format!("{} {}", v.agency, v.outcome)).collect();
    l.push(Line::from("The joint decision").style(theme::label()));
    l.push(Line::from(format!("  Views: {} · decided: {} on {}", views.join(", "), snap.outcome(), snap.decided_on)));
    l.push(Line::from(format!("  Rationale: {}", clean(&c.decision.rationale))));
    if !c.decision.conditions.is_empty() {
        l.push(Line::from(format!("  Conditions: {}", clean(&c.decision.conditions.join("; ")))));
    }
    l
}
