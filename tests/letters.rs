//! Letters after a decision: every shipped outcome × recipient × format renders within its own
//! readability limits; the victim's letter never names the child; data cannot add structure;
//! `jdp letter` writes owner-only, logs a disclosure and, with --sent, records the task done.

mod common;

use assert_cmd::Command;
use common::*;
use jdp::config::letters::{DEFAULT_LETTERS, DEFAULT_LETTERS_NAME, parse_letters};
use jdp::domain::letters::{self, LetterFormat, Recipient};

const FORMATS: [LetterFormat; 3] = [LetterFormat::Html, LetterFormat::Md, LetterFormat::Txt];

#[test]
fn every_default_outcome_has_a_letter_for_every_recipient_in_every_format_within_the_limits() {
    let panel = default_panel();
    let file = parse_letters(DEFAULT_LETTERS_NAME, DEFAULT_LETTERS).unwrap();
    let base = snapshot_of(&looked_after_case());
    let mut rendered = 0;
    for o in &panel.outcomes {
        let mut snap = base.clone();
        snap.case.decision.outcome = Some(o.code.clone());
        for to in Recipient::ALL {
            let t = letters::template(&file, to, &o.code)
                .unwrap_or_else(|| panic!("no letter to the {} for {}", to.id(), o.code));
            let values = letters::values(&snap, &panel, &file.settings, to);
            for format in FORMATS {
                let text = letters::render(t, &values, format);
                let label = letters::escape_value(&o.plain_name(), format);
                assert!(text.contains(&label), "the outcome {label} missing: {text}");
                let left: Vec<_> = text.lines().flat_map(letters::placeholders_in).collect();
                assert!(left.is_empty(), "a placeholder left unfilled: {left:?}");
                rendered += 1;
            }
            let plain = letters::render(t, &values, LetterFormat::Txt);
            let r = letters::readability(&plain);
            assert!(
                letters::over_limits(&r, &file.settings).is_empty(),
                "{} letter for {}: {r:?}\n{plain}",
                to.id(),
                o.code
            );
            assert!(r.average_words <= 15.0 && r.longest.0 <= 25, "{r:?}");
            if to == Recipient::Victim {
                for name in ["Alex", "Example"] {
                    assert!(!plain.contains(name), "the victim's letter names the child: {plain}");
                }
            }
            if matches!(to, Recipient::Child | Recipient::Carer) {
                assert!(plain.contains("record"), "what it means for a record: {plain}");
                assert!(plain.contains("contact"), "who to contact: {plain}");
            }
        }
    }
    assert_eq!(rendered, panel.outcomes.len() * 4 * 3);
    // The community resolution letters say no one has to sign anything (DOMAIN.md).
    let mut cr = base.clone();
    cr.decision_outcome_for_test("CR");
    for to in [Recipient::Child, Recipient::Carer] {
        let t = letters::template(&file, to, "CR").unwrap();
        let text = letters::render(t, &letters::values(&cr, &panel, &file.settings, to), LetterFormat::Txt);
        assert!(text.contains("sign"), "{text}");
    }
}

trait SetOutcome {
    fn decision_outcome_for_test(&mut self, code: &str);
}
impl SetOutcome for jdp::domain::record::DecisionSnapshot {
    fn decision_outcome_for_test(&mut self, code: &str) {
        self.case.decision.outcome = Some(code.into());
    }
}

#[test]
fn the_victims_letter_names_the_child_only_where_the_settings_allow() {
    let panel = default_panel();
    let mut file = parse_letters(DEFAULT_LETTERS_NAME, DEFAULT_LETTERS).unwrap();
    let mut case = good_case();
    case.decision.rationale = "Alex Example admitted it; Alex wrote a letter".into();
    let snap = snapshot_of(&case);
    let t = letters::template(&file, Recipient::Victim, "CR").unwrap().clone();
    let text =
        letters::render(&t, &letters::values(&snap, &panel, &file.settings, Recipient::Victim), LetterFormat::Txt);
    assert!(!text.contains("Alex") && !text.contains("Example"), "{text}");
    assert!(text.contains("restorative justice"), "{text}");
    // A local template may name the child only where the settings allow it (`jdp check`
    // refuses {child_name} in a victim's template otherwise); even then the value is hidden
    // unless they do.
    let mut named = t.clone();
    named.body = format!("About {{child_name}}.\n{}", named.body);
    let text =
        letters::render(&named, &letters::values(&snap, &panel, &file.settings, Recipient::Victim), LetterFormat::Txt);
    assert!(!text.contains("Alex") && text.contains("About the young person."), "{text}");
    file.settings.name_child_to_victim = true;
    let text =
        letters::render(&named, &letters::values(&snap, &panel, &file.settings, Recipient::Victim), LetterFormat::Txt);
    assert!(text.contains("Alex Example"), "{text}");
}

