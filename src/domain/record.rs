//! What a recorded decision holds: the case as the panel knew it, with the score, findings and
//! tasks worked out at the time, so a later reader (or scrutiny) sees what the panel saw even
//! after the panel definition changes.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::checks::{self, Finding, Severity};
use super::gravity;
use super::panel::PanelDefinition;
use super::referral::{Case, Member, VictimViews};
use super::tasks::tasks;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreSnapshot {
    pub offence: String,
    pub group: String,
    pub base: u8,
    pub final_score: u8,
    pub movement: i32,
    pub indicated: Option<String>,
    /// The outcome is not among those the matrix finds consistent with the score.
    pub departure: bool,
    pub factors: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FindingSnapshot {
    pub rule: String,
    pub blocking: bool,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskSnapshot {
    pub kind: String,
    pub description: String,
    pub due: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecisionSnapshot {
    pub case: Case,
    /// Who chaired the sitting that made the decision.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub chair: String,
    pub decided_on: NaiveDate,
    pub panel_version: String,
    pub matrix_version: String,
    pub score: ScoreSnapshot,
    pub findings: Vec<FindingSnapshot>,
    pub tasks: Vec<TaskSnapshot>,
}

/// Builds the record of a decision, or returns the blocking findings that prevent it.
pub fn snapshot(case: &Case, panel: &PanelDefinition, decided_on: NaiveDate) -> Result<DecisionSnapshot, Vec<Finding>> {
    snapshot_with(case, panel, decided_on, checks::check(case, panel))
}

/// As `snapshot`, keeping the findings the caller showed (a walk adds its session's own, such
/// as the chair not being among those present): what was shown is what is recorded.
pub fn snapshot_with(
    case: &Case,
    panel: &PanelDefinition,
    decided_on: NaiveDate,
    findings: Vec<Finding>,
) -> Result<DecisionSnapshot, Vec<Finding>> {
    if checks::blocking(&findings) {
        return Err(findings.into_iter().filter(|f| f.severity == Severity::Blocking).collect());
    }
    // check() blocks on an unknown offence, so scoring cannot fail here.
    let s = gravity::score(&panel.gravity, &case.gravity).map_err(|_| Vec::new())?;
    let group = panel.offence(&s.offence).map(|o| o.group.clone()).unwrap_or_default();
    let mut kept = case.clone();
    kept.decision.present.retain(Member::is_someone);
    Ok(DecisionSnapshot {
        case: kept,
        chair: String::new(),
        decided_on,
        panel_version: panel.panel.version.clone(),
        matrix_version: panel.gravity.version.clone(),
        score: ScoreSnapshot {
            offence: s.offence.clone(),
            group,
            base: s.base,
            final_score: s.final_score,
            movement: s.movement,
            indicated: s.indicated_outcome().map(str::to_string),
            departure: case.decision.outcome.as_deref().is_some_and(|o| s.is_departure(o)),
            factors: case.gravity.factors.clone(),
        },
        findings: findings
            .iter()
            .map(|f| FindingSnapshot {
                rule: f.rule.to_string(),
                blocking: f.severity == Severity::Blocking,
                reason: f.reason.clone(),
            })
            .collect(),
        tasks: tasks(case, panel, decided_on)
            .into_iter()
            .map(|t| TaskSnapshot { kind: t.kind.id().to_string(), description: t.description, due: t.due })
            .collect(),
    })
}

impl DecisionSnapshot {
    /// Where restorative justice stood for the decision's victim (`VictimViews::rj_counted`).
    /// Kept as an index column so the board report counts it without reading a record body.
    pub fn victim_rj(&self) -> Option<&'static str> {
        self.case.victim.rj_counted()
    }

    pub fn outcome(&self) -> &str {
        self.case.decision.outcome.as_deref().unwrap_or_default()
    }
    pub fn disagreement(&self) -> bool {
        self.case.decision.disagreement()
    }
    pub fn inspector_authority(&self) -> bool {
        self.case.gravity.inspector.is_some()
    }
    pub fn victim_status(&self) -> &'static str {
        match &self.case.victim {
            VictimViews::NotRecorded => "not-recorded",
            VictimViews::NoDirectVictim => "no-direct-victim",
            VictimViews::NotObtainable { .. } => "not-obtainable",
            VictimViews::Contacted(_) => "contacted",
        }
    }
}

/// The record a correction supersedes, as the store finds it: the referral it is about, and the
/// record that already supersedes it, if any.
pub struct Superseded {
    pub referral_id: Option<i64>,
    pub superseded_by: Option<i64>,
}

/// Whether a correction of record `supersedes` may be recorded for `referral_id`: it needs a
/// reason, and corrects the latest decision about that referral (`target` is None where
/// `supersedes` is not a recorded decision). Recorded decisions are never edited; a correction is
/// a linked record, so the chain of corrections stays one line.
pub fn check_correction(
    referral_id: i64,
    supersedes: i64,
    reason: &str,
    target: Option<Superseded>,
) -> Result<(), String> {
    if reason.trim().is_empty() {
        return Err("a correction needs a reason".into());
    }
    match target {
        None => Err(format!("record {supersedes} is not a recorded decision")),
        Some(t) if t.referral_id != Some(referral_id) => {
            Err(format!("record {supersedes} is a decision about another referral"))
        }
        Some(Superseded { superseded_by: Some(later), .. }) => {
            Err(format!("record {supersedes} is already superseded by record {later}: correct the latest decision"))
        }
        Some(_) => Ok(()),
    }
}
