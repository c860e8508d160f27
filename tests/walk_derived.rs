//! Issue 9: what the walk derives rather than copies, and the rules it must hold (victim
//! completeness, views tied to the proposal they were given for, departures kept visible,
//! attendance read from the panel session). Pure: no terminal, no database.

mod common;

use common::*;
use jdp::domain::checks::{self, Severity};
use jdp::walk::{Effect, Key, Msg, Step, Walk};

fn blocks(w: &Walk, rule: &str) -> bool {
    let panel = default_panel();
    w.findings(&panel).iter().any(|f| f.rule == rule && f.severity == Severity::Blocking)
}

#[test]
fn victim_contacted_with_nothing_recorded_does_not_record() {
    let panel = default_panel();
    let mut w = Walk::new(good_case(), date("2026-11-23"));
    w.handle(Msg::Choose(Key::VictimStatus, Some("no-direct-victim".into())), &panel);
    w.handle(Msg::Choose(Key::VictimStatus, Some("contacted".into())), &panel);
    assert_eq!(w.handle(Msg::Record, &panel), vec![], "a blank contact must not record");
    assert!(blocks(&w, "victim_views"));
    // Who and how, and the views: then it records.
    w.handle(Msg::SetText(Key::ContactedBy, "Jo Bell, victim liaison officer".into()), &panel);
    assert!(blocks(&w, "victim_views"), "when is missing");
    w.handle(Msg::SetText(Key::ContactedOn, "2026-11-20".into()), &panel);
    w.handle(Msg::SetText(Key::ContactMethod, "Telephone".into()), &panel);
    assert!(blocks(&w, "victim_views"), "views or wishes still missing");
    w.handle(Msg::SetText(Key::VictimWishes, "An apology".into()), &panel);
    assert!(!blocks(&w, "victim_views"));
    assert!(matches!(w.handle(Msg::Record, &panel).as_slice(), [Effect::RecordDecision(_)]));
}

#[test]
fn views_given_for_one_proposal_are_stale_when_the_proposal_changes() {
    let panel = default_panel();
    let mut case = good_case();
    case.decision.views.clear();
    case.decision.outcome = None;
    let mut w = Walk::new(case, date("2026-11-23"));
    w.handle(Msg::Choose(Key::Outcome, Some("CR".into())), &panel);
    w.handle(Msg::Choose(Key::PoliceView, Some("CR".into())), &panel);
    w.handle(Msg::Choose(Key::YjsView, Some("CR".into())), &panel);
    w.handle(Msg::Choose(Key::FinalOutcome, Some("CR".into())), &panel);
    assert!(!blocks(&w, "stale_view"));
    w.handle(Msg::Choose(Key::Outcome, Some("O22".into())), &panel);
    assert!(blocks(&w, "stale_view"), "{:?}", w.findings(&panel));
    assert_eq!(w.handle(Msg::Record, &panel), vec![], "stale views must not be recorded");
}

#[test]
fn a_departure_stays_marked_after_its_rationale_is_written() {
    let panel = default_panel();
    let mut case = good_case();
    for v in &mut case.decision.views {
        v.outcome = "CHARGE".into();
    }
    case.decision.outcome = Some("CHARGE".into());
    let f = checks::check(&case, &panel);
    let departure = f.iter().find(|f| f.rule == "departure").expect("the departure is still a finding");
    assert_eq!(departure.severity, Severity::Warning, "the rationale clears the block, not the note");
    assert!(departure.reason.contains("departs from the matrix"), "{}", departure.reason);
}

#[test]
fn the_step_a_finding_belongs_to_is_known() {
    let panel = default_panel();
    let mut case = good_case();
    case.decision.rationale.clear();
    let f = checks::check(&case, &panel);
    let r = f.iter().find(|f| f.rule == "rationale").unwrap();
    assert_eq!(r.step, Step::Decision);
}

