//! Shared test fixtures: the shipped panel definitions and a complete, decidable case.
#![allow(dead_code)]

use chrono::NaiveDate;
use jdp::domain::PanelDefinition;
use jdp::domain::referral::*;

pub fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

pub fn default_panel() -> PanelDefinition {
    jdp::config::parse_panel("default.toml", jdp::config::DEFAULT_PANEL).unwrap()
}

pub fn acpo_panel() -> PanelDefinition {
    jdp::config::parse_panel("acpo-2013.toml", include_str!("../../panels/acpo-2013.toml")).unwrap()
}

/// A 14-year-old's first shop theft, admitted, victim contacted, both agencies agreeing on a
/// community resolution with a rationale: nothing blocks it under the default panel.
pub fn good_case() -> Case {
    let referral = Referral {
        reference: "JDP-TEST-0001".into(),
        child: Child {
            name: "Alex Example".into(),
            known_as: Vec::new(),
            date_of_birth: date("2012-03-01"),
            sex: Sex::Male,
            ethnicity: "White British".into(),
            looked_after: None,
        },
        offences: vec![Offence {
            offence: "Theft from a shop".into(),
            date: date("2026-10-10"),
            details: String::new(),
        }],
        response: Response::Admitted,
        previous_outcomes: vec![],
        officer_in_case: "PC 1234 Smith".into(),
        referral_date: date("2026-10-20"),
        appropriate_adult: Some("Mother".into()),
    };
    let mut case = Case::new(referral);
    case.victim = VictimViews::Contacted(VictimContact {
        contacted_on: date("2026-10-22"),
        contacted_by: "Victim liaison officer".into(),
        method: "Telephone".into(),
        under_18: false,
        views: "Wants the child to understand the effect on staff".into(),
        wishes: "Letter of apology".into(),
        consent_to_share: true,
        wants_no_further_contact: false,
        restorative_interest: vec!["apology_letter".into()],
        safety_concerns: String::new(),
        declined_views: false,
        enhanced: vec![],
        rj: jdp::domain::referral::RjStatus::Accepted,
        rj_not_invited_reason: String::new(),
    });
    case.needs.child_views = "Sorry; did it on a dare".into();
    case.needs.carer_views = "Supportive, will attend sessions".into();
    case.decision = Decision {
        present: vec![
            Member { name: "PC Jones".into(), agency: "police".into(), role: "YJS police officer".into() },
            Member { name: "Sam Case".into(), agency: "yjs".into(), role: "Case manager".into() },
        ],
        views: vec![
            AgencyView { agency: "police".into(), outcome: "CR".into(), reason: String::new(), given_for: None },
            AgencyView { agency: "yjs".into(), outcome: "CR".into(), reason: String::new(), given_for: None },
        ],
        outcome: Some("CR".into()),
        rationale: "First offence, low value, admitted; an apology letter meets the victim's wish".into(),
        ..Decision::default()
    };
    case
}

/// A store with the good case's referral imported; returns the store and the referral id.
pub fn store_with_referral(path: &std::path::Path) -> (jdp::store::Store, i64) {
    let mut store = jdp::store::Store::open(path).unwrap();
    let ids = store.add_referrals(&[good_case().referral], "tester", chrono::Utc::now()).unwrap();
    (store, ids[0])
}

/// A new store at `path` holding the good case, recorded by `by`, and closed: the record.
pub fn store_with_decision(path: &std::path::Path, by: &str) -> jdp::store::Recorded {
    let (mut store, id) = store_with_referral(path);
    store.record_decision(id, &snapshot_of(&good_case()), None, by, chrono::Utc::now()).unwrap()
}

/// The good case, recorded; returns the snapshot.
pub fn snapshot_of(case: &Case) -> jdp::domain::record::DecisionSnapshot {
    jdp::domain::record::snapshot(case, &default_panel(), date("2026-11-23")).unwrap()
}

/// A store of `n` synthetic decisions (with their corrections) made by the demo generator.
pub fn demo_store(path: &std::path::Path, n: u64, seed: u64) -> jdp::store::Store {
    use rand::SeedableRng;
    let panel = default_panel();
    let mut store = jdp::store::Store::open(path).unwrap();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let items = (0..n).map(|i| jdp::demo::generate(&mut rng, &panel, i, date("2026-09-30")));
    store.insert_demo(items, "tester", chrono::Utc::now()).unwrap();
    store
}

/// A connection of the test's own to a store's file, for checks in independent SQL: the store
/// keeps its own connection to itself (SQL lives only in src/store).
pub fn sql(store: &jdp::store::Store) -> rusqlite::Connection {
    rusqlite::Connection::open(store.path().expect("a store with a file")).unwrap()
}

