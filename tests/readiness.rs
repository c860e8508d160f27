//! Readiness before the panel, as table tests with the source of each rule: the YJS assessment
//! timescale (YJB case management guidance, 2014: 10 working days of the referral), days waiting,
//! and what the panel still lacks (police research: YJB/NPCC joint decision making; victim's
//! views: Victims' Code; the assessment: YJB Prevention and Diversion assessment; the child's
//! views: Child First; the parent/carer's views: HM Inspectorate of Probation).

mod common;

use common::*;
use jdp::domain::readiness::{Prerequisite, assessment_due, days_waiting, readiness};
use jdp::domain::referral::*;
use rstest::rstest;

/// The good case with everything a panel needs before it decides: research with a search
/// audit, every needs domain assessed, dated, and both voices heard.
fn ready_case() -> Case {
    let mut case = good_case();
    case.research.history = "No previous police involvement".into();
    case.research.searches = vec![SearchAuditEntry {
        requested_on: date("2026-10-21"),
        requested_by: "PC Jones".into(),
        request: "History and intelligence".into(),
        systems: vec!["PNC".into(), "Niche".into()],
        supplied: "Nothing of note".into(),
    }];
    let panel = default_panel();
    case.needs.needs = panel
        .needs
        .domains
        .iter()
        .map(|d| Need { domain: d.id.clone(), level: NeedLevel::None, note: String::new() })
        .collect();
    case.needs.assessed_on = Some(date("2026-10-28"));
    case
}

// YJB case management guidance (2014): the YJS assesses within 10 working days of the referral.
#[rstest]
#[case("2026-11-09", "2026-11-23")] // a Monday: two weeks on
#[case("2026-11-13", "2026-11-27")] // a Friday: the weekends do not count
#[case("2026-11-14", "2026-11-27")] // a Saturday: counted from the next working day
#[case("2026-12-18", "2027-01-06")] // Christmas, the substitute Boxing Day and New Year do not count
fn the_assessment_is_due_ten_working_days_after_the_referral(#[case] referred: &str, #[case] due: &str) {
    let mut case = good_case();
    case.referral.referral_date = date(referred);
    assert_eq!(assessment_due(&case.referral, &default_panel()), date(due));
}

#[test]
fn the_timescale_is_the_panels_data() {
    let mut panel = default_panel();
    assert_eq!(panel.timescales.assessment_working_days, 10, "the shipped default follows the guidance");
    panel.timescales.assessment_working_days = 5;
    let mut case = good_case();
    case.referral.referral_date = date("2026-11-09");
    assert_eq!(assessment_due(&case.referral, &panel), date("2026-11-16"));
}

// Overdue from the day after the due date, until the assessment is done.
#[rstest]
#[case(None, "2026-11-23", false)] // the due date itself is in time
#[case(None, "2026-11-24", true)]
#[case(Some("2026-11-20"), "2026-11-30", false)] // done in time
#[case(Some("2026-11-26"), "2026-11-30", false)] // done late, but done
#[case(Some("2026-11-26"), "2026-11-25", true)] // on the 25th it was not done yet
fn overdue_from_the_day_after_the_due_date(#[case] assessed_on: Option<&str>, #[case] on: &str, #[case] overdue: bool) {
    let mut case = ready_case();
    case.referral.referral_date = date("2026-11-09");
    case.needs.assessed_on = assessed_on.map(date);
    let r = readiness(&case, &default_panel(), date(on));
    assert_eq!(r.assessment.due, date("2026-11-23"));
    assert_eq!(r.assessment_overdue, overdue);
}

#[test]
fn a_late_assessment_is_told_apart_from_one_in_time() {
    let mut case = ready_case();
    case.referral.referral_date = date("2026-11-09");
    case.needs.assessed_on = Some(date("2026-11-24"));
    assert!(readiness(&case, &default_panel(), date("2026-11-30")).assessment.completed_late());
    case.needs.assessed_on = Some(date("2026-11-23"));
    assert!(!readiness(&case, &default_panel(), date("2026-11-30")).assessment.completed_late());
}