/// The step bar, the review and the record button read one list: a decision can be recorded
/// exactly when no step is blocked, for every case below.
#[test]
fn step_bar_review_and_record_readiness_agree_for_every_step() {
    use jdp::walk::StepStatus;
    let panel = default_panel();
    let mut cases = vec![good_case(), jdp::domain::Case::new(jdp::walk::blank_referral(date("2026-11-23")))];
    let mut c = good_case();
    c.decision.rationale.clear();
    cases.push(c);
    let mut c = good_case();
    c.decision.present.retain(|m| m.agency != "yjs");
    cases.push(c);
    let mut c = good_case();
    c.victim = jdp::domain::referral::VictimViews::NotObtainable { reason: String::new() };
    cases.push(c);
    for case in cases {
        let mut w = Walk::new(case, date("2026-11-23"));
        for step in Step::ALL {
            w.handle(Msg::Goto(step), &panel);
        }
        let findings = w.findings(&panel);
        let any_blocked = Step::ALL[..7].iter().any(|s| w.step_status(*s, &panel) == StepStatus::Blocked);
        assert_eq!(any_blocked, !w.can_record(&panel), "{findings:?}");
        assert_eq!(w.step_status(Step::Record, &panel) == StepStatus::Blocked, !w.can_record(&panel));
        let records = !w.handle(Msg::Record, &panel).is_empty();
        assert_eq!(records, w.can_record(&panel), "the record action agrees with the findings");
        for step in Step::ALL {
            let blocked_here = jdp::walk::step_findings(&findings, step).any(|f| f.severity == Severity::Blocking);
            assert_eq!(w.step_status(step, &panel) == StepStatus::Blocked, blocked_here, "{step:?}");
        }
    }
}

#[test]
fn every_change_is_a_draft_at_once_a_toggle_included() {
    let panel = default_panel();
    let mut w = Walk::new(good_case(), date("2026-11-23"));
    w.handle(Msg::Goto(Step::Research), &panel);
    assert_eq!(w.handle(Msg::Toggle(Key::LiveInvestigation), &panel), vec![Effect::SaveDraft { step: Step::Research }]);
    assert_eq!(
        w.handle(Msg::SetText(Key::History, "Known to the school".into()), &panel),
        vec![Effect::SaveDraft { step: Step::Research }]
    );
}

#[test]
fn focus_is_kept_per_step() {
    let panel = default_panel();
    let mut w = Walk::new(good_case(), date("2026-11-23"));
    w.handle(Msg::Goto(Step::Research), &panel);
    w.handle(Msg::FocusNext, &panel);
    w.handle(Msg::FocusNext, &panel);
    w.handle(Msg::Goto(Step::Victim), &panel);
    assert_eq!(w.focus, 0);
    w.handle(Msg::Goto(Step::Research), &panel);
    assert_eq!(w.focus, 2, "back where the chair left it");
}

#[test]
fn a_correction_that_changes_nothing_is_not_recorded() {
    let panel = default_panel();
    let mut w = Walk::correction(good_case(), 3, date("2026-11-23"));
    w.correction_reason = "Wrong victim recorded".into();
    assert_eq!(w.handle(Msg::Record, &panel), vec![]);
    assert!(w.failure.as_deref().unwrap().contains("changes nothing"), "{:?}", w.failure);
    w.handle(Msg::SetText(Key::Rationale, "First offence, low value, admitted; reparation".into()), &panel);
    assert!(matches!(w.handle(Msg::Record, &panel).as_slice(), [Effect::RecordDecision(_)]));
}

#[test]
fn the_age_finding_names_what_is_missing() {
    let panel = default_panel();
    let mut case = good_case();
    case.referral.offences.clear();
    let f = checks::check(&case, &panel);
    let age = f.iter().find(|f| f.rule == "age").expect("no offence date, no age");
    assert_eq!(age.reason, "No offence date, so no age at offence");
    assert!(!f.iter().any(|f| f.rule == "child_dob"), "the date of birth is known");
    let mut case = good_case();
    case.referral.child.date_of_birth = jdp::domain::referral::DATE_NOT_GIVEN;
    let f = checks::check(&case, &panel);
    assert!(f.iter().any(|f| f.rule == "child_dob" && f.severity == Severity::Blocking));
    assert!(!f.iter().any(|f| f.rule == "age"), "{f:?}");
}

