//! Letter templates: every invalid fixture (tests/fixtures/invalid-letters) is refused by
//! `jdp check` with the located message a person needs (file:line:col: key: expected, found);
//! a letters folder checked alone is checked against the panel definition beside it; the
//! shipped letters pass.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use rstest::rstest;

fn jdp() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_jdp"));
    c.current_dir(env!("CARGO_MANIFEST_DIR")).env_remove("JDP_DB").env_remove("JDP_PANEL");
    c
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/invalid-letters").join(name)
}

/// `jdp check FILE` against the shipped panel definition: refused, and the message for the
/// fixture's defect (every message, so one that is not first is still found).
fn refused(file: &Path, panel: &str) -> String {
    let out = jdp().args(["--panel", panel, "check"]).arg(file).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(1), "refused: {stderr}\n{}", String::from_utf8_lossy(&out.stdout));
    stderr
}

#[rstest]
#[case::duplicate_pair(
    "duplicate-pair.toml",
    r#"17:13: letter[1].outcomes[0]: expected one letter to the child for each outcome, found "YC" again (first at line 7); the first would be sent"#
)]
#[case::duplicate_star(
    "duplicate-star.toml",
    r#"12:19: letter[1].outcomes[1]: expected one letter to the carer for each outcome, found "*" again (first at line 3); the first would be sent"#
)]
#[case::unknown_outcome(
    "unknown-outcome.toml",
    r#"3:20: letter[0].outcomes[1]: expected an outcome code in the panel definition, or "*" (NFA, O21, O22, CR, YC, YCC, CHARGE), found "XYZ""#
)]
#[case::misspelt_outcome(
    "misspelt-outcome.toml",
    r#"3:20: letter[0].outcomes[1]: expected an outcome code in the panel definition, or "*" (NFA, O21, O22, CR, YC, YCC, CHARGE), found "CHRGE" (did you mean "CHARGE"?)"#
)]
#[case::victim_social_worker(
    "victim-social-worker.toml",
    "8:24: letter[0].body: expected no placeholder the victim must not be given, found {social_worker} (the child's social worker is the child's information)"
)]
#[case::victim_reasons(
    "victim-reasons.toml",
    "8:22: letter[0].body: expected no placeholder the victim must not be given, found {reasons} (the panel's rationale is written for the panel: write the reasons in the template's own words)"
)]
#[case::victim_child_name(
    "victim-child-name.toml",
    "7:42: letter[0].title: expected no placeholder the victim must not be given, found {child_name} (the settings say the victim's letter never names the child)"
)]
#[case::contact_placeholder(
    "contact-placeholder.toml",
    r#"2:11: settings.contact: expected the contact in plain words (it is put into every letter as written: a placeholder there is printed as it is), found "{social_worker} at the Youth Justice Service""#
)]
fn expected_message(#[case] file: &str, #[case] expected: &str) {
    let path = fixture(file);
    let stderr = refused(&path, "panels/default.toml");
    let wanted = format!("{}:{expected}", path.display());
    assert!(stderr.lines().any(|l| l == wanted), "wanted\n{wanted}\nin\n{stderr}");
}

#[test]
fn the_victims_local_authority_is_refused_too() {
    let stderr = refused(&fixture("victim-social-worker.toml"), "panels/default.toml");
    assert!(stderr.contains(":8:43: letter[0].body: expected no placeholder the victim must not be given, found {local_authority} (it tells the victim the child is looked after)"), "{stderr}");
}

#[test]
fn every_invalid_letters_fixture_has_a_case_above() {
    let listed = include_str!("letter_fixtures.rs");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/invalid-letters");
    let mut n = 0;
    for f in std::fs::read_dir(dir).unwrap() {
        let name = f.unwrap().file_name().into_string().unwrap();
        assert!(listed.contains(&format!("\"{name}\"")), "{name} has no expected message in this file");
        n += 1;
    }
    assert!(n >= 7);
}

#[test]
fn the_shipped_letters_pass_check() {
    let out = jdp().args(["check", "panels/letters"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.starts_with("ok: panels/letters:") && !stdout.contains("warning"), "{stdout}");
}

/// A folder of letters checked alone is checked against the panel definition beside it
/// (`lt/default.toml` for `lt/letters`): here one without Outcomes 21 and 22, so the shipped
/// letters name codes it does not define. `--panel` names another definition instead.
#[test]
fn letters_checked_alone_use_the_panel_definition_beside_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::create_dir(dir.path().join("letters")).unwrap();
    std::fs::copy(root.join("panels/acpo-2013.toml"), dir.path().join("default.toml")).unwrap();
    std::fs::copy(root.join("panels/letters/default.toml"), dir.path().join("letters/default.toml")).unwrap();
    let letters = dir.path().join("letters");
    let out = jdp().arg("check").arg(&letters).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(r#"letter[0].outcomes[1]: expected an outcome code in the panel definition, or "*" (NFA, CR, YC, YCC, CHARGE), found "O21""#), "{stderr}");
    // The same for one file in the folder.
    let out = jdp().arg("check").arg(letters.join("default.toml")).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    // The panel definition named with --panel is the one used.
    let out = jdp().args(["--panel", "panels/default.toml", "check"]).arg(&letters).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// Two files in one folder: the second file's template for a pair the first already has is
/// refused, naming where the first is.
#[test]
fn a_pair_given_in_two_files_of_a_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(root.join("panels/letters/default.toml"), dir.path().join("a.toml")).unwrap();
    std::fs::copy(fixture("unknown-outcome.toml"), dir.path().join("b.toml")).unwrap();
    let out = jdp().args(["--panel", "panels/default.toml", "check"]).arg(dir.path()).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let a = dir.path().join("a.toml");
    assert!(
        stderr.contains(&format!(
            r#"b.toml:3:13: letter[0].outcomes[0]: expected one letter to the child for each outcome, found "NFA" again (first at {}:"#,
            a.display()
        )),
        "{stderr}"
    );
}

/// A letter is never written from a set with a shadowed template: `jdp letter` refuses the set.
#[test]
fn jdp_letter_refuses_a_set_with_a_shadowed_template() {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::create_dir(dir.path().join("letters")).unwrap();
    std::fs::copy(root.join("panels/default.toml"), dir.path().join("default.toml")).unwrap();
    std::fs::copy(fixture("duplicate-pair.toml"), dir.path().join("letters/default.toml")).unwrap();
    let db = dir.path().join("x.sqlite3");
    let out = jdp()
        .arg("--db")
        .arg(&db)
        .arg("--panel")
        .arg(dir.path().join("default.toml"))
        .args(["letter", "1", "--to", "child"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(!out.status.success());
    assert!(stderr.contains("found \"YC\" again"), "{stderr}");
}
