//! Follow-up tasks a recorded decision creates, each with a working-day deadline.

use chrono::NaiveDate;

use super::panel::PanelDefinition;
use super::referral::Case;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TaskKind {
    InformVictim,
    InformChildAndCarer,
    NotifyYjs,
    NotifySocialWorker,
    InformNeighbourhoodTeam,
    ArrangeDelivery,
    YjsAssessment,
    ChildInformationForm,
    KnifePlan,
    KnifeCompliance,
}

impl TaskKind {
    pub const ALL: [TaskKind; 10] = [
        Self::InformVictim,
        Self::InformChildAndCarer,
        Self::NotifyYjs,
        Self::NotifySocialWorker,
        Self::InformNeighbourhoodTeam,
        Self::ArrangeDelivery,
        Self::YjsAssessment,
        Self::ChildInformationForm,
        Self::KnifePlan,
        Self::KnifeCompliance,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Self::InformVictim => "inform_victim",
            Self::InformChildAndCarer => "inform_child_and_carer",
            Self::NotifyYjs => "notify_yjs",
            Self::NotifySocialWorker => "notify_social_worker",
            Self::InformNeighbourhoodTeam => "inform_neighbourhood_team",
            Self::ArrangeDelivery => "arrange_delivery",
            Self::YjsAssessment => "yjs_assessment",
            Self::ChildInformationForm => "child_information_form",
            Self::KnifePlan => "knife_plan",
            Self::KnifeCompliance => "knife_compliance",
        }
    }

    /// The kind named by its `id`.
    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.id() == id)
    }

    /// The task in words, for a person.
    pub fn label(self) -> &'static str {
        match self {
            Self::InformVictim => "Tell the victim the outcome",
            Self::InformChildAndCarer => "Tell the child and their parent or carer",
            Self::NotifyYjs => "Notify the Youth Justice Service",
            Self::NotifySocialWorker => "Notify the looked-after child's social worker",
            Self::InformNeighbourhoodTeam => "Inform the neighbourhood policing team",
            Self::ArrangeDelivery => "Arrange delivery of the outcome",
            Self::YjsAssessment => "The YJS assesses the child",
            Self::ChildInformationForm => "Send the Child Information Form to the CPS",
            Self::KnifePlan => "Refer the child to the YJS for a knife plan",
            Self::KnifeCompliance => "Review the knife plan; report non-compliance to the police",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    pub kind: TaskKind,
    pub description: String,
    pub due: NaiveDate,
}

/// The Child Information Form is mandatory with a charge file to the CPS from this date.
pub const CHILD_INFORMATION_FORM_FROM: NaiveDate = match NaiveDate::from_ymd_opt(2025, 2, 1) {
    Some(d) => d,
    None => panic!("a real date"),
};

/// A caution is given in the presence of an appropriate adult to a child under this age
/// (Crime and Disorder Act 1998 s.66ZA(4) and s.66B).
pub const APPROPRIATE_ADULT_UNDER: u32 = 17;

/// Whether the outcome is given with an appropriate adult present: an outcome delivered so
/// (a caution) to a child under 17 at the offence, or of an age not known (s.66ZA(4), s.66B).
/// The delivery task and the letters read this one rule.
pub fn appropriate_adult_at_delivery(case: &Case, outcome: &super::panel::OutcomeDef) -> bool {
    outcome.appropriate_adult_at_delivery && case.referral.age_at_offence().is_none_or(|a| a < APPROPRIATE_ADULT_UNDER)
}

/// "second", "third"… for the n-th outcome of a kind (n from 1).
fn ordinal(n: usize) -> String {
    match n {
        1 => "first".into(),
        2 => "second".into(),
        3 => "third".into(),
        n => format!("{n}th"),
    }
}

