//! Referral import files: `[[referrals]]` tables checked against the panel definition, with the
//! same located errors as panel files. See panels/examples/referrals.toml.

use std::path::Path;

use serde::Deserialize;

use super::{ConfigErrors, Problem, did_you_mean, read_and_parse};
use crate::domain::PanelDefinition;
use crate::domain::referral::Referral;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferralFile {
    pub referrals: Vec<Referral>,
}

pub fn load_referrals(path: &Path, panel: &PanelDefinition) -> Result<ReferralFile, ConfigErrors> {
    read_and_parse(path, |f: &ReferralFile| validate(f, panel))
}

pub fn validate(file: &ReferralFile, panel: &PanelDefinition) -> Vec<Problem> {
    let mut out = Vec::new();
    if file.referrals.is_empty() {
        out.push(Problem::new("referrals", "at least one referral", "an empty list"));
    }
    for (i, r) in file.referrals.iter().enumerate() {
        let at = format!("referrals[{i}]");
        if let Some(j) = file.referrals[..i].iter().position(|o| o.reference == r.reference) {
            out.push(Problem::new(
                format!("{at}.reference"),
                "a reference not used by another referral in this file",
                format!("\"{}\" again (first at referrals[{j}])", r.reference),
            ));
        }
        out.extend(validate_referral(r, &at, panel));
    }
    out
}

/// Checks one referral against the panel; `at` is its key path (`referrals[2]`, `referral`).
pub fn validate_referral(r: &Referral, at: &str, panel: &PanelDefinition) -> Vec<Problem> {
    let mut out = Vec::new();
    let known: Vec<&str> = panel.gravity.offences.iter().map(|o| o.name.as_str()).collect();
    if r.reference.trim().is_empty() {
        out.push(Problem::new(format!("{at}.reference"), "a local reference", "an empty string"));
    }
    if r.child.name.trim().is_empty() {
        out.push(Problem::new(format!("{at}.child.name"), "the child's name", "an empty string"));
    }
    if r.offences.is_empty() {
        out.push(Problem::new(format!("{at}.offences"), "at least one offence", "an empty list"));
    }
    for (j, o) in r.offences.iter().enumerate() {
        if !known.contains(&o.offence.as_str()) {
            let mut p = Problem::new(
                format!("{at}.offences[{j}].offence"),
                "an offence named in the panel's gravity matrix",
                format!("\"{}\"", o.offence),
            );
            if let Some(k) = did_you_mean(&o.offence, &known) {
                p = p.hint(format!("did you mean \"{k}\"?"));
            }
            out.push(p);
        }
        if o.date > r.referral_date {
            out.push(Problem::new(
                format!("{at}.offences[{j}].date"),
                format!("an offence date on or before the referral date ({})", r.referral_date),
                o.date.to_string(),
            ));
        }
    }
    if let Some(age) = r.age_at_offence()
        && !(10..=17).contains(&age)
    {
        out.push(Problem::new(
            format!("{at}.child.date_of_birth"),
            "a child aged 10–17 at the offence",
            format!("{} (aged {age} at the offence)", r.child.date_of_birth),
        ));
    }
    out
}
