//! Drawing: `Widget for &App`, so drawing never changes state. Only what is visible is drawn:
//! the queue holds one page of rows, the walk one case.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

use super::app::{App, Overlay, Screen, ScrutinyView};
use super::strings as s;
use super::theme;
use crate::domain::checks::Severity;
use crate::domain::referral::Case;

pub const MIN_W: u16 = 80;
pub const MIN_H: u16 = 24;

impl Widget for &App {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.width < MIN_W || area.height < MIN_H {
            let msg = vec![
                Line::from(s::TOO_SMALL).style(theme::title()),
                Line::from(format!("(it is {}×{} now)", area.width, area.height)),
            ];
            let y = area.height / 2;
            Paragraph::new(msg).centered().wrap(Wrap { trim: true }).render(
                Rect { y: area.y + y.saturating_sub(1), height: area.height - y.saturating_sub(1), ..area },
                buf,
            );
            return;
        }
        let banner = self.training || self.synthetic;
        // A long status (a minuted head, SEQ:HASH, which the chair copies into the minutes; or an
        // explanation) wraps onto further lines rather than losing its end; three at most.
        let status_rows = self.status.as_deref().map_or(1, |m| rows_of(&wrapped(m), area.width).clamp(1, 3));
        let [head, band, body, status, foot] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(u16::from(banner)),
            Constraint::Fill(1),
            Constraint::Length(status_rows),
            Constraint::Length(1),
        ])
        .areas(area);
        self.header(head, buf);
        if banner {
            let text = if self.training { s::TRAINING } else { s::SYNTHETIC };
            let line = format!("{0}  {text}  {0}", "■■■");
            Paragraph::new(line).centered().style(theme::banner()).render(band, buf);
        }
        match &self.screen {
            Screen::Start => self.start(body, buf),
            Screen::Queue(q) => self.queue(q, body, buf),
            Screen::Session(s) => self.session(s, body, buf),
            Screen::Walk(_) => self.walk_screen(body, buf),
            Screen::Recorded(_) => self.recorded(body, buf),
            Screen::Picker => self.picker(body, buf),
            Screen::Debrief(_) => self.debrief(body, buf),
            Screen::Tasks(_) => self.tasks_screen(body, buf),
            Screen::Scrutiny(s) => match s.view {
                ScrutinyView::Queue => self.render_scrutiny_queue(body, buf),
                ScrutinyView::Case => self.render_scrutiny_case(body, buf),
                ScrutinyView::Report => self.render_report(body, buf),
            },
        }
        if let Some(msg) = &self.status {
            wrapped(msg.as_str()).style(theme::label()).render(status, buf);
        }
        Paragraph::new(self.footer(foot.width)).style(theme::muted()).render(foot, buf);
        if let Some(o) = &self.overlay {
            self.overlay(o, body, buf);
        }
    }
}

/// Name and date of birth, or the reference and age when privacy mode is on.
pub fn who(case: &Case, privacy: bool) -> String {
    let r = &case.referral;
    let age = r.age_at_offence().map_or(String::new(), |a| format!(", {a} at offence"));
    if privacy || r.child.name.trim().is_empty() {
        format!("{}{age}", r.reference)
    } else {
        format!("{} ({}){age}", r.child.name, r.reference)
    }
}

pub(crate) fn boxed(title: &str) -> Block<'_> {
    Block::new().borders(Borders::ALL).title(Span::styled(format!(" {title} "), theme::title()))
}

pub(crate) fn centre(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h }
}

impl App {
    /// Free text as it may be shown: with privacy mode on, the child's identifiers are replaced.
    /// Who the case is being shown to now, for the whole-case view.
    pub(crate) fn show(&self) -> crate::tui::case_view::Show {
        if self.privacy { crate::tui::case_view::Show::Privacy } else { crate::tui::case_view::Show::Full }
    }

    pub(crate) fn shown(&self, case: &Case, text: String) -> String {
        self.shower(case)(text)
    }

    /// `shown` for many texts of one case: the scrubber is built once (a screen of fields or a
    /// recorded view's findings and tasks would otherwise build it for every text, every frame).
    pub(crate) fn shower(&self, case: &Case) -> impl Fn(String) -> String + use<> {
        let scrubber = self.privacy.then(|| crate::domain::scrub::Scrubber::for_privacy(case));
        move |text| scrubber.as_ref().map_or(text.clone(), |s| s.apply(&text))
    }

