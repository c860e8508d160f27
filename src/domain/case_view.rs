//! The whole case in labelled lines: what the review step shows before recording, what the
//! recorded view shows after, and what a correction is compared field by field against. One
//! builder, so the review cannot leave out what the record keeps. Privacy mode passes every
//! value through the projector scrubber and shows the reference and age in place of the name
//! and date of birth; the scrutiny view goes further (see [`Show::Anonymised`]).

use crate::domain::PanelDefinition;
use crate::domain::gravity;
use crate::domain::referral::{Case, Member, VictimViews};

/// Who the case is shown to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Show {
    /// The panel, with privacy mode off.
    Full,
    /// The panel at a projector with privacy mode on: the reference stands for the child.
    Privacy,
    /// A scrutiny reviewer: no name, date of birth, reference, named adult or exact date; every
    /// value through the one scrubber; professionals by agency and role.
    Anonymised,
}

/// One labelled value under a section heading.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Row {
    pub section: String,
    pub label: String,
    pub value: String,
}

fn yes(b: bool) -> String {
    if b { "yes".into() } else { "no".into() }
}

fn or_dash(s: &str) -> String {
    if s.trim().is_empty() { "—".into() } else { s.to_string() }
}

fn outcome(panel: &PanelDefinition, code: Option<&str>) -> String {
    match code {
        None => "—".into(),
        Some(c) => panel.outcome(c).map_or(c.to_string(), |o| format!("{} ({c})", o.label)),
    }
}

