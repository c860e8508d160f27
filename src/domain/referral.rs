//! A referral and everything the panel records about it, in the panel's own words. Plain data:
//! the walk fills it in step by step, the checks read it, the store saves it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::dates::age_on;

fn is_default<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Sex {
    Female,
    Male,
    Other,
    NotKnown,
}

impl Sex {
    pub const ALL: [Sex; 4] = [Sex::Female, Sex::Male, Sex::Other, Sex::NotKnown];

    pub fn label(self) -> &'static str {
        match self {
            Self::Female => "Female",
            Self::Male => "Male",
            Self::Other => "Other",
            Self::NotKnown => "Not known",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LookedAfter {
    /// The local authority responsible for the child (may differ from the panel's area).
    pub local_authority: String,
    #[serde(default, skip_serializing_if = "is_default")]
    pub social_worker: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Child {
    pub name: String,
    /// Other names the child is known by (nicknames, former names): scrubbed like the name.
    #[serde(default, skip_serializing_if = "is_default")]
    pub known_as: Vec<String>,
    pub date_of_birth: NaiveDate,
    pub sex: Sex,
    /// Self-defined ethnicity, recorded for disproportionality monitoring.
    pub ethnicity: String,
    #[serde(default, skip_serializing_if = "is_default")]
    pub looked_after: Option<LookedAfter>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Offence {
    /// The offence's name in the panel's gravity matrix.
    pub offence: String,
    pub date: NaiveDate,
    #[serde(default, skip_serializing_if = "is_default")]
    pub details: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Response {
    Admitted,
    AcceptedResponsibility,
    Denied,
    NoComment,
}

impl Response {
    pub const ALL: [Response; 4] =
        [Response::Admitted, Response::AcceptedResponsibility, Response::Denied, Response::NoComment];

    pub fn label(self) -> &'static str {
        match self {
            Self::Admitted => "Admitted the offence",
            Self::AcceptedResponsibility => "Accepted responsibility",
            Self::Denied => "Denied",
            Self::NoComment => "No comment",
        }
    }
    pub fn is_admission(self) -> bool {
        self == Self::Admitted
    }
    /// An admission is also an acceptance of responsibility.
    pub fn accepts_responsibility(self) -> bool {
        matches!(self, Self::Admitted | Self::AcceptedResponsibility)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreviousOutcome {
    pub date: NaiveDate,
    /// An outcome code, or a conviction described in words.
    pub outcome: String,
    #[serde(default, skip_serializing_if = "is_default")]
    pub offence: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Referral {
    /// The local reference: the only identifier shown in privacy mode and scrutiny.
    pub reference: String,
    pub child: Child,
    pub offences: Vec<Offence>,
    pub response: Response,
    #[serde(default, skip_serializing_if = "is_default")]
    pub previous_outcomes: Vec<PreviousOutcome>,
    pub officer_in_case: String,
    pub referral_date: NaiveDate,
    #[serde(default, skip_serializing_if = "is_default")]
    pub appropriate_adult: Option<String>,
}

/// A date the panel has not been given yet (a new referral's date of birth, the date a victim
/// was contacted): never today, which would make a newborn of the child or a fact of a guess.
pub const DATE_NOT_GIVEN: NaiveDate = NaiveDate::MIN;

impl Child {
    pub const UNKNOWN_DOB: NaiveDate = DATE_NOT_GIVEN;

    pub fn dob_known(&self) -> bool {
        self.date_of_birth != Self::UNKNOWN_DOB
    }
}

/// A reference as people read it, for telling two references apart: letter case and spaces
/// (surrounding or inside) do not count, so "JDP-2026-0141", "jdp-2026-0141 " and
/// "JDP- 2026-0141" are one reference.
pub fn reference_key(reference: &str) -> String {
    reference.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_lowercase).collect()
}

impl Referral {
    /// The date the age is taken at: the earliest offence (a child is 10–17 *at the offence*).
    pub fn offence_date(&self) -> Option<NaiveDate> {
        self.offences.iter().map(|o| o.date).min()
    }

    pub fn age_at_offence(&self) -> Option<u32> {
        if !self.child.dob_known() {
            return None;
        }
        self.offence_date().map(|d| age_on(self.child.date_of_birth, d))
    }

    /// Enough to tell this referral from every other: a reference, a name and an offence.
    /// A new referral is stored (and its draft saved) only from then on.
    pub fn is_identifiable(&self) -> bool {
        !self.reference.trim().is_empty() && !self.child.name.trim().is_empty() && !self.offences.is_empty()
    }
}

/// One search of police systems. Guidance requires each to be auditable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchAuditEntry {
    pub requested_on: NaiveDate,
    pub requested_by: String,
    pub request: String,
    pub systems: Vec<String>,
    pub supplied: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ResearchSummary {
    #[serde(skip_serializing_if = "is_default")]
    pub history: String,
    #[serde(skip_serializing_if = "is_default")]
    pub intelligence: String,
    #[serde(skip_serializing_if = "is_default")]
    pub family_context: String,
    #[serde(skip_serializing_if = "is_default")]
    pub exploitation: String,
    #[serde(skip_serializing_if = "is_default")]
    pub safeguarding: String,
    #[serde(skip_serializing_if = "is_default")]
    pub live_investigation: bool,
    #[serde(skip_serializing_if = "is_default")]
    pub officer_in_case_consulted: bool,
    #[serde(skip_serializing_if = "is_default")]
    pub safeguarding_referral_made: bool,
    #[serde(skip_serializing_if = "is_default")]
    pub searches: Vec<SearchAuditEntry>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VictimContact {
    pub contacted_on: NaiveDate,
    pub contacted_by: String,
    /// Telephone, letter, visit, …
    pub method: String,
    #[serde(default, skip_serializing_if = "is_default")]
    pub under_18: bool,
    #[serde(default, skip_serializing_if = "is_default")]
    pub views: String,
    #[serde(default, skip_serializing_if = "is_default")]
    pub wishes: String,
    #[serde(default, skip_serializing_if = "is_default")]
    pub consent_to_share: bool,
    #[serde(default, skip_serializing_if = "is_default")]
    pub wants_no_further_contact: bool,
    /// Restorative options (ids from the panel definition) the victim is interested in.
    #[serde(default, skip_serializing_if = "is_default")]
    pub restorative_interest: Vec<String>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub safety_concerns: String,
    /// The victim was asked and chose not to give views.
    #[serde(default, skip_serializing_if = "is_default")]
    pub declined_views: bool,
    /// Grounds for enhanced rights besides being under 18 (Victims' Code 2021): ids from
    /// `ENHANCED_GROUNDS`.
    #[serde(default, skip_serializing_if = "is_default")]
    pub enhanced: Vec<String>,
    /// Restorative justice: where the offer stands.
    #[serde(default, skip_serializing_if = "is_default")]
    pub rj: RjStatus,
    /// Why the victim was not invited to restorative justice (the YJS must record it).
    #[serde(default, skip_serializing_if = "is_default")]
    pub rj_not_invited_reason: String,
}

/// Grounds for a victim's enhanced rights under the Victims' Code 2021 besides being under 18.
pub const ENHANCED_GROUNDS: [(&str, &str); 4] = [
    ("vulnerable-or-intimidated", "Vulnerable or intimidated"),
    ("bereaved", "Bereaved (a close relative of someone who died)"),
    ("persistently-targeted", "Persistently targeted"),
    ("most-serious-crime", "Victim of the most serious crime"),
];

impl VictimContact {
    /// Enhanced rights: under 18, or any other ground of the Victims' Code.
    pub fn enhanced_rights(&self) -> bool {
        self.under_18 || !self.enhanced.is_empty()
    }
}

/// Where an offer of restorative justice to a victim stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RjStatus {
    #[default]
    NotYetOffered,
    Offered,
    Accepted,
    Declined,
    /// Not invited: the reason is recorded.
    NotInvited,
}

impl RjStatus {
    pub const ALL: [RjStatus; 5] =
        [RjStatus::NotYetOffered, RjStatus::Offered, RjStatus::Accepted, RjStatus::Declined, RjStatus::NotInvited];

    /// As stored (the serialised id).
    pub fn id(self) -> &'static str {
        match self {
            Self::NotYetOffered => "not-yet-offered",
            Self::Offered => "offered",
            Self::Accepted => "accepted",
            Self::Declined => "declined",
            Self::NotInvited => "not-invited",
        }
    }

    /// The status stored as `id`.
    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.id() == id)
    }

    /// As a report names it (the walk's label asks for the reason).
    pub fn name(self) -> &'static str {
        match self {
            Self::NotInvited => "Not invited",
            other => other.label(),
        }
    }

    /// Engaged in restorative justice, as KPI 10 counts it.
    pub fn engaged(self) -> bool {
        self == Self::Accepted
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::NotYetOffered => "Not yet offered",
            Self::Offered => "Offered, no answer yet",
            Self::Accepted => "Accepted",
            Self::Declined => "Declined",
            Self::NotInvited => "Not invited (say why)",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "kebab-case", deny_unknown_fields)]
pub enum VictimViews {
    #[default]
    NotRecorded,
    NoDirectVictim,
    NotObtainable {
        reason: String,
    },
    Contacted(VictimContact),
}

impl VictimViews {
    /// Where restorative justice stood for a victim who agreed to be contacted (YJB KPI 10: victims
    /// engaged in restorative justice ÷ victims who agreed to be contacted): the status's id, or
    /// None where no victim was contacted, the victim did not consent to their details being
    /// shared with the YJS, or asked for no further contact.
    pub fn rj_counted(&self) -> Option<&'static str> {
        match self {
            VictimViews::Contacted(v) if v.consent_to_share && !v.wants_no_further_contact => Some(v.rj.id()),
            _ => None,
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            Self::NotRecorded => "Not yet recorded",
            Self::NoDirectVictim => "No direct victim",
            Self::NotObtainable { .. } => "Views not obtainable",
            Self::Contacted(_) => "Victim contacted",
        }
    }
    /// What the Victims' Code still needs recorded, in words: empty once the views are
    /// recorded (who, when, how, and the views or wishes, or that the victim declined) or
    /// properly accounted for.
    pub fn missing(&self) -> Vec<&'static str> {
        match self {
            Self::NotRecorded => vec!["not recorded, nor marked not obtainable or no direct victim"],
            Self::NotObtainable { reason } if reason.trim().is_empty() => vec!["why they are not obtainable"],
            Self::NotObtainable { .. } | Self::NoDirectVictim => vec![],
            Self::Contacted(c) => {
                let mut out = Vec::new();
                if c.contacted_by.trim().is_empty() {
                    out.push("who contacted the victim");
                }
                if c.contacted_on == DATE_NOT_GIVEN {
                    out.push("when the victim was contacted");
                }
                if c.method.trim().is_empty() {
                    out.push("how the victim was contacted");
                }
                if c.views.trim().is_empty() && c.wishes.trim().is_empty() && !c.declined_views {
                    out.push("the victim's views or wishes (or that they declined to give views)");
                }
                out
            }
        }
    }
    /// Recorded or properly accounted for, as guidance requires before a decision.
    pub fn is_settled(&self) -> bool {
        self.missing().is_empty()
    }
    pub fn has_victim(&self) -> bool {
        !matches!(self, Self::NoDirectVictim)
    }
    /// What the contact with the victim recorded, where the victim was contacted.
    pub fn contact(&self) -> Option<&VictimContact> {
        match self {
            Self::Contacted(c) => Some(c),
            _ => None,
        }
    }
    /// The victim asked for no further contact (Victims' Code: a victim may opt out of being
    /// kept informed): no task to tell them, no letter, no restorative justice offer.
    pub fn opted_out(&self) -> bool {
        self.contact().is_some_and(|c| c.wants_no_further_contact)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NeedLevel {
    NotAssessed,
    None,
    Low,
    Medium,
    High,
}

impl NeedLevel {
    pub const ALL: [NeedLevel; 5] =
        [NeedLevel::NotAssessed, NeedLevel::None, NeedLevel::Low, NeedLevel::Medium, NeedLevel::High];

    pub fn label(self) -> &'static str {
        match self {
            Self::NotAssessed => "Not assessed",
            Self::None => "No need",
            Self::Low => "Low",
            Self::Medium => "Medium",
            Self::High => "High",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Need {
    /// A needs domain id from the panel definition.
    pub domain: String,
    pub level: NeedLevel,
    #[serde(default, skip_serializing_if = "is_default")]
    pub note: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AssessedNeeds {
    /// e.g. "Prevention and Diversion assessment" or "AssetPlus".
    #[serde(skip_serializing_if = "is_default")]
    pub tool: String,
    #[serde(skip_serializing_if = "is_default")]
    pub assessor: String,
    #[serde(skip_serializing_if = "is_default")]
    pub assessed_on: Option<NaiveDate>,
    #[serde(skip_serializing_if = "is_default")]
    pub needs: Vec<Need>,
    #[serde(skip_serializing_if = "is_default")]
    pub strengths: String,
    #[serde(skip_serializing_if = "is_default")]
    pub child_views: String,
    #[serde(skip_serializing_if = "is_default")]
    pub carer_views: String,
    #[serde(skip_serializing_if = "is_default")]
    pub conclusion: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inspector {
    pub name: String,
    pub rank: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct GravityInputs {
    /// The most serious offence, by its matrix name: the score is taken on it.
    #[serde(skip_serializing_if = "is_default")]
    pub offence: String,
    /// Factor ids (general or offence-specific) the panel found present.
    #[serde(skip_serializing_if = "is_default")]
    pub factors: Vec<String>,
    #[serde(skip_serializing_if = "is_default")]
    pub inspector: Option<Inspector>,
    /// Under a matrix that leaves the final score to judgement: the score the panel set, within
    /// the range the factors support.
    #[serde(skip_serializing_if = "is_default")]
    pub judged_score: Option<u8>,
    /// Why the panel set the score it did.
    #[serde(skip_serializing_if = "is_default")]
    pub judgement_rationale: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgencyView {
    pub agency: String,
    pub outcome: String,
    #[serde(default, skip_serializing_if = "is_default")]
    pub reason: String,
    /// The proposal on the table when the view was given: a view outlives a change of proposal
    /// only where it still matches it.
    #[serde(default, skip_serializing_if = "is_default")]
    pub given_for: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Member {
    pub name: String,
    pub agency: String,
    #[serde(default, skip_serializing_if = "is_default")]
    pub role: String,
}

impl Member {
    /// Someone is present only once named and placed in an agency: a row added and left blank
    /// is no one (it neither makes the quorum nor is recorded).
    pub fn is_someone(&self) -> bool {
        !self.name.trim().is_empty() && !self.agency.trim().is_empty()
    }
}

/// The joint decision as the panel is forming it; once recorded it never changes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Decision {
    #[serde(skip_serializing_if = "is_default")]
    pub present: Vec<Member>,
    /// The outcome proposed to the panel (step 6); the final outcome below is the decision.
    #[serde(skip_serializing_if = "is_default")]
    pub proposed: Option<String>,
    #[serde(skip_serializing_if = "is_default")]
    pub views: Vec<AgencyView>,
    /// The outcome code decided (police-final where the views differ).
    #[serde(skip_serializing_if = "is_default")]
    pub outcome: Option<String>,
    #[serde(skip_serializing_if = "is_default")]
    pub rationale: String,
    #[serde(skip_serializing_if = "is_default")]
    pub conditions: Vec<String>,
    #[serde(skip_serializing_if = "is_default")]
    pub interventions: Vec<String>,
    #[serde(skip_serializing_if = "is_default")]
    pub evidence_sufficient: bool,
    #[serde(skip_serializing_if = "is_default")]
    pub child_consents: bool,
    #[serde(skip_serializing_if = "is_default")]
    pub cps_authority: Option<String>,
    /// Which kind of the outcome (an id from its `variants`), e.g. a deferred caution.
    #[serde(skip_serializing_if = "is_default")]
    pub variant: Option<String>,
    /// The intervention's length in weeks, where the outcome has a local range.
    #[serde(skip_serializing_if = "is_default")]
    pub intervention_weeks: Option<u8>,
    /// Statutory checklist items (ids from the outcome's `checklist`) the panel has confirmed.
    #[serde(skip_serializing_if = "is_default")]
    pub confirmed: Vec<String>,
    /// Who authorised the outcome, where the panel definition names a rank that must.
    #[serde(skip_serializing_if = "is_default")]
    pub authorised_by: String,
}

impl Decision {
    /// The required agencies gave different outcomes.
    pub fn disagreement(&self) -> bool {
        let mut outcomes = self.views.iter().map(|v| v.outcome.as_str());
        match outcomes.next() {
            Some(first) => outcomes.any(|o| o != first),
            None => false,
        }
    }
    pub fn view_of(&self, agency: &str) -> Option<&AgencyView> {
        self.views.iter().find(|v| v.agency == agency)
    }
    /// A view given for another proposal than the one now on the table.
    pub fn is_stale(&self, view: &AgencyView) -> bool {
        self.proposed.is_some() && view.given_for != self.proposed
    }
    /// A new proposal: views that still match it are carried to it; the others become stale
    /// and must be given again. An unchanged final outcome follows the proposal.
    pub fn propose(&mut self, proposal: Option<String>) {
        if self.outcome.is_none() || self.outcome == self.proposed {
            self.outcome.clone_from(&proposal);
        }
        for v in &mut self.views {
            if proposal.as_deref() == Some(v.outcome.as_str()) {
                v.given_for.clone_from(&proposal);
            }
        }
        self.proposed = proposal;
    }
    /// An agency gives (or withdraws) its view on the proposal now on the table.
    pub fn give_view(&mut self, agency: &str, outcome: Option<String>) {
        self.views.retain(|v| v.agency != agency);
        if let Some(o) = outcome {
            let given_for = self.proposed.clone();
            self.views.push(AgencyView { agency: agency.into(), outcome: o, reason: String::new(), given_for });
            self.views.sort_by_key(|v| if v.agency == "police" { 0 } else { 1 });
        }
    }
}

/// The whole record of one referral at panel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    pub referral: Referral,
    #[serde(default, skip_serializing_if = "is_default")]
    pub research: ResearchSummary,
    #[serde(default, skip_serializing_if = "is_default")]
    pub victim: VictimViews,
    #[serde(default, skip_serializing_if = "is_default")]
    pub needs: AssessedNeeds,
    #[serde(default, skip_serializing_if = "is_default")]
    pub gravity: GravityInputs,
    #[serde(default, skip_serializing_if = "is_default")]
    pub decision: Decision,
}

impl Case {
    pub fn new(referral: Referral) -> Self {
        let offence = referral.offences.first().map(|o| o.offence.clone()).unwrap_or_default();
        Self {
            referral,
            research: ResearchSummary::default(),
            victim: VictimViews::default(),
            needs: AssessedNeeds::default(),
            gravity: GravityInputs { offence, ..GravityInputs::default() },
            decision: Decision::default(),
        }
    }
}

/// One sitting of the panel: who is there, who sent apologies, who observes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PanelSession {
    pub held_on: Option<NaiveDate>,
    /// Who chairs this sitting: named on every decision recorded in it.
    pub chair: String,
    pub members: Vec<Member>,
    pub apologies: Vec<String>,
    pub observers: Vec<String>,
}

/// The age bands a board's disproportionality monitoring and the scrutiny queue use.
pub fn age_group(age: i64) -> &'static str {
    match age {
        ..=13 => "10–13",
        14..=15 => "14–15",
        _ => "16–17",
    }
}
