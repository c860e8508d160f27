//! The panel definition: everything a local area configures as data (outcome codes, the gravity
//! matrix, agencies and quorum, needs domains, working days, task timings, scrutiny scale).
//! Plain data that deserialises from `panels/*.toml`; its structural checks live in `config`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PanelDefinition {
    pub panel: PanelInfo,
    #[serde(default)]
    pub working_days: WorkingDays,
    pub agencies: Vec<Agency>,
    pub quorum: Quorum,
    pub outcomes: Vec<OutcomeDef>,
    pub gravity: GravityMatrix,
    pub needs: NeedsConfig,
    pub restorative_options: Vec<Choice>,
    #[serde(default)]
    pub tasks: TaskTimings,
    #[serde(default)]
    pub timescales: Timescales,
    pub scrutiny: ScrutinyConfig,
    pub records: RecordsConfig,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PanelInfo {
    pub name: String,
    pub area: String,
    /// Stated on every report so readers know which rules the figures were made under.
    pub version: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Weekday {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl Weekday {
    pub fn of(date: NaiveDate) -> Self {
        use chrono::Datelike;
        match date.weekday() {
            chrono::Weekday::Mon => Self::Mon,
            chrono::Weekday::Tue => Self::Tue,
            chrono::Weekday::Wed => Self::Wed,
            chrono::Weekday::Thu => Self::Thu,
            chrono::Weekday::Fri => Self::Fri,
            chrono::Weekday::Sat => Self::Sat,
            chrono::Weekday::Sun => Self::Sun,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkingDays {
    pub days: Vec<Weekday>,
    #[serde(default)]
    pub bank_holidays: Vec<NaiveDate>,
}

impl Default for WorkingDays {
    fn default() -> Self {
        use Weekday::*;
        Self { days: vec![Mon, Tue, Wed, Thu, Fri], bank_holidays: Vec::new() }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Agency {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub roles: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quorum {
    /// Agencies that must all be present for a joint decision (guidance: police and YJS).
    pub required: Vec<String>,
    /// Whose view stands where the required agencies disagree (NPCC 2025: the police).
    pub final_say: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ConditionsRule {
    None,
    Allowed,
    Required,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutcomeDef {
    pub code: String,
    pub label: String,
    /// The outcome's name in letters, in plain words ("No further action" for "NFA – Outcome
    /// 21"); when empty, derived from the label ([`OutcomeDef::plain_name`]).
    #[serde(default)]
    pub letter_name: String,
    #[serde(default)]
    pub description: String,
    pub criminal_record: bool,
    #[serde(default)]
    pub requires_admission: bool,
    #[serde(default)]
    pub requires_acceptance: bool,
    #[serde(default)]
    pub requires_consent: bool,
    #[serde(default)]
    pub requires_sufficient_evidence: bool,
    pub conditions: ConditionsRule,
    #[serde(default)]
    pub notify_yjs: bool,
    #[serde(default)]
    pub appropriate_adult_at_delivery: bool,
    #[serde(default)]
    pub cps_authority_for_indictable_only: bool,
    /// Inspection finding: e.g. a community resolution is not for a child with previous offending.
    #[serde(default)]
    pub warn_if_previous_outcomes: bool,
    /// A score at or above this is "serious" for this outcome (e.g. community resolution).
    #[serde(default)]
    pub warn_at_or_above_score: Option<u8>,
    /// The child and parent/carer are told they need not sign (community resolution).
    #[serde(default)]
    pub tell_need_not_sign: bool,
    /// Sends the case to court; used by offence rules such as "16–17 year olds normally charged".
    #[serde(default)]
    pub goes_to_court: bool,
    /// Kinds of this outcome the panel must choose between (Outcome 22: diversion activity,
    /// deferred prosecution, deferred caution).
    #[serde(default)]
    pub variants: Vec<OutcomeVariant>,
    /// The local range of an intervention's length in weeks (e.g. 12–20 for Outcome 22).
    #[serde(default)]
    pub intervention_weeks: Option<[u8; 2]>,
    /// What happens if the child does not engage: told to the child and carer with the outcome.
    #[serde(default)]
    pub non_engagement: String,
    /// Statutory requirements the panel confirms one by one (e.g. the youth conditional
    /// caution's five requirements), each with its source.
    #[serde(default)]
    pub checklist: Vec<ChecklistItem>,
    /// The rank that authorises this outcome (local data, e.g. "Inspector"): the decision names who.
    #[serde(default)]
    pub authorised_by: Option<String>,
    /// The YJS must assess the child when this outcome is the n-th of its kind (counting previous
    /// outcomes with the same code): 2 for a youth caution, 1 for a conditional caution.
    #[serde(default)]
    pub yjs_assessment_from: Option<u8>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutcomeVariant {
    pub id: String,
    pub label: String,
    #[serde(default)]
    pub requires_admission: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChecklistItem {
    pub id: String,
    pub label: String,
    /// Where the requirement comes from (statute, code of practice).
    pub source: String,
}

/// How a matrix's factors move the score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FactorRule {
    /// Every factor's effect is added (clamped to the scale).
    #[default]
    Additive,
    /// ACPO 2013: the factors move the score one level at most, however many apply.
    OneLevel,
    /// Child Gravity Matrix 2023: the factors are added to give the range they support, and the
    /// panel sets the final score within it by judgement, with a rationale.
    Judgement,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GravityMatrix {
    pub version: String,
    /// True while the offence rows are not the force's own: shown wherever the matrix is.
    pub illustrative: bool,
    pub scale_min: u8,
    pub scale_max: u8,
    pub max_move_without_inspector: u8,
    #[serde(default)]
    pub factor_rule: FactorRule,
    pub indications: Vec<Indication>,
    #[serde(default)]
    pub general_factors: Vec<Factor>,
    pub offences: Vec<MatrixOffence>,
}

pub const ILLUSTRATIVE_LABEL: &str = "Illustrative scores — replace with your force's Child Gravity Matrix";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indication {
    pub score: u8,
    pub meaning: String,
    /// Outcome codes consistent with this score; the first is the one the matrix points to.
    pub outcomes: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FactorKind {
    Aggravating,
    Mitigating,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Factor {
    pub id: String,
    pub label: String,
    pub kind: FactorKind,
    /// How far the factor moves the score: positive for aggravating, negative for mitigating.
    pub effect: i8,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OffenceType {
    Summary,
    EitherWay,
    IndictableOnly,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatrixOffence {
    pub name: String,
    pub base_score: u8,
    #[serde(rename = "type")]
    pub offence_type: OffenceType,
    /// A theme for sampling and reports, e.g. "Violence", "Weapons".
    pub group: String,
    #[serde(default)]
    pub note: Option<String>,
    /// National guidance such as "knife offences: 16–17 year olds normally charged".
    #[serde(default)]
    pub normally_charge_from_age: Option<u8>,
    /// Knife or bladed-article possession (Home Office/MoJ guidance, 12 February 2026): every
    /// child found in possession is referred to the YJS for a plan.
    #[serde(default)]
    pub knife: bool,
    #[serde(default)]
    pub factors: Vec<Factor>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NeedsConfig {
    pub domains: Vec<Choice>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub id: String,
    pub label: String,
}

/// Working days allowed for each follow-up task after the decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TaskTimings {
    pub inform_victim: u8,
    pub inform_child_and_carer: u8,
    pub notify_yjs: u8,
    pub notify_social_worker: u8,
    pub inform_neighbourhood_team: u8,
    pub arrange_delivery: u8,
    /// Telling a victim with enhanced rights the outcome (Victims' Code: 1 working day).
    pub inform_victim_enhanced: u8,
    /// The YJS assessment after a second caution or any conditional caution.
    pub yjs_assessment: u8,
    /// The Child Information Form with a charge file to the CPS (mandatory from 1 February 2025).
    pub child_information_form: u8,
    /// Referring a child found with a knife to the YJS for a plan.
    pub knife_plan: u8,
    /// Reviewing the knife plan and reporting any non-compliance to the police.
    pub knife_compliance: u8,
}

impl Default for TaskTimings {
    fn default() -> Self {
        Self {
            inform_victim: 5,
            inform_child_and_carer: 2,
            notify_yjs: 1,
            notify_social_worker: 1,
            inform_neighbourhood_team: 5,
            arrange_delivery: 10,
            inform_victim_enhanced: 1,
            yjs_assessment: 10,
            child_information_form: 1,
            knife_plan: 5,
            knife_compliance: 20,
        }
    }
}

/// Timescales before the panel: how long the YJS has to prepare a referral.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Timescales {
    /// Working days from the referral within which the YJS assesses the child (YJB case
    /// management guidance, 2014: 10; check local practice).
    pub assessment_working_days: u8,
}

impl Default for Timescales {
    fn default() -> Self {
        Self { assessment_working_days: 10 }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScrutinyConfig {
    pub ratings: Vec<Rating>,
    /// Report cells with fewer children than this are suppressed so no child is identifiable.
    pub min_cell: u32,
    #[serde(default)]
    pub always_include: Vec<AlwaysInclude>,
    /// The share of a sample's places (percent) for cases an always-include rule caught; the
    /// rest are drawn at random. Published practice reviews 10–50 cases a meeting.
    #[serde(default = "default_always_include_percent")]
    pub always_include_percent: u8,
    /// Agencies whose members attend scrutiny without a vote (police, by default): their
    /// ratings are recorded but not counted in the spread.
    #[serde(default = "default_non_voting")]
    pub non_voting: Vec<String>,
}

fn default_non_voting() -> Vec<String> {
    vec!["police".into()]
}

fn default_always_include_percent() -> u8 {
    50
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rating {
    pub id: String,
    pub label: String,
    /// "No conclusion": the case is carried to the next sample.
    #[serde(default)]
    pub carry_forward: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AlwaysInclude {
    Disagreement,
    InspectorMove,
    Departure,
    CommunityResolutionWithPrevious,
    LookedAfter,
    VictimViewsNotObtained,
    Corrected,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordsConfig {
    /// How long decision records are kept before they are flagged for review.
    pub retention_months: u16,
}

impl OutcomeDef {
    /// The outcome's name for a letter: the panel's `letter_name`, else the label without the
    /// codes in it — the parts between " – ", " - " and brackets that are neither the code, an
    /// "Outcome N" number nor an abbreviation in capitals (the first left, with a capital);
    /// else the label as it is.
    pub fn plain_name(&self) -> String {
        if !self.letter_name.trim().is_empty() {
            return self.letter_name.trim().to_string();
        }
        let is_code = |p: &str| {
            p == self.code
                || p.strip_prefix("Outcome ").is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
                || (p.chars().count() <= 6 && p.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()))
        };
        let plain = self
            .label
            .split([('('), (')')])
            .flat_map(|p| p.split(" – "))
            .flat_map(|p| p.split(" - "))
            .map(str::trim)
            .find(|p| !p.is_empty() && !is_code(p));
        match plain {
            Some(p) => {
                let mut c = p.chars();
                c.next().map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
            }
            None => self.label.trim().to_string(),
        }
    }
}

/// How a court conviction among a child's previous outcomes begins (DOMAIN.md: "previous
/// out-of-court outcomes and convictions").
pub const CONVICTION: &str = "Conviction";

impl PanelDefinition {
    pub fn outcome(&self, code: &str) -> Option<&OutcomeDef> {
        self.outcomes.iter().find(|o| o.code == code)
    }

    /// The outcome a person or another system wrote: its code or its label, in any case
    /// ("YC", "yc", "Youth caution").
    pub fn outcome_named(&self, text: &str) -> Option<&OutcomeDef> {
        // A label as people type it: any dash for its en dash, any spacing, any case.
        let plain = |s: &str| {
            s.split_whitespace()
                .map(|w| if matches!(w, "-" | "–" | "—" | "‐" | "‒" | "―") { "-" } else { w })
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        };
        let t = plain(text);
        self.outcomes.iter().find(|o| plain(&o.code) == t || plain(&o.label) == t)
    }

    /// A previous outcome as it is stored: one of this panel's outcomes as its code, or a court
    /// conviction in words ("Conviction: referral order"), as written. Anything else is an
    /// error saying what is expected, so a rule that counts earlier outcomes (the second youth
    /// caution's YJS assessment, s.66ZB) is never lost to wording.
    pub fn previous_outcome(&self, text: &str) -> Result<String, String> {
        let t = text.trim();
        if let Some(o) = self.outcome_named(t) {
            return Ok(o.code.clone());
        }
        let word = t.get(..CONVICTION.len());
        if word.is_some_and(|w| w.eq_ignore_ascii_case(CONVICTION))
            && t[CONVICTION.len()..].chars().next().is_none_or(|c| !c.is_alphanumeric())
        {
            return Ok(t.to_string());
        }
        let codes: Vec<&str> = self.outcomes.iter().map(|o| o.code.as_str()).collect();
        Err(format!(
            "one of {} (a code or its label, in any case), or a court conviction written \"Conviction: …\"",
            codes.join(", ")
        ))
    }

    pub fn agency(&self, id: &str) -> Option<&Agency> {
        self.agencies.iter().find(|a| a.id == id)
    }

    pub fn offence(&self, name: &str) -> Option<&MatrixOffence> {
        self.gravity.offences.iter().find(|o| o.name == name)
    }

    pub fn rating(&self, id: &str) -> Option<&Rating> {
        self.scrutiny.ratings.iter().find(|r| r.id == id)
    }

    /// A scrutiny rating as a person reads it: its label, else the id as recorded.
    pub fn rating_label<'a>(&'a self, id: &'a str) -> &'a str {
        self.rating(id).map_or(id, |r| r.label.as_str())
    }

    pub fn need_domain(&self, id: &str) -> Option<&Choice> {
        self.needs.domains.iter().find(|d| d.id == id)
    }
}
