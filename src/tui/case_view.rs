//! The whole case on screen: the rows come from `domain::case_view` (one builder for the review,
//! the recorded view, the scrutiny case, the scrutiny pack and a correction's changes); this adds
//! how they are drawn.

pub use crate::domain::case_view::{Row, Show, changes, rows};

/// The rows as labelled lines under their section headings.
pub fn lines(rows: &[Row]) -> Vec<ratatui::text::Line<'static>> {
    use ratatui::text::{Line, Span};
    let mut lines = Vec::new();
    let mut section = "";
    for r in rows {
        if r.section != section {
            section = &r.section;
            lines.push(Line::from(r.section.clone()).style(crate::tui::theme::label()));
        }
        // Text typed over several lines stays on several lines, indented under its label.
        let mut value = r.value.lines();
        lines.push(Line::from(vec![
            Span::styled(format!("  {}: ", r.label), crate::tui::theme::muted()),
            Span::raw(value.next().unwrap_or_default().to_string()),
        ]));
        lines.extend(value.map(|l| Line::from(format!("    {l}"))));
    }
    lines
}
