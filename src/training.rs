//! Mock panels: scenarios, the staged reveal of information as the room reaches each step, the
//! trainer's late releases, and the debrief against the scenario's reference decision. Pure:
//! the terminal shows it, `config` loads and checks scenario files.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

use crate::domain::checks;
use crate::domain::gravity;
use crate::domain::referral::*;
use crate::domain::{PanelDefinition, tasks};
use crate::walk::Step;

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioInfo {
    pub title: String,
    /// introductory, intermediate or advanced
    pub level: Level,
    pub teaches: String,
    pub minutes: u16,
    /// Must be true: every name in a scenario is invented, and the file says so.
    pub fictional: bool,
    pub objectives: Vec<String>,
    pub teaching_points: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    Introductory,
    Intermediate,
    Advanced,
}

impl Level {
    pub fn label(self) -> &'static str {
        match self {
            Self::Introductory => "introductory",
            Self::Intermediate => "intermediate",
            Self::Advanced => "advanced",
        }
    }
}

/// A piece of information the trainer releases during the step, when the room asks for it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Release {
    pub step: String,
    pub title: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reference {
    pub gravity: GravityInputs,
    pub outcome: String,
    /// Set where the scenario is about police and YJS disagreeing.
    #[serde(default)]
    pub police_view: Option<String>,
    #[serde(default)]
    pub yjs_view: Option<String>,
    pub rationale: String,
    #[serde(default)]
    pub conditions: Vec<String>,
    #[serde(default)]
    pub interventions: Vec<String>,
    #[serde(default)]
    pub evidence_sufficient: bool,
    #[serde(default)]
    pub child_consents: bool,
    #[serde(default)]
    pub cps_authority: Option<String>,
    /// The outcome's kind (e.g. which Outcome 22), its intervention length, the statutory
    /// checklist items confirmed and who authorised it.
    #[serde(default)]
    pub variant: Option<String>,
    #[serde(default)]
    pub intervention_weeks: Option<u8>,
    #[serde(default)]
    pub confirmed: Vec<String>,
    #[serde(default)]
    pub authorised_by: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub scenario: ScenarioInfo,
    pub referral: Referral,
    #[serde(default)]
    pub research: ResearchSummary,
    #[serde(default)]
    pub victim: VictimViews,
    #[serde(default)]
    pub needs: AssessedNeeds,
    #[serde(default)]
    pub releases: Vec<Release>,
    pub reference: Reference,
    /// Facilitator notes by step id (facts, research, victim, …): the trainer's view only.
    #[serde(default)]
    pub notes: BTreeMap<String, String>,
}

/// Who chairs a mock panel, named on its (training) records: one of the room.
pub const TRAINING_CHAIR: &str = "Police trainee";

/// The fictional panel members a mock panel sits with, so quorum is met.
pub fn training_members() -> Vec<Member> {
    vec![
        Member { name: "Police trainee".into(), agency: "police".into(), role: "YJS police officer".into() },
        Member { name: "YJS trainee".into(), agency: "yjs".into(), role: "Case manager".into() },
    ]
}

/// What the room sees at the start: the referral facts only.
pub fn opening_case(s: &Scenario) -> Case {
    let mut c = Case::new(s.referral.clone());
    c.decision.present = training_members();
    c
}

/// The room has reached `step`: information for it arrives if it has not already.
/// Returns what arrived, for the screen to announce.
pub fn reveal(case: &mut Case, s: &Scenario, step: Step, revealed: &mut BTreeSet<Step>) -> Option<String> {
    if !revealed.insert(step) {
        return None;
    }
    match step {
        Step::Research if case.research == ResearchSummary::default() => {
            case.research = s.research.clone();
            Some("The police research summary has arrived.".into())
        }
        Step::Victim if case.victim == VictimViews::NotRecorded => {
            case.victim = s.victim.clone();
            Some("The victim liaison officer reports the victim's views.".into())
        }
        Step::Needs if case.needs == AssessedNeeds::default() => {
            case.needs = s.needs.clone();
            Some("The YJS assessment has arrived.".into())
        }
        _ => None,
    }
}