/// Every field the record keeps, in the order of the walk. `present` is who is present (the
/// session now, or the record's own attendance); `chair` likewise.
pub fn rows(case: &Case, panel: &PanelDefinition, present: &[Member], chair: &str, show: Show) -> Vec<Row> {
    use crate::domain::scrub::{Replace, Scrubber};
    // One scrubber for the whole case, built once.
    let scrubber = match show {
        Show::Full => None,
        Show::Privacy => Some(Scrubber::for_privacy(case)),
        Show::Anonymised => {
            Some(Scrubber::for_case(case, &Replace { name: "[the child]", reference: Some("[reference]") }))
        }
    };
    let anonymised = show == Show::Anonymised;
    let mut out = Vec::new();
    let mut push = |section: &'static str, label: &str, value: String| {
        let value = scrubber.as_ref().map_or(value.clone(), |s| s.apply(&value));
        out.push(Row { section: section.to_string(), label: label.to_string(), value });
    };
    // A reviewer sees the month, never the day: with the offence and the age, a date identifies.
    let date = |d: chrono::NaiveDate| if anonymised { d.format("%B %Y").to_string() } else { d.to_string() };
    let named = |name: &str| {
        if !anonymised || name.trim().is_empty() { or_dash(name) } else { "(name withheld)".to_string() }
    };
    let r = &case.referral;
    let age = r.age_at_offence().map_or("?".to_string(), |a| a.to_string());
    const F: &str = "Referral facts";
    if anonymised {
        push(F, "Child", format!("aged {age} at the offence"));
    } else if show == Show::Privacy {
        push(F, "Child", format!("{} (age {age} at offence)", r.reference));
    } else {
        let born = if r.child.dob_known() {
            format!("born {}", r.child.date_of_birth)
        } else {
            "date of birth not given".into()
        };
        push(F, "Child", format!("{} · {born} · age {age} at offence", r.child.name));
        if !r.child.known_as.is_empty() {
            push(F, "Also known as", r.child.known_as.join(", "));
        }
        push(F, "Reference", r.reference.clone());
    }
    push(F, "Sex · ethnicity", format!("{} · {}", r.child.sex.label(), or_dash(&r.child.ethnicity)));
    if let Some(la) = &r.child.looked_after {
        let sw = la.social_worker.as_deref().map_or(String::new(), |s| format!(", social worker {}", named(s)));
        push(F, "Looked after", format!("yes, {}{sw}", la.local_authority));
    }
    for o in &r.offences {
        let details = if o.details.trim().is_empty() { String::new() } else { format!(" — {}", o.details) };
        let on =
            if anonymised { format!("in {}", date(o.date)) } else { format!("on {}", o.date.format("%a %-d %b %Y")) };
        push(F, "Offence", format!("{} {on}{details}", o.offence));
    }
    push(F, "Response", r.response.label().to_string());
    for p in &r.previous_outcomes {
        let when =
            if anonymised { format!("in {}", date(p.date)) } else { format!("on {}", p.date.format("%a %-d %b %Y")) };
        let offence = if p.offence.trim().is_empty() { String::new() } else { format!(", for {}", p.offence) };
        push(F, "Previous outcome", format!("{} {when}{offence}", p.outcome));
    }
    push(F, "Officer in the case", named(&r.officer_in_case));
    push(F, "Appropriate adult", named(r.appropriate_adult.as_deref().unwrap_or_default()));

    const R: &str = "Police research summary";
    let res = &case.research;
    for (label, text) in [
        ("History", &res.history),
        ("Intelligence", &res.intelligence),
        ("Family context", &res.family_context),
        ("Exploitation", &res.exploitation),
        ("Safeguarding", &res.safeguarding),
    ] {
        push(R, label, or_dash(text));
    }
    push(R, "Safeguarding referral made", yes(res.safeguarding_referral_made));
    push(
        R,
        "Live investigation · officer consulted",
        format!("{} · {}", yes(res.live_investigation), yes(res.officer_in_case_consulted)),
    );
    for (i, s) in res.searches.iter().enumerate() {
        push(
            R,
            &format!("Search {}", i + 1),
            format!(
                "{} by {}: {} — systems {} — supplied: {}",
                date(s.requested_on),
                named(&s.requested_by),
                or_dash(&s.request),
                s.systems.join(", "),
                or_dash(&s.supplied)
            ),
        );
    }

    const V: &str = "Victim's views";
    push(V, "Status", case.victim.label().to_string());
    match &case.victim {
        VictimViews::NotObtainable { reason } => push(V, "Why not obtainable", or_dash(reason)),
        VictimViews::Contacted(c) => {
            let when = if c.contacted_on == crate::domain::referral::DATE_NOT_GIVEN {
                "—".to_string()
            } else {
                date(c.contacted_on)
            };
            push(V, "Contacted", format!("{when} by {}, {}", named(&c.contacted_by), or_dash(&c.method)));
            push(V, "Views", if c.declined_views { "declined to give views".into() } else { or_dash(&c.views) });
            push(V, "Wishes", or_dash(&c.wishes));
            let rj: Vec<String> = c
                .restorative_interest
                .iter()
                .map(|id| {
                    panel.restorative_options.iter().find(|o| &o.id == id).map_or(id.clone(), |o| o.label.clone())
                })
                .collect();
            push(V, "Restorative interest", if rj.is_empty() { "—".into() } else { rj.join(", ") });
            push(
                V,
                "Consent to share · no further contact",
                format!("{} · {}", yes(c.consent_to_share), yes(c.wants_no_further_contact)),
            );
            push(V, "Under 18", yes(c.under_18));
            let grounds: Vec<&str> = c
                .enhanced
                .iter()
                .map(|g| {
                    crate::domain::referral::ENHANCED_GROUNDS
                        .iter()
                        .find(|(id, _)| id == g)
                        .map_or(g.as_str(), |(_, l)| *l)
                })
                .collect();
            push(
                V,
                "Enhanced rights",
                match (c.enhanced_rights(), grounds.is_empty()) {
                    (false, _) => "no".into(),
                    (true, true) => "yes (under 18)".into(),
                    (true, false) => format!("yes: {}", grounds.join(", ")),
                },
            );
            let why = if c.rj_not_invited_reason.trim().is_empty() {
                String::new()
            } else {
                format!(" — {}", c.rj_not_invited_reason)
            };
            push(V, "Restorative justice", format!("{}{why}", c.rj.label()));
            push(V, "Safety concerns", or_dash(&c.safety_concerns));
        }
        _ => {}
    }

    const N: &str = "Assessed needs";
    let n = &case.needs;
    push(
        N,
        "Assessment",
        format!(
            "{} by {}{}",
            or_dash(&n.tool),
            named(&n.assessor),
            n.assessed_on.map_or(String::new(), |d| format!(", {}", date(d)))
        ),
    );
    for need in &n.needs {
        let label =
            panel.needs.domains.iter().find(|d| d.id == need.domain).map_or(need.domain.clone(), |d| d.label.clone());
        let note = if need.note.trim().is_empty() { String::new() } else { format!(" — {}", need.note) };
        push(N, &label, format!("{}{note}", need.level.label()));
    }
    push(N, "Strengths", or_dash(&n.strengths));
    push(N, "The child's views", or_dash(&n.child_views));
    push(N, "Parent/carer's views", or_dash(&n.carer_views));
    push(N, "Conclusion", or_dash(&n.conclusion));

    const G: &str = "Gravity score";
    match gravity::score(&panel.gravity, &case.gravity) {
        Ok(sc) => {
            push(G, "Offence · base score", format!("{} · {}", sc.offence, sc.base));
            for st in &sc.steps {
                push(G, "Factor", format!("{:+} {} → {}", st.effect, st.label, st.running));
            }
            let ind = sc.indicated_outcome().map(|o| outcome(panel, Some(o))).unwrap_or("—".into());
            push(G, "Final score", format!("{} (moved {:+}); the matrix indicates {ind}", sc.final_score, sc.movement));
            if panel.gravity.factor_rule == crate::domain::panel::FactorRule::Judgement {
                let how = if sc.judged {
                    format!("set by judgement — {}", or_dash(&case.gravity.judgement_rationale))
                } else {
                    "the final score is as the factors add up, not set by judgement".into()
                };
                push(G, "Judgement", format!("the factors support {}–{}; {how}", sc.supported.0, sc.supported.1));
            }
        }
        Err(e) => push(G, "Score", format!("none: {e}")),
    }
    if let Some(i) = &case.gravity.inspector {
        let who = if anonymised { String::new() } else { format!(" {}", i.name) };
        push(G, "Inspector's authority", format!("{}{who}", i.rank));
    }

    const D: &str = "Joint decision";
    let d = &case.decision;
    let names: Vec<String> = present
        .iter()
        .map(|m| {
            let agency = panel.agency(&m.agency).map_or(m.agency.as_str(), |a| a.name.as_str());
            let role = if m.role.is_empty() { String::new() } else { format!(", {}", m.role) };
            if anonymised { format!("{agency}{role}") } else { format!("{} ({agency}{role})", m.name) }
        })
        .collect();
    push(D, "Chair", named(chair));
    push(D, "Present", if names.is_empty() { "— no one recorded".into() } else { names.join("; ") });
    push(D, "Proposed outcome", outcome(panel, d.proposed.as_deref()));
    for agency in ["police", "yjs"] {
        let name = panel.agency(agency).map_or(agency.to_string(), |a| a.name.clone());
        let v = d.view_of(agency);
        let text = match v {
            None => "— not given".into(),
            Some(v) if d.is_stale(v) => {
                format!("{} — given for another proposal: give it again", outcome(panel, Some(&v.outcome)))
            }
            Some(v) => outcome(panel, Some(&v.outcome)),
        };
        push(D, &format!("{name} view"), text);
    }
    push(D, "Final outcome", outcome(panel, d.outcome.as_deref()));
    push(
        D,
        "Evidence sufficient · child consents",
        format!("{} · {}", yes(d.evidence_sufficient), yes(d.child_consents)),
    );
    if let Some(a) = &d.cps_authority {
        push(D, "CPS authority", a.clone());
    }
    if let Some(o) = d.outcome.as_deref().and_then(|c| panel.outcome(c)) {
        if let Some(v) = &d.variant {
            push(D, "Kind", o.variants.iter().find(|x| &x.id == v).map_or(v.clone(), |x| x.label.clone()));
        }
        if let Some(w) = d.intervention_weeks {
            push(D, "Intervention length", format!("{w} weeks"));
        }
        for item in &o.checklist {
            let met = crate::domain::checks::checklist_met(case, &item.id);
            push(D, "Statutory checklist", format!("{} {} ({})", if met { "✓" } else { "✗" }, item.label, item.source));
        }
        if let Some(rank) = &o.authorised_by {
            push(D, "Authorised by", format!("{} ({rank})", named(&d.authorised_by)));
        }
    }
    push(D, "Conditions", if d.conditions.is_empty() { "—".into() } else { d.conditions.join("; ") });
    push(D, "Interventions", if d.interventions.is_empty() { "—".into() } else { d.interventions.join("; ") });
    push(D, "Rationale", or_dash(&d.rationale));
    out
}