#[test]
fn a_final_outcome_must_be_the_agreed_view() {
    let panel = default_panel();
    let mut case = good_case();
    case.decision.outcome = Some("O22".into());
    let f = checks::check(&case, &panel);
    let r = f.iter().find(|f| f.rule == "final_outcome").expect("views agree on CR, final O22");
    assert_eq!(r.severity, Severity::Blocking);
    assert!(r.reason.contains("Community resolution") && r.reason.contains("Outcome 22"), "{}", r.reason);
    // Where the views differ the disagreement rule speaks instead.
    case.decision.views[1].outcome = "O22".into();
    let f = checks::check(&case, &panel);
    assert!(!f.iter().any(|f| f.rule == "final_outcome"), "{f:?}");
    assert!(f.iter().any(|f| f.rule == "disagreement"), "{f:?}");
    // The agreed view as the final outcome: no finding.
    assert!(!checks::check(&good_case(), &panel).iter().any(|f| f.rule == "final_outcome"));
}

#[test]
fn each_search_entry_needs_who_what_and_which_systems() {
    use jdp::domain::referral::SearchAuditEntry;
    let panel = default_panel();
    let entry = |by: &str, what: &str, systems: &[&str]| SearchAuditEntry {
        requested_on: date("2026-10-21"),
        requested_by: by.into(),
        request: what.into(),
        systems: systems.iter().map(|s| s.to_string()).collect(),
        supplied: String::new(),
    };
    let audit = |e: SearchAuditEntry| {
        let mut case = good_case();
        case.research.history = "None known".into();
        case.research.searches = vec![e];
        checks::check(&case, &panel).into_iter().filter(|f| f.rule == "research_audit").count()
    };
    assert_eq!(audit(entry("PC Jones", "Full history", &["PNC"])), 0);
    assert_eq!(audit(entry("", "Full history", &["PNC"])), 1, "who");
    assert_eq!(audit(entry("PC Jones", "", &["PNC"])), 1, "what");
    assert_eq!(audit(entry("PC Jones", "Full history", &[])), 1, "which systems");
}

#[test]
fn needs_are_complete_when_every_domain_is_assessed() {
    use jdp::domain::referral::{Need, NeedLevel};
    let panel = default_panel();
    let mut case = good_case();
    case.needs.needs = panel
        .needs
        .domains
        .iter()
        .map(|d| Need { domain: d.id.clone(), level: NeedLevel::Low, note: String::new() })
        .collect();
    let needs = |c: &jdp::domain::Case| checks::check(c, &panel).into_iter().find(|f| f.rule == "needs_assessed");
    assert!(needs(&case).is_none());
    case.needs.needs[0].level = NeedLevel::NotAssessed;
    let f = needs(&case).expect("one domain not assessed");
    assert!(f.reason.starts_with("1 of "), "{}", f.reason);
}

#[test]
fn a_final_outcome_chosen_apart_from_the_proposal_is_kept_when_the_proposal_changes() {
    let mut d = jdp::domain::referral::Decision::default();
    d.propose(Some("CR".into()));
    assert_eq!(d.outcome.as_deref(), Some("CR"), "an unset final outcome follows the proposal");
    d.outcome = Some("YC".into());
    d.propose(Some("O22".into()));
    assert_eq!(d.outcome.as_deref(), Some("YC"), "a final outcome chosen apart is the panel's, not the proposal's");
    assert_eq!(d.proposed.as_deref(), Some("O22"));
}

#[test]
fn an_unchanged_final_outcome_follows_the_proposal_and_views_keep_police_first() {
    let mut d = jdp::domain::referral::Decision::default();
    d.propose(Some("CR".into()));
    d.propose(Some("O22".into()));
    assert_eq!(d.outcome.as_deref(), Some("O22"), "the final outcome had followed the proposal, and still does");
    d.give_view("yjs", Some("O22".into()));
    d.give_view("police", Some("O22".into()));
    let order: Vec<&str> = d.views.iter().map(|v| v.agency.as_str()).collect();
    assert_eq!(order, ["police", "yjs"]);
    assert_eq!(d.views[0].given_for.as_deref(), Some("O22"));
}