    pub(crate) fn header(&self, area: Rect, buf: &mut Buffer) {
        // The states that change what may be shown come first, so a narrow window keeps them;
        // the panel's name and the date give way.
        let mut spans = vec![Span::styled(format!(" {} ", s::APP), theme::focus())];
        if self.training {
            spans.push(Span::styled(" TRAINING ", theme::banner()));
        } else if self.synthetic {
            spans.push(Span::styled(" SYNTHETIC ", theme::banner()));
        }
        if self.privacy {
            spans.push(Span::styled(format!(" {} ", s::PRIVACY_ON), theme::focus()));
        }
        if self.trainer.as_ref().is_some_and(|t| t.notes_visible) {
            spans.push(Span::styled(" TRAINER VIEW ", theme::focus()));
        }
        if let Some(who) = &self.signed_in {
            spans.push(Span::styled(format!(" {} ", crate::domain::text::escape_for_terminal(who)), theme::label()));
        }
        spans.push(Span::styled(format!(" {} · {} ", self.panel.panel.name, self.panel.panel.area), theme::title()));
        spans.push(Span::raw(format!("│ {} ", self.today.format("%a %-d %b %Y"))));
        Line::from(spans).render(area, buf);
    }

    /// The footer: an overlay's own keys, or the screen's, generated from the key map.
    pub(crate) fn footer(&self, width: u16) -> String {
        let fixed = match &self.overlay {
            Some(Overlay::Edit(_)) if self.privacy => "Read only: p switch privacy off to edit  Esc close",
            Some(Overlay::Edit(e)) if e.multiline => s::FOOT_EDIT_TEXT,
            Some(Overlay::Edit(_)) => s::FOOT_EDIT_LINE,
            Some(Overlay::Pick(p)) if p.multi => s::FOOT_PICK_MULTI,
            Some(Overlay::Pick(_)) => s::FOOT_PICK,
            Some(Overlay::Confirm(crate::tui::overlays::Confirm::QuitWithTyping(_))) => {
                "y keep the typing and quit  d discard it and quit  Esc or n back to typing"
            }
            Some(Overlay::Confirm(crate::tui::overlays::Confirm::LetterSent { .. })) => {
                "y sent  Enter, Esc or n not yet"
            }
            Some(Overlay::Confirm(crate::tui::overlays::Confirm::Reload { .. })) => {
                "Enter reload theirs  d reload, discard yours  o save yours over theirs  Esc"
            }
            Some(Overlay::Confirm(crate::tui::overlays::Confirm::Kept { .. })) => {
                "Enter carry on with it  d discard it  Esc keep it for later"
            }
            Some(Overlay::Confirm(_)) => "Enter or y yes  Esc or n no",
            Some(Overlay::Help) => "? or Esc close help",
            Some(Overlay::Notice { .. }) => "Enter or Esc close",
            Some(Overlay::OwnRating(crate::tui::overlays::OwnRating::Rating { .. })) => {
                "a number: the rating (not shown)  Esc none"
            }
            Some(Overlay::OwnRating(_)) => "↑↓ choose  Enter next  Esc none",
            None => return super::keys::footer(self.key_context(), width.into()),
        };
        fixed.to_string()
    }
}

pub(crate) fn finding_line(sev: Severity, text: &str) -> Line<'static> {
    let (mark, style) = match sev {
        Severity::Blocking => ("[BLOCKED]", theme::blocking()),
        Severity::Warning => ("[WARNING]", theme::warning()),
    };
    Line::from(vec![Span::styled(mark, style), Span::raw(format!(" {text}"))])
}

/// Lines as a paragraph wrapped at words, as every screen draws its text.
pub(crate) fn wrapped<'a>(lines: impl Into<ratatui::text::Text<'a>>) -> Paragraph<'a> {
    Paragraph::new(lines).wrap(Wrap { trim: false })
}

/// How many rows `p` (without its block) takes at `width`, counted by the wrapper that draws it,
/// so a scroll stops exactly at the last line.
pub(crate) fn rows_of(p: &Paragraph, width: u16) -> u16 {
    u16::try_from(p.line_count(width)).unwrap_or(u16::MAX)
}

/// Greedy word wrap of each line of `text` to `width` characters; a word longer than the width
/// is broken. Always returns at least one (possibly empty) line.
pub(crate) fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut out = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        for word in para.split(' ') {
            let mut word = word.to_string();
            loop {
                let len = line.chars().count();
                let wl = word.chars().count();
                let sep = usize::from(len > 0);
                if len + sep + wl <= width {
                    if sep == 1 {
                        line.push(' ');
                    }
                    line.push_str(&word);
                    break;
                }
                if len > 0 {
                    out.push(std::mem::take(&mut line));
                    continue;
                }
                let head: String = word.chars().take(width).collect();
                word = word.chars().skip(width).collect();
                out.push(head);
                if word.is_empty() {
                    break;
                }
            }
        }
        out.push(line);
    }
    out
}

pub(crate) fn trunc(s: &str, w: usize) -> String {
    if s.chars().count() <= w {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(w.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}