/// The rows that differ between an original record and its correction: (label, was, now).
pub fn changes(original: &[Row], corrected: &[Row]) -> Vec<(String, String, String)> {
    let key = |r: &Row| (r.section.clone(), r.label.clone());
    let mut out = Vec::new();
    for c in corrected {
        let was = original.iter().filter(|o| key(o) == key(c)).map(|o| o.value.clone()).collect::<Vec<_>>().join("; ");
        let now_all =
            corrected.iter().filter(|o| key(o) == key(c)).map(|o| o.value.clone()).collect::<Vec<_>>().join("; ");
        if was != now_all && !out.iter().any(|(l, _, _): &(String, String, String)| *l == c.label) {
            out.push((c.label.clone(), if was.is_empty() { "—".into() } else { was }, now_all));
        }
    }
    for o in original {
        if !corrected.iter().any(|c| key(c) == key(o)) && !out.iter().any(|(l, _, _)| *l == o.label) {
            out.push((o.label.clone(), o.value.clone(), "—".into()));
        }
    }
    out
}

/// A decision as a scrutiny reviewer may read it (screen, pack and minutes alike): every field
/// the record keeps, anonymised by the one scrubber (no name, date of birth, reference, named
/// adult or exact date); the findings at the time; and for a correction, the reason and what
/// changed from the original. A server keeps it beside each decision for its scrutiny logins,
/// which may read no record's body (`store::pg`, migration 7).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Anonymised {
    /// "Decided June 2026: Community resolution (CR) · score 2 …"
    pub heading: String,
    /// For a correction: the reason, and each changed field (label, was, now).
    pub correction: Option<(String, Vec<(String, String, String)>)>,
    pub rows: Vec<Row>,
    /// "BLOCKED …" or "WARNING …", scrubbed.
    pub findings: Vec<String>,
    /// Which builder made it ([`BUILDER`]; 0: one kept before builders were numbered). A kept
    /// case is compared with its decision only by the builder that made it.
    #[serde(default)]
    pub builder: u32,
}

