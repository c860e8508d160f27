//! Issue 12: the scrutiny panel's papers — a printable anonymised review pack and the minutes —
//! as a scrutiny chair makes them from the command line.

mod common;

use std::process::Command;

use chrono::Utc;

fn jdp(db: &std::path::Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_jdp"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("JDP_DB")
        .env_remove("JDP_PANEL")
        .env("JDP_KEY_DIR", db.with_extension("keys"))
        .arg("--db")
        .arg(db);
    c
}

fn run(c: &mut Command) -> String {
    let out = c.output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn a_pack_and_minutes_for_a_sample_name_no_one_and_are_logged() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("jdp.sqlite3");
    run(jdp(&db).args(["demo-data", "--decisions", "400", "--until", "2026-09-30"]));
    run(jdp(&db).args(["sample", "--from", "2025-10-01", "--to", "2026-09-30", "--size", "8", "--seed", "p"]));
    // One case reviewed at the meeting.
    let mut store = jdp::store::Store::open(&db).unwrap();
    let (seq, sample) = jdp::scrutiny::stored_sample(&store, None).unwrap().unwrap();
    let first = sample.cases()[0];
    let review = jdp::scrutiny::ReviewRecord {
        sample: seq,
        decision: first,
        rating: "consistent_obs".into(),
        observations: "Rationale thin on the victim's wishes.".into(),
        learning_points: vec!["victims: record the wishes in the victim's own words".into()],
        reviewers: vec!["Lay member A".into(), "YJS manager".into()],
        actions: vec![
            jdp::domain::actions::parse_line("Guidance note on victims' wishes; YJS manager; 2027-01-31").unwrap(),
            jdp::domain::actions::parse_line("Remind officers of the audit trail; Police; 2026-01-15").unwrap(),
        ],
    };
    jdp::scrutiny::record_review(&mut store, &review, "chair", Utc::now()).unwrap();
    // Every case's identifiers, to look for in the papers.
    let mut hidden = Vec::new();
    for id in sample.cases() {
        let r = store.decision(id).unwrap().unwrap().snapshot.case.referral;
        hidden.push(r.child.name.clone());
        hidden.push(r.reference.clone());
        hidden.push(r.child.date_of_birth.to_string());
    }
    drop(store);

    let pack = dir.path().join("pack.html");
    let out = jdp(&db).args(["scrutiny", "pack", "--out"]).arg(&pack).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let html = std::fs::read_to_string(&pack).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&pack).unwrap().permissions().mode() & 0o777, 0o600);
    }
    assert!(html.contains("Case 1 of 8") && html.contains("Case 8 of 8"), "one case a page");
    assert!(html.contains("page-break-after:always"), "prints one case a page");
    assert!(html.contains("Ratings sheet") && html.contains("Consistent with observations"));
    // Each case's rows stand under one heading per section, in the walk's order, each list closed.
    for case in html.split("<section>").skip(2) {
        let headings: Vec<&str> = case
            .split("<h3>")
            .skip(1)
            .map(|h| h.split("</h3>").next().unwrap())
            .take_while(|h| *h != "Findings at the time")
            .collect();
        assert_eq!(
            headings,
            [
                "Referral facts",
                "Police research summary",
                "Victim&#39;s views",
                "Assessed needs",
                "Gravity score",
                "Joint decision"
            ],
            "{case}"
        );
        assert_eq!(case.matches("<dl>").count(), 6, "{case}");
        assert_eq!(case.matches("</dl>").count(), 6, "{case}");
    }
    for h in &hidden {
        assert!(!html.contains(h.as_str()), "{h} in the pack");
    }

    let md = run(jdp(&db).args(["scrutiny", "minutes"]));
    assert!(md.contains("## Reviewers") && md.contains("- Lay member A"), "{md}");
    assert!(md.contains("Consistent with observations"), "{md}");
    assert!(md.contains("**victims**: record the wishes"), "{md}");
    assert!(md.contains("Not yet reviewed: 7"), "{md}");
    for h in &hidden {
        assert!(!md.contains(h.as_str()), "{h} in the minutes");
    }
    let html = run(jdp(&db).args(["scrutiny", "minutes", "--format", "html"]));
    assert!(html.starts_with("<!doctype html>") && html.contains("<table>") && html.contains("<li>Lay member A</li>"));

    // Actions: listed with owner, due date and status; closing one is a record, never an edit.
    assert!(md.contains("## Actions") && md.contains("Guidance note on victims' wishes"), "{md}");
    let list = run(jdp(&db).args(["scrutiny", "actions"]));
    let first = format!("{}.1", seq + 1);
    assert!(list.contains(&first) && list.contains("YJS manager") && list.contains("OVERDUE"), "{list}");
    run(jdp(&db).args(["scrutiny", "close", &first, "--as", "done", "--note", "Issued 2 December"]));
    let open = run(jdp(&db).args(["scrutiny", "actions", "--open"]));
    assert!(!open.contains("Guidance note") && open.contains("audit trail"), "{open}");
    let again = jdp(&db).args(["scrutiny", "close", &first, "--as", "dropped", "--note", "x"]).output().unwrap();
    assert_eq!(again.status.code(), Some(1), "closing twice is refused");
    // Session 7's finding: a status longer than its column pushed "What" out of line.
    let list = run(jdp(&db).args(["scrutiny", "actions"]));
    let column = |line: &str, text: &str| line.find(text).map(|at| line[..at].chars().count());
    let mut lines = list.lines();
    let what = column(lines.next().unwrap(), "What");
    for (line, text) in lines.zip(["Guidance note on victims' wishes", "Remind officers of the audit trail"]) {
        assert_eq!(column(line, text), what, "{text} out of line:\n{list}");
    }
    let md = run(jdp(&db).args(["scrutiny", "minutes"]));
    assert!(md.contains("done: Issued 2 December"), "{md}");

    // The same case reviewed again: the latest review stands, counted once.
    {
        let mut store = jdp::store::Store::open(&db).unwrap();
        let mut again = review.clone();
        again.rating = "consistent".into();
        again.actions.clear();
        jdp::scrutiny::record_review(&mut store, &again, "chair", Utc::now()).unwrap();
    }
    let report = run(jdp(&db).args(["report", "--from", "2025-10-01", "--to", "2026-09-30"]));
    assert!(report.contains("- Consistent: 1") && !report.contains("Consistent with observations: 1"), "{report}");

    // The board report lists the learning points and the actions still open, not only counts.
    let report = run(jdp(&db).args(["report", "--from", "2025-10-01", "--to", "2026-09-30"]));
    assert!(report.contains("victims: record the wishes in the victim's own words"), "{report}");
    assert!(report.contains("## Open actions") && report.contains("Remind officers of the audit trail"), "{report}");
    assert!(!report.contains("Guidance note on victims' wishes"), "a closed action is not open: {report}");

    // Both papers were written to the access log before they were disclosed.
    let log = jdp::store::Store::open(&db).unwrap().access_log(100).unwrap();
    assert!(log.iter().filter(|e| e.action == "scrutiny paper").count() >= 3, "{log:?}");
}

