//! One case under review: the whole anonymised record beside the review form (rating,
//! observations, learning points, actions, reviewers), and the members' own ratings.

use std::time::Instant;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

use super::*;
use crate::tui::app::{Editor, Overlay, Target};
use crate::tui::keys::Action;
use crate::tui::overlays::Confirm;
use crate::tui::theme;
use crate::walk::Value;

const FORM: [ReviewKey; 6] = [
    ReviewKey::Rating,
    ReviewKey::Observations,
    ReviewKey::LearningPoints,
    ReviewKey::Actions,
    ReviewKey::Reviewers,
    ReviewKey::Record,
];

impl App {
    pub fn on_scrutiny_case_key(&mut self, action: Action) {
        let Screen::Scrutiny(s) = &mut self.screen else { return };
        match action {
            Action::Back if s.unrecorded() => {
                self.overlay = Some(Overlay::Confirm(Confirm::LeaveReview { quit: false }));
            }
            Action::Back => {
                s.case = None;
                s.view = ScrutinyView::Queue;
            }
            Action::Down => s.focus = (s.focus + 1) % FORM.len(),
            Action::Up => s.focus = (s.focus + FORM.len() - 1) % FORM.len(),
            Action::PageDown | Action::PageUp => {
                let max = s.case.as_ref().map_or(0, |c| c.max_scroll.get());
                crate::tui::screens::scroll(&mut s.scroll, max, action, 10);
            }
            Action::OwnRating => {
                if s.form.reviewers.is_empty() {
                    self.status = Some("Type the reviewers present first (the \"Reviewers present\" field).".into());
                } else {
                    self.overlay = Some(Overlay::OwnRating(crate::tui::overlays::OwnRating::Who { cursor: 0 }));
                }
            }
            // Revealing cannot be undone, so it is asked: a letter typed on after an editor
            // closed must never show the ratings members gave blind.
            Action::Reveal => {
                if let Some(c) = s.case.as_ref().filter(|c| !c.revealed && !c.blind.is_empty()) {
                    self.overlay = Some(Overlay::Confirm(Confirm::Reveal { decision: c.id, given: c.blind.len() }));
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

    /// After an editor is left with Tab or Enter: the next field of the form, as on the walk.
    pub(crate) fn next_review_field(&mut self) {
        if let Some(s) = self.scrutiny_state_mut() {
            s.focus = (s.focus + 1).min(FORM.len() - 1);
        }
    }

    /// The chair has said yes: the open case's own ratings are shown, for this case only.
    pub(crate) fn reveal_own_ratings(&mut self) {
        if let Some(c) = self.scrutiny_state_mut().and_then(|s| s.case.as_mut()) {
            c.revealed = true;
        }
    }

    /// Leaving the open case (or jdp) after the chair agreed to drop its unrecorded typing.
    pub(crate) fn leave_review(&mut self, quit: bool) {
        if quit {
            return self.stop();
        }
        if let Some(s) = self.scrutiny_state_mut() {
            s.case = None;
            s.view = ScrutinyView::Queue;
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

    pub fn render_scrutiny_case(&self, area: Rect, buf: &mut Buffer) {
        let Some(s) = self.scrutiny_state() else { return };
        let Some(case) = &s.case else { return };
        let [left, right] = Layout::horizontal([Constraint::Percentage(58), Constraint::Percentage(42)]).areas(area);
        let lines = anonymised_lines(&case.case);
        let block = Block::new().borders(Borders::ALL).title(format!(" Record {} · anonymised ", case.id));
        crate::tui::screens::render_scrolled(lines, block, s.scroll, &case.max_scroll, left, buf);
        let f = &s.form;
        let rating = self.panel.rating(&f.rating).map_or("— choose", |r| r.label.as_str());
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
                let label = self.panel.rating_label(&b.rating);
                let vote = if b.votes(&self.panel) { "" } else { ", no vote" };
                let agency = crate::domain::ratings::agency_name(&b.agency, &self.panel);
                lines.push(Line::from(format!("    {} ({agency}{vote}): {label}", b.reviewer)));
            }
        }
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(Block::new().borders(Borders::ALL).title(" Review "))
            .render(right, buf);
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
    anonymised_lines(&crate::domain::case_view::anonymised(snap, correction, panel))
}

/// An anonymised case as the reviewer's lines (on a file made as it is read, on a server read as
/// it was kept).
pub fn anonymised_lines(a: &crate::domain::case_view::Anonymised) -> Vec<Line<'static>> {
    let mut l = vec![Line::from(a.heading.clone()).style(theme::title())];
    if let Some((reason, changed)) = &a.correction {
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
    l.extend(a.findings.iter().map(|f| Line::from(format!("  {f}"))));
    l
}
