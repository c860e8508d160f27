//! Every word the panel screen shows, in British English, in one place.

pub const APP: &str = "jdp";
pub const PRIVACY_ON: &str = "PRIVACY ON";
pub const SYNTHETIC: &str = "SYNTHETIC DEMO DATA";
pub const TRAINING: &str = "TRAINING — NOT A REAL CASE";
pub const TOO_SMALL: &str = "Make the window at least 80×24 to use jdp";
pub const CONFIDENTIAL: &str =
    "Confidential: decisions about children. Do not share the screen beyond the panel. Press p for privacy mode.";

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

pub const FOOT_QUEUE: &str = "↑↓ Enter open  n new  i import  s session  p privacy  ? help  q quit";
pub const FOOT_WALK: &str = "↑↓ field  Enter edit  ] next  [ back  1–9 step  Esc queue  p privacy  ? help";
pub const FOOT_RECORD: &str = "Enter record  [ back  Esc queue  p privacy  ? help  q quit";
pub const FOOT_RECORDED: &str = "c correct  ↑↓ PgUp PgDn scroll  Esc queue  p privacy  ? help  q quit";
pub const FOOT_SESSION: &str = "↑↓ field  Enter edit  Esc queue  p privacy  ? help  q quit";
pub const FOOT_START: &str = "1 example referrals  2 add a referral  3 training  Esc queue  ? help  q quit";
pub const FOOT_EDIT_LINE: &str = "Enter keep  Esc keep and close  Tab keep, next field  Ctrl+Z undo";
pub const FOOT_EDIT_TEXT: &str = "Enter new line  Esc keep and close  Tab keep, next field  Ctrl+Z undo";
pub const FOOT_TRAIN_WALK: &str = "↑↓ field  Enter edit  ] next  [ back  r release  t notes  Esc list  ? help";
pub const FOOT_PICKER: &str = "↑↓ choose a scenario  Enter start the mock panel  ? help  q quit";
pub const FOOT_DEBRIEF: &str = "x save the debrief as Markdown  Esc the scenario list  ? help  q quit";
pub const FOOT_PICK: &str = "↑↓ move  Enter choose  Esc cancel";
pub const FOOT_PICK_MULTI: &str = "↑↓ move  Space tick/untick  Enter done  Esc cancel";

pub fn help(screen: &str) -> Vec<&'static str> {
    let mut lines = match screen {
        "walk" => vec![
            "The walk takes the panel through one referral, step by step.",
            "The step bar shows where you are (▶), what is complete (✓) and what is missing (!).",
            "",
            "↑ ↓ Tab      move between fields",
            "Enter        edit a text field, open a list, tick a box, press a button",
            "Space        tick or untick",
            "] or PgDn    next step          [ or PgUp   previous step",
            "1 … 9        jump to a step     Esc         back to the queue (saved)",
            "",
            "The draft is saved at every step change and every few seconds of typing.",
            "A decision cannot be recorded while anything blocks it: the Review step lists why.",
        ],
        "queue" => vec![
            "The referral queue: every referral with its status.",
            "",
            "↑ ↓ PgUp PgDn  choose        Enter  open (resume, walk, or view the decision)",
            "n              add a referral  i      import referrals from a file",
            "s              the panel session (members present, apologies, quorum)",
        ],
        "recorded" => vec![
            "A recorded decision cannot be changed. To put something right, record a correction:",
            "press c, give the reason, and walk the case again; both records stay visible.",
        ],
        "session" => vec![
            "The panel session: who is present (name, agency, role), apologies and observers.",
            "A joint decision needs police and the YJS present; the quorum line says if it is met.",
        ],
        "scrutiny" => vec![
            "Scrutiny: review a sample of past decisions, as the panel knew them at the time.",
            "Cases show no name, date of birth or reference; every view is written to the access log.",
            "",
            "Enter   open a case, then edit the rating, observations, learning points and reviewers",
            "        (learning points one a line as \"theme: point\", e.g. \"victim: record every contact\")",
            "r       the board report for the sample's period, as tables and bar charts",
            "A \"No conclusion\" rating carries the case to the next sample.",
        ],
        "training" => vec![
            "A mock panel: the same walk as a live panel, on a training database, never the live one.",
            "The room starts with the referral facts; each step's information arrives when the room reaches it.",
            "",
            "r      release the next piece of information the scenario holds for this step",
            "t      show or hide the trainer notes (hidden by default, for a shared screen)",
            "d      after recording, the debrief: the room's decision beside the reference",
            "x      on the debrief, save it as Markdown",
        ],
        _ => vec!["Load the example referrals to see jdp at work, or add a referral of your own."],
    };
    lines.extend(["", "p  privacy mode: names and dates of birth become the reference and age", "?  close this help"]);
    lines
}

pub const PRIVACY_READ_ONLY: &str = "Privacy mode is on: read only. Press p to switch it off and edit.";
