//! One file per screen. Each draws itself (never changing state) and turns keys into state
//! changes and runner commands; none touches the store or a file.

pub mod debrief;
pub mod queue;
pub mod recorded;
pub mod scenarios;
pub mod scrutiny;
pub mod session;
pub mod start;
pub mod walk;

/// ↑↓ a line, PgUp PgDn a page: the same on every screen that scrolls.
pub(crate) fn scroll(offset: &mut u16, max: u16, action: crate::tui::keys::Action, page: u16) {
    use crate::tui::keys::Action;
    *offset = (*offset).min(max);
    *offset = match action {
        Action::Down => offset.saturating_add(1),
        Action::Up => offset.saturating_sub(1),
        Action::PageDown => offset.saturating_add(page),
        Action::PageUp => offset.saturating_sub(page),
        _ => *offset,
    }
    .min(max);
}