/// The panel's rationale is written for the panel: it holds the child's health, care and family
/// (special-category data), so the victim's letter never carries it, whatever the outcome, the
/// format or the naming setting, and a local template's `{reasons}` gives the victim the
/// outcome's own description instead.
#[test]
fn the_victims_letter_never_carries_the_panels_rationale() {
    let panel = default_panel();
    let mut file = parse_letters(DEFAULT_LETTERS_NAME, DEFAULT_LETTERS).unwrap();
    let mut case = good_case();
    case.decision.rationale = "She has ADHD and lives in a children's home after her mother's overdose".into();
    for name_child in [false, true] {
        file.settings.name_child_to_victim = name_child;
        for o in &panel.outcomes {
            // The letter reads the recorded outcome; the rest of the record is the same.
            let mut snap = snapshot_of(&case);
            snap.case.decision.outcome = Some(o.code.clone());
            let Some(t) = letters::template(&file, Recipient::Victim, &o.code) else { continue };
            let values = letters::values(&snap, &panel, &file.settings, Recipient::Victim);
            assert_eq!(values["reasons"], o.description.trim().trim_end_matches('.'), "{}", o.code);
            for format in [LetterFormat::Txt, LetterFormat::Md, LetterFormat::Html] {
                let text = letters::render(t, &values, format);
                for secret in ["ADHD", "children's home", "children&#39;s home", "overdose"] {
                    assert!(!text.contains(secret), "{} {format:?}: {secret} in\n{text}", o.code);
                }
            }
        }
    }
    // The carer's letter may explain the decision in the panel's words.
    let snap = snapshot_of(&case);
    assert!(letters::values(&snap, &panel, &file.settings, Recipient::Carer)["reasons"].contains("ADHD"));
}

#[test]
fn a_value_cannot_add_structure_to_a_letter() {
    let panel = default_panel();
    let file = parse_letters(DEFAULT_LETTERS_NAME, DEFAULT_LETTERS).unwrap();
    let mut case = good_case();
    case.referral.child.name = "<script>alert(1)</script> # Boss".into();
    let snap = snapshot_of(&case);
    let t = letters::template(&file, Recipient::Child, "CR").unwrap();
    let values = letters::values(&snap, &panel, &file.settings, Recipient::Child);
    let html = letters::render(t, &values, LetterFormat::Html);
    assert!(!html.contains("<script>") && html.contains("&lt;script&gt;"), "{html}");
    let md = letters::render(t, &values, LetterFormat::Md);
    assert!(md.contains("Dear \\<script\\>"), "{md}");
}

#[test]
fn an_unknown_placeholder_is_reported_with_its_line_and_the_known_ones() {
    let text = "[[letter]]\nto = \"child\"\noutcomes = [\"*\"]\ntitle = \"Hi\"\nbody = \"\"\"\nDear {child_first_name},\n# About {childs_name}\n\"\"\"\n";
    let e = parse_letters("x.toml", text).unwrap_err().to_string();
    assert!(e.contains("x.toml:7:9") && e.contains("{childs_name}") && e.contains("{child_first_name}"), "{e}");
}

fn jdp(db: &std::path::Path) -> Command {
    common::jdp_on(db)
}

#[test]
fn jdp_letter_writes_owner_only_logs_the_disclosure_and_records_the_task_when_sent() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("l.sqlite3");
    let rec = store_with_decision(&db, "tester");
    let out = dir.path().join("victim.html");
    let a = jdp(&db)
        .args(["letter", &rec.seq.to_string(), "--to", "victim", "--format", "html", "--sent", "--out"])
        .arg(&out)
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&a.get_output().stderr).to_string();
    assert!(stderr.contains(&format!("Task {}/inform_victim recorded done", rec.seq)), "{stderr}");
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains("Community resolution") && !html.contains("Alex"), "{html}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&out).unwrap().permissions().mode() & 0o077, 0, "owner-only");
    }
    let store = jdp::store::Store::open_existing(&db).unwrap();
    let board = store.task_board(date("2026-11-23")).unwrap();
    let t = board.iter().find(|t| t.kind == "inform_victim").unwrap();
    assert!(matches!(t.status, jdp::domain::task_board::Status::Done { .. }), "{t:?}");
    // The access log says a letter went to the victim, and holds no one's name.
    let log = store.access_log(100).unwrap();
    let entry = log.iter().find(|e| e.action == "letter").expect("a disclosure logged");
    let all = format!("{entry:?}");
    assert!(all.contains("victim") && !all.contains("Alex"), "{all}");
    drop(store);
    // No social worker for a child who is not looked after: refused, nothing written.
    jdp(&db).args(["letter", &rec.seq.to_string(), "--to", "social-worker"]).assert().failure();
    // A child's letter to the screen, plain text.
    let child = jdp(&db).args(["letter", &rec.seq.to_string(), "--to", "child"]).assert().success();
    let text = String::from_utf8_lossy(&child.get_output().stdout).to_string();
    assert!(text.contains("Dear Alex,") && text.contains("No one has to sign"), "{text}");
}

/// Victims' Code 2021: a victim who asked for no further contact has opted out of being told;
/// no letter is written to them (on the screen or the command line: both compose here).
#[test]
fn no_letter_to_a_victim_who_asked_for_no_further_contact() {
    let panel = default_panel();
    let file = parse_letters(DEFAULT_LETTERS_NAME, DEFAULT_LETTERS).unwrap();
    let mut case = good_case();
    let jdp::domain::referral::VictimViews::Contacted(v) = &mut case.victim else { panic!() };
    v.wants_no_further_contact = true;
    let snap = snapshot_of(&case);
    let e = letters::compose(&snap, &panel, &file, Recipient::Victim, LetterFormat::Txt).unwrap_err();
    assert!(e.contains("no further contact"), "{e}");
    assert!(letters::compose(&snap, &panel, &file, Recipient::Carer, LetterFormat::Txt).is_ok());
}
