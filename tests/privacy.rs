//! One scrubber, three places: every plant typed into a case's free text must be absent from the
//! pseudonymised export, the scrutiny case view and privacy mode.

mod common;

use chrono::Utc;
use common::*;
use jdp::domain::referral::{Case, LookedAfter, VictimViews};
use jdp::domain::scrub::fold;
use jdp::report::export::{ExportOptions, Format, export};
use jdp::store::Store;

/// (date of birth, what is planted, also to be hidden in privacy mode). Privacy mode shows the
/// reference, so reference plants are hidden only from the export and scrutiny.
const PLANTS: &[(&str, &str, bool)] = &[
    ("2012-05-14", "2012-05-14", true),
    ("2012-05-14", "14/5/2012", true),
    ("2012-05-14", "14/05/2012", true),
    ("2012-05-14", "14th May 2012", true),
    ("2012-05-14", "14 May 2012", true),
    ("2012-05-14", "May 14, 2012", true),
    ("2012-05-14", "May 14th 2012", true),
    ("2012-05-14", "14.05.2012", true),
    ("2012-05-14", "14-05-2012", true),
    ("2012-05-14", "14/05/12", true),
    ("2012-05-14", "5/14/2012", true),
    ("2012-05-14", "14th of May, 2012", true),
    ("2012-05-14", "14 MAY 2012", true),
    ("2012-05-14", "14052012", true),
    ("2011-03-04", "04 March 2011", true),
    ("2011-03-04", "4th Mar 2011", true),
    ("2011-03-04", "04/03/2011", true),
    ("2011-03-04", "4.3.11", true),
    ("2012-05-14", "Jordy", true),
    ("2012-05-14", "JORDY", true),
    ("2012-05-14", "ZOË", true),
    ("2012-05-14", "ØDEGÅRD", true),
    ("2012-05-14", "Zoë Ødegård", true),
    ("2012-05-14", "Zoe Odegard", true),
    ("2012-05-14", "zoe", true),
    ("2012-05-14", "Odegard's", true),
    ("2012-05-14", "Zoe\u{308}", true),
    ("2012-05-14", "Jor\u{200b}dy", true),
    ("2012-05-14", "JDP-ADV-0001", false),
    ("2012-05-14", "JDP ADV 0001", false),
    ("2012-05-14", "jdp adv 0001", false),
    ("2012-05-14", "JDP/ADV/0001", false),
    ("2012-05-14", "JDPADV0001", false),
    ("2012-05-14", "Marsh", true),
    ("2012-05-14", "PC Marsh", true),
    ("2012-05-14", "PC 4471 Marsh", true),
    ("2012-05-14", "Priya", true),
    ("2012-05-14", "Priya Shah", true),
    ("2012-05-14", "SHAH", true),
    ("2012-05-14", "Kwame", true),
    ("2012-05-14", "Mensah", true),
    ("2012-05-14", "Inspector Okafor", true),
    ("2012-05-14", "Bello", true),
    ("2012-05-14", "Sgt Bello", true),
];

fn planted_case(dob: &str, plants: &[&str]) -> Case {
    let mut case = good_case();
    let r = &mut case.referral;
    r.reference = "JDP-ADV-0001".into();
    r.child.name = "Zoë Ødegård".into();
    r.child.known_as = vec!["Jordy".into()];
    r.child.date_of_birth = date(dob);
    r.child.looked_after =
        Some(LookedAfter { local_authority: "Example Borough".into(), social_worker: Some("Kwame Mensah".into()) });
    r.officer_in_case = "PC 4471 Marsh".into();
    r.appropriate_adult = Some("Priya Shah".into());
    case.gravity.inspector = None;
    let text = plants.iter().map(|p| format!("noted {p} here")).collect::<Vec<_>>().join("; ");
    case.research.history = text.clone();
    if let VictimViews::Contacted(v) = &mut case.victim {
        v.views = text.clone();
    }
    case.needs.child_views = text.clone();
    // Free text added with the guidance rules carries plants too.
    case.gravity.judgement_rationale = text.clone();
    if let VictimViews::Contacted(v) = &mut case.victim {
        v.rj = jdp::domain::referral::RjStatus::NotInvited;
        v.rj_not_invited_reason = text.clone();
    }
    case.decision.interventions = vec![text.clone()];
    case.decision.authorised_by = "Sgt Bello".into();
    case.decision.rationale = format!("{text}; Okafor agreed");
    case
}