/// A member with no name (a row added and left blank) is no one: they do not make the quorum
/// and are not recorded as present.
#[test]
fn a_member_with_no_name_neither_makes_the_quorum_nor_is_recorded() {
    use jdp::domain::referral::Member;
    let panel = default_panel();
    let present = vec![
        Member { name: "  ".into(), agency: "police".into(), role: String::new() },
        Member { name: "Sam Okafor".into(), agency: "yjs".into(), role: "Case manager".into() },
    ];
    let missing = jdp::domain::checks::missing_for_quorum(&present, &panel);
    assert_eq!(missing, ["Police"], "a blank police row does not make the quorum");
    let mut full = present.clone();
    full.push(Member { name: "PC Dana Price".into(), agency: "police".into(), role: String::new() });
    let mut case = good_case();
    case.decision.present = full.clone();
    let snap = jdp::domain::record::snapshot(&case, &panel, date("2026-11-23")).unwrap();
    assert_eq!(snap.case.decision.present.len(), 2, "the blank row is not recorded: {:?}", snap.case.decision.present);
}

#[test]
fn a_chair_not_among_those_present_is_a_warning_and_no_chair_blocks() {
    use jdp::domain::referral::Member;
    let present = vec![
        Member { name: "PC Dana Price".into(), agency: "police".into(), role: String::new() },
        Member { name: "Sam Okafor".into(), agency: "yjs".into(), role: String::new() },
    ];
    let f = checks::session_findings("Quentin Qadir", &present);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].severity, Severity::Warning);
    assert!(f[0].reason.contains("not among those present"));
    assert!(checks::session_findings("sam okafor ", &present).is_empty(), "case and spaces aside");
    let f = checks::session_findings("  ", &present);
    assert_eq!(f[0].severity, Severity::Blocking);
    assert_eq!(f[0].step, Step::Decision);
}

/// One source of findings: what the walk shows before recording (the session's own findings
/// included) is what the record keeps, and so what scrutiny later reads as "findings at the time".
#[test]
fn the_findings_recorded_are_the_findings_shown_before_recording() {
    use jdp::domain::record::FindingSnapshot;
    use jdp::domain::referral::Member;
    use jdp::walk::Ctx;
    let panel = default_panel();
    let present = vec![
        Member { name: "PC Dana Price".into(), agency: "police".into(), role: String::new() },
        Member { name: "Sam Okafor".into(), agency: "yjs".into(), role: String::new() },
    ];
    let cx = Ctx { panel: &panel, present: Some(&present), chair: "Quentin Qadir", cannot_record_as: None };
    let mut w = Walk::new(good_case(), date("2026-11-23"));
    let shown = w.findings(cx);
    assert!(shown.iter().any(|f| f.rule == "chair"), "the session's finding is shown: {shown:?}");
    let effects = w.handle(Msg::Record, cx);
    let Some(Effect::RecordDecision(snap)) = effects.first() else { panic!("records: {effects:?}") };
    let kept: Vec<FindingSnapshot> = shown
        .iter()
        .map(|f| FindingSnapshot {
            rule: f.rule.to_string(),
            blocking: f.severity == Severity::Blocking,
            reason: f.reason.clone(),
        })
        .collect();
    assert_eq!(snap.findings, kept, "the record keeps exactly what was shown");
    assert_eq!(snap.case.decision.present, present, "and the attendance the findings were worked from");
}

/// A screen whose login may not record (a member's, on a server) is told so first, and the
/// walk never asks to record, whatever else the case holds.
#[test]
fn a_login_that_may_not_record_is_the_first_finding_and_blocks_recording() {
    use jdp::walk::Ctx;
    let panel = default_panel();
    let mut w = Walk::new(good_case(), date("2026-11-23"));
    let cx = Ctx { panel: &panel, present: None, chair: "", cannot_record_as: Some("dana") };
    let shown = w.findings(cx);
    assert_eq!(shown[0].rule, "recorder", "{shown:?}");
    assert_eq!(shown[0].severity, Severity::Blocking);
    assert!(shown[0].reason.starts_with("Your login (dana) may prepare this decision but not record it"));
    assert_eq!(shown[0].step, Step::Record);
    assert!(!w.can_record(cx));
    assert!(w.handle(Msg::Record, cx).is_empty(), "nothing sent to the store");
    assert!(w.can_record(&panel), "the same case records from a chair's screen");
}
