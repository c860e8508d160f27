//! A member's own rating of the case under review, given alone before the panel agrees: who
//! (among the reviewers present), their agency, then the rating by its number. The rating is
//! never drawn: at a shared screen the room sees only that one was given.

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph, Widget, Wrap};

use super::Overlay;
use crate::tui::app::{App, Screen};
use crate::tui::runner::Command;
use crate::tui::theme;
use crate::tui::view::{boxed, centre, trunc};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OwnRating {
    /// Choosing who is rating: a cursor in the reviewers present.
    Who { cursor: usize },
    /// Choosing their agency: a cursor in the panel's agencies, then "lay".
    Agency { reviewer: String, cursor: usize },
    /// Waiting for the rating's number; nothing pressed is shown.
    Rating { reviewer: String, agency: String },
}

impl App {
    /// The reviewers present, as the review form has them now (never a copy).
    fn reviewers_present(&self) -> Vec<String> {
        match &self.screen {
            Screen::Scrutiny(s) => s.form.reviewers.clone(),
            _ => Vec::new(),
        }
    }

    pub(crate) fn on_own_rating_key(&mut self, o: OwnRating, key: KeyEvent) -> Option<Overlay> {
        if key.code == KeyCode::Esc {
            self.status = Some("No own rating given.".into());
            return None;
        }
        let step = |cursor: &mut usize, n: usize| match key.code {
            KeyCode::Up => *cursor = cursor.saturating_sub(1),
            KeyCode::Down => *cursor = (*cursor + 1).min(n.saturating_sub(1)),
            _ => {}
        };
        let next = match o {
            OwnRating::Who { mut cursor } => {
                let who = self.reviewers_present();
                step(&mut cursor, who.len());
                match (key.code, who.get(cursor)) {
                    (KeyCode::Enter, Some(name)) => OwnRating::Agency { reviewer: name.clone(), cursor: 0 },
                    _ => OwnRating::Who { cursor },
                }
            }
            OwnRating::Agency { reviewer, mut cursor } => {
                let agencies = crate::domain::ratings::reviewer_agencies(&self.panel);
                step(&mut cursor, agencies.len());
                match (key.code, agencies.get(cursor)) {
                    (KeyCode::Enter, Some((id, _))) => OwnRating::Rating { reviewer, agency: id.clone() },
                    _ => OwnRating::Agency { reviewer, cursor },
                }
            }
            OwnRating::Rating { reviewer, agency } => {
                let n = self.panel.scrutiny.ratings.len();
                let chosen = match key.code {
                    KeyCode::Char(c) => c.to_digit(10).map(|d| d as usize).filter(|d| (1..=n).contains(d)),
                    _ => None,
                };
                match chosen {
                    Some(d) => {
                        let rating = self.panel.scrutiny.ratings[d - 1].id.clone();
                        self.cmd(Command::RecordOwnRating { reviewer, agency, rating });
                        return None;
                    }
                    None => OwnRating::Rating { reviewer, agency },
                }
            }
        };
        Some(Overlay::OwnRating(next))
    }

    pub(super) fn draw_own_rating(&self, o: &OwnRating, area: Rect, buf: &mut Buffer) {
        let width = area.width.saturating_sub(8).min(80);
        let (title, intro, options, cursor): (&str, String, Vec<String>, Option<usize>) = match o {
            OwnRating::Who { cursor } => (
                "Own rating, given alone: who?",
                "Who is giving their own rating of this case? (the reviewers present)".into(),
                self.reviewers_present(),
                Some(*cursor),
            ),
            OwnRating::Agency { reviewer, cursor } => (
                "Own rating, given alone: agency",
                format!("{reviewer}'s agency:"),
                crate::domain::ratings::reviewer_agencies(&self.panel).into_iter().map(|(_, name)| name).collect(),
                Some(*cursor),
            ),
            OwnRating::Rating { reviewer, .. } => (
                "Own rating, given alone",
                format!(
                    "{reviewer}: press the number of your rating. Nothing you press is shown; the ratings \
                     stay hidden until the chair reveals them (v). Esc: none."
                ),
                self.panel
                    .scrutiny
                    .ratings
                    .iter()
                    .enumerate()
                    .map(|(i, r)| format!("{}  {}", i + 1, r.label))
                    .collect(),
                None,
            ),
        };
        let intro_lines = crate::tui::view::wrap(&intro, usize::from(width.saturating_sub(2)).max(10));
        let h = (intro_lines.len() + options.len() + 3).min(usize::from(area.height)) as u16;
        let r = centre(area, width, h);
        Clear.render(r, buf);
        let block = boxed(title);
        let inner = block.inner(r);
        block.render(r, buf);
        let mut lines: Vec<Line> = intro_lines.into_iter().map(Line::from).collect();
        lines.push(Line::from(""));
        if options.is_empty() {
            lines.push(
                Line::from("No reviewers present yet: type them in \"Reviewers present\" first.")
                    .style(theme::warning()),
            );
        }
        for (i, text) in options.iter().enumerate() {
            let here = cursor == Some(i);
            let style = if here { theme::focus() } else { Style::new() };
            let mark = if here { "▶ " } else { "  " };
            lines.push(Line::from(trunc(&format!("{mark}{text}"), usize::from(inner.width))).style(style));
        }
        Paragraph::new(lines).wrap(Wrap { trim: false }).render(inner, buf);
    }
}