fn export_text(case: &Case, format: Format) -> String {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("jdp.sqlite3")).unwrap();
    let id = store.add_referrals(std::slice::from_ref(&case.referral), "t", Utc::now()).unwrap()[0];
    store.record_decision(id, &snapshot_of(case), None, "t", Utc::now()).unwrap();
    let mut out = Vec::new();
    let opts = ExportOptions { format, pseudonymise: true, from: None, to: None };
    export(&store, &opts, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn scrutiny_text(case: &Case) -> String {
    jdp::tui::scrutiny::anonymised(&snapshot_of(case), &default_panel())
        .iter()
        .map(|l| l.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

fn leaks(output: &str, plant: &str) -> bool {
    fold(output).contains(&fold(plant))
}

#[test]
fn every_plant_is_absent_from_the_export_the_scrutiny_case_and_privacy_mode() {
    let mut failures = Vec::new();
    for dob in ["2012-05-14", "2011-03-04"] {
        let plants: Vec<&str> = PLANTS.iter().filter(|p| p.0 == dob).map(|p| p.1).collect();
        let mut case = planted_case(dob, &plants);
        // The inspector is named only where the record names one.
        case.gravity.inspector =
            Some(jdp::domain::referral::Inspector { name: "Insp Okafor".into(), rank: "Inspector".into() });
        let csv = export_text(&case, Format::Csv);
        let jsonl = export_text(&case, Format::Jsonl);
        let scrutiny = scrutiny_text(&case);
        let privacy = jdp::domain::scrub::for_privacy(&case.decision.rationale, &case);
        // Controls: the text reached every output, and what is not identifying stays.
        for (name, out) in [("csv", &csv), ("jsonl", &jsonl), ("scrutiny", &scrutiny), ("privacy", &privacy)] {
            assert!(out.contains("noted"), "{name} carries the planted text:\n{out}");
        }
        assert!(scrutiny.contains("Theft from a shop"), "{scrutiny}");
        for &(_, plant, in_privacy) in PLANTS.iter().filter(|p| p.0 == dob) {
            for (name, out) in [("csv", &csv), ("jsonl", &jsonl), ("scrutiny", &scrutiny)] {
                if leaks(out, plant) {
                    failures.push(format!("{plant:?} leaked in {name}"));
                }
            }
            if in_privacy && leaks(&privacy, plant) {
                failures.push(format!("{plant:?} leaked in privacy mode: {privacy}"));
            }
        }
    }
    assert!(failures.is_empty(), "{} leak(s):\n{}", failures.len(), failures.join("\n"));
}

/// Names typed the way people type them: without their apostrophes or hyphens, spaced, or run
/// together, and adults whose surnames are ordinary words (tester report 5, F17).
const TYPED_PLANTS: &[&str] = &[
    "ONeill",
    "Oneill",
    "ONEILL",
    "O Neill",
    "O'Neill",
    "O\u{2019}Neill",
    "ONeill-Byrne",
    "ONEILL-BYRNE",
    "Oneill Byrne",
    "O Neill Byrne",
    "O'NeillByrne",
    "NeillByrne",
    "Aoife",
    "Eefa",
    "EefaONeill",
    "Eefa O'Neill-Byrne",
    "AoifeONeill",
    "Siobhan",
    "Mr Worker",
    "Ms Worker",
    "Sam Worker",
    "spoke to Worker",
    "WORKER said",
    "Worker, Sam",
    "S. Worker",
    "Worker (SW)",
    "Worker's view",
    "Per Worker: fine",
    "Odegard",
    "Ode-gard",
    "Øde-gård",
    "Mr Young",
];

#[test]
fn names_typed_without_their_punctuation_and_adults_with_ordinary_surnames_are_scrubbed() {
    let mut case = planted_case("2012-05-14", TYPED_PLANTS);
    case.referral.child.name = "Aoife Mary O'Neill-Byrne".into();
    case.referral.child.known_as = vec!["Eefa".into(), "Øde-gård".into()];
    case.referral.appropriate_adult = Some("Ms Siobhan O'Neill-Byrne".into());
    case.referral.child.looked_after =
        Some(LookedAfter { local_authority: "Example Borough".into(), social_worker: Some("Sam Worker".into()) });
    case.decision.authorised_by = "Insp Kim Young".into();
    let csv = export_text(&case, Format::Csv);
    let jsonl = export_text(&case, Format::Jsonl);
    let scrutiny = scrutiny_text(&case);
    let privacy = jdp::domain::scrub::for_privacy(&case.decision.rationale, &case);
    let mut failures = Vec::new();
    for (name, out) in [("csv", &csv), ("jsonl", &jsonl), ("scrutiny", &scrutiny), ("privacy", &privacy)] {
        assert!(out.contains("noted"), "{name} carries the planted text:\n{out}");
        for plant in TYPED_PLANTS {
            if leaks(out, plant) {
                failures.push(format!("{plant:?} leaked in {name}"));
            }
        }
    }
    assert!(failures.is_empty(), "{} leak(s):\n{}\n{privacy}", failures.len(), failures.join("\n"));
    // The role words stay readable where no name is meant.
    let text = "The social worker, the Social Worker and the youth worker met the staff.";
    assert_eq!(jdp::domain::scrub::for_privacy(text, &case), text);
}

#[test]
fn other_dates_and_ordinary_words_survive_the_scrubber() {
    let case = planted_case("2012-05-14", &[]);
    let text = "Seen on 14/06/2012 and 2026-10-10; the victim's mother and the social worker met the police.";
    let out = jdp::domain::scrub::for_privacy(text, &case);
    assert_eq!(out, text);
}

#[test]
fn old_records_without_known_as_still_load() {
    let json = serde_json::to_string(&good_case()).unwrap();
    assert!(!json.contains("known_as"), "an empty list is not written, so old hashes stand");
    let back: Case = serde_json::from_str(&json).unwrap();
    assert!(back.referral.child.known_as.is_empty());
}

#[test]
fn known_as_names_typed_in_the_walk_or_imported_are_scrubbed() {
    use jdp::walk::{Key, Value, fields};
    let mut case = good_case();
    fields::set(&mut case, &Key::KnownAs, Value::Text(" Jordy , Lil J,".into()), date("2026-11-23")).unwrap();
    assert_eq!(case.referral.child.known_as, ["Jordy", "Lil J"]);
    assert_eq!(fields::get(&case, &Key::KnownAs), Value::Text("Jordy, Lil J".into()));
    let out = jdp::domain::scrub::for_privacy("Jordy (Lil J) was there", &case);
    assert_eq!(out, "JDP-TEST-0001 (JDP-TEST-0001) was there");
    let toml = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("panels/examples/referrals.toml"),
    )
    .unwrap()
    .replacen("[referrals.child]\n", "[referrals.child]\nknown_as = [\"Jordy\"]\n", 1);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.toml");
    std::fs::write(&path, toml).unwrap();
    let file = jdp::config::referrals::load_referrals(&path, &default_panel()).unwrap();
    assert_eq!(file.referrals[0].child.known_as, ["Jordy"]);
}

#[test]
fn pseudonyms_follow_the_child_not_the_name() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("jdp.sqlite3")).unwrap();
    // Two different children called Alfie Davies, and one of them referred twice (written
    // differently the second time).
    let mut cases = Vec::new();
    for (reference, name, dob) in [
        ("R-1", "Alfie Davies", "2012-01-01"),
        ("R-2", "Alfie Davies", "2013-06-30"),
        ("R-3", "ALFIE  davies", "2012-01-01"),
    ] {
        let mut case = good_case();
        case.referral.reference = reference.into();
        case.referral.child.name = name.into();
        case.referral.child.date_of_birth = date(dob);
        cases.push(case);
    }
    for case in &cases {
        let id = store.add_referrals(std::slice::from_ref(&case.referral), "t", Utc::now()).unwrap()[0];
        store.record_decision(id, &snapshot_of(case), None, "t", Utc::now()).unwrap();
    }
    let mut out = Vec::new();
    let n = export(&store, &ExportOptions { format: Format::Csv, pseudonymise: true, from: None, to: None }, &mut out)
        .unwrap();
    assert_eq!(n, 3, "the count logged and shown is the number of rows written");
    let mut reader = csv::Reader::from_reader(&out[..]);
    let col = reader.headers().unwrap().iter().position(|h| h == "child_name").unwrap();
    let names: Vec<String> = reader.records().map(|r| r.unwrap()[col].to_string()).collect();
    assert_eq!(names.len(), 3);
    assert_ne!(names[0], names[1], "two children, one name: two pseudonyms");
    assert_eq!(names[0], names[2], "one child, two referrals: one pseudonym");
}

