//! The board report on screen: the outcome mix and timeliness as bar charts, then the report.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Borders, Paragraph, Widget, Wrap};

use super::*;
use crate::tui::keys::Action;

impl App {
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