#[test]
fn returned_ratings_are_imported_whole_or_not_at_all_and_the_minutes_show_their_spread() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("jdp.sqlite3");
    run(jdp(&db).args(["demo-data", "--decisions", "300", "--until", "2026-09-30"]));
    run(jdp(&db).args(["sample", "--from", "2025-10-01", "--to", "2026-09-30", "--size", "5", "--seed", "r"]));
    let store = jdp::store::Store::open(&db).unwrap();
    let (_, sample) = jdp::scrutiny::stored_sample(&store, None).unwrap().unwrap();
    drop(store);
    let case = sample.cases()[0];
    // A file with three problems: every one located, nothing recorded.
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        format!(
            "record,reviewer,agency,rating,observations\n{case},Lay member A,lay,consistent,fine\n999999,B,yjs,consistent,\n{case},,yjs,excellent,\n"
        ),
    )
    .unwrap();
    let out = jdp(&db).args(["scrutiny", "ratings"]).arg(&bad).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("bad.csv:3: column 1 (record): expected a record number in sample"), "{err}");
    assert!(err.contains("bad.csv:4: column 2 (reviewer)"), "{err}");
    assert!(err.contains("bad.csv:4: column 4 (rating): expected one of consistent"), "{err}");
    assert!(err.contains("Nothing was imported."), "{err}");
    assert!(jdp::scrutiny::blind_ratings(&jdp::store::Store::open(&db).unwrap()).unwrap().is_empty());
    // A good file: recorded; the minutes show the members' own ratings, police apart (no vote).
    let good = dir.path().join("good.csv");
    std::fs::write(
        &good,
        format!(
            "record,reviewer,agency,rating,observations\n{case},Lay member A,lay,consistent,fine\n{case},YJS manager,yjs,inconsistent,\n{case},Insp. Lee,police,consistent,\n"
        ),
    )
    .unwrap();
    let said = run(jdp(&db).args(["scrutiny", "ratings"]).arg(&good));
    assert!(said.contains("Recorded 3 blind rating(s)"), "{said}");
    let md = run(jdp(&db).args(["scrutiny", "minutes"]));
    assert!(md.contains("Consistent ×1; Inconsistent ×1; police (no vote): Consistent"), "{md}");
}