/// The tasks for a case decided on `decided_on`. Empty if no known outcome is set.
pub fn tasks(case: &Case, panel: &PanelDefinition, decided_on: NaiveDate) -> Vec<Task> {
    let Some(outcome) = case.decision.outcome.as_deref().and_then(|c| panel.outcome(c)) else {
        return Vec::new();
    };
    let t = &panel.tasks;
    let due = |days: u8| panel.working_days.add(decided_on, u32::from(days));
    let mut out = Vec::new();
    // A victim who asked for no further contact has opted out of being told (Victims' Code 2021).
    let opted_out = case.victim.opted_out();
    if case.victim.has_victim() && !opted_out {
        // Victims' Code 2021: within 5 working days, 1 for a victim with enhanced rights.
        let enhanced = case.victim.contact().is_some_and(|c| c.enhanced_rights());
        let (days, whose) =
            if enhanced { (t.inform_victim_enhanced, " (enhanced rights)") } else { (t.inform_victim, "") };
        out.push(Task {
            kind: TaskKind::InformVictim,
            description: format!("Tell the victim{whose} the outcome ({})", outcome.label),
            due: due(days),
        });
    }
    let mut child = format!("Tell the child and parent/carer the outcome ({}) in plain words", outcome.label);
    if outcome.tell_need_not_sign {
        child.push_str(", and that they need not sign the form");
    }
    // Outcome 22: what happens if the child does not engage (local protocol, panel data).
    if !outcome.non_engagement.trim().is_empty() {
        child.push_str(&format!(", and what happens if they do not engage: {}", outcome.non_engagement.trim()));
    }
    out.push(Task { kind: TaskKind::InformChildAndCarer, description: child, due: due(t.inform_child_and_carer) });
    if outcome.notify_yjs {
        out.push(Task {
            kind: TaskKind::NotifyYjs,
            description: format!("Notify the YJS of the {}", outcome.label),
            due: due(t.notify_yjs),
        });
    }
    if let Some(la) = &case.referral.child.looked_after {
        let who = la.social_worker.as_deref().unwrap_or("the allocated social worker");
        out.push(Task {
            kind: TaskKind::NotifySocialWorker,
            description: format!("Notify {who} ({}) of the decision", la.local_authority),
            due: due(t.notify_social_worker),
        });
    }
    out.push(Task {
        kind: TaskKind::InformNeighbourhoodTeam,
        description: "Inform the neighbourhood policing team".into(),
        due: due(t.inform_neighbourhood_team),
    });
    if outcome.appropriate_adult_at_delivery {
        let with = if appropriate_adult_at_delivery(case, outcome) { " with an appropriate adult present" } else { "" };
        out.push(Task {
            kind: TaskKind::ArrangeDelivery,
            description: format!("Arrange delivery of the {}{with}", outcome.label),
            due: due(t.arrange_delivery),
        });
    }
    // A second or later youth caution, or any conditional caution: the YJS must assess
    // (Crime and Disorder Act 1998 s.66ZB).
    if let Some(from) = outcome.yjs_assessment_from {
        // Counted by the panel's outcome, however it was written (a store may hold a label
        // imported before previous outcomes were kept as codes).
        let same = |p: &&super::referral::PreviousOutcome| {
            panel.outcome_named(&p.outcome).is_some_and(|o| o.code == outcome.code)
        };
        let nth = 1 + case.referral.previous_outcomes.iter().filter(same).count();
        if nth >= usize::from(from) {
            out.push(Task {
                kind: TaskKind::YjsAssessment,
                description: format!("The YJS assesses the child (the {} {})", ordinal(nth), outcome.label),
                due: due(t.yjs_assessment),
            });
        }
    }
    if outcome.goes_to_court && decided_on >= CHILD_INFORMATION_FORM_FROM {
        out.push(Task {
            kind: TaskKind::ChildInformationForm,
            description: "Send the Child Information Form with the file to the CPS".into(),
            due: due(t.child_information_form),
        });
    }
    // Home Office/MoJ guidance (12 February 2026): every child found in possession of a knife is
    // referred to the YJS for a plan, and non-compliance is reported to the police.
    let knife = case
        .referral
        .offences
        .iter()
        .map(|o| o.offence.as_str())
        .chain([case.gravity.offence.as_str()])
        .any(|name| panel.offence(name).is_some_and(|o| o.knife));
    if knife {
        out.push(Task {
            kind: TaskKind::KnifePlan,
            description: "Refer the child to the YJS for a plan (knife possession)".into(),
            due: due(t.knife_plan),
        });
        out.push(Task {
            kind: TaskKind::KnifeCompliance,
            description: "Review the knife plan; report any non-compliance to the police".into(),
            due: due(t.knife_compliance),
        });
    }
    out
}
