//! Panel definitions: `panels/*.toml` -> `PanelDefinition`, with the cross-reference checks
//! serde cannot express (unique codes, scores within the scale, names that resolve).

use std::collections::HashSet;
use std::path::Path;

use super::{ConfigErrors, Problem, did_you_mean, parse_str, read_and_parse};
use crate::domain::panel::{FactorKind, PanelDefinition};

/// Compiled in so an installed `jdp` works anywhere.
pub const DEFAULT_PANEL: &str = include_str!("../../panels/default.toml");

pub fn load_panel(path: &Path) -> Result<PanelDefinition, ConfigErrors> {
    read_and_parse(path, validate)
}

pub fn parse_panel(file: &str, text: &str) -> Result<PanelDefinition, ConfigErrors> {
    parse_str(file, text, validate)
}

/// What `jdp check` warns about in a panel definition that loads, each located in its text:
/// bank holidays that stop short of the next 12 months from `today` (the caller's clock).
pub fn warnings(file: &str, text: &str, p: &PanelDefinition, today: chrono::NaiveDate) -> Vec<super::ConfigError> {
    let mut out = Vec::new();
    if let Some((needed, last)) = p.working_days.bank_holidays_short(today) {
        let found = match last {
            Some(l) => format!("a list that ends on {l}"),
            None => "none listed".to_string(),
        };
        let problem = Problem::new(
            "working_days.bank_holidays",
            format!("bank holidays listed up to at least {needed}, 12 months from today"),
            found,
        )
        .hint("after the last one, every due date counts a bank holiday as a working day: add the GOV.UK dates");
        out.push(super::locate(file, &super::Document::new(text), problem));
    }
    out
}

fn text(out: &mut Vec<Problem>, path: String, value: &str) {
    if value.trim().is_empty() {
        out.push(Problem::new(path, "some text", "an empty string"));
    }
}

/// Flags every repeat of a name after its first use.
fn unique<'a>(out: &mut Vec<Problem>, what: &str, items: impl Iterator<Item = (String, &'a str)>) {
    let mut seen: Vec<(&str, String)> = Vec::new();
    for (path, name) in items {
        if let Some((_, first)) = seen.iter().find(|(n, _)| *n == name) {
            out.push(Problem::new(path, format!("a unique {what}"), format!("\"{name}\" again (first at {first})")));
        } else {
            seen.push((name, path));
        }
    }
}

fn reference(out: &mut Vec<Problem>, path: String, what: &str, given: &str, known: &[&str]) {
    if !known.contains(&given) {
        let mut p = Problem::new(path, format!("{what} defined in this file"), format!("\"{given}\""));
        if let Some(k) = did_you_mean(given, known) {
            p = p.hint(format!("did you mean \"{k}\"?"));
        }
        out.push(p);
    }
}

fn non_empty<T>(out: &mut Vec<Problem>, path: &str, what: &str, items: &[T]) {
    if items.is_empty() {
        out.push(Problem::new(path, format!("at least one {what}"), "an empty list"));
    }
}

/// The smallest group the report may show a rate for: the statistical disclosure floor.
pub const MIN_CELL_FLOOR: u32 = 5;
/// Retention from one month to a century: anything outside is a typing error.
pub const RETENTION_MONTHS: std::ops::RangeInclusive<u16> = 1..=1200;
/// The YJS assessment's timescale: at least a working day, at most a quarter of a year.
pub const ASSESSMENT_WORKING_DAYS: std::ops::RangeInclusive<u8> = 1..=65;

/// Two years: longer is not an out-of-court intervention.
const MAX_INTERVENTION_WEEKS: u8 = 104;

