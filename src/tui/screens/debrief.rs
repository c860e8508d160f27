//! Training: the debrief, the room's decision beside the reference.

use std::time::Instant;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::tui::app::*;
use crate::tui::keys::Action;
use crate::tui::theme;
use crate::tui::view::boxed;

impl App {
    pub(crate) fn open_debrief(&mut self) {
        let (Some(t), Some(w)) = (self.trainer.as_ref(), self.walk()) else { return };
        let Some(s) = &t.current else { return };
        let debrief = crate::training::debrief(&w.case, s, &self.panel, self.today);
        let reference = w.case.referral.reference.clone();
        let case = w.case.clone();
        self.screen = Screen::Debrief(Box::new(DebriefScreen {
            debrief,
            case,
            reference,
            scroll: 0,
            max_scroll: Default::default(),
        }));
    }

    pub(crate) fn on_debrief_key(&mut self, action: Action) {
        match action {
            Action::Back => self.screen = Screen::Picker,
            Action::Down | Action::Up | Action::PageDown | Action::PageUp => {
                if let Screen::Debrief(d) = &mut self.screen {
                    super::scroll(&mut d.scroll, d.max_scroll.get(), action, 10);
                }
            }
            Action::SaveDebrief => {
                let Screen::Debrief(d) = &self.screen else { return };
                let reference = d.reference.clone();
                let path = crate::tui::files::default_debrief_path(&reference);
                self.overlay = Some(Overlay::Edit(Editor {
                    target: Target::DebriefPath,
                    label: "Save the debrief as Markdown to".into(),
                    area: text_area(&path.display().to_string()),
                    multiline: false,
                    changed: false,
                    last_save: Instant::now(),
                }));
            }
            _ => {}
        }
    }

    /// The room's decision beside the reference, every field in full, scrolled with ↑↓.
    pub(crate) fn debrief(&self, area: Rect, buf: &mut Buffer) {
        let Screen::Debrief(screen) = &self.screen else { return };
        let d = &screen.debrief;
        // Privacy mode scrubs the debrief like every other screen.
        let show = self.shower(&screen.case);
        let sh = |t: &str| show(t.to_string());
        let same = |b: bool| if b { "✓ same" } else { "✗ differs" };
        let mut lines = vec![
            Line::from(format!("Outcome {} · gravity score {}", same(d.same_outcome), same(d.same_score)))
                .style(theme::title()),
            Line::from(""),
        ];
        for (label, room, reference, agrees) in d.rows(&self.panel) {
            // Free text is compared by the room, not by character.
            let mark = match agrees {
                None => "",
                Some(true) => "✓",
                Some(false) => "✗",
            };
            lines.push(Line::from(format!("{label} {mark}")).style(theme::label()));
            lines.push(Line::from(vec![Span::styled("  The room:  ", theme::muted()), Span::raw(sh(&room))]));
            lines.push(Line::from(vec![Span::styled("  Reference: ", theme::muted()), Span::raw(sh(&reference))]));
        }
        lines.push(Line::from(""));
        lines.push(Line::from(format!("Findings the room saw ({}):", d.room.findings.len())).style(theme::label()));
        lines.extend(d.room.findings.iter().map(|f| Line::from(format!("  • {}", sh(f)))));
        if !d.findings_missed.is_empty() {
            lines.push(Line::from("Raised by the reference decision but not by the room's:").style(theme::label()));
            lines.extend(d.findings_missed.iter().map(|f| Line::from(format!("  • {}", sh(f)))));
        }
        lines.push(Line::from(format!("Tasks created: {}", d.room.tasks.join("; "))));
        lines.push(Line::from(format!(
            "Tasks the reference creates that the room's does not: {}",
            if d.tasks_missed.is_empty() { "none".to_string() } else { d.tasks_missed.join("; ") }
        )));
        lines.push(Line::from(""));
        lines.push(Line::from("Teaching points:").style(theme::label()));
        lines.extend(d.teaching_points.iter().map(|t| Line::from(format!("  • {}", sh(t)))));
        let title = format!("Debrief — {} (↑↓ scroll)", d.title);
        super::render_scrolled(lines, boxed(&title), screen.scroll, &screen.max_scroll, area, buf);
    }
}