/// This builder's number. Raise it whenever what [`anonymised`] makes of a decision changes
/// (a row, a label, a wording): `jdp verify --cases` then leaves the cases an earlier jdp kept
/// uncompared, and counts them, rather than calling every one of them altered.
pub const BUILDER: u32 = 2;

/// Where a kept case differs from the one made again from its decision: the first difference,
/// as a person would name it (None: the same).
pub fn first_difference(kept: &Anonymised, now: &Anonymised) -> Option<String> {
    let said = |what: &str, k: &dyn std::fmt::Debug, n: &dyn std::fmt::Debug| {
        Some(format!("{what}: kept {k:?}, from the decision {n:?}"))
    };
    if kept.heading != now.heading {
        return said("the heading", &kept.heading, &now.heading);
    }
    if kept.correction != now.correction {
        return said("what the correction changed", &kept.correction, &now.correction);
    }
    for (i, now_row) in now.rows.iter().enumerate() {
        match kept.rows.get(i) {
            Some(k) if k == now_row => {}
            Some(k) => {
                let what = format!("{} · {}", now_row.section, now_row.label);
                return said(&what, &format!("{}: {}", k.label, k.value), &now_row.value);
            }
            None => return said(&format!("{} · {}", now_row.section, now_row.label), &"nothing", &now_row.value),
        }
    }
    if let Some(extra) = kept.rows.get(now.rows.len()) {
        return said(&format!("{} · {}", extra.section, extra.label), &extra.value, &"nothing");
    }
    if kept.findings != now.findings {
        return said("the findings at the time", &kept.findings, &now.findings);
    }
    (kept.builder != now.builder).then(|| format!("the builder: kept {}, now {}", kept.builder, now.builder))
}

pub fn anonymised(
    snap: &crate::domain::record::DecisionSnapshot,
    correction: Option<(&str, &crate::domain::record::DecisionSnapshot)>,
    panel: &PanelDefinition,
) -> Anonymised {
    use crate::domain::scrub::{Replace, Scrubber};
    let c = &snap.case;
    let hide = Replace { name: "[the child]", reference: Some("[reference]") };
    let scrubber = Scrubber::for_case(c, &hide);
    let label = |code: &str| panel.outcome(code).map_or(code.to_string(), |o| format!("{} ({code})", o.label));
    let heading = format!(
        "Decided {}: {} · score {} (base {}; the matrix indicates {}){}",
        snap.decided_on.format("%B %Y"),
        label(snap.outcome()),
        snap.score.final_score,
        snap.score.base,
        snap.score.indicated.as_deref().map_or("—".to_string(), label),
        if snap.score.departure { " · departs from the matrix" } else { "" }
    );
    let now = rows(c, panel, &c.decision.present, &snap.chair, Show::Anonymised);
    let correction = correction.map(|(reason, original)| {
        let oc = &original.case;
        let before = rows(oc, panel, &oc.decision.present, &original.chair, Show::Anonymised);
        // A name either record knows is hidden in both: the original may mention an adult the
        // correction names only in a field, or the other way round.
        let before_scrubber = Scrubber::for_case(oc, &hide);
        let both = |t: &str| scrubber.apply(&before_scrubber.apply(t));
        let changed = changes(&before, &now).into_iter().map(|(f, was, is)| (f, both(&was), both(&is))).collect();
        (both(reason), changed)
    });
    let findings = snap
        .findings
        .iter()
        .map(|f| {
            let sev = if f.blocking { crate::domain::Severity::Blocking } else { crate::domain::Severity::Warning };
            format!("{} {}", sev.label(), scrubber.apply(&f.reason))
        })
        .collect();
    Anonymised { heading, correction, rows: now, findings, builder: BUILDER }
}
