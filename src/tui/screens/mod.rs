//! One file per screen. Each draws itself (never changing state) and turns keys into state
//! changes and runner commands; none touches the store or a file.

use crate::store::RecordRow;
use crate::walk::Walk;

pub mod debrief;
pub mod queue;
pub mod recorded;
pub mod scenarios;
pub mod scrutiny;
pub mod session;
pub mod start;
pub mod tasks;
pub mod walk;

pub use queue::QueueScreen;
pub use session::SessionScreen;
pub use tasks::TasksScreen;

/// Draws `lines` wrapped in `block`, scrolled by `scroll` but never past the last line; records
/// how far it can scroll in `max`, for the keys (every scrolling screen draws this way).
pub(crate) fn render_scrolled(
    lines: Vec<ratatui::text::Line<'_>>,
    block: ratatui::widgets::Block<'_>,
    scroll: u16,
    max: &std::cell::Cell<u16>,
    area: ratatui::layout::Rect,
    buf: &mut ratatui::buffer::Buffer,
) {
    use ratatui::widgets::Widget;
    let inner = block.inner(area);
    let text = crate::tui::view::wrapped(lines);
    let limit = crate::tui::view::rows_of(&text, inner.width).saturating_sub(inner.height);
    max.set(limit);
    text.scroll((scroll.min(limit), 0)).block(block).render(area, buf);
}

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

/// The screen on show, holding its own state: a walk, a recorded decision or a debrief lives
/// only while its screen does, so nothing of it can go stale behind another screen.
#[derive(Debug)]
pub enum Screen {
    Start,
    Session(session::SessionScreen),
    Queue(queue::QueueScreen),
    Walk(Box<WalkScreen>),
    Recorded(RecordedScreen),
    Picker,
    Debrief(Box<DebriefScreen>),
    Scrutiny(Box<scrutiny::Scrutiny>),
    Tasks(tasks::TasksScreen),
}

/// Two screens are the same screen whatever they hold: for "which screen is this?".
impl PartialEq for Screen {
    fn eq(&self, other: &Self) -> bool {
        std::mem::discriminant(self) == std::mem::discriminant(other)
    }
}

/// The walk through one referral.
#[derive(Debug)]
pub struct WalkScreen {
    pub walk: Walk,
    /// The referral being walked; `None` for a new referral until its facts identify it.
    pub referral: Option<i64>,
    /// How far the review and record steps are scrolled, and how far they can be (set when
    /// drawn, so a scroll stops at the last line).
    pub review_scroll: u16,
    pub max_scroll: std::cell::Cell<u16>,
}

/// A referral's recorded decisions (the original and its corrections).
#[derive(Debug)]
pub struct RecordedScreen {
    pub referral: i64,
    pub records: Vec<RecordRow>,
    pub scroll: u16,
    pub max_scroll: std::cell::Cell<u16>,
}

/// The debrief of a mock panel.
#[derive(Debug)]
pub struct DebriefScreen {
    pub debrief: crate::training::Debrief,
    /// The room's case: privacy mode scrubs the child's names from the debrief with it.
    pub case: crate::domain::Case,
    /// The room's reference, for the file name.
    pub reference: String,
    pub scroll: u16,
    pub max_scroll: std::cell::Cell<u16>,
}