/// The next release for this step, if any is left; its text is added to the case.
/// Releases the next late information the scenario holds for this step into the case, and
/// returns its title and text for the room to see.
pub fn release(case: &mut Case, s: &Scenario, step: Step, released: &mut usize) -> Option<(String, String)> {
    let (i, r) = s.releases.iter().enumerate().skip(*released).find(|(_, r)| r.step == step.id())?;
    *released = i + 1;
    let note = format!("{}: {}", r.title, r.text);
    let slot = match step {
        Step::Research => &mut case.research.intelligence,
        Step::Victim => match &mut case.victim {
            VictimViews::Contacted(c) => &mut c.views,
            _ => &mut case.research.intelligence,
        },
        Step::Needs => &mut case.needs.conclusion,
        _ => &mut case.research.intelligence,
    };
    if !slot.is_empty() {
        slot.push_str("\n");
    }
    slot.push_str(&note);
    Some((r.title.clone(), r.text.clone()))
}

/// The scenario's reference decision as a complete case.
pub fn reference_case(s: &Scenario) -> Case {
    let mut c = opening_case(s);
    c.research = s.research.clone();
    c.victim = s.victim.clone();
    c.needs = s.needs.clone();
    let mut ignored = 0;
    for step in Step::ALL {
        while release(&mut c, s, step, &mut ignored).is_some() {}
    }
    let r = &s.reference;
    c.gravity = r.gravity.clone();
    let police = r.police_view.clone().unwrap_or(r.outcome.clone());
    let yjs = r.yjs_view.clone().unwrap_or(r.outcome.clone());
    c.decision.views = vec![
        AgencyView { agency: "police".into(), outcome: police, reason: String::new(), given_for: None },
        AgencyView { agency: "yjs".into(), outcome: yjs, reason: String::new(), given_for: None },
    ];
    c.decision.outcome = Some(r.outcome.clone());
    c.decision.rationale = r.rationale.clone();
    c.decision.conditions = r.conditions.clone();
    c.decision.interventions = r.interventions.clone();
    c.decision.evidence_sufficient = r.evidence_sufficient;
    c.decision.child_consents = r.child_consents;
    c.decision.cps_authority = r.cps_authority.clone();
    c.decision.variant = r.variant.clone();
    c.decision.intervention_weeks = r.intervention_weeks;
    c.decision.confirmed = r.confirmed.clone();
    c.decision.authorised_by = r.authorised_by.clone();
    c
}

