//! Every word the panel screen shows, in British English, in one place.

pub const APP: &str = "jdp";
pub const PRIVACY_ON: &str = "PRIVACY ON";
pub const SYNTHETIC: &str = "SYNTHETIC DEMO DATA";
pub const TRAINING: &str = "TRAINING — NOT A REAL CASE";
pub const TOO_SMALL: &str = "Make the window at least 80×24 to use jdp";
pub const CONFIDENTIAL: &str =
    "Confidential: decisions about children. Do not share the screen beyond the panel. Press p for privacy mode.";

/// A stored time (RFC 3339) in this computer's time zone: the time alone if it is `today`,
/// otherwise as `other_day` formats it. None where it is not a time.
pub fn local_time(stamp: &str, today: chrono::NaiveDate, other_day: &str) -> Option<String> {
    let t = chrono::DateTime::parse_from_rfc3339(stamp).ok()?.with_timezone(&chrono::Local);
    Some(if t.date_naive() == today { t.format("%H:%M").to_string() } else { t.format(other_day).to_string() })
}

pub fn step_title(step: crate::walk::Step) -> &'static str {
    use crate::walk::Step::*;
    match step {
        Facts => "Referral facts",
        Research => "Police research summary",
        Victim => "Victim's views",
        Needs => "Assessed needs",
        Gravity => "Gravity score",
        Outcome => "Proposed outcome",
        Decision => "Joint decision",
        Review => "Review",
        Record => "Record",
    }
}

/// Short names for the step bar at 80 columns.
pub fn step_short(step: crate::walk::Step) -> &'static str {
    use crate::walk::Step::*;
    match step {
        Facts => "Facts",
        Research => "Police",
        Victim => "Victim",
        Needs => "Needs",
        Gravity => "Score",
        Outcome => "Outcome",
        Decision => "Decide",
        Review => "Review",
        Record => "Record",
    }
}

pub const MARK_DONE: &str = "✓";
pub const MARK_MISSING: &str = "!";
/// Something on the step is missing or needs a look, but does not block the decision.
pub const MARK_INCOMPLETE: &str = "?";
pub const MARK_HERE: &str = "▶";

pub const FOOT_EDIT_LINE: &str = "Enter keep  Esc keep and close  Tab keep, next field  Ctrl+Z undo";
pub const FOOT_EDIT_TEXT: &str = "Enter new line  Esc keep and close  Tab keep, next field  Ctrl+Z undo";
pub const FOOT_PICK: &str = "↑↓ move  Enter choose  Esc cancel";
pub const FOOT_PICK_MULTI: &str = "↑↓ move  Space tick/untick  Enter done  Esc cancel";

/// What each screen is for, in words. The keys are listed from the key map (`keys.rs`), so the
/// help never names a key that does something else.
pub fn help(screen: &str) -> Vec<&'static str> {
    match screen {
        "walk" => vec![
            "The walk takes the panel through one referral, step by step.",
            "The step bar: ▶ where you are, ✓ complete, ! something blocks the decision, ? something is missing or worth a look, and no mark for a step not yet visited.",
            "Every change is saved as a draft at once. A decision cannot be recorded while anything blocks it: steps 8 and 9 list why, each finding naming its step.",
        ],
        "queue" => vec![
            "The referral queue: every referral with its status.",
            "Enter opens a referral: resumes its walk, or shows the recorded decision.",
            "The panel session (s) says who is present: a joint decision needs police and the YJS.",
        ],
        "recorded" => vec![
            "A recorded decision cannot be changed. To put something right, record a correction: press c, give the reason, and walk the case again; both records stay visible, and the correction shows what changed beside the original.",
            "l writes a letter about the current decision to the child, their parent or carer, the victim or the social worker (from the templates in panels/letters/), readable by you only; once it is sent, y records its task done.",
        ],
        "session" => vec![
            "The panel session: the chair, who is present (name, agency, role), apologies and observers.",
            "A joint decision needs police and the YJS present; the quorum line says if it is met.",
            "An open walk reads who is present from here, so a late arrival counts at once.",
        ],
        "scrutiny" => vec![
            "Scrutiny: review a sample of past decisions, as the panel knew them at the time.",
            "Cases show no name, date of birth or reference; every view is written to the access log.",
            "Learning points go one a line as \"theme: point\", e.g. \"victim: record every contact\".",
            "A \"No conclusion\" rating carries the case to the next sample.",
        ],
        "tasks" => vec![
            "The follow-up tasks of every recorded decision: who does each (owner), by when, and where it stands.",
            "d marks the chosen task done, saying by whom; x closes it as not needed, saying why. Each is a record in the chain: a closed task is never reopened or edited.",
            "A correction carries the tasks forward: a task it no longer needs is closed with its reason.",
        ],
        "training" => vec![
            "A mock panel: the same walk as a live panel, on a training database, never the live one.",
            "The room starts with the referral facts; each step's information arrives when the room reaches it. Trainer notes are hidden by default, for a shared screen. After recording, the debrief sets the room's decision beside the reference.",
        ],
        _ => vec!["Load the example referrals to see jdp at work, or add a referral of your own."],
    }
}

pub const PRIVACY_READ_ONLY: &str = "Privacy mode is on: read only. Press p to switch it off and edit.";
/// The last line of a guidance pane too long for the window.
pub const GUIDANCE_CUT: &str = "↓ more guidance: PgDn";
