//! Bank holidays (tester report 5, F24): `jdp check` warns, located, when a panel definition's
//! list stops short of the next 12 months (the panel still loads: rc 0), and the shipped
//! definitions list the England and Wales dates through 2028 (GOV.UK).

mod common;

use common::*;

#[test]
fn check_warns_where_the_bank_holidays_run_out() {
    let dir = tempfile::tempdir().unwrap();
    let panel = dir.path().join("short.toml");
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/panels/default.toml")).unwrap();
    let start = text.find("bank_holidays = [").unwrap();
    let end = start + text[start..].find(']').unwrap() + 1;
    let short = format!("{}bank_holidays = [\"2026-12-25\"]{}", &text[..start], &text[end..]);
    std::fs::write(&panel, short).unwrap();
    let out = common::jdp_on(&dir.path().join("none.sqlite3")).arg("check").arg(&panel).assert().success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    let line = stdout.lines().find(|l| l.starts_with("warning: ")).unwrap_or_else(|| panic!("no warning: {stdout}"));
    let line_no = text[..start].lines().count() + 1;
    let at = format!(
        "warning: {}:{line_no}:17: working_days.bank_holidays: expected bank holidays listed up to at least ",
        panel.display()
    );
    assert!(line.starts_with(&at), "{line}");
    assert!(line.contains("found a list that ends on 2026-12-25") && line.contains("GOV.UK"), "{line}");
    // The shipped definitions do not warn.
    for shipped in ["panels/default.toml", "panels/acpo-2013.toml"] {
        let out = common::jdp_on(&dir.path().join("none.sqlite3")).args(["check", shipped]).assert().success();
        let stdout = String::from_utf8_lossy(&out.get_output().stdout).to_string();
        assert!(!stdout.contains("warning"), "{shipped}: {stdout}");
    }
}

/// GOV.UK, England and Wales, 2028: 3 Jan (substitute for New Year's Day, a Saturday), 14 Apr
/// (Good Friday), 17 Apr (Easter Monday), 1 May, 29 May, 28 Aug, 25 and 26 Dec.
#[test]
fn the_shipped_lists_run_through_2028() {
    for panel in [default_panel(), acpo_panel()] {
        let w = &panel.working_days;
        for h in [
            "2028-01-03",
            "2028-04-14",
            "2028-04-17",
            "2028-05-01",
            "2028-05-29",
            "2028-08-28",
            "2028-12-25",
            "2028-12-26",
        ] {
            assert!(w.bank_holidays.contains(&date(h)), "{h} in {}", panel.panel.version);
        }
        // The tester's case: a decision on Christmas Eve 2024 is due the next working day, Friday
        // 27 December (decisions already on record from 2024 to 2026 count holidays too).
        assert_eq!(w.add(date("2024-12-24"), 1), date("2024-12-27"));
        // Thursday before Easter 2028: the next working day is the Tuesday after.
        assert_eq!(w.add(date("2028-04-13"), 1), date("2028-04-18"));
        // Covered for a year from any day up to Boxing Day 2027; short the day after.
        assert!(w.bank_holidays_short(date("2027-12-26")).is_none());
        assert!(w.bank_holidays_short(date("2027-12-27")).is_some());
    }
}