#[derive(Debug, Clone, PartialEq)]
pub struct Side {
    pub score: Option<u8>,
    /// Factor labels as the matrix names them, with their effect.
    pub factors: Vec<String>,
    pub outcome: Option<String>,
    pub police_view: Option<String>,
    pub yjs_view: Option<String>,
    pub inspector: String,
    /// The rank of the inspector whose authority was recorded (folded), if any.
    pub inspector_rank: Option<String>,
    pub conditions: Vec<String>,
    pub interventions: Vec<String>,
    pub rationale: String,
    pub findings: Vec<String>,
    /// The rule of each finding, in the same order: findings are compared by rule, not wording.
    pub finding_rules: Vec<&'static str>,
    /// Each task in words.
    pub tasks: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Debrief {
    pub title: String,
    pub room: Side,
    pub reference: Side,
    pub same_outcome: bool,
    pub same_score: bool,
    /// Findings the reference decision raises that the room's decision did not.
    pub findings_missed: Vec<String>,
    /// Tasks the reference decision creates that the room's does not.
    pub tasks_missed: Vec<String>,
    pub teaching_points: Vec<String>,
}

fn side(c: &Case, panel: &PanelDefinition, today: chrono::NaiveDate) -> Side {
    let score = gravity::score(&panel.gravity, &c.gravity).ok();
    let factors = match &score {
        Some(s) => s.steps.iter().map(|st| format!("{} ({:+})", st.label, st.effect)).collect(),
        None => c.gravity.factors.clone(),
    };
    let found = checks::check(c, panel);
    Side {
        score: score.map(|s| s.final_score),
        factors,
        outcome: c.decision.outcome.clone(),
        police_view: c.decision.view_of("police").map(|v| v.outcome.clone()),
        yjs_view: c.decision.view_of("yjs").map(|v| v.outcome.clone()),
        inspector: c
            .gravity
            .inspector
            .as_ref()
            .map_or(String::new(), |i| format!("{} ({})", i.name.trim(), i.rank.trim())),
        inspector_rank: c.gravity.inspector.as_ref().map(|i| i.rank.trim().to_lowercase()),
        conditions: c.decision.conditions.clone(),
        interventions: c.decision.interventions.clone(),
        rationale: c.decision.rationale.clone(),
        findings: found.iter().map(|f| format!("{} {}", f.severity.label(), f.reason)).collect(),
        finding_rules: found.iter().map(|f| f.rule).collect(),
        tasks: tasks::tasks(c, panel, today).into_iter().map(|t| t.kind.label().to_string()).collect(),
    }
}

pub fn debrief(room: &Case, s: &Scenario, panel: &PanelDefinition, today: chrono::NaiveDate) -> Debrief {
    let room = side(room, panel, today);
    let reference = side(&reference_case(s), panel, today);
    let findings_missed = reference
        .findings
        .iter()
        .zip(&reference.finding_rules)
        .filter(|(_, rule)| !room.finding_rules.contains(rule))
        .map(|(f, _)| f.clone())
        .collect();
    let tasks_missed = reference.tasks.iter().filter(|t| !room.tasks.contains(t)).cloned().collect();
    Debrief {
        title: s.scenario.title.clone(),
        same_outcome: room.outcome == reference.outcome,
        same_score: room.score == reference.score,
        room,
        reference,
        findings_missed,
        tasks_missed,
        teaching_points: s.scenario.teaching_points.clone(),
    }
}

impl Debrief {
    /// The trainer's notes, as Markdown.
    /// The two decisions side by side, labelled, in full: one list for the screen and the file.
    /// Each row says whether the room agrees with the reference (None for free text, which the
    /// room compares itself); the inspector's authority agrees by rank (names are fictional).
    pub fn rows(&self, panel: &PanelDefinition) -> Vec<(&'static str, String, String, Option<bool>)> {
        let outcome = |o: &Option<String>| {
            o.as_deref().map_or("—".to_string(), |c| panel.outcome(c).map_or(c.to_string(), |d| d.label.clone()))
        };
        let list = |items: &[String]| if items.is_empty() { "none".to_string() } else { items.join("; ") };
        let text = |s: &str| if s.trim().is_empty() { "—".to_string() } else { s.to_string() };
        let score = |s: Option<u8>| s.map_or("—".into(), |s| s.to_string());
        let (r, f) = (&self.room, &self.reference);
        let same = |a: String, b: String| {
            let agrees = a == b;
            (a, b, Some(agrees))
        };
        let row = |label, (a, b, agrees): (String, String, Option<bool>)| (label, a, b, agrees);
        vec![
            row("Gravity score", same(score(r.score), score(f.score))),
            row("Factors", same(list(&r.factors), list(&f.factors))),
            row(
                "Inspector's authority",
                (text(&r.inspector), text(&f.inspector), Some(r.inspector_rank == f.inspector_rank)),
            ),
            row("Police view", same(outcome(&r.police_view), outcome(&f.police_view))),
            row("YJS view", same(outcome(&r.yjs_view), outcome(&f.yjs_view))),
            row("Outcome", same(outcome(&r.outcome), outcome(&f.outcome))),
            row("Conditions", same(list(&r.conditions), list(&f.conditions))),
            row("Interventions", same(list(&r.interventions), list(&f.interventions))),
            row("Rationale", (text(&r.rationale), text(&f.rationale), None)),
        ]
    }

    /// The trainer's notes, as Markdown. Cell text has its table and line structure escaped.
    pub fn markdown(&self, panel: &PanelDefinition) -> String {
        let cell = |s: &str| s.replace('|', "\\|").replace(['\n', '\r'], " ");
        let list = |items: &[String]| {
            if items.is_empty() {
                "- none\n".to_string()
            } else {
                items.iter().map(|i| format!("- {}\n", cell(i))).collect()
            }
        };
        let mut md =
            format!("# Debrief: {}\n\n_Training scenario — fictional; not a real case._\n\n", cell(&self.title));
        md.push_str("| | The room | Reference |\n|---|---|---|\n");
        for (label, room, reference, _) in self.rows(panel) {
            md.push_str(&format!("| {label} | {} | {} |\n", cell(&room), cell(&reference)));
        }
        md.push_str(&format!(
            "\nOutcome {}; score {}.\n",
            if self.same_outcome { "matches the reference" } else { "differs from the reference" },
            if self.same_score { "matches" } else { "differs" }
        ));
        md.push_str("\n## Findings the room saw\n\n");
        md.push_str(&list(&self.room.findings));
        md.push_str("\n## Findings the reference raises that the room's decision did not\n\n");
        md.push_str(&list(&self.findings_missed));
        md.push_str("\n## Tasks\n\n**The room created:**\n\n");
        md.push_str(&list(&self.room.tasks));
        md.push_str("\n**Missed:**\n\n");
        md.push_str(&list(&self.tasks_missed));
        md.push_str("\n## Teaching points\n\n");
        md.push_str(&list(&self.teaching_points));
        md
    }
}
