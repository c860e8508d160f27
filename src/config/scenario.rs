//! Training scenario files (`panels/training/*.toml`), checked against the panel definition
//! with the same located errors as every other file.

use std::path::Path;

use super::referrals::validate_referral;
use super::{ConfigErrors, Problem, did_you_mean, parse_str, read_and_parse};
use crate::domain::PanelDefinition;
use crate::domain::gravity;
use crate::domain::referral::VictimViews;
use crate::training::Scenario;
use crate::walk::Step;

pub fn load_scenario(path: &Path, panel: &PanelDefinition) -> Result<Scenario, ConfigErrors> {
    read_and_parse(path, |s: &Scenario| validate(s, panel))
}

pub fn parse_scenario(file: &str, text: &str, panel: &PanelDefinition) -> Result<Scenario, ConfigErrors> {
    parse_str(file, text, |s: &Scenario| validate(s, panel))
}

fn outcome(out: &mut Vec<Problem>, path: &str, code: &str, panel: &PanelDefinition) {
    let codes: Vec<&str> = panel.outcomes.iter().map(|o| o.code.as_str()).collect();
    if !codes.contains(&code) {
        let mut p = Problem::new(path, "an outcome code from the panel definition", format!("\"{code}\""));
        if let Some(k) = did_you_mean(code, &codes) {
            p = p.hint(format!("did you mean \"{k}\"?"));
        }
        out.push(p);
    }
}

pub fn validate(s: &Scenario, panel: &PanelDefinition) -> Vec<Problem> {
    let mut out = Vec::new();
    let info = &s.scenario;
    if !info.fictional {
        out.push(Problem::new("scenario.fictional", "true (every name in a scenario is invented)", "false"));
    }
    if info.title.trim().is_empty() {
        out.push(Problem::new("scenario.title", "a title", "an empty string"));
    }
    if info.minutes == 0 {
        out.push(Problem::new("scenario.minutes", "an estimated time in minutes", "0"));
    }
    if info.objectives.is_empty() {
        out.push(Problem::new("scenario.objectives", "at least one learning objective", "an empty list"));
    }
    if info.teaching_points.is_empty() {
        out.push(Problem::new("scenario.teaching_points", "at least one teaching point", "an empty list"));
    }
    out.extend(validate_referral(&s.referral, "referral", panel));
    if let VictimViews::Contacted(c) = &s.victim {
        for (i, id) in c.restorative_interest.iter().enumerate() {
            if panel.restorative_options.iter().all(|o| &o.id != id) {
                out.push(Problem::new(
                    format!("victim.restorative_interest[{i}]"),
                    "a restorative option id from the panel definition",
                    format!("\"{id}\""),
                ));
            }
        }
    }
    for (i, n) in s.needs.needs.iter().enumerate() {
        if panel.need_domain(&n.domain).is_none() {
            out.push(Problem::new(
                format!("needs.needs[{i}].domain"),
                "a needs domain id from the panel definition",
                format!("\"{}\"", n.domain),
            ));
        }
    }
    let steps: Vec<&str> = Step::ALL.iter().map(|s| s.id()).collect();
    for (i, r) in s.releases.iter().enumerate() {
        if !steps.contains(&r.step.as_str()) {
            out.push(Problem::new(
                format!("releases[{i}].step"),
                format!("one of {}", steps.join(", ")),
                format!("\"{}\"", r.step),
            ));
        }
    }
    for key in s.notes.keys() {
        if !steps.contains(&key.as_str()) {
            let mut p = Problem::new(
                format!("notes.{key}"),
                format!("a step: one of {}", steps.join(", ")),
                format!("\"{key}\""),
            );
            if let Some(k) = did_you_mean(key, &steps) {
                p = p.hint(format!("did you mean \"{k}\"?"));
            }
            out.push(p);
        }
    }
    let r = &s.reference;
    outcome(&mut out, "reference.outcome", &r.outcome, panel);
    for (path, v) in [("reference.police_view", &r.police_view), ("reference.yjs_view", &r.yjs_view)] {
        if let Some(code) = v {
            outcome(&mut out, path, code, panel);
        }
    }
    if let Err(e) = gravity::score(&panel.gravity, &r.gravity) {
        let path = match e {
            gravity::GravityError::UnknownOffence(_) => "reference.gravity.offence",
            gravity::GravityError::UnknownFactor { .. } => "reference.gravity.factors",
        };
        out.push(Problem::new(path, "an offence and factors from the panel's gravity matrix", e.to_string()));
    }
    if r.rationale.trim().is_empty() {
        out.push(Problem::new("reference.rationale", "the reference rationale", "an empty string"));
    }
    // The reference decision is what trainees are measured against: the walk must allow it.
    if out.is_empty() {
        let findings = crate::domain::checks::check(&crate::training::reference_case(s), panel);
        let blocked: Vec<String> = findings
            .iter()
            .filter(|f| f.severity == crate::domain::Severity::Blocking)
            .map(|f| f.reason.clone())
            .collect();
        if !blocked.is_empty() {
            out.push(Problem::new(
                "reference.outcome",
                "a reference decision the panel's own checks allow",
                format!("one they block: {}", blocked.join("; ")),
            ));
        }
    }
    out
}

/// The scenarios compiled into jdp, so `jdp train` works wherever it is run.
pub const SHIPPED: [(&str, &str); 11] = [
    ("01-first-steps.toml", include_str!("../../panels/training/01-first-steps.toml")),
    ("02-second-time-round.toml", include_str!("../../panels/training/02-second-time-round.toml")),
    ("03-looked-after.toml", include_str!("../../panels/training/03-looked-after.toml")),
    ("04-knife-at-the-bus-station.toml", include_str!("../../panels/training/04-knife-at-the-bus-station.toml")),
    ("05-shared-images.toml", include_str!("../../panels/training/05-shared-images.toml")),
    ("06-conditions-that-fit.toml", include_str!("../../panels/training/06-conditions-that-fit.toml")),
    ("07-two-points.toml", include_str!("../../panels/training/07-two-points.toml")),
    ("08-words-that-dont-land.toml", include_str!("../../panels/training/08-words-that-dont-land.toml")),
    ("09-a-second-caution.toml", include_str!("../../panels/training/09-a-second-caution.toml")),
    ("10-a-knife-at-fifteen.toml", include_str!("../../panels/training/10-a-knife-at-fifteen.toml")),
    ("11-a-victim-who-says-no.toml", include_str!("../../panels/training/11-a-victim-who-says-no.toml")),
];

/// Every scenario in `dir` (a trainer's own pack), or the shipped ones when there is no such folder.
pub fn shipped_or_dir(dir: &Path, panel: &PanelDefinition) -> Vec<(String, Result<Scenario, ConfigErrors>)> {
    let mut files: Vec<std::path::PathBuf> = match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect(),
        Err(_) => {
            return SHIPPED.iter().map(|(name, text)| (name.to_string(), parse_scenario(name, text, panel))).collect();
        }
    };
    files.sort();
    files
        .into_iter()
        .map(|f| (f.file_name().map_or(String::new(), |n| n.to_string_lossy().into_owned()), load_scenario(&f, panel)))
        .collect()
}