#[test]
fn a_returned_rating_is_taken_once_from_a_known_agency_before_the_panel_agrees() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("jdp.sqlite3");
    run(jdp(&db).args(["demo-data", "--decisions", "300", "--until", "2026-09-30"]));
    run(jdp(&db).args(["sample", "--from", "2025-10-01", "--to", "2026-09-30", "--size", "5", "--seed", "once"]));
    let store = jdp::store::Store::open(&db).unwrap();
    let (seq, sample) = jdp::scrutiny::stored_sample(&store, None).unwrap().unwrap();
    drop(store);
    let (a, b) = (sample.cases()[0], sample.cases()[1]);
    let file = |name: &str, rows: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, format!("record,reviewer,agency,rating,observations\n{rows}")).unwrap();
        p
    };
    // Labels as the pack prints them, and agencies by name, are read.
    let ok = file(
        "ok.csv",
        &format!(
            "{a},Lay member A,lay,Consistent with observations,\n{a},Sam Okafor,Youth Justice Service,consistent,\n"
        ),
    );
    assert!(run(jdp(&db).args(["scrutiny", "ratings"]).arg(&ok)).contains("Recorded 2"));
    let refused = |path: &std::path::Path| {
        let out = jdp(&db).args(["scrutiny", "ratings"]).arg(path).output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        String::from_utf8_lossy(&out.stderr).to_string()
    };
    // The same file again: each reviewer has rated this case already.
    let err = refused(&ok);
    assert!(
        err.contains("ok.csv:2: column 2 (reviewer): expected a reviewer who has not rated this case already"),
        "{err}"
    );
    // One reviewer twice in a file; an unknown agency.
    let twice = file(
        "twice.csv",
        &format!("{b},Solo,yjs,consistent,\n{b},solo ,yjs,inconsistent,\n{b},Ann Lee,nosuch,consistent,\n"),
    );
    let err = refused(&twice);
    assert!(
        err.contains(
            "twice.csv:3: column 2 (reviewer): expected one rating of this case by this reviewer (line 2 has one)"
        ),
        "{err}"
    );
    assert!(err.contains("twice.csv:4: column 3 (agency): expected an agency (police, yjs"), "{err}");
    // Once the panel has agreed its review, own ratings are closed.
    let mut store = jdp::store::Store::open(&db).unwrap();
    let review = jdp::scrutiny::ReviewRecord {
        sample: seq,
        decision: b,
        rating: "consistent".into(),
        observations: String::new(),
        learning_points: vec![],
        reviewers: vec!["Chair".into()],
        actions: vec![],
    };
    jdp::scrutiny::record_review(&mut store, &review, "chair", Utc::now()).unwrap();
    drop(store);
    let late = file("late.csv", &format!("{b},Late member,lay,consistent,\n"));
    let err = refused(&late);
    assert!(err.contains("expected a case not yet agreed"), "{err}");
}