/// The jdp binary on the store at `db`, run from the project folder as a user would: the panel
/// definition found there (never one named in the caller's environment), signing keys beside the
/// store.
#[allow(dead_code)]
pub fn jdp_on(db: &std::path::Path) -> assert_cmd::Command {
    let mut c = assert_cmd::Command::new(env!("CARGO_BIN_EXE_jdp"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("JDP_DB")
        .env_remove("JDP_PANEL")
        .env("JDP_KEY_DIR", db.with_extension("keys"))
        .arg("--db")
        .arg(db);
    c
}

/// The good case decided as no further action instead (both agencies agreeing).
pub fn nfa_snapshot() -> jdp::domain::record::DecisionSnapshot {
    let mut nfa = good_case();
    nfa.decision.outcome = Some("NFA".into());
    for v in &mut nfa.decision.views {
        v.outcome = "NFA".into();
    }
    jdp::domain::record::snapshot(&nfa, &default_panel(), date("2026-11-23")).unwrap()
}

/// The good case with the child looked after, a social worker named.
pub fn looked_after_case() -> Case {
    let mut case = good_case();
    case.referral.child.looked_after =
        Some(LookedAfter { local_authority: "Northshire".into(), social_worker: Some("Kim Social Worker".into()) });
    case
}

/// A sitting on `on` chaired by Alex Chair, with one police member present.
pub fn sitting(on: NaiveDate) -> PanelSession {
    PanelSession {
        held_on: Some(on),
        chair: "Alex Chair".into(),
        members: vec![Member { name: "PC One".into(), agency: "police".into(), role: String::new() }],
        apologies: vec![],
        observers: vec![],
    }
}

/// A reviewer's own (blind) rating of decision `decision` in sample `sample`, with no
/// observations.
pub fn blind_rating(
    sample: i64,
    decision: i64,
    (reviewer, agency, rating): (&str, &str, &str),
) -> jdp::scrutiny::BlindRating {
    jdp::scrutiny::BlindRating {
        sample,
        decision,
        reviewer: reviewer.into(),
        agency: agency.into(),
        rating: rating.into(),
        observations: String::new(),
    }
}

/// The good case moved back in time by `back` months, for a child of the given name, whose name
/// is in its free text too.
pub fn case_at(reference: &str, name: &str, back: u32) -> Case {
    let mut c = good_case();
    let shift = |d: NaiveDate| d.checked_sub_months(chrono::Months::new(back)).unwrap();
    c.referral.reference = reference.into();
    c.referral.child.name = name.into();
    c.referral.child.date_of_birth = shift(c.referral.child.date_of_birth);
    c.referral.referral_date = shift(c.referral.referral_date);
    for o in &mut c.referral.offences {
        o.date = shift(o.date);
        o.details = format!("{name} took sweets at 14 Elm Road");
    }
    if let VictimViews::Contacted(v) = &mut c.victim {
        v.contacted_on = shift(v.contacted_on);
        v.views = format!("The shop keeper knows {name} from school");
    }
    c.decision.rationale = format!("{name} admitted it; first offence");
    c
}

/// For retention (72 months), in `store` (a file or a server): three decisions older than
/// retention (the first corrected, with a reason naming the child), two younger; one undecided
/// referral past retention (with a draft) and one within it. The (reference, name) of those
/// past retention and of the others.
#[allow(clippy::type_complexity)]
pub fn retention_cases(store: &mut dyn jdp::store::Backend) -> (Vec<(String, String)>, Vec<(String, String)>) {
    use chrono::Utc;
    let panel = default_panel();
    let mut old = Vec::new();
    let mut young = Vec::new();
    let plan: [(&str, &str, u32, bool); 7] = [
        ("OLD-1", "Oldest Ashworth", 100, true),
        ("OLD-2", "Olwen Brightwater", 80, true),
        ("OLD-3", "Osric Cavendish", 73, true),
        ("NEW-1", "Nadia Dunmore", 10, true),
        ("NEW-2", "Nico Everdene", 1, true),
        ("UND-OLD", "Una Fairweather", 90, false),
        ("UND-NEW", "Ulrich Greystoke", 2, false),
    ];
    for (reference, name, back, decide) in plan {
        let case = case_at(reference, name, back);
        let id = store.add_referrals(std::slice::from_ref(&case.referral), "tester", Utc::now()).unwrap()[0];
        if decide {
            let on = case.referral.referral_date + chrono::Days::new(20);
            let snap = jdp::domain::record::snapshot(&case, &panel, on).unwrap();
            let rec = store.record_decision(id, &snap, None, "tester", Utc::now()).unwrap();
            if reference == "OLD-1" {
                let mut c2 = case.clone();
                c2.decision.rationale = format!("{name}: corrected wording");
                let snap2 = jdp::domain::record::snapshot(&c2, &panel, on).unwrap();
                // A reason typed by a chair can name the child too.
                let reason = format!("{name} was named wrongly");
                let correction = jdp::store::Correction { supersedes: rec.seq, reason: &reason };
                store.record_decision(id, &snap2, Some(correction), "tester", Utc::now()).unwrap();
            }
        } else {
            store.save_draft_if(id, "facts", &case, None, Utc::now()).unwrap();
        }
        let entry = (reference.to_string(), name.to_string());
        if back > 72 { old.push(entry) } else { young.push(entry) }
    }
    (old, young)
}

/// The jdp binary on `db` (a file or a server), from the project folder as a user would, with
/// this person's signing keys in `keys`.
pub fn jdp_keyed(db: &str, keys: &std::path::Path) -> assert_cmd::Command {
    let mut c = assert_cmd::Command::new(env!("CARGO_BIN_EXE_jdp"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("JDP_PANEL")
        .env_remove("JDP_DB")
        .env("JDP_KEY_DIR", keys)
        .args(["--db", db]);
    c
}

/// How a command ended: (succeeded, standard output, standard error).
pub fn ran(c: &mut assert_cmd::Command) -> (bool, String, String) {
    let out = c.output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// What a command printed, having succeeded.
pub fn stdout_of(c: &mut assert_cmd::Command) -> String {
    let (ok, out, err) = ran(c);
    assert!(ok, "{err}");
    out
}

/// Every text jdp keeps about cases, one query a table (the same on a file and a server):
/// referral bodies, drafts, and records (body, details kept apart, correction reason).
pub const CASE_TEXTS: [&str; 4] = [
    "SELECT body FROM referrals",
    "SELECT body FROM drafts",
    "SELECT body FROM correction_drafts",
    "SELECT body || coalesce(personal, '') || coalesce(correction_reason, '') FROM records",
];