/// Issue 12: the scrutiny case view is the whole record, anonymised — each agency's view, the
/// factors by label, the victim's views, needs, conditions, the inspector's authority (rank only),
/// the rationale, and for a correction the reason and what changed — with no name, date of
/// birth, reference, named adult or exact date.
#[test]
fn the_scrutiny_case_is_the_whole_anonymised_record_with_what_a_correction_changed() {
    let mut original = planted_case("2012-05-14", &[]);
    original.gravity.factors = vec!["group".into()];
    if let VictimViews::Contacted(v) = &mut original.victim {
        v.views = "Wants the child to understand the effect on staff".into();
    }
    original.needs.child_views = "Sorry; did it on a dare".into();
    let mut corrected = original.clone();
    corrected.decision.rationale = "Apology letter agreed; the victim was asked again and agreed.".into();
    corrected.decision.conditions = vec!["Write a letter of apology within 14 days".into()];
    corrected.gravity.inspector =
        Some(jdp::domain::referral::Inspector { name: "Okafor".into(), rank: "Inspector".into() });
    let text = jdp::tui::scrutiny::anonymised_record(
        &snapshot_of(&corrected),
        Some(("The conditions were left out by mistake", &snapshot_of(&original))),
        &default_panel(),
    )
    .iter()
    .map(|l| l.to_string())
    .collect::<Vec<_>>()
    .join("\n");
    for expected in [
        "Police view: Community resolution (CR)",
        "Youth Justice Service view: Community resolution (CR)",
        "Committed as part of a group or gang",
        "Wants the child to understand the effect on staff",
        "Sorry; did it on a dare",
        "Write a letter of apology within 14 days",
        "Inspector's authority: Inspector",
        "Apology letter agreed",
        "because: The conditions were left out by mistake",
        "Conditions: —  →  Write a letter of apology within 14 days",
        "October 2026",
    ] {
        assert!(text.contains(expected), "missing {expected:?}:\n{text}");
    }
    for hidden in ["Zoë", "Ødegård", "Jordy", "2012", "JDP-ADV-0001", "Marsh", "Priya", "Kwame", "Okafor", "2026-10-10"]
    {
        assert!(!leaks(&text, hidden), "{hidden:?} shown to scrutiny:\n{text}");
    }
}