#[test]
fn the_annual_report_covers_the_calendar_year_with_reviews_and_actions() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("jdp.sqlite3");
    run(jdp(&db).args(["demo-data", "--decisions", "300", "--until", "2026-09-30"]));
    run(jdp(&db).args(["sample", "--from", "2026-01-01", "--to", "2026-09-30", "--size", "4", "--seed", "y"]));
    let mut store = jdp::store::Store::open(&db).unwrap();
    let (seq, sample) = jdp::scrutiny::stored_sample(&store, None).unwrap().unwrap();
    let review = jdp::scrutiny::ReviewRecord {
        sample: seq,
        decision: sample.cases()[0],
        rating: "consistent".into(),
        observations: String::new(),
        learning_points: vec!["victims: ask twice".into()],
        reviewers: vec!["Chair".into()],
        actions: vec![jdp::domain::actions::parse_line("Guidance; YJS; 2026-12-31").unwrap()],
    };
    jdp::scrutiny::record_review(&mut store, &review, "chair", Utc::now()).unwrap();
    drop(store);
    let md = run(jdp(&db).args(["report", "--year", "2026"]));
    assert!(md.starts_with("# Out-of-court scrutiny panel: annual report 2026"), "{md}");
    assert!(md.contains("decisions made 2026-01-01 to 2026-12-31"), "{md}");
    assert!(md.contains("- Cases reviewed: 1") && md.contains("- Actions agreed: 1, of which closed: 0"), "{md}");
    let clash = jdp(&db).args(["report", "--year", "2026", "--from", "2026-01-01"]).output().unwrap();
    assert_eq!(clash.status.code(), Some(2), "--year or a period, not both");
}

/// The minutes' headings and chain head read as headings and code in HTML, and a backtick
/// escaped in data stays text (no structure from data).
#[test]
fn simple_html_has_third_level_headings_and_code_but_data_adds_none() {
    let html =
        jdp::report::papers::simple_html("t", "### JDP-1 — decided\n\nThe head is `12:abcd`.\n\nA \\`name\\` typed.\n");
    assert!(html.contains("<h3>JDP-1 — decided</h3>"), "{html}");
    assert!(html.contains("<code>12:abcd</code>"), "{html}");
    assert!(html.contains("A `name` typed.") && !html.contains("<code>name</code>"), "{html}");
}

/// Each Markdown shape the papers use becomes its element, closed where the shape ends: two tables
/// apart, a list then a paragraph, header cells only in a table's first row, and every inline mark.
#[test]
fn simple_html_turns_each_shape_into_its_element() {
    let md = "# Title\n## Part\n| A | B |\n|---|---|\n| **1** | 2 |\n| 3 | 4 |\nAfter the table.\n\
              | C |\n|---|\n| 5 |\n- one\n- two **bold**\nAfter the list `x` and `y` end.\n- last\n";
    let html = jdp::report::papers::simple_html("t", md);
    let body = html.split("<body>").nth(1).unwrap();
    assert_eq!(
        body,
        "<h1>Title</h1><h2>Part</h2>\
         <table><tr><th>A</th><th>B</th></tr><tr><td><strong>1</strong></td><td>2</td></tr><tr><td>3</td><td>4</td></tr></table>\
         <p>After the table.</p>\
         <table><tr><th>C</th></tr><tr><td>5</td></tr></table>\
         <ul><li>one</li><li>two <strong>bold</strong></li></ul>\
         <p>After the list <code>x</code> and <code>y</code> end.</p>\
         <ul><li>last</li></ul></body></html>\n"
    );
    // A table or a list at the end is closed too.
    let end = jdp::report::papers::simple_html("t", "| A |\n|---|\n| 1 |");
    assert!(end.ends_with("<tr><td>1</td></tr></table></body></html>\n"), "{end}");
}

