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
}

impl TaskKind {
    pub fn id(self) -> &'static str {
        match self {
            Self::InformVictim => "inform_victim",
            Self::InformChildAndCarer => "inform_child_and_carer",
            Self::NotifyYjs => "notify_yjs",
            Self::NotifySocialWorker => "notify_social_worker",
            Self::InformNeighbourhoodTeam => "inform_neighbourhood_team",
            Self::ArrangeDelivery => "arrange_delivery",
        }
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
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    pub kind: TaskKind,
    pub description: String,
    pub due: NaiveDate,
}

/// The tasks for a case decided on `decided_on`. Empty if no known outcome is set.
pub fn tasks(case: &Case, panel: &PanelDefinition, decided_on: NaiveDate) -> Vec<Task> {
    let Some(outcome) = case.decision.outcome.as_deref().and_then(|c| panel.outcome(c)) else {
        return Vec::new();
    };
    let t = &panel.tasks;
    let due = |days: u8| panel.working_days.add(decided_on, u32::from(days));
    let mut out = Vec::new();
    if case.victim.has_victim() {
        out.push(Task {
            kind: TaskKind::InformVictim,
            description: format!("Tell the victim the outcome ({})", outcome.label),
            due: due(t.inform_victim),
        });
    }
    let mut child = format!("Tell the child and parent/carer the outcome ({}) in plain words", outcome.label);
    if outcome.tell_need_not_sign {
        child.push_str(", and that they need not sign the form");
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
        out.push(Task {
            kind: TaskKind::ArrangeDelivery,
            description: format!("Arrange delivery of the {} with an appropriate adult present", outcome.label),
            due: due(t.arrange_delivery),
        });
    }
    out
}
