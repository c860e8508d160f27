//! The one key map: (context, key) -> action. Screens match on actions, never on raw keys, and
//! the footer and the `?` help are generated from this table, so what the screen says a key does
//! is what it does. Overlays (editor, list, confirm) take raw keys first: an open text field
//! receives every printable key, so no shortcut here fires while a form expects text.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    Start,
    Queue,
    Session,
    Walk,
    /// The walk of a mock panel: trainer keys as well.
    TrainingWalk,
    /// Steps 8 and 9: the review scrolls; step 9 records.
    WalkReview,
    WalkRecord,
    /// A walk whose decision has just been recorded.
    WalkDone,
    TrainingWalkDone,
    Recorded,
    Scenarios,
    Debrief,
    ScrutinyQueue,
    ScrutinyCase,
    Report,
    /// Step 9 while something blocks the decision: Enter says why.
    WalkRecordBlocked,
    /// The task board.
    Tasks,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    QuitNow,
    Help,
    Privacy,
    Up,
    Down,
    PageUp,
    PageDown,
    /// Enter: open, edit, choose, record.
    Open,
    /// Space: tick or untick.
    Tick,
    Back,
    NextStep,
    PrevStep,
    /// Jump to step 1–9.
    Step(u8),
    NewReferral,
    LoadExamples,
    Training,
    Session,
    Import,
    Correct,
    Release,
    Notes,
    Debrief,
    SaveDebrief,
    Report,
    /// Sort a list by its next column.
    Sort,
    /// Show only the rows matching a text.
    Filter,
    /// Remove the row the focus is on (a member added by mistake).
    Remove,
    /// Show the members' own (blind) ratings of the case.
    Reveal,
    /// A member gives their own rating of the case, alone.
    OwnRating,
    /// The task board (from the queue).
    Tasks,
    /// Write a letter about the decision.
    Letter,
    /// Mark the task done.
    TaskDone,
    /// Close the task as not needed, saying why.
    TaskNotNeeded,
}

#[derive(Clone, Copy)]
struct Binding {
    keys: &'static [KeyCode],
    /// How the keys are written in the footer and help.
    shown: &'static str,
    action: Action,
    what: &'static str,
    /// Worth a place in the one-line footer (help lists every binding).
    footer: bool,
}

const fn b(keys: &'static [KeyCode], shown: &'static str, action: Action, what: &'static str, footer: bool) -> Binding {
    Binding { keys, shown, action, what, footer }
}

use Action::*;
use KeyCode::{BackTab, Char, Down as KDown, Enter, Esc, PageDown as KPgDn, PageUp as KPgUp, Tab, Up as KUp};

const GLOBAL: &[Binding] = &[
    b(&[Char('p')], "p", Privacy, "privacy", true),
    b(&[Char('?')], "?", Help, "help", true),
    b(&[Char('q')], "q", Quit, "quit", true),
];

const SCROLL: [Binding; 2] =
    [b(&[KUp, KDown], "↑↓", Down, "scroll", true), b(&[KPgUp, KPgDn], "PgUp PgDn", PageDown, "page", false)];