/// The scrutiny minutes' case table counts each case's own blind ratings of this sample (never
/// another case's or another sample's), lists observations only where a review made one, and
/// carries forward only a case rated with a carried-forward rating.
#[test]
fn the_scrutiny_minutes_count_each_cases_own_ratings_and_carry_forward_only_what_is_carried() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("jdp.sqlite3");
    run(jdp(&db).args(["demo-data", "--decisions", "300", "--until", "2026-09-30"]));
    run(jdp(&db).args(["sample", "--from", "2025-10-01", "--to", "2026-09-30", "--size", "4", "--seed", "m"]));
    let mut store = jdp::store::Store::open(&db).unwrap();
    let (seq, sample) = jdp::scrutiny::stored_sample(&store, None).unwrap().unwrap();
    let cases = sample.cases();
    let rate = |decision: i64, sample: i64, reviewer: &str, agency: &str, rating: &str| {
        common::blind_rating(sample, decision, (reviewer, agency, rating))
    };
    jdp::scrutiny::record_blind_ratings(
        &mut store,
        &[
            rate(cases[0], seq, "A", "yjs", "consistent"),
            rate(cases[0], seq, "B", "lay", "consistent"),
            rate(cases[0], seq, "D", "police", "inconsistent"),
            rate(cases[0], seq + 1000, "C", "yjs", "inconsistent"),
        ],
        "chair",
        Utc::now(),
    )
    .unwrap();
    let review = |decision: i64, rating: &str, observations: &str| jdp::scrutiny::ReviewRecord {
        sample: seq,
        decision,
        rating: rating.into(),
        observations: observations.into(),
        learning_points: vec![],
        reviewers: vec!["Lay member A".into()],
        actions: vec![],
    };
    jdp::scrutiny::record_review(&mut store, &review(cases[0], "consistent", ""), "chair", Utc::now()).unwrap();
    let mut with_action = review(cases[1], "no_conclusion", "Assessment missing");
    with_action.actions = vec![jdp::domain::actions::parse_line("Audit assessments; YJS manager; 2027-03-31").unwrap()];
    jdp::scrutiny::record_review(&mut store, &with_action, "chair", Utc::now()).unwrap();
    drop(store);
    let md = run(jdp(&db).args(["scrutiny", "minutes"]));
    let row =
        |n: usize| md.lines().find(|l| l.starts_with(&format!("| {n} | {} |", cases[n - 1]))).unwrap().to_string();
    assert!(row(1).contains("| Consistent ×2; police (no vote): Inconsistent |"), "{}", row(1));
    assert!(!row(1).contains("Inconsistent ×"), "another sample's rating is not counted: {}", row(1));
    assert!(row(2).contains("| — |") && row(3).contains("| — |"), "{}\n{}", row(2), row(3));
    let observations: Vec<&str> = md
        .split("## Observations")
        .nth(1)
        .unwrap()
        .split("##")
        .next()
        .unwrap()
        .lines()
        .filter(|l| l.starts_with("- "))
        .collect();
    assert_eq!(observations, [format!("- Record {}: Assessment missing", cases[1]).as_str()], "{md}");
    let carried = md.lines().find(|l| l.starts_with("- No conclusion, to the next sample:")).unwrap_or_default();
    assert_eq!(carried, format!("- No conclusion, to the next sample: record {}", cases[1]), "{md}");
    assert!(md.contains("- Not yet reviewed: 2"), "{md}");
    assert!(md.contains("| Audit assessments | YJS manager |"), "this sample's action, not marked as earlier: {md}");
    // At the next sample's meeting the open action is listed as from the earlier sample.
    run(jdp(&db).args(["sample", "--from", "2025-07-01", "--to", "2025-09-30", "--size", "3", "--seed", "n"]));
    let next = run(jdp(&db).args(["scrutiny", "minutes"]));
    assert!(next.contains(&format!("| Audit assessments (from sample {seq}) | YJS manager |")), "{next}");
}