#[rstest]
#[case("2026-10-20", 0)]
#[case("2026-10-21", 1)]
#[case("2026-11-19", 30)]
#[case("2026-10-01", 0)] // a date before the referral is no wait at all
fn days_waiting_are_calendar_days_since_the_referral(#[case] on: &str, #[case] days: i64) {
    assert_eq!(days_waiting(&good_case().referral, date(on)), days);
    assert_eq!(readiness(&ready_case(), &default_panel(), date(on)).days_waiting, days);
}

#[test]
fn a_case_with_everything_in_place_is_ready() {
    let r = readiness(&ready_case(), &default_panel(), date("2026-11-02"));
    assert_eq!(r.missing, vec![], "nothing missing");
    assert!(r.is_ready());
}

type Breaks = fn(&mut Case);

// Each prerequisite, taken away from a ready case, is the one thing missing.
#[rstest]
// YJB/NPCC joint decision making: an auditable record of each police systems search.
#[case::no_search(|c: &mut Case| c.research.searches.clear(), Prerequisite::PoliceResearch, "No search audit entry")]
#[case::no_history(|c: &mut Case| c.research.history.clear(), Prerequisite::PoliceResearch, "No history of involvement")]
// Victims' Code: the victim's views sought before the decision.
#[case::victim(|c: &mut Case| c.victim = VictimViews::NotRecorded, Prerequisite::VictimViews, "Victim's views: not recorded")]
#[case::victim_reason(|c: &mut Case| c.victim = VictimViews::NotObtainable { reason: " ".into() }, Prerequisite::VictimViews, "why they are not obtainable")]
// YJB case management guidance (2014): the assessment, dated; YJB P&D assessment: every domain.
#[case::not_assessed(|c: &mut Case| c.needs.assessed_on = None, Prerequisite::YjsAssessment, "Not completed")]
#[case::domain_left(|c: &mut Case| { c.needs.needs.pop(); }, Prerequisite::YjsAssessment, "1 of 11 needs domains not assessed")]
// Child First (YJB): the child's own views.
#[case::child(|c: &mut Case| c.needs.child_views.clear(), Prerequisite::ChildViews, "The child's own views are not recorded")]
// HM Inspectorate of Probation: the parent/carer's views.
#[case::carer(|c: &mut Case| c.needs.carer_views = "  ".into(), Prerequisite::CarerViews, "The parent/carer's views are not recorded")]
fn each_missing_prerequisite_is_named(#[case] breaks: Breaks, #[case] what: Prerequisite, #[case] detail: &str) {
    let mut case = ready_case();
    breaks(&mut case);
    let r = readiness(&case, &default_panel(), date("2026-11-02"));
    assert_eq!(r.missing.len(), 1, "{:?}", r.missing);
    assert_eq!(r.missing[0].what, what);
    assert!(r.missing[0].details.iter().any(|d| d.contains(detail)), "{:?}", r.missing[0].details);
    assert!(!r.missing[0].guidance.is_empty(), "the guidance is named");
    assert!(!r.is_ready());
    assert!(r.lacks(what));
}

#[test]
fn a_new_referral_lacks_everything_in_the_walks_order() {
    let case = Case::new(good_case().referral);
    let r = readiness(&case, &default_panel(), date("2026-11-02"));
    let whats: Vec<Prerequisite> = r.missing.iter().map(|m| m.what).collect();
    assert_eq!(whats, Prerequisite::ALL);
    let assessment = &r.missing[2];
    assert!(assessment.guidance.iter().any(|g| g.contains("10 working days")), "{:?}", assessment.guidance);
}

#[test]
fn an_assessment_dated_after_the_agenda_date_is_not_done_yet() {
    let mut case = ready_case();
    case.needs.assessed_on = Some(date("2026-11-05"));
    assert!(readiness(&case, &default_panel(), date("2026-11-04")).lacks(Prerequisite::YjsAssessment));
    assert!(!readiness(&case, &default_panel(), date("2026-11-05")).lacks(Prerequisite::YjsAssessment));
}