/// Issue 9: the export carries the conditions, the interventions and the inspector's authority
/// (name and rank; the rank only when pseudonymised).
#[test]
fn the_export_carries_conditions_interventions_and_the_inspectors_authority() {
    let mut case = good_case();
    case.decision.conditions = vec!["Write a letter of apology".into(), "Attend two sessions".into()];
    case.decision.interventions = vec!["Knife crime awareness".into()];
    case.gravity.inspector =
        Some(jdp::domain::referral::Inspector { name: "Raj Quint".into(), rank: "Inspector".into() });
    let plain = {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("jdp.sqlite3")).unwrap();
        let id = store.add_referrals(std::slice::from_ref(&case.referral), "t", Utc::now()).unwrap()[0];
        store.record_decision(id, &snapshot_of(&case), None, "t", Utc::now()).unwrap();
        let mut out = Vec::new();
        export(&store, &ExportOptions { format: Format::Csv, pseudonymise: false, from: None, to: None }, &mut out)
            .unwrap();
        String::from_utf8(out).unwrap()
    };
    let header = plain.lines().next().unwrap();
    for column in ["inspector_rank", "inspector_name", "conditions", "interventions"] {
        assert!(header.split(',').any(|c| c == column), "{column} missing: {header}");
    }
    for value in ["Write a letter of apology; Attend two sessions", "Knife crime awareness", "Raj Quint", "Inspector"] {
        assert!(plain.contains(value), "{value} missing:\n{plain}");
    }
    let pseudo = export_text(&case, Format::Csv);
    assert!(pseudo.contains("Write a letter of apology") && pseudo.contains(",Inspector,"), "{pseudo}");
    assert!(!pseudo.contains("Quint"), "the inspector's name stays out of a pseudonymised export:\n{pseudo}");
}
