//! Learning points become actions: what is to be done, by whom, by when; their status (open,
//! done, dropped with a reason) is recorded in the chain and carried from meeting to meeting.
//! Pure: parsing a typed action and working out its status from the records.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One action agreed at a scrutiny review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionItem {
    pub text: String,
    /// An agency or a person.
    pub owner: String,
    pub due: NaiveDate,
}

/// A change of an action's status, recorded in the chain (never an edit).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionStatus {
    /// The action: "REVIEW.N", the review's record number and the action's place in it (from 1).
    pub action: String,
    pub status: Closed,
    /// Why it was dropped, or what was done.
    pub note: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Closed {
    Done,
    Dropped,
}

/// An action as it stands: open (and whether overdue on `today`), or closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    Open { overdue: bool },
    Closed(Closed, String),
}

/// Reads one typed action: "what; owner; due YYYY-MM-DD" (the word "due" optional).
pub fn parse_line(line: &str) -> Result<ActionItem, String> {
    let parts: Vec<&str> = line.split(';').map(str::trim).collect();
    let [text, owner, due] = parts[..] else {
        return Err(format!(
            "\"{}\": expected what is to be done; who (an agency or person); due YYYY-MM-DD, separated by ;",
            line.trim()
        ));
    };
    if text.is_empty() || owner.is_empty() {
        return Err(format!("\"{}\": an action needs what is to be done and who owns it", line.trim()));
    }
    let date = due.strip_prefix("due").map_or(due, str::trim);
    let due = NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .map_err(|_| format!("\"{}\": expected the due date as YYYY-MM-DD, found \"{date}\"", line.trim()))?;
    Ok(ActionItem { text: text.to_string(), owner: owner.to_string(), due })
}

/// Where an action stands, from its status records (the latest stands) and today's date.
pub fn standing(item: &ActionItem, statuses: &[&ActionStatus], today: NaiveDate) -> Standing {
    match statuses.last() {
        Some(s) => Standing::Closed(s.status, s.note.clone()),
        None => Standing::Open { overdue: item.due < today },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn an_action_is_what_who_and_when() {
        let a = parse_line("Guidance note on victims' wishes; YJS manager; due 2027-01-31").unwrap();
        assert_eq!(
            a,
            ActionItem {
                text: "Guidance note on victims' wishes".into(),
                owner: "YJS manager".into(),
                due: d("2027-01-31")
            }
        );
        assert_eq!(parse_line("x; Police; 2027-02-01").unwrap().due, d("2027-02-01"));
    }

    #[test]
    fn a_bad_action_says_what_was_expected() {
        assert!(parse_line("just a thought").unwrap_err().contains("separated by ;"));
        assert!(parse_line("x; ; 2027-01-01").unwrap_err().contains("who owns it"));
        assert!(parse_line("x; Police; next week").unwrap_err().contains("YYYY-MM-DD, found \"next week\""));
    }

    #[test]
    fn an_action_is_open_overdue_or_closed_by_its_latest_status() {
        let a = parse_line("x; Police; 2026-12-01").unwrap();
        assert_eq!(standing(&a, &[], d("2026-11-30")), Standing::Open { overdue: false });
        assert_eq!(standing(&a, &[], d("2026-12-01")), Standing::Open { overdue: false }, "due today is not late");
        assert_eq!(standing(&a, &[], d("2026-12-02")), Standing::Open { overdue: true });
        let done = ActionStatus { action: "4.1".into(), status: Closed::Done, note: "sent".into() };
        assert_eq!(standing(&a, &[&done], d("2026-12-02")), Standing::Closed(Closed::Done, "sent".into()));
    }
}