fn table(ctx: Context) -> &'static [Binding] {
    use Context as C;
    match ctx {
        C::Start => {
            const T: &[Binding] = &[
                b(&[Char('1')], "1", LoadExamples, "example referrals", true),
                b(&[Char('2'), Char('n')], "2", NewReferral, "add a referral", true),
                b(&[Char('3')], "3", Training, "training", true),
                b(&[Esc, Enter], "Esc", Back, "queue", true),
            ];
            T
        }
        C::Queue => {
            const T: &[Binding] = &[
                // The arrows are in the help: at 80 columns the footer keeps every letter key.
                b(&[KUp, KDown], "↑↓", Down, "choose", false),
                b(&[KPgUp, KPgDn], "PgUp PgDn", PageDown, "page", false),
                b(&[Enter], "Enter", Open, "open", true),
                b(&[Char('n')], "n", NewReferral, "new", true),
                b(&[Char('i')], "i", Import, "import", true),
                b(&[Char('s')], "s", Session, "session", true),
                b(&[Char('t')], "t", Tasks, "tasks", true),
            ];
            T
        }
        C::Session => {
            const T: &[Binding] = &[
                b(&[KUp, KDown, Tab, BackTab], "↑↓", Down, "field", true),
                b(&[Enter, Char(' ')], "Enter", Open, "edit", true),
                b(&[KeyCode::Delete, KeyCode::Backspace], "Del", Remove, "remove member", true),
                b(&[Esc], "Esc", Back, "queue", true),
            ];
            T
        }
        C::Walk => {
            const T: &[Binding] = &[
                b(&[KUp, KDown, Tab, BackTab], "↑↓", Down, "field", true),
                b(&[Enter], "Enter", Open, "edit", true),
                b(&[Char(' ')], "Space", Tick, "tick or untick", false),
                b(&[KeyCode::Delete, KeyCode::Backspace], "Del", Remove, "remove a search entry", false),
                b(&[Char(']')], "]", NextStep, "next", true),
                b(&[Char('[')], "[", PrevStep, "back", true),
                b(&[KPgUp, KPgDn], "PgUp PgDn", PageDown, "scroll the guidance", false),
                b(&[], "1–9", Step(0), "step", true),
                b(&[Esc], "Esc", Back, "queue", true),
            ];
            T
        }
        C::TrainingWalk => {
            const T: &[Binding] = &[
                b(&[KUp, KDown, Tab, BackTab], "↑↓", Down, "field", true),
                b(&[Enter], "Enter", Open, "edit", true),
                b(&[Char(' ')], "Space", Tick, "tick or untick", false),
                b(&[KeyCode::Delete, KeyCode::Backspace], "Del", Remove, "remove a search entry", false),
                // The trainer's keys first: a narrow footer drops keys from the end.
                b(&[Char('r')], "r", Release, "release", true),
                b(&[Char('t')], "t", Notes, "notes", true),
                b(&[Char(']')], "]", NextStep, "next", true),
                b(&[Char('[')], "[", PrevStep, "back", true),
                b(&[KPgUp, KPgDn], "PgUp PgDn", PageDown, "scroll the guidance", false),
                b(&[], "1–9", Step(0), "step", false),
                b(&[Esc], "Esc", Back, "list", true),
            ];
            T
        }
        C::WalkReview => {
            const T: &[Binding] = &[
                b(&[KUp, KDown], "↑↓", Down, "scroll", true),
                b(&[Char(']')], "]", NextStep, "next", true),
                b(&[Char('[')], "[", PrevStep, "back", true),
                b(&[KPgUp, KPgDn], "PgUp PgDn", PageDown, "page", false),
                b(&[], "1–9", Step(0), "step", true),
                b(&[Esc], "Esc", Back, "queue", true),
            ];
            T
        }
        C::WalkRecordBlocked => {
            const T: &[Binding] = &[
                b(&[Enter], "Enter", Open, "reasons", true),
                b(&[KUp, KDown], "↑↓", Down, "scroll", true),
                b(&[Char('[')], "[", PrevStep, "back", true),
                b(&[KPgUp, KPgDn], "PgUp PgDn", PageDown, "page", false),
                b(&[], "1–9", Step(0), "step", true),
                b(&[Esc], "Esc", Back, "queue", true),
            ];
            T
        }
        C::WalkRecord => {
            const T: &[Binding] = &[
                b(&[Enter], "Enter", Open, "record", true),
                b(&[KUp, KDown], "↑↓", Down, "scroll", true),
                b(&[Char('[')], "[", PrevStep, "back", true),
                b(&[KPgUp, KPgDn], "PgUp PgDn", PageDown, "page", false),
                b(&[], "1–9", Step(0), "step", true),
                b(&[Esc], "Esc", Back, "queue", true),
            ];
            T
        }
        C::WalkDone => {
            const T: &[Binding] =
                &[b(&[Char('l')], "l", Letter, "letter", true), b(&[Esc], "Esc", Back, "back to the queue", true)];
            T
        }
        C::TrainingWalkDone => {
            const T: &[Binding] =
                &[b(&[Char('d')], "d", Debrief, "the debrief", true), b(&[Esc], "Esc", Debrief, "the debrief", false)];
            T
        }
        C::Recorded => {
            const T: &[Binding] = &[
                b(&[Char('c')], "c", Correct, "correct", true),
                b(&[Char('l')], "l", Letter, "letter", true),
                SCROLL[0],
                SCROLL[1],
                b(&[Esc], "Esc", Back, "queue", true),
            ];
            T
        }
        C::Scenarios => {
            const T: &[Binding] = &[
                b(&[KUp, KDown], "↑↓", Down, "choose a scenario", true),
                b(&[Enter], "Enter", Open, "start the mock panel", true),
                b(&[Esc], "Esc", Back, "leave training", true),
            ];
            T
        }
        C::Debrief => {
            const T: &[Binding] = &[
                b(&[Char('x')], "x", SaveDebrief, "save as Markdown", true),
                SCROLL[0],
                SCROLL[1],
                b(&[Esc], "Esc", Back, "the scenario list", true),
            ];
            T
        }
        C::ScrutinyQueue => {
            const T: &[Binding] = &[
                b(&[KUp, KDown], "↑↓", Down, "choose", true),
                b(&[Enter], "Enter", Open, "review", true),
                b(&[Char('o')], "o", Sort, "sort", true),
                b(&[Char('/')], "/", Filter, "filter", true),
                b(&[Char('r')], "r", Report, "report", true),
            ];
            T
        }
        C::ScrutinyCase => {
            const T: &[Binding] = &[
                b(&[KUp, KDown, Tab, BackTab], "↑↓", Down, "field", true),
                b(&[Enter], "Enter", Open, "edit", true),
                b(&[KPgUp, KPgDn], "PgUp PgDn", PageDown, "scroll", true),
                b(&[Char('b')], "b", OwnRating, "own rating", true),
                b(&[Char('v')], "v", Reveal, "reveal own ratings", false),
                b(&[Esc], "Esc", Back, "queue", true),
            ];
            T
        }
        C::Tasks => {
            const T: &[Binding] = &[
                b(&[KUp, KDown], "↑↓", Down, "choose", true),
                b(&[KPgUp, KPgDn], "PgUp PgDn", PageDown, "page", false),
                b(&[Char('d')], "d", TaskDone, "done", true),
                b(&[Char('x')], "x", TaskNotNeeded, "not needed", true),
                b(&[Esc], "Esc", Back, "queue", true),
            ];
            T
        }
        C::Report => {
            const T: &[Binding] = &[SCROLL[0], SCROLL[1], b(&[Esc], "Esc", Back, "the sample", true)];
            T
        }
    }
}