pub fn validate(p: &PanelDefinition) -> Vec<Problem> {
    let mut out = Vec::new();
    text(&mut out, "panel.name".into(), &p.panel.name);
    text(&mut out, "panel.area".into(), &p.panel.area);
    text(&mut out, "panel.version".into(), &p.panel.version);
    non_empty(&mut out, "working_days.days", "working day", &p.working_days.days);

    non_empty(&mut out, "agencies", "agency", &p.agencies);
    for (i, a) in p.agencies.iter().enumerate() {
        text(&mut out, format!("agencies[{i}].id"), &a.id);
        text(&mut out, format!("agencies[{i}].name"), &a.name);
    }
    unique(
        &mut out,
        "agency id",
        p.agencies.iter().enumerate().map(|(i, a)| (format!("agencies[{i}].id"), a.id.as_str())),
    );
    let agency_ids: Vec<&str> = p.agencies.iter().map(|a| a.id.as_str()).collect();
    non_empty(&mut out, "quorum.required", "agency", &p.quorum.required);
    for (i, a) in p.quorum.required.iter().enumerate() {
        reference(&mut out, format!("quorum.required[{i}]"), "an agency id", a, &agency_ids);
    }
    if !p.quorum.required.contains(&p.quorum.final_say) {
        out.push(Problem::new(
            "quorum.final_say",
            "one of the agencies in quorum.required",
            format!("\"{}\"", p.quorum.final_say),
        ));
    }

    non_empty(&mut out, "outcomes", "outcome", &p.outcomes);
    unique(
        &mut out,
        "outcome code",
        p.outcomes.iter().enumerate().map(|(i, o)| (format!("outcomes[{i}].code"), o.code.as_str())),
    );
    let g = &p.gravity;
    for (i, o) in p.outcomes.iter().enumerate() {
        text(&mut out, format!("outcomes[{i}].code"), &o.code);
        text(&mut out, format!("outcomes[{i}].label"), &o.label);
        if let Some(s) = o.warn_at_or_above_score
            && g.scale_min < g.scale_max
            && !(g.scale_min..=g.scale_max).contains(&s)
        {
            out.push(Problem::new(
                format!("outcomes[{i}].warn_at_or_above_score"),
                format!("a score from {} to {}", g.scale_min, g.scale_max),
                s.to_string(),
            ));
        }
        for (j, v) in o.variants.iter().enumerate() {
            text(&mut out, format!("outcomes[{i}].variants[{j}].id"), &v.id);
            text(&mut out, format!("outcomes[{i}].variants[{j}].label"), &v.label);
        }
        unique(
            &mut out,
            "variant id",
            o.variants.iter().enumerate().map(|(j, v)| (format!("outcomes[{i}].variants[{j}].id"), v.id.as_str())),
        );
        if let Some([lo, hi]) = o.intervention_weeks
            && !(lo >= 1 && lo <= hi && hi <= MAX_INTERVENTION_WEEKS)
        {
            out.push(Problem::new(
                format!("outcomes[{i}].intervention_weeks"),
                format!("[shortest, longest] in weeks, from 1 to {MAX_INTERVENTION_WEEKS}, shortest first"),
                format!("[{lo}, {hi}]"),
            ));
        }
        for (j, c) in o.checklist.iter().enumerate() {
            text(&mut out, format!("outcomes[{i}].checklist[{j}].id"), &c.id);
            text(&mut out, format!("outcomes[{i}].checklist[{j}].label"), &c.label);
            // The panel is shown where each requirement comes from.
            text(&mut out, format!("outcomes[{i}].checklist[{j}].source"), &c.source);
        }
        unique(
            &mut out,
            "checklist item id",
            o.checklist.iter().enumerate().map(|(j, c)| (format!("outcomes[{i}].checklist[{j}].id"), c.id.as_str())),
        );
        if let Some(rank) = &o.authorised_by {
            text(&mut out, format!("outcomes[{i}].authorised_by"), rank);
        }
        if o.yjs_assessment_from == Some(0) {
            out.push(Problem::new(
                format!("outcomes[{i}].yjs_assessment_from"),
                "the outcome's count from which the YJS assesses, from 1 (1 = the first)",
                "0",
            ));
        }
    }
    let codes: Vec<&str> = p.outcomes.iter().map(|o| o.code.as_str()).collect();

    text(&mut out, "gravity.version".into(), &g.version);
    let scale_ok = g.scale_min >= 1 && g.scale_min < g.scale_max;
    if !scale_ok {
        out.push(Problem::new(
            "gravity.scale_max",
            format!("a scale from at least 1 with scale_max above scale_min ({})", g.scale_min),
            format!("{}–{}", g.scale_min, g.scale_max),
        ));
    }
    // With no usable scale, every score would be "out of range": report the scale alone.
    let in_scale = |s: u8| !scale_ok || (g.scale_min..=g.scale_max).contains(&s);
    let scale = format!("a score from {} to {}", g.scale_min, g.scale_max);
    for (i, ind) in g.indications.iter().enumerate() {
        if !in_scale(ind.score) {
            out.push(Problem::new(format!("gravity.indications[{i}].score"), scale.clone(), ind.score.to_string()));
        }
        non_empty(&mut out, &format!("gravity.indications[{i}].outcomes"), "outcome code", &ind.outcomes);
        for (j, code) in ind.outcomes.iter().enumerate() {
            reference(&mut out, format!("gravity.indications[{i}].outcomes[{j}]"), "an outcome code", code, &codes);
        }
    }
    let scores: Vec<String> = g.indications.iter().map(|i| i.score.to_string()).collect();
    unique(
        &mut out,
        "score",
        g.indications.iter().enumerate().map(|(i, _)| (format!("gravity.indications[{i}].score"), scores[i].as_str())),
    );
    let missing: Vec<String> = (g.scale_min..=g.scale_max)
        .filter(|s| !g.indications.iter().any(|i| i.score == *s))
        .map(|s| s.to_string())
        .collect();
    if !missing.is_empty() && scale_ok {
        out.push(Problem::new(
            "gravity.indications",
            format!("an indication for every score from {} to {}", g.scale_min, g.scale_max),
            format!("none for {}", missing.join(", ")),
        ));
    }
    let factor_ok = |out: &mut Vec<Problem>, path: String, f: &crate::domain::panel::Factor| {
        text(out, format!("{path}.id"), &f.id);
        let sign_ok = match f.kind {
            FactorKind::Aggravating => f.effect > 0,
            FactorKind::Mitigating => f.effect < 0,
        };
        if !sign_ok {
            let want = match f.kind {
                FactorKind::Aggravating => "a positive effect for an aggravating factor",
                FactorKind::Mitigating => "a negative effect for a mitigating factor",
            };
            out.push(Problem::new(format!("{path}.effect"), want, f.effect.to_string()));
        }
    };
    for (i, f) in g.general_factors.iter().enumerate() {
        factor_ok(&mut out, format!("gravity.general_factors[{i}]"), f);
    }
    unique(
        &mut out,
        "factor id",
        g.general_factors.iter().enumerate().map(|(i, f)| (format!("gravity.general_factors[{i}].id"), f.id.as_str())),
    );
    let general: HashSet<&str> = g.general_factors.iter().map(|f| f.id.as_str()).collect();

    non_empty(&mut out, "gravity.offences", "offence", &g.offences);
    unique(
        &mut out,
        "offence name",
        g.offences.iter().enumerate().map(|(i, o)| (format!("gravity.offences[{i}].name"), o.name.as_str())),
    );
    for (i, o) in g.offences.iter().enumerate() {
        let at = format!("gravity.offences[{i}]");
        text(&mut out, format!("{at}.name"), &o.name);
        text(&mut out, format!("{at}.group"), &o.group);
        if !in_scale(o.base_score) {
            out.push(Problem::new(format!("{at}.base_score"), scale.clone(), o.base_score.to_string()));
        }
        if let Some(age) = o.normally_charge_from_age
            && !(10..=17).contains(&age)
        {
            out.push(Problem::new(format!("{at}.normally_charge_from_age"), "an age from 10 to 17", age.to_string()));
        }
        for (j, f) in o.factors.iter().enumerate() {
            let fp = format!("{at}.factors[{j}]");
            factor_ok(&mut out, fp.clone(), f);
            if general.contains(f.id.as_str()) {
                out.push(Problem::new(
                    format!("{fp}.id"),
                    "an id not already used by a general factor",
                    format!("\"{}\"", f.id),
                ));
            }
        }
        unique(
            &mut out,
            "factor id",
            o.factors.iter().enumerate().map(|(j, f)| (format!("{at}.factors[{j}].id"), f.id.as_str())),
        );
    }

    non_empty(&mut out, "needs.domains", "needs domain", &p.needs.domains);
    unique(
        &mut out,
        "needs domain id",
        p.needs.domains.iter().enumerate().map(|(i, d)| (format!("needs.domains[{i}].id"), d.id.as_str())),
    );
    unique(
        &mut out,
        "restorative option id",
        p.restorative_options.iter().enumerate().map(|(i, d)| (format!("restorative_options[{i}].id"), d.id.as_str())),
    );
    non_empty(&mut out, "scrutiny.ratings", "rating", &p.scrutiny.ratings);
    unique(
        &mut out,
        "rating id",
        p.scrutiny.ratings.iter().enumerate().map(|(i, r)| (format!("scrutiny.ratings[{i}].id"), r.id.as_str())),
    );
    if p.scrutiny.min_cell < MIN_CELL_FLOOR {
        out.push(Problem::new(
            "scrutiny.min_cell",
            format!("a minimum cell size of at least {MIN_CELL_FLOOR} (smaller groups can identify a child)"),
            p.scrutiny.min_cell.to_string(),
        ));
    }
    if p.scrutiny.always_include_percent > 100 {
        out.push(Problem::new(
            "scrutiny.always_include_percent",
            "a share of the sample from 0 to 100 (percent)",
            p.scrutiny.always_include_percent.to_string(),
        ));
    }
    if !RETENTION_MONTHS.contains(&p.records.retention_months) {
        out.push(Problem::new(
            "records.retention_months",
            format!("a retention period from {} to {} months", RETENTION_MONTHS.start(), RETENTION_MONTHS.end()),
            p.records.retention_months.to_string(),
        ));
    }
    let days = p.timescales.assessment_working_days;
    if !ASSESSMENT_WORKING_DAYS.contains(&days) {
        out.push(Problem::new(
            "timescales.assessment_working_days",
            format!(
                "working days from {} to {} for the YJS assessment (guidance: 10)",
                ASSESSMENT_WORKING_DAYS.start(),
                ASSESSMENT_WORKING_DAYS.end()
            ),
            days.to_string(),
        ));
    }
    out
}
