//! The start screen of an empty database: the examples, a referral of your own, or a training panel.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::tui::app::*;
use crate::tui::keys::Action;
use crate::tui::runner::Command;
use crate::tui::strings as s;
use crate::tui::theme;
use crate::tui::view::boxed;

impl App {
    pub(crate) fn on_start_key(&mut self, action: Action) {
        match action {
            Action::LoadExamples => self.cmd(Command::LoadExamples),
            Action::NewReferral => self.new_referral(),
            Action::Training => self.cmd(Command::BecomeTraining),
            Action::Back => self.back_to_queue(None),
            _ => {}
        }
    }

    pub(crate) fn start(&self, area: Rect, buf: &mut Buffer) {
        let lines = vec![
            Line::from("Welcome to jdp").style(theme::title()),
            Line::from(""),
            Line::from("This database holds no referrals yet. To see jdp at work:"),
            Line::from(""),
            Line::from("  1  Load the example referrals (three fictional children) and walk one to a decision"),
            Line::from("  2  Add a referral of your own"),
            Line::from("  3  Run a training panel (a mock panel from a scenario; nothing is written here)"),
            Line::from(""),
            Line::from(format!("Panel definition: {} (version {})", self.panel.panel.name, self.panel.panel.version)),
            Line::from(format!(
                "Database: {}",
                self.db_path.as_ref().map_or("in memory (nothing is kept)".into(), |p| p.display().to_string())
            )),
            Line::from(""),
            Line::from(s::CONFIDENTIAL).style(theme::muted()),
        ];
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(boxed("Start")).render(area, buf);
    }
}