/// The action a key means here, if any. Up and PageUp are the reverse of the binding's own
/// action (one binding shows "↑↓").
pub fn action(ctx: Context, key: KeyEvent) -> Option<Action> {
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        return (key.code == Char('c')).then_some(QuitNow);
    }
    let walk = matches!(
        ctx,
        Context::Walk | Context::TrainingWalk | Context::WalkReview | Context::WalkRecord | Context::WalkRecordBlocked
    );
    if walk && let Char(c @ '1'..='9') = key.code {
        return Some(Step(c as u8 - b'0'));
    }
    let reverse = |a: Action| match (a, key.code) {
        (Down, KUp | BackTab) => Up,
        (PageDown, KPgUp) => PageUp,
        (a, _) => a,
    };
    table(ctx)
        .iter()
        .chain(GLOBAL)
        .find(|b| b.keys.contains(&key.code))
        .map(|b| reverse(b.action))
        // A recorded walk is read only: only its own keys and the global ones act.
        .filter(|a| !matches!(a, Step(_)) || walk)
}

/// The footer line for a context, generated from the same table, fitted to `width`: the
/// screen's own keys first; "? help" always stays, as the way to all of them.
pub fn footer(ctx: Context, width: usize) -> String {
    let mut items: Vec<String> =
        table(ctx).iter().chain(GLOBAL).filter(|b| b.footer).map(|b| format!("{} {}", b.shown, b.what)).collect();
    let len = |v: &[String]| v.iter().map(|i| i.chars().count() + 2).sum::<usize>();
    // Too long for the window: the screen's own keys give way from the end first, so privacy,
    // help and quit stay in sight; then the others but help.
    let global: Vec<String> = GLOBAL.iter().map(|b| format!("{} {}", b.shown, b.what)).collect();
    while len(&items) > width + 2 {
        let Some(i) =
            items.iter().rposition(|i| !global.contains(i)).or_else(|| items.iter().rposition(|i| i != "? help"))
        else {
            break;
        };
        items.remove(i);
    }
    items.join("  ")
}

/// Every binding of a context, one a line, for the `?` help.
pub fn help_lines(ctx: Context) -> Vec<String> {
    table(ctx).iter().chain(GLOBAL).map(|b| format!("{:<12} {}", b.shown, b.what)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn every_footer_key_does_what_it_says() {
        use Context as C;
        for ctx in [
            C::Start,
            C::Queue,
            C::Session,
            C::Walk,
            C::TrainingWalk,
            C::WalkReview,
            C::WalkRecord,
            C::WalkDone,
            C::TrainingWalkDone,
            C::Recorded,
            C::Scenarios,
            C::Debrief,
            C::ScrutinyQueue,
            C::ScrutinyCase,
            C::Report,
            C::WalkRecordBlocked,
            C::Tasks,
        ] {
            for b in table(ctx).iter().chain(GLOBAL) {
                for k in b.keys {
                    let a = action(ctx, key(*k)).unwrap_or_else(|| panic!("{ctx:?} {k:?} does nothing"));
                    let first = table(ctx).iter().chain(GLOBAL).find(|x| x.keys.contains(k)).unwrap();
                    assert_eq!(std::ptr::eq(first, b), true, "{ctx:?}: {k:?} is bound twice");
                    assert!(
                        matches!((a, b.action), (x, y) if x == y || matches!((x, y), (Up, Down) | (PageUp, PageDown)))
                    );
                }
            }
            assert!(footer(ctx, 80).contains("? help"), "{ctx:?}");
            // The scrutiny screens keep every key of their own at 80 columns (but Esc, which goes
            // back on every screen).
            if matches!(ctx, C::ScrutinyQueue | C::ScrutinyCase) {
                for b in table(ctx).iter().filter(|b| b.footer && b.action != Back) {
                    let item = format!("{} {}", b.shown, b.what);
                    assert!(footer(ctx, 80).contains(&item), "{ctx:?} drops {item}: {}", footer(ctx, 80));
                }
            }
            assert!(footer(ctx, 80).chars().count() <= 80, "{ctx:?}: {}", footer(ctx, 80));
        }
        assert_eq!(action(Context::Walk, key(Char('7'))), Some(Step(7)));
        assert_eq!(action(Context::Recorded, key(Char('7'))), None);
        assert_eq!(action(Context::Queue, key(KUp)), Some(Up));
        assert_eq!(action(Context::Queue, KeyEvent::new(Char('c'), KeyModifiers::CONTROL)), Some(QuitNow));
    }
}
