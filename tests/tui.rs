//! The panel screen on a test backend: a snapshot of every screen and walk step at 100×30 and
//! 80×24, normal and privacy mode, from fixed data and a fixed date; and the behaviour a chair
//! relies on, driven by real key events.

mod common;

use common::*;
use jdp::store::Store;
use jdp::tui::App;
use jdp::tui::app::{Overlay, Screen, ScrutinyView};
use jdp::walk::{Key, Msg, Step};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

const TODAY: &str = "2026-11-23";
const SIZES: [(u16, u16); 2] = [(120, 40), (80, 24)];

fn render(app: &App, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| f.render_widget(app, f.area())).unwrap();
    t.backend().to_string()
}

fn press(app: &mut App, code: KeyCode) {
    app.on_key(KeyEvent::new(code, KeyModifiers::NONE));
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, KeyCode::Char(c));
    }
}

fn empty_app() -> App {
    let mut app = App::new(Store::open_in_memory().unwrap(), default_panel(), date(TODAY), false);
    app.actor = "chair".into();
    app
}

/// Examples loaded, police and YJS present, Jordan's referral (JDP-2026-0141) selected.
fn app_with_examples() -> App {
    let mut app = empty_app();
    app.load_examples();
    app.session.members = vec![
        jdp::domain::referral::Member {
            name: "PC Dana Price".into(),
            agency: "police".into(),
            role: "YJS police officer".into(),
        },
        jdp::domain::referral::Member { name: "Sam Okafor".into(), agency: "yjs".into(), role: "Case manager".into() },
    ];
    app.session.chair = "Sam Okafor".into();
    app.status = None;
    select(&mut app, "JDP-2026-0141");
    app
}

/// Jordan's referral walked with a victim, views and a rationale: every step has content.
fn app_walking(step: Step) -> App {
    let mut app = app_with_examples();
    press(&mut app, KeyCode::Enter);
    let panel = default_panel();
    let w = app.walk_mut().unwrap();
    for msg in [
        Msg::Choose(Key::VictimStatus, Some("contacted".into())),
        Msg::SetText(Key::ContactedOn, "2026-11-20".into()),
        Msg::SetText(Key::ContactedBy, "Jo Bell, victim liaison officer".into()),
        Msg::SetText(Key::ContactMethod, "Telephone".into()),
        Msg::SetText(Key::VictimViews, "The shop manager wants Jordan to understand the effect on staff.".into()),
        Msg::SetText(Key::History, "No previous police contact. Known to the school pastoral team.".into()),
        Msg::SetText(Key::ChildViews, "Jordan says he is sorry and went along with friends.".into()),
        Msg::SetText(Key::CarerViews, "Mother supportive; will attend sessions.".into()),
        Msg::SetMulti(Key::Factors, vec!["group".into()]),
        Msg::Choose(Key::Outcome, Some("CR".into())),
        Msg::Choose(Key::PoliceView, Some("CR".into())),
        Msg::Choose(Key::YjsView, Some("CR".into())),
        Msg::SetText(
            Key::Rationale,
            "First offence, admitted; Jordan Reid's apology letter meets the victim's wish.".into(),
        ),
    ] {
        w.handle(msg, &panel);
    }
    w.step = step;
    w.focus = 0;
    app
}

fn snap(name: &str, app: &mut App) {
    for (w, h) in SIZES {
        for privacy in [false, true] {
            app.privacy = privacy;
            let screen = render(app, w, h);
            let mode = if privacy { "privacy" } else { "normal" };
            insta::with_settings!({
                snapshot_path => "snapshots",
                prepend_module_to_snapshot => false,
                filters => vec![
                    (r"[0-9a-f]{16,}", "[hash]"),
                    (r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z", "[time]"),
                ],
            }, {
                insta::assert_snapshot!(format!("{name}_{w}x{h}_{mode}"), screen);
            });
        }
    }
    app.privacy = false;
}

#[test]
fn snapshot_start() {
    snap("start", &mut empty_app());
}

#[test]
fn snapshot_queue_and_session() {
    let mut app = app_with_examples();
    snap("queue", &mut app);
    app.screen = Screen::Session(Default::default());
    snap("session", &mut app);
}

#[test]
fn snapshot_every_walk_step() {
    for step in Step::ALL {
        snap(&format!("walk_{}_{}", step.index() + 1, step.id()), &mut app_walking(step));
    }
}

#[test]
fn snapshot_overlays() {
    let mut app = app_walking(Step::Victim);
    press(&mut app, KeyCode::Char('?'));
    snap("overlay_help", &mut app);
    let mut app = app_walking(Step::Victim);
    press(&mut app, KeyCode::Enter);
    snap("overlay_picker", &mut app);
    let mut app = app_walking(Step::Decision);
    for _ in 0..3 {
        press(&mut app, KeyCode::Down);
    }
    press(&mut app, KeyCode::Enter);
    snap("overlay_editor", &mut app);
    // Confirmations: recording, and quitting with typing not yet kept.
    let mut app = app_walking(Step::Record);
    press(&mut app, KeyCode::Enter);
    snap("overlay_confirm_record", &mut app);
    let mut app = app_walking(Step::Decision);
    for _ in 0..3 {
        press(&mut app, KeyCode::Down);
    }
    press(&mut app, KeyCode::Enter);
    typed(&mut app, " more");
    app.on_key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    snap("overlay_confirm_quit_with_typing", &mut app);
    // New information released by the trainer.
    let mut app = training_app();
    for _ in 0..3 {
        press(&mut app, KeyCode::Down);
    }
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Char('r'));
    assert!(matches!(app.overlay, Some(Overlay::Notice { .. })));
    snap("overlay_notice", &mut app);
}

#[test]
fn snapshot_recorded_and_too_small() {
    let mut app = app_walking(Step::Record);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    assert!(app.walk().unwrap().recorded.is_some(), "{:?}", app.status);
    snap("walk_recorded", &mut app);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Enter);
    assert!(matches!(app.screen, Screen::Recorded(_)));
    snap("recorded_view", &mut app);
    let small = render(&app, 79, 24);
    assert!(small.contains("Make the window at least 80×24") && small.contains("79×24"), "{small}");
    let small = render(&app, 100, 23);
    assert!(small.contains("Make the window at least 80×24"), "{small}");
}

#[test]
fn privacy_mode_hides_names_and_dates_of_birth_on_every_screen() {
    let mut screens: Vec<App> = vec![app_with_examples()];
    screens.extend(Step::ALL.into_iter().map(app_walking));
    let mut recorded = app_walking(Step::Record);
    press(&mut recorded, KeyCode::Enter);
    press(&mut recorded, KeyCode::Enter);
    press(&mut recorded, KeyCode::Esc);
    press(&mut recorded, KeyCode::Enter);
    screens.push(recorded);
    for mut app in screens {
        press(&mut app, KeyCode::Char('p'));
        for (w, h) in SIZES {
            let text = render(&app, w, h);
            assert!(text.contains("PRIVACY ON"), "{text}");
            for personal in ["Jordan", "Reid", "Samir", "Kayla", "2012-05-14", "14/05/2012"] {
                assert!(!text.contains(personal), "{personal} shown in privacy mode:\n{text}");
            }
        }
    }
}

/// The walk's task list names the looked-after child's social worker; with privacy on, steps 8
/// and 9 and the recorded view show no adult's name (tester report 5, F22).
#[test]
fn privacy_mode_hides_the_social_worker_in_the_walks_task_list() {
    let mut app = app_with_examples();
    select(&mut app, "JDP-2026-0142");
    press(&mut app, KeyCode::Enter);
    let panel = default_panel();
    let w = app.walk_mut().unwrap();
    assert_eq!(w.case.referral.child.name, "Kayla Morris");
    for msg in [
        Msg::Choose(Key::VictimStatus, Some("declined".into())),
        Msg::Choose(Key::Outcome, Some("NFA".into())),
        Msg::Choose(Key::PoliceView, Some("NFA".into())),
        Msg::Choose(Key::YjsView, Some("NFA".into())),
        Msg::SetText(Key::Rationale, "Dana Whitfield agrees; no further action.".into()),
    ] {
        w.handle(msg, &panel);
    }
    // Every line of a scrolled step: from the top, then down a line at a time.
    fn scrolled(app: &mut App, w: u16, h: u16) -> String {
        for _ in 0..60 {
            press(app, KeyCode::Up);
        }
        (0..60).fold(String::new(), |mut all, _| {
            all.push_str(&render(app, w, h));
            press(app, KeyCode::Down);
            all
        })
    }
    for step in [Step::Review, Step::Record] {
        app.walk_mut().unwrap().step = step;
        app.privacy = false;
        let plain = scrolled(&mut app, 120, 40);
        assert!(plain.contains("Notify Dana Whitfield"), "the task names the social worker:\n{plain}");
        app.privacy = true;
        for (wd, h) in SIZES {
            let text = scrolled(&mut app, wd, h);
            assert!(text.contains("Tasks this decision will create"), "{text}");
            for n in ["Dana", "Whitfield", "Kayla", "Morris", "Amin"] {
                assert!(!text.contains(n), "{n} shown in privacy mode on {step:?}:\n{text}");
            }
        }
    }
}

/// A text typed over several lines reads as several lines on the review and the recorded view,
/// never run together ("telephoneShop manager…", tester report 6).
#[test]
fn several_lines_of_text_stay_apart_on_the_review() {
    let mut app = app_walking(Step::Review);
    let panel = default_panel();
    app.walk_mut()
        .unwrap()
        .handle(Msg::SetText(Key::VictimViews, "Spoke by telephone\n\nShop manager wants an apology".into()), &panel);
    let mut all = String::new();
    for _ in 0..60 {
        all.push_str(&render(&app, 120, 40));
        press(&mut app, KeyCode::Down);
    }
    assert!(!all.contains("telephoneShop"), "lines run together:\n{all}");
    assert!(all.contains("Spoke by telephone") && all.contains("Shop manager wants an apology"), "{all}");
}

/// After retention erasure the queue still gives the age at the offence (kept with the
/// referral), not "?" from the erased date of birth.
#[test]
fn the_queue_gives_an_erased_referrals_age() {
    let mut case = good_case();
    let back = |d: chrono::NaiveDate| d.checked_sub_months(chrono::Months::new(96)).unwrap();
    let r = &mut case.referral;
    r.child.date_of_birth = back(r.child.date_of_birth);
    r.referral_date = back(r.referral_date);
    r.offences[0].date = back(r.offences[0].date);
    let mut store = Store::open_in_memory().unwrap();
    let id = store.add_referrals(std::slice::from_ref(&case.referral), "t", chrono::Utc::now()).unwrap()[0];
    let snap = jdp::domain::record::snapshot(&case, &default_panel(), back(date(TODAY))).unwrap();
    store.record_decision(id, &snap, None, "t", chrono::Utc::now()).unwrap();
    let done = store.erase_after_retention(72, date(TODAY), "dpo", "retention", chrono::Utc::now()).unwrap();
    assert_eq!(done.referrals.len(), 1);
    let mut app = App::new(store, default_panel(), date(TODAY), false);
    app.actor = "chair".into();
    let screen = render(&app, 120, 40);
    let row = screen.lines().find(|l| l.contains("JDP-TEST-0001")).expect("the referral is listed");
    assert!(row.contains(" 14  "), "{row}");
}

#[test]
fn a_text_field_takes_every_letter_so_shortcuts_never_fire() {
    let mut app = app_walking(Step::Decision);
    for _ in 0..3 {
        press(&mut app, KeyCode::Down);
    }
    press(&mut app, KeyCode::Enter); // edit the rationale
    assert!(matches!(app.overlay, Some(Overlay::Edit(_))));
    typed(&mut app, " q?p]1 ");
    assert!(!app.quit && !app.privacy);
    assert_eq!(app.walk().unwrap().step, Step::Decision);
    press(&mut app, KeyCode::Esc); // keeps the text
    assert!(app.overlay.is_none());
    assert!(app.walk().unwrap().case.decision.rationale.ends_with(" q?p]1 "));
}

#[test]
fn quitting_with_unsaved_typing_asks_first() {
    let mut app = app_walking(Step::Decision);
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter);
    typed(&mut app, " more");
    app.on_key(KeyEvent::new(KeyCode::Char('q'), KeyModifiers::CONTROL));
    assert!(!app.quit, "asks first");
    assert!(render(&app, 100, 30).contains("typing that is not yet kept"));
    press(&mut app, KeyCode::Esc);
    assert!(matches!(app.overlay, Some(Overlay::Edit(_))), "Esc returns to the typing");
    app.on_key(KeyEvent::new(KeyCode::Char('q'), KeyModifiers::CONTROL));
    press(&mut app, KeyCode::Char('y'));
    assert!(app.quit);
    let id = app.walk_referral().unwrap();
    let draft = app.store.draft(id).unwrap().unwrap();
    assert!(draft.case.decision.rationale.ends_with(" more"), "y keeps the typing in the draft");
}

#[test]
fn keys_at_the_wrong_time_do_nothing_harmful() {
    let mut app = empty_app();
    for code in
        [KeyCode::Enter, KeyCode::Down, KeyCode::PageDown, KeyCode::Char('c'), KeyCode::Char(']'), KeyCode::Backspace]
    {
        press(&mut app, code);
    }
    assert!(matches!(app.screen, Screen::Queue(_)));
    press(&mut app, KeyCode::Enter); // nothing to open
    assert!(matches!(app.screen, Screen::Queue(_)));
    // On the Record step with something blocking, Enter does not ask: it says why, and nothing
    // is recorded.
    let mut app = app_walking(Step::Record);
    app.walk_mut().unwrap().case.decision.rationale.clear();
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    let w = app.walk().unwrap();
    assert!(w.recorded.is_none());
    let screen = render(&app, 100, 30);
    assert!(screen.contains("Cannot be recorded yet") && screen.contains("The decision has no rationale"), "{screen}");
}

#[test]
fn a_new_referral_cannot_leave_the_facts_step_until_it_can_be_saved() {
    let mut app = app_with_examples();
    press(&mut app, KeyCode::Char('n'));
    press(&mut app, KeyCode::Char(']'));
    assert_eq!(app.walk().unwrap().step, Step::Facts);
    assert!(app.status.as_deref().unwrap().contains("reference, the child's name and the offence"));
    let panel = default_panel();
    let w = app.walk_mut().unwrap();
    w.handle(Msg::SetText(Key::Reference, "JDP-2026-0200".into()), &panel);
    w.handle(Msg::SetText(Key::ChildName, "Riley Test".into()), &panel);
    w.handle(Msg::Choose(Key::Offence, Some("Common assault".into())), &panel);
    press(&mut app, KeyCode::Char(']'));
    assert_eq!(app.walk().unwrap().step, Step::Research);
    let id = app.store.referral_id("JDP-2026-0200").unwrap().expect("saved when leaving the facts step");
    assert_eq!(app.store.draft(id).unwrap().unwrap().step, "research");
}

#[test]
fn a_draft_is_offered_for_resume_on_start() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jdp.sqlite3");
    {
        let mut app = App::new(Store::open(&path).unwrap(), default_panel(), date(TODAY), false);
        app.load_examples();
        select(&mut app, "JDP-2026-0142");
        press(&mut app, KeyCode::Enter);
        press(&mut app, KeyCode::Char('3'));
        // The process dies here: no quit, no close.
    }
    let mut app = App::new(Store::open(&path).unwrap(), default_panel(), date(TODAY), false);
    let screen = render(&app, 100, 30);
    assert!(screen.contains("JDP-2026-0142, at Victim's views"), "{screen}");
    press(&mut app, KeyCode::Enter);
    assert!(matches!(app.screen, Screen::Walk(_)));
    assert_eq!(app.walk().unwrap().step, Step::Victim);
}

#[test]
fn a_resumed_walk_comes_back_on_the_field_it_was_left_on() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jdp.sqlite3");
    {
        let mut app = App::new(Store::open(&path).unwrap(), default_panel(), date(TODAY), false);
        app.load_examples();
        select(&mut app, "JDP-2026-0142");
        press(&mut app, KeyCode::Enter);
        press(&mut app, KeyCode::Char('1'));
        press(&mut app, KeyCode::Down);
        press(&mut app, KeyCode::Down);
        assert_eq!(app.walk().unwrap().focus, 2);
        app.stop(); // SIGTERM, SIGHUP, Ctrl-C and a confirmed q all stop this way
    }
    let mut app = App::new(Store::open(&path).unwrap(), default_panel(), date(TODAY), false);
    press(&mut app, KeyCode::Enter);
    let w = app.walk().unwrap();
    assert_eq!((w.step, w.focus), (Step::Facts, 2), "back on the third field of step 1, not its first");
}

fn training_app() -> App {
    let panel = default_panel();
    let scenarios = jdp::config::scenario::SHIPPED
        .iter()
        .map(|(n, text)| (n.to_string(), jdp::config::scenario::parse_scenario(n, text, &panel).unwrap()))
        .collect();
    let mut store = Store::open_in_memory().unwrap();
    store.make_training().unwrap();
    let mut app = App::training(store, panel, date(TODAY), scenarios, None);
    app.actor = "trainer".into();
    app
}

fn snap_one(name: &str, app: &App) {
    for (w, h) in SIZES {
        snap_one_at(&format!("{name}_{w}x{h}"), app, w, h);
    }
}

fn snap_one_at(name: &str, app: &App, w: u16, h: u16) {
    let screen = render(app, w, h);
    assert!(screen.contains("TRAINING — NOT A REAL CASE"), "{name}: the banner is missing:\n{screen}");
    insta::with_settings!({
        snapshot_path => "snapshots",
        prepend_module_to_snapshot => false,
        filters => vec![(r"[0-9a-f]{16,}", "[hash]")],
    }, {
        insta::assert_snapshot!(format!("train_{name}"), screen);
    });
}

#[test]
fn training_picker_banner_on_every_step_trainer_view_and_debrief() {
    let mut app = training_app();
    snap_one("picker", &app);
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter); // "Second time round"
    for step in Step::ALL {
        press(&mut app, KeyCode::Char(char::from(b'1' + step.index() as u8)));
        assert_eq!(app.walk().unwrap().step, step);
        snap_one(&format!("walk_{}_{}", step.index() + 1, step.id()), &app);
    }
    press(&mut app, KeyCode::Char('2'));
    let room = render(&app, 100, 30);
    assert!(!room.contains("TRAINER NOTES"), "hidden by default");
    press(&mut app, KeyCode::Char('t'));
    snap_one("trainer_view", &app);
    assert!(render(&app, 100, 30).contains("TRAINER VIEW"));
    press(&mut app, KeyCode::Char('t'));
    // Decide: CR, a rationale, record, debrief.
    let panel = default_panel();
    let w = app.walk_mut().unwrap();
    w.handle(Msg::Choose(Key::Outcome, Some("CR".into())), &panel);
    w.handle(Msg::Choose(Key::PoliceView, Some("CR".into())), &panel);
    w.handle(Msg::Choose(Key::YjsView, Some("CR".into())), &panel);
    w.handle(Msg::SetText(Key::Rationale, "He deserves another chance.".into()), &panel);
    press(&mut app, KeyCode::Char('9'));
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    assert!(app.walk().unwrap().recorded.is_some(), "{:?}", app.status);
    press(&mut app, KeyCode::Char('d'));
    assert!(matches!(app.screen, Screen::Debrief(_)));
    snap_one("debrief", &app);
    let text: String = (0..4)
        .map(|_| {
            let t = render(&app, 100, 30);
            press(&mut app, KeyCode::PageDown);
            t
        })
        .collect();
    assert!(text.contains("Outcome ✗ differs") && text.contains("Reference: Youth caution"), "{text}");
    assert!(text.contains("does not: Arrange delivery of the outcome"), "{text}");
}

#[test]
fn the_trainer_releases_late_information_on_its_step() {
    let mut app = training_app();
    for _ in 0..3 {
        press(&mut app, KeyCode::Down);
    }
    press(&mut app, KeyCode::Enter); // "The knife at the bus station"
    press(&mut app, KeyCode::Char('r'));
    assert!(app.status.as_deref().unwrap().contains("Nothing more to release"), "nothing on the facts step");
    press(&mut app, KeyCode::Char('2'));
    assert!(!app.walk().unwrap().case.research.intelligence.contains("social media"));
    press(&mut app, KeyCode::Char('r'));
    // Issue 9 (9): a panel the room cannot miss, with the full text; then a mark on the step.
    assert!(matches!(app.overlay, Some(Overlay::Notice { .. })));
    let screen = render(&app, 100, 30);
    assert!(screen.contains("NEW INFORMATION — Late intelligence"), "{screen}");
    assert!(screen.contains("threatened on social media"), "{screen}");
    assert!(app.walk().unwrap().case.research.intelligence.contains("threatened on social media"));
    press(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_none());
    assert!(render(&app, 100, 30).contains("NEW INFORMATION — Late intelligence"), "still marked on its step");
}

/// Issue 9 (9): the debrief is complete (labels, inspector, interventions, full rationales)
/// and saves owner-only to the data directory, never over an existing file without asking.
#[cfg(unix)]
#[test]
fn the_debrief_is_complete_and_saves_privately_without_overwriting() {
    use std::os::unix::fs::PermissionsExt;
    let mut app = training_app();
    press(&mut app, KeyCode::Enter); // the first scenario
    let panel = default_panel();
    let s = app.trainer.as_ref().unwrap().current.clone().unwrap();
    // The room walks the reference decision itself, so every field has content.
    let reference = jdp::training::reference_case(&s);
    app.walk_mut().unwrap().case = reference;
    let d = jdp::training::debrief(&app.walk().unwrap().case, &s, &panel, date(TODAY));
    let rows = d.rows(&panel);
    let labels: Vec<&str> = rows.iter().map(|r| r.0).collect();
    for l in ["Factors", "Inspector's authority", "Conditions", "Interventions", "Rationale"] {
        assert!(labels.contains(&l), "{labels:?}");
    }
    let factors = &rows.iter().find(|r| r.0 == "Factors").unwrap().1;
    assert!(!factors.contains('_'), "factors by label, not id: {factors}");
    app.screen = Screen::Debrief(Box::new(jdp::tui::app::DebriefScreen {
        debrief: d.clone(),
        case: app.walk().unwrap().case.clone(),
        reference: "TRN-01-1".into(),
        scroll: 0,
        max_scroll: Default::default(),
    }));
    let all: String = (0..20)
        .map(|_| {
            let s = render(&app, 80, 24);
            press(&mut app, KeyCode::PageDown);
            s
        })
        .collect();
    let words: Vec<&str> = d.reference.rationale.split_whitespace().collect();
    assert!(all.contains(words[words.len() - 1]), "the reference rationale is shown to its end");
    // Saving: owner-only, and an existing file is not replaced without asking.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("debrief.md");
    std::fs::write(&path, "the trainer's own notes").unwrap();
    press(&mut app, KeyCode::Char('x'));
    assert!(matches!(app.overlay, Some(Overlay::Edit(_))));
    for _ in 0..200 {
        press(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, &path.display().to_string());
    press(&mut app, KeyCode::Enter);
    assert!(
        matches!(app.overlay, Some(Overlay::Confirm(jdp::tui::app::Confirm::Overwrite { .. }))),
        "{:?}",
        app.status
    );
    press(&mut app, KeyCode::Esc);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "the trainer's own notes");
    press(&mut app, KeyCode::Char('x'));
    for _ in 0..200 {
        press(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, &path.display().to_string());
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('y'));
    let saved = std::fs::read_to_string(&path).unwrap();
    assert!(saved.starts_with("# Debrief"), "{saved}");
    assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    // The default place is the data directory, not the current directory.
    let default = jdp::tui::files::default_debrief_path("TRN-01-1");
    assert!(default.is_absolute() && default.to_string_lossy().contains("debriefs"), "{}", default.display());
}

#[test]
fn the_start_screen_offers_a_training_panel_that_writes_nothing_to_the_live_store() {
    let mut app = empty_app();
    press(&mut app, KeyCode::Char('3'));
    assert_eq!(app.screen, Screen::Picker);
    assert!(render(&app, 100, 30).contains("TRAINING — NOT A REAL CASE"));
    assert!(app.store.path().is_none(), "the training store is in memory");
    assert!(app.store.is_training().unwrap());
}

#[test]
fn the_scrutiny_case_shows_no_name_date_of_birth_or_reference() {
    let mut case = good_case();
    case.referral.child.name = "Zebedee Quixote".into();
    case.referral.reference = "JDP-SECRET-9".into();
    case.research.history = "Zebedee was seen by PC Smith; reference JDP-SECRET-9.".into();
    case.decision.rationale = "Quixote admitted it; born 2012-03-01.".into();
    let snap = snapshot_of(&case);
    let text: String = jdp::tui::scrutiny::anonymised(&snap, &default_panel())
        .iter()
        .map(|l| l.to_string())
        .collect::<Vec<_>>()
        .join("\n");
    for planted in ["Zebedee", "Quixote", "JDP-SECRET-9", "2012-03-01"] {
        assert!(!text.contains(planted), "{planted} in:\n{text}");
    }
    assert!(text.contains("aged 14 at the offence") && text.contains("Theft from a shop"), "{text}");
}

#[test]
fn the_recorded_view_scrolls() {
    let mut app = app_walking(Step::Record);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Enter);
    assert!(matches!(app.screen, Screen::Recorded(_)));
    let before = render(&app, 80, 24);
    assert!(before.contains("Record 1 · CURRENT"));
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Down);
    let after = render(&app, 80, 24);
    assert!(!after.contains("Record 1 · CURRENT"), "the first line has scrolled away");
    press(&mut app, KeyCode::PageUp);
    assert_eq!(render(&app, 80, 24), before);
}

/// Issue 9 (4): a police member who arrives after the walk opened counts at once.
#[test]
fn a_late_arrival_unblocks_the_open_walk() {
    let mut app = app_walking(Step::Decision);
    app.session.members.retain(|m| m.agency != "police");
    let quorum = |app: &App| {
        let cx = jdp::walk::Ctx {
            panel: &app.panel,
            present: Some(&app.session.members),
            chair: "",
            cannot_record_as: None,
        };
        app.walk().unwrap().findings(cx).iter().any(|f| f.rule == "quorum")
    };
    assert!(quorum(&app), "no one from the police is present yet");
    // The police member arrives: added on the session screen while the walk is open.
    app.session.members.push(jdp::domain::referral::Member {
        name: "PC Late Arrival".into(),
        agency: "police".into(),
        role: "YJS police officer".into(),
    });
    assert!(!quorum(&app), "the walk reads who is present now");
    let screen = render(&app, 100, 30);
    assert!(screen.contains("PC Late Arrival"), "{screen}");
}

/// Issue 9 (3): "+ Add a member present" opens the name editor at once, and every letter of a
/// name (q and s included) is kept.
#[test]
fn adding_a_member_opens_the_name_editor_and_keeps_every_letter() {
    let mut app = empty_app();
    app.load_examples();
    press(&mut app, KeyCode::Char('s'));
    assert!(matches!(app.screen, Screen::Session(_)));
    press(&mut app, KeyCode::Enter); // on "+ Add a member present"
    assert!(matches!(app.overlay, Some(Overlay::Edit(_))), "the name editor is open");
    typed(&mut app, "Sgt Jacques Martin");
    press(&mut app, KeyCode::Enter);
    assert!(!app.quit, "q is a letter in a name");
    assert_eq!(app.session.members[0].name, "Sgt Jacques Martin");
}

/// Issue 9 (7): a unique name and date of birth planted in every free-text field; with privacy
/// on, every step, every field's overlay (editor, list, read-only view), the review, the record
/// step and the recorded view are drawn, and neither appears anywhere.
#[test]
fn privacy_mode_shows_nothing_identifying_in_any_screen_overlay_or_editor() {
    const NAME: &str = "Zebedee Quark";
    let plant = "Zebedee Quark (born 2011-07-19) told us Zebedee was sorry; QUARK lives with an aunt.";
    let mut app = app_walking(Step::Facts);
    let panel = default_panel();
    {
        let w = app.walk_mut().unwrap();
        w.handle(Msg::SetText(Key::ChildName, NAME.into()), &panel);
        w.handle(Msg::SetText(Key::DateOfBirth, "2011-07-19".into()), &panel);
        let mut planted = 0;
        for step in Step::ALL {
            w.step = step;
            for f in w.fields(&panel) {
                if matches!(f.kind, jdp::walk::Kind::Text | jdp::walk::Kind::Line)
                    && !matches!(f.key, Key::ChildName | Key::Reference)
                {
                    w.handle(Msg::SetText(f.key.clone(), plant.into()), &panel);
                    planted += 1;
                }
            }
        }
        assert!(planted >= 20, "planted in {planted} fields");
        w.step = Step::Facts;
    }
    app.privacy = true;
    let check = |app: &App, what: &str| {
        for (w, h) in SIZES {
            let text = render(app, w, h);
            for personal in ["Zebedee", "Quark", "QUARK", "2011-07-19", "19/07/2011"] {
                assert!(!text.contains(personal), "{personal} shown with privacy on ({what}, {w}×{h}):\n{text}");
            }
        }
    };
    // An editor left open when privacy goes on shows only the scrubbed text.
    app.privacy = false;
    app.walk_mut().unwrap().step = Step::Decision;
    let i = app.walk().unwrap().fields(&panel).iter().position(|f| f.key == Key::Rationale).unwrap();
    app.walk_mut().unwrap().focus = i;
    press(&mut app, KeyCode::Enter);
    assert!(matches!(app.overlay, Some(Overlay::Edit(_))));
    app.privacy = true;
    check(&app, "an editor open when privacy went on");
    press(&mut app, KeyCode::Esc);
    for (i, step) in Step::ALL.into_iter().enumerate() {
        press(&mut app, KeyCode::Char(char::from(b'1' + i as u8)));
        assert_eq!(app.walk().unwrap().step, step);
        check(&app, &format!("step {}", i + 1));
        let n = app.walk().unwrap().fields(&panel).len();
        for f in 0..n {
            app.walk_mut().unwrap().focus = f;
            check(&app, &format!("step {} field {f}", i + 1));
            let key = app.walk().unwrap().focused(&panel).unwrap();
            press(&mut app, KeyCode::Enter);
            if !matches!(key.kind, jdp::walk::Kind::Line | jdp::walk::Kind::Text | jdp::walk::Kind::Date) {
                // Lists, tick boxes and actions are read only with privacy on: nothing opens.
                assert!(app.overlay.is_none(), "Enter on {:?} with privacy on", key.key);
                continue;
            }
            assert!(app.overlay.is_some(), "Enter on {:?} opens its editor, read only", key.key);
            check(&app, &format!("step {} field {f} overlay", i + 1));
            press(&mut app, KeyCode::Esc);
            assert!(app.privacy, "privacy stays on");
        }
    }
}

/// Everything the recorded view shows, scrolled through from top to bottom.
fn whole_recorded_view(app: &mut App) -> String {
    let mut all = String::new();
    for _ in 0..40 {
        all.push_str(&render(app, 120, 40));
        for _ in 0..30 {
            press(app, KeyCode::Down);
        }
    }
    all
}

/// Issue 9 (8): the recorded view shows the whole record, who chaired and who recorded it; a
/// correction shows what changed beside the original, with the reason.
#[test]
fn the_recorded_view_shows_the_whole_record_and_what_a_correction_changed() {
    let mut app = app_walking(Step::Record);
    app.session.chair = "Chief Inspector Ruth Hale".into();
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    assert!(app.walk().unwrap().recorded.is_some(), "{:?}", app.status);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Enter);
    assert!(matches!(app.screen, Screen::Recorded(_)));
    let all = whole_recorded_view(&mut app);
    for expected in [
        "Chief Inspector Ruth Hale",
        "Police view: Community resolution (CR)",
        "Youth Justice Service view: Community resolution (CR)",
        "PC Dana Price (Police, YJS police officer)",
        "Sam Okafor",
        "The shop manager wants Jordan to understand the effect on staff.",
        "Jo Bell, victim liaison officer, Telephone",
        "Jordan says he is sorry",
        "Mother supportive",
        "No previous police contact",
        "First offence, admitted",
        "Final score",
        "operating-system account",
    ] {
        assert!(all.contains(expected), "{expected:?} missing from the recorded view:\n{}", render(&app, 120, 40));
    }
    assert!(
        all.contains("due Tue ")
            || all.contains("due Wed ")
            || all.contains("due Thu ")
            || all.contains("due Fri ")
            || all.contains("due Mon "),
        "due dates carry their weekday"
    );
    // A correction: a new rationale, with its reason; the view shows what changed.
    press(&mut app, KeyCode::PageUp);
    press(&mut app, KeyCode::Char('c'));
    typed(&mut app, "The rationale named the wrong wish");
    press(&mut app, KeyCode::Esc);
    assert!(app.walk().is_some_and(|w| w.correction_of == Some(1)));
    let panel = default_panel();
    let cx = jdp::walk::Ctx {
        panel: &panel,
        present: Some(&app.session.members.clone()),
        chair: "Chief Inspector Ruth Hale",
        cannot_record_as: None,
    };
    app.walk_mut().unwrap().handle(
        Msg::SetText(Key::Rationale, "First offence, admitted; reparation at the shop meets the victim's wish.".into()),
        cx,
    );
    press(&mut app, KeyCode::Char('9'));
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    assert!(app.walk().unwrap().recorded.is_some(), "{:?}", app.status);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Enter);
    let all = whole_recorded_view(&mut app);
    assert!(all.contains("Corrects record 1 because: The rationale named the wrong wish"), "{all}");
    assert!(all.contains("What changed:"));
    assert!(all.contains("reparation at the shop"), "the new rationale is shown");
    assert!(all.contains("→"), "the change is shown beside the original");
}

/// Issue 9 (5): Esc closes an editor holding an invalid date; the field keeps its value.
#[test]
fn esc_closes_an_editor_holding_an_invalid_date() {
    let mut app = app_walking(Step::Facts);
    let panel = default_panel();
    let i = app.walk().unwrap().fields(&panel).iter().position(|f| f.key == Key::DateOfBirth).unwrap();
    app.walk_mut().unwrap().focus = i;
    let before = app.walk().unwrap().case.referral.child.date_of_birth;
    press(&mut app, KeyCode::Enter);
    for _ in 0..10 {
        press(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, "31/02/2012");
    press(&mut app, KeyCode::Enter);
    assert!(matches!(app.overlay, Some(Overlay::Edit(_))), "Enter on a bad date keeps the editor open");
    press(&mut app, KeyCode::Esc);
    assert!(app.overlay.is_none(), "Esc closes it");
    let w = app.walk().unwrap();
    assert_eq!(w.case.referral.child.date_of_birth, before);
    assert!(w.errors.is_empty());
    assert!(app.status.as_deref().unwrap_or_default().contains("Not kept"));
}

/// Issue 9 (10): a new referral's date of birth is blank, not today.
#[test]
fn a_new_referrals_date_of_birth_starts_blank() {
    let mut app = empty_app();
    app.load_examples();
    press(&mut app, KeyCode::Char('n'));
    let w = app.walk().unwrap();
    assert_eq!(w.value(&Key::DateOfBirth), jdp::walk::Value::Date(None));
    assert!(w.findings(&default_panel()).iter().any(|f| f.rule == "child_dob"));
}

/// Issue 9 (10): q in a walk asks first; the walk is already a draft.
#[test]
fn q_in_a_walk_asks_before_leaving() {
    let mut app = app_walking(Step::Victim);
    press(&mut app, KeyCode::Char('q'));
    assert!(!app.quit, "q alone does not leave a walk");
    assert!(matches!(app.overlay, Some(Overlay::Confirm(jdp::tui::app::Confirm::Quit))));
    assert!(render(&app, 80, 24).contains("Leave jdp?"));
    press(&mut app, KeyCode::Esc);
    assert!(!app.quit && app.overlay.is_none());
    press(&mut app, KeyCode::Char('q'));
    press(&mut app, KeyCode::Char('y'));
    assert!(app.quit);
}

/// Issue 9 (5): a blocked decision is never offered for recording; Enter says why instead.
#[test]
fn a_blocked_decision_is_not_offered_for_recording() {
    let mut app = app_walking(Step::Record);
    app.session.members.clear();
    let screen = render(&app, 80, 24);
    assert!(screen.contains("Cannot be recorded yet"), "{screen}");
    assert!(!screen.contains("Press Enter to record"), "{screen}");
    press(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_none(), "no confirm dialog for a blocked decision");
    assert!(app.status.as_deref().unwrap_or_default().contains("blocking"), "{:?}", app.status);
}

/// Issue 9 (5, 6): the step bar claims nothing for a step not yet visited, and marks a blocked
/// step with ! even where its fields are filled.
#[test]
fn the_step_bar_agrees_with_the_findings() {
    let mut app = empty_app();
    app.load_examples();
    select(&mut app, "JDP-2026-0141");
    press(&mut app, KeyCode::Enter);
    let bar = render(&app, 100, 30).lines().nth(1).unwrap().to_string();
    assert!(bar.contains("5 Score"), "step 5 not yet visited shows no mark: {bar}");
    assert!(!bar.contains("5✓"), "{bar}");
    press(&mut app, KeyCode::Char('7'));
    let bar = render(&app, 100, 30).lines().nth(1).unwrap().to_string();
    assert!(bar.contains("7!Decide"), "no one present, no views: blocked: {bar}");
}

/// Every scrutiny screen at both sizes: the queue, an anonymised case with its form, the report.
#[test]
fn snapshot_scrutiny_screens() {
    let (_dir, store, rec, sample) = sampled_store(60, 7, "snapshot", ("2026-01-01", "2026-09-30"), 5);
    let panel = default_panel();
    let mut app = App::scrutiny(store, panel, date(TODAY), rec.seq, sample);
    app.actor = "scrutiny chair".into();
    snap("scrutiny_queue", &mut app);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.scrutiny_state().map(|s| s.view), Some(ScrutinyView::Case));
    snap("scrutiny_case", &mut app);
    // A member's own rating, given alone: who, agency, then a number that is never drawn.
    if let Screen::Scrutiny(s) = &mut app.screen {
        s.form.reviewers = vec!["Ann Lay".into(), "Ben Police".into()];
    }
    press(&mut app, KeyCode::Char('b'));
    snap("scrutiny_own_rating_who", &mut app);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    snap("scrutiny_own_rating_blind", &mut app);
    press(&mut app, KeyCode::Char('3'));
    assert!(app.overlay.is_none());
    snap("scrutiny_case_one_own_rating", &mut app);
    press(&mut app, KeyCode::Esc);
    snap("scrutiny_leave_unrecorded_review", &mut app);
    press(&mut app, KeyCode::Char('y')); // the reviewers typed are not recorded: leave anyway
    press(&mut app, KeyCode::Char('r'));
    assert_eq!(app.scrutiny_state().map(|s| s.view), Some(ScrutinyView::Report));
    snap("scrutiny_report", &mut app);
}

/// Issue 9 (10): a correction in progress is a draft too: jdp stopped mid-correction takes it
/// up again, reason and changes intact, when the referral is opened.
#[test]
fn a_correction_in_progress_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.sqlite3");
    let mut app = App::new(Store::open(&path).unwrap(), default_panel(), date(TODAY), false);
    app.actor = "chair".into();
    app.load_examples();
    app.session.members = app_with_examples().session.members;
    app.session.chair = "Sam Okafor".into();
    select(&mut app, "JDP-2026-0141");
    press(&mut app, KeyCode::Enter);
    let panel = default_panel();
    for msg in [
        Msg::Choose(Key::VictimStatus, Some("no-direct-victim".into())),
        Msg::Choose(Key::Outcome, Some("CR".into())),
        Msg::Choose(Key::PoliceView, Some("CR".into())),
        Msg::Choose(Key::YjsView, Some("CR".into())),
        Msg::SetText(Key::Rationale, "First offence, admitted.".into()),
    ] {
        let cx = jdp::walk::Ctx {
            panel: &panel,
            present: Some(&app.session.members.clone()),
            chair: "",
            cannot_record_as: None,
        };
        app.walk_mut().unwrap().handle(msg, cx);
    }
    press(&mut app, KeyCode::Char('9'));
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    assert!(app.walk().unwrap().recorded.is_some(), "{:?}", app.status);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('c'));
    typed(&mut app, "The wrong response was recorded");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('7'));
    let i = app.walk().unwrap().fields(&panel).iter().position(|f| f.key == Key::Rationale).unwrap();
    app.walk_mut().unwrap().focus = i;
    press(&mut app, KeyCode::Enter);
    typed(&mut app, " Corrected.");
    press(&mut app, KeyCode::Esc);
    drop(app); // the laptop dies
    let mut app = App::new(Store::open(&path).unwrap(), default_panel(), date(TODAY), false);
    app.overlay = None;
    select(&mut app, "JDP-2026-0141");
    press(&mut app, KeyCode::Enter);
    let w = app.walk().expect("the correction is taken up again");
    assert_eq!(w.correction_of, Some(1));
    assert_eq!(w.correction_reason, "The wrong response was recorded");
    assert_eq!(w.case.decision.rationale, "First offence, admitted. Corrected.");
    assert_eq!(w.step, Step::Decision);
}

/// With privacy on an editor takes no typing: p switches privacy off, and only then is text typed.
#[test]
fn with_privacy_on_an_editor_takes_no_typing_until_privacy_is_off() {
    let mut app = app_walking(Step::Record);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Enter);
    assert!(matches!(app.screen, Screen::Recorded(_)));
    press(&mut app, KeyCode::Char('p'));
    press(&mut app, KeyCode::Char('c'));
    assert!(matches!(app.overlay, Some(Overlay::Edit(_))));
    typed(&mut app, "xy");
    press(&mut app, KeyCode::Char('p'));
    assert!(!app.privacy);
    typed(&mut app, "abc");
    let Some(Overlay::Edit(e)) = &app.overlay else { panic!() };
    assert_eq!(e.area.lines().join(""), "abc", "nothing typed while privacy was on");
}

/// Privacy mode in training: the released information, the trainer's notes and the debrief
/// name no child, as on every other screen.
#[test]
fn privacy_mode_in_training_scrubs_releases_notes_and_the_debrief() {
    let mut app = training_app();
    for _ in 0..3 {
        press(&mut app, KeyCode::Down);
    }
    press(&mut app, KeyCode::Enter);
    let name = app.walk().unwrap().case.referral.child.name.clone();
    let parts: Vec<String> = name.split_whitespace().map(str::to_string).collect();
    press(&mut app, KeyCode::Char('p'));
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Char('t'));
    press(&mut app, KeyCode::Char('r'));
    assert!(matches!(app.overlay, Some(Overlay::Notice { .. })));
    let mut screens = vec![render(&app, 120, 40)];
    press(&mut app, KeyCode::Enter);
    screens.push(render(&app, 120, 40));
    let s = app.trainer.as_ref().unwrap().current.clone().unwrap();
    let d = jdp::training::debrief(&app.walk().unwrap().case, &s, &default_panel(), date(TODAY));
    app.screen = Screen::Debrief(Box::new(jdp::tui::app::DebriefScreen {
        debrief: d,
        case: app.walk().unwrap().case.clone(),
        reference: "TRN".into(),
        scroll: 0,
        max_scroll: Default::default(),
    }));
    for _ in 0..6 {
        screens.push(render(&app, 120, 40));
        press(&mut app, KeyCode::PageDown);
    }
    for screen in screens {
        for p in &parts {
            assert!(!screen.contains(p.as_str()), "{p} shown with privacy on:\n{screen}");
        }
    }
}

/// Scrolling stops at the last line: however far the chair scrolls, one Up moves back.
#[test]
fn scrolling_stops_at_the_last_line() {
    let mut app = app_walking(Step::Review);
    render(&app, 80, 24);
    for _ in 0..500 {
        press(&mut app, KeyCode::Down);
        render(&app, 80, 24);
    }
    let bottom = render(&app, 80, 24);
    assert!(bottom.contains("Rationale:"), "the last line is on screen:\n{bottom}");
    press(&mut app, KeyCode::Up);
    let up = render(&app, 80, 24);
    assert_ne!(up, bottom, "one Up moves back at once");
}

/// The ? help lists every key of the screen, from the key map, and fits at 80×24.
#[test]
fn help_lists_every_key_and_fits_at_80_by_24() {
    for step in [Step::Victim, Step::Record] {
        let mut app = app_walking(step);
        press(&mut app, KeyCode::Char('?'));
        let screen = render(&app, 80, 24);
        for key in jdp::tui::keys::help_lines(app.key_context()) {
            let what = key.split_whitespace().last().unwrap().to_string();
            assert!(screen.contains(&what), "{what:?} missing from the help:\n{screen}");
        }
        assert!(screen.contains("quit") && screen.contains("privacy"), "{screen}");
    }
}

/// Privacy mode outlives a restart: jdp left at a projector in privacy mode opens in privacy
/// mode, and the resume prompt and the queue behind it name no child.
#[test]
fn privacy_mode_stays_on_across_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.sqlite3");
    let mut app = App::new(Store::open(&path).unwrap(), default_panel(), date(TODAY), false);
    app.load_examples();
    select(&mut app, "JDP-2026-0141");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('p'));
    press(&mut app, KeyCode::Char('3'));
    press(&mut app, KeyCode::Char('q'));
    press(&mut app, KeyCode::Char('y'));
    assert!(app.quit);
    drop(app);
    let app = App::new(Store::open(&path).unwrap(), default_panel(), date(TODAY), false);
    assert!(app.privacy, "privacy mode is on again");
    assert!(matches!(app.overlay, Some(Overlay::Confirm(jdp::tui::app::Confirm::Resume { .. }))));
    let screen = render(&app, 80, 24);
    for name in ["Jordan", "Reid", "Kayla", "Samir", "Haddad", "Morris"] {
        assert!(!screen.contains(name), "{name} shown at start with privacy on:\n{screen}");
    }
}

/// Moves the queue's selection to the referral with this reference.
fn select(app: &mut App, reference: &str) {
    let q = app.queue_state_mut().expect("the queue is on show");
    q.selected = q.rows.iter().position(|r| r.referral.reference == reference).unwrap();
}

#[test]
fn leaving_a_walk_returns_to_the_queue_read_afresh_with_that_referral_selected() {
    let mut app = app_with_examples();
    select(&mut app, "JDP-2026-0142");
    press(&mut app, KeyCode::Enter);
    assert!(app.walk().is_some());
    // While the walk is open, a newer referral arrives (another desk, an import): it sorts first.
    let panel = default_panel();
    let mut newer = jdp::config::referrals::load_referrals(
        std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/panels/examples/referrals.toml")),
        &panel,
    )
    .unwrap()
    .referrals
    .remove(0);
    newer.reference = "JDP-2026-0999".into();
    newer.referral_date = app.today;
    app.store.add_referrals(&[newer], "test", chrono::Utc::now()).unwrap();
    press(&mut app, KeyCode::Esc);
    let q = app.queue_state().expect("back on the queue");
    assert_eq!(q.rows.len(), 4, "the queue is read afresh, the new referral in it");
    assert_eq!(q.rows[q.selected].referral.reference, "JDP-2026-0142", "the referral just left stays selected");
}

#[test]
fn a_blocking_finding_on_a_step_stays_on_screen_at_80_by_24() {
    // Training 07 at 80×24: two factors moved the score past what is allowed without an
    // inspector, and the [BLOCKED] line fell below the bottom edge of the guidance.
    let mut app = app_walking(Step::Gravity);
    let panel = default_panel();
    let w = app.walk_mut().unwrap();
    w.handle(
        Msg::SetMulti(Key::Factors, vec!["group".into(), "premeditated".into(), "on_bail".into(), "hostility".into()]),
        &panel,
    );
    let screen = render(&app, 80, 24);
    assert!(screen.contains("[BLOCKED] The score moves"), "{screen}");
}

#[test]
fn the_scrutiny_queue_shows_each_cases_facts_and_sorts_and_filters_by_them() {
    let (_dir, store, rec, sample) = sampled_store(120, 7, "queue", ("2025-01-01", "2026-09-30"), 12);
    let panel = default_panel();
    let mut app = App::scrutiny(store, panel, date(TODAY), rec.seq, sample);
    let s = app.scrutiny_state().unwrap();
    assert!(s.rows.len() >= 12);
    assert!(s.rows.iter().all(|r| r.summary.is_some() && r.offence() != "—" && r.outcome() != "—"), "every row read");
    let screen = render(&app, 120, 40);
    let first = &s.rows[0];
    let offence: String = first.offence().chars().take(14).collect();
    assert!(screen.contains(&offence), "{screen}");
    assert!(screen.contains("Offence") && screen.contains("Age") && screen.contains("Month"), "{screen}");
    // o: sorted by offence, then outcome, then final score (highest first)...
    press(&mut app, KeyCode::Char('o'));
    let offences: Vec<String> = app.scrutiny_state().unwrap().shown().iter().map(|r| r.offence().to_string()).collect();
    assert!(offences.windows(2).all(|w| w[0] <= w[1]), "{offences:?}");
    press(&mut app, KeyCode::Char('o'));
    press(&mut app, KeyCode::Char('o'));
    let scores: Vec<i64> =
        app.scrutiny_state().unwrap().shown().iter().map(|r| r.summary.as_ref().unwrap().final_score).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    // /: only the cases of one outcome.
    let outcome = app.scrutiny_state().unwrap().rows[0].outcome().to_string();
    press(&mut app, KeyCode::Char('/'));
    typed(&mut app, &outcome);
    press(&mut app, KeyCode::Enter);
    let s = app.scrutiny_state().unwrap();
    assert_eq!(s.filter, outcome);
    let shown = s.shown();
    assert!(!shown.is_empty() && shown.len() <= s.rows.len());
    assert!(shown.iter().all(|r| r.matches(&outcome)));
    let expected = s.rows.iter().filter(|r| r.matches(&outcome)).count();
    assert_eq!(shown.len(), expected);
    // Enter opens the case the cursor is on in the filtered list.
    let id = shown[0].id;
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.scrutiny_state().unwrap().case.as_ref().map(|c| c.id), Some(id));
}

#[test]
fn the_quit_with_typing_question_loses_nothing_to_a_signal_or_a_stray_n() {
    let open_rationale = || {
        let mut app = app_walking(Step::Decision);
        for _ in 0..3 {
            press(&mut app, KeyCode::Down);
        }
        press(&mut app, KeyCode::Enter);
        typed(&mut app, " DIALOGHUP");
        app.on_key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
        assert!(!app.quit, "asks first");
        app
    };
    // SIGTERM or SIGHUP while the question is open: the typing is kept in the draft.
    let mut app = open_rationale();
    app.stop();
    let id = app.walk_referral().unwrap();
    let draft = app.store.draft(id).unwrap().unwrap();
    assert!(draft.case.decision.rationale.ends_with(" DIALOGHUP"), "{}", draft.case.decision.rationale);
    // n means "no, don't quit": back to the typing, never "discard and quit".
    let mut app = open_rationale();
    press(&mut app, KeyCode::Char('n'));
    assert!(!app.quit);
    assert!(matches!(app.overlay, Some(Overlay::Edit(_))), "n returns to the typing");
    // The footer says what each key does in this question.
    app.on_key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    let screen = render(&app, 100, 30);
    assert!(!screen.contains("Esc or n no"), "{screen}");
    assert!(screen.contains("d discard"), "{screen}");
    press(&mut app, KeyCode::Char('d'));
    assert!(app.quit, "d discards and quits");
}

#[test]
fn a_new_referral_not_yet_complete_enough_to_store_is_kept_and_offered_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jdp.sqlite3");
    {
        let mut app = App::new(Store::open(&path).unwrap(), default_panel(), date(TODAY), false);
        app.load_examples();
        press(&mut app, KeyCode::Char('n'));
        press(&mut app, KeyCode::Enter);
        typed(&mut app, "REF-NEW-2");
        press(&mut app, KeyCode::Enter);
        assert_eq!(app.walk().unwrap().case.referral.reference, "REF-NEW-2");
        press(&mut app, KeyCode::Char('q'));
        assert!(render(&app, 100, 30).contains("new referral"), "the question says what happens to it");
        press(&mut app, KeyCode::Char('y'));
        assert!(app.quit);
    }
    let mut app = App::new(Store::open(&path).unwrap(), default_panel(), date(TODAY), false);
    assert!(app.status.as_deref().unwrap_or_default().contains("press n"), "{:?}", app.status);
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(app.walk().unwrap().case.referral.reference, "REF-NEW-2", "n carries on with it");
    // Once it can be stored it joins the queue and is no longer kept aside.
    let panel = default_panel();
    let w = app.walk_mut().unwrap();
    w.handle(Msg::SetText(Key::ChildName, "Riley Test".into()), &panel);
    w.handle(Msg::Choose(Key::Offence, Some("Common assault".into())), &panel);
    press(&mut app, KeyCode::Char(']'));
    assert!(app.store.referral_id("REF-NEW-2").unwrap().is_some());
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(app.walk().unwrap().case.referral.reference, "", "a fresh referral after that");
}

#[test]
fn a_resumed_walk_keeps_its_step_bar_marks() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jdp.sqlite3");
    let bar = |app: &App| render(app, 120, 40).lines().nth(1).unwrap_or_default().to_string();
    let before;
    {
        let mut app = App::new(Store::open(&path).unwrap(), default_panel(), date(TODAY), false);
        app.load_examples();
        select(&mut app, "JDP-2026-0142");
        press(&mut app, KeyCode::Enter);
        press(&mut app, KeyCode::Char('3'));
        let panel = default_panel();
        app.walk_mut().unwrap().handle(Msg::Choose(Key::VictimStatus, Some("contacted".into())), &panel);
        press(&mut app, KeyCode::Char('6'));
        before = bar(&app);
        assert!(before.contains("3!"), "{before}");
        app.stop();
    }
    let mut app = App::new(Store::open(&path).unwrap(), default_panel(), date(TODAY), false);
    press(&mut app, KeyCode::Enter);
    assert_eq!(bar(&app), before, "the step bar reads the same findings after a restart");
}

#[test]
fn with_privacy_on_a_walk_field_is_read_only_and_p_makes_it_editable_in_place() {
    // A toggle: Enter changes nothing while privacy is on.
    let mut app = app_walking(Step::Facts);
    app.privacy = true;
    let panel = default_panel();
    let toggle = app.walk().unwrap().fields(&panel).iter().position(|f| f.key == Key::LookedAfter).unwrap();
    app.walk_mut().unwrap().focus = toggle;
    let before = app.walk().unwrap().case.clone();
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.walk().unwrap().case, before, "nothing changed with privacy on");
    assert!(app.status.as_deref().unwrap_or_default().contains("read only"), "{:?}", app.status);
    // A text field: shown scrubbed, read only; p switches privacy off and the same editor takes
    // the typing (digits are text, not step shortcuts).
    let mut app = app_walking(Step::Research);
    app.privacy = true;
    app.walk_mut().unwrap().focus = 0;
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('p'));
    assert!(!app.privacy);
    assert!(matches!(app.overlay, Some(Overlay::Edit(_))), "still editing after p");
    typed(&mut app, " 345");
    assert_eq!(app.walk().unwrap().step, Step::Research, "digits typed, no step jump");
    press(&mut app, KeyCode::Esc);
    assert!(app.walk().unwrap().case.research.history.ends_with(" 345"));
}

#[test]
fn a_decision_cannot_be_recorded_without_a_chair_named_for_the_session() {
    let mut app = app_walking(Step::Record);
    app.session.chair = "  ".into();
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    assert!(app.walk().unwrap().recorded.is_none(), "recorded with no chair");
    let screen = render(&app, 120, 40);
    assert!(screen.contains("No chair is named for this panel session"), "{screen}");
    app.session.chair = "Sam Okafor".into();
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    assert!(app.walk().unwrap().recorded.is_some(), "{:?}", app.status);
}

#[test]
fn a_member_added_by_mistake_can_be_removed_from_the_session() {
    let mut app = app_with_examples();
    press(&mut app, KeyCode::Char('s'));
    // Focus on "+ Add a member present": a blank row is added (its name editor opens); Esc.
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.session.members.len(), 3);
    press(&mut app, KeyCode::Delete);
    assert_eq!(app.session.members.len(), 2, "{:?}", app.status);
    assert!(app.status.as_deref().unwrap_or_default().contains("Removed the unnamed member"));
    // Sam Okafor's row: up to their name, Del.
    let at = app.session_fields().iter().position(|f| f.1 == "Member 2: name").unwrap();
    if let Screen::Session(s) = &mut app.screen {
        s.focus = at;
    }
    press(&mut app, KeyCode::Delete);
    assert_eq!(app.session.members.iter().map(|m| m.name.as_str()).collect::<Vec<_>>(), ["PC Dana Price"]);
    assert!(render(&app, 100, 30).contains("no one from Youth Justice Service"));
}

#[test]
fn guidance_too_long_for_80_by_24_scrolls_with_pgdn() {
    let mut app = app_walking(Step::Gravity);
    let panel = default_panel();
    let w = app.walk_mut().unwrap();
    w.handle(
        Msg::SetMulti(Key::Factors, vec!["group".into(), "premeditated".into(), "on_bail".into(), "hostility".into()]),
        &panel,
    );
    let first = render(&app, 80, 24);
    assert!(first.contains("↓ more guidance: PgDn"), "{first}");
    assert!(!first.contains("illustrative rows"), "the end is below the edge to begin with:\n{first}");
    for _ in 0..10 {
        press(&mut app, KeyCode::PageDown);
    }
    let later = render(&app, 80, 24);
    assert!(later.contains("illustrative rows"), "PgDn reaches the end:\n{later}");
    assert!(!later.contains("more guidance: PgDn"), "{later}");
    assert_eq!(app.walk().unwrap().step, Step::Gravity, "PgDn scrolls; ] changes step");
}

#[test]
fn the_head_to_minute_is_shown_whole_at_80_columns() {
    let mut app = app_walking(Step::Record);
    let head = format!("12:{}", "3fa4".repeat(16));
    app.status = Some(format!("Recorded as record 12. Minute the head: {head}"));
    for (w, h) in [(80, 24), (100, 30)] {
        let screen = render(&app, w, h);
        assert!(screen.contains(&head), "{w}×{h}:\n{screen}");
    }
}

#[test]
fn privacy_help_and_quit_stay_in_the_footer_at_80_columns() {
    let app = app_walking(Step::Research);
    let screen = render(&app, 80, 24);
    let footer = screen.lines().last().unwrap();
    for key in ["p privacy", "? help", "q quit"] {
        assert!(footer.contains(key), "{key} missing: {footer}");
    }
}

#[test]
fn step_9_footer_says_enter_explains_while_the_decision_is_blocked() {
    let mut app = app_walking(Step::Record);
    let footer = |app: &App| render(app, 120, 40).lines().last().unwrap().to_string();
    assert!(footer(&app).contains("Enter record"), "{}", footer(&app));
    app.session.members.clear(); // no quorum: blocked
    assert!(footer(&app).contains("Enter reasons"), "{}", footer(&app));
    // A finding on a step names the guidance it comes from there too, not only on the review.
    app.walk_mut().unwrap().step = Step::Decision;
    let screen = render(&app, 120, 40);
    assert!(screen.contains("YJB/NPCC joint decision making"), "{screen}");
}

#[test]
fn the_queue_keeps_its_selection_across_the_session_screen() {
    let mut app = app_with_examples();
    select(&mut app, "JDP-2026-0142");
    press(&mut app, KeyCode::Char('s'));
    press(&mut app, KeyCode::Esc);
    let q = app.queue_state().unwrap();
    assert_eq!(q.rows[q.selected].referral.reference, "JDP-2026-0142");
}

#[test]
fn a_review_records_its_actions_and_refuses_one_it_cannot_read() {
    let (_dir, store, rec, sample) = sampled_store(60, 7, "actions", ("2026-01-01", "2026-09-30"), 5);
    let panel = default_panel();
    let mut app = App::scrutiny(store, panel, date(TODAY), rec.seq, sample);
    app.actor = "scrutiny chair".into();
    press(&mut app, KeyCode::Enter);
    let s = app.scrutiny_state_mut().unwrap();
    s.form.rating = "consistent".into();
    s.form.reviewers = vec!["Lay member A".into()];
    // Actions: the fourth field.
    for _ in 0..3 {
        press(&mut app, KeyCode::Down);
    }
    press(&mut app, KeyCode::Enter);
    typed(&mut app, "Guidance note; YJS manager; next week");
    press(&mut app, KeyCode::Esc);
    assert!(app.status.as_deref().unwrap_or_default().contains("Actions, line 1"), "{:?}", app.status);
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter); // record
    assert!(app.status.as_deref().unwrap_or_default().starts_with("Not recorded: Actions, line 1"), "{:?}", app.status);
    assert!(jdp::scrutiny::reviews(&*app.store.as_chain()).unwrap().is_empty());
    // Put right: recorded, with its action.
    for _ in 0..2 {
        press(&mut app, KeyCode::Up);
    }
    press(&mut app, KeyCode::Enter);
    for _ in 0.."next week".len() {
        press(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, "2027-01-31");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter);
    let reviews = jdp::scrutiny::reviews(&*app.store.as_chain()).unwrap();
    assert_eq!(reviews.len(), 1, "{:?}", app.status);
    assert_eq!(reviews[0].1.actions[0].owner, "YJS manager");
    assert_eq!(reviews[0].1.actions[0].due, date("2027-01-31"));
}

#[test]
fn p_switches_privacy_over_a_notice_a_list_or_a_question() {
    let mut app = training_app();
    for _ in 0..3 {
        press(&mut app, KeyCode::Down);
    }
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Char('r'));
    assert!(matches!(app.overlay, Some(Overlay::Notice { .. })));
    assert!(!app.privacy);
    press(&mut app, KeyCode::Char('p'));
    assert!(app.privacy, "p works over the new-information panel");
    assert!(matches!(app.overlay, Some(Overlay::Notice { .. })), "which stays open");
    assert!(render(&app, 100, 30).contains("PRIVACY ON"));
    let mut app = app_walking(Step::Victim);
    press(&mut app, KeyCode::Enter);
    assert!(matches!(app.overlay, Some(Overlay::Pick(_))));
    press(&mut app, KeyCode::Char('p'));
    assert!(app.privacy && matches!(app.overlay, Some(Overlay::Pick(_))));
}

#[test]
fn step_9_lists_what_blocks_before_the_warnings_and_pages_with_pgdn() {
    let mut app = app_walking(Step::Record);
    app.session.chair.clear();
    let w = app.walk_mut().unwrap();
    w.case.needs.carer_views.clear(); // a warning
    let text = render(&app, 120, 60);
    let last_blocked = text.rfind("[BLOCKED]").expect("blocked");
    let first_warning = text.find("[WARNING]").expect("a warning");
    assert!(last_blocked < first_warning, "{text}");
    let top = render(&app, 100, 30);
    press(&mut app, KeyCode::PageDown);
    assert_ne!(render(&app, 100, 30), top, "PgDn pages the review");
    assert_eq!(app.walk().unwrap().step, Step::Record);
}

#[test]
fn the_on_screen_report_shows_every_outcome_at_80_by_24() {
    let (_dir, store, rec, sample) = sampled_store(400, 3, "report", ("2025-10-01", "2026-09-30"), 5);
    let panel = default_panel();
    let mut app = App::scrutiny(store, panel, date(TODAY), rec.seq, sample);
    press(&mut app, KeyCode::Char('r'));
    let screen = render(&app, 80, 24);
    for code in ["YC", "YCC", "CR", "NFA"] {
        assert!(screen.contains(code), "{code} missing from the chart:\n{screen}");
    }
}

#[test]
fn members_own_ratings_stay_hidden_until_the_chair_reveals_them() {
    let (_dir, mut store, rec, sample) = sampled_store(60, 7, "blind", ("2026-01-01", "2026-09-30"), 5);
    let panel = default_panel();
    let first = sample.cases()[0];
    let own = |reviewer: &str, agency: &str, rating: &str| blind_rating(rec.seq, first, (reviewer, agency, rating));
    jdp::scrutiny::record_blind_ratings(
        &mut store,
        &[own("Lay member A", "lay", "inconsistent"), own("Insp. Lee", "police", "consistent")],
        "chair",
        chrono::Utc::now(),
    )
    .unwrap();
    let mut app = App::scrutiny(store, panel, date(TODAY), rec.seq, sample);
    press(&mut app, KeyCode::Enter);
    let hidden = render(&app, 120, 40);
    assert!(hidden.contains("2 given — v reveals them"), "{hidden}");
    assert!(!hidden.contains("Lay member A"), "hidden until revealed:\n{hidden}");
    press(&mut app, KeyCode::Char('v'));
    assert!(!render(&app, 120, 40).contains("Lay member A"), "asked first");
    press(&mut app, KeyCode::Char('y'));
    let shown = render(&app, 120, 40);
    assert!(shown.contains("Lay member A (Lay member): Inconsistent"), "{shown}");
    assert!(shown.contains("Insp. Lee (Police, no vote): Consistent"), "{shown}");
}

#[test]
fn the_item_under_the_cursor_in_a_list_is_read_in_full_at_80_columns() {
    let mut app = app_walking(Step::Gravity);
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter); // the factor list
    assert!(matches!(app.overlay, Some(Overlay::Pick(_))));
    let Some(Overlay::Pick(p)) = &app.overlay else { unreachable!() };
    let long = p.options.iter().position(|(_, l)| l.chars().count() > 70).expect("a long factor");
    let label = p.options[long].1.clone();
    for _ in 0..long {
        press(&mut app, KeyCode::Down);
    }
    let screen: String = render(&app, 80, 24)
        .lines()
        .map(|l| l.trim_matches('"').trim_matches('│').trim())
        .collect::<Vec<_>>()
        .join(" ");
    let words: Vec<&str> = label.split_whitespace().collect();
    let tail = words[words.len() - 3..].join(" ");
    assert!(screen.contains(&tail), "{tail:?} of {label:?} cut:\n{}", render(&app, 80, 24));
}

#[test]
fn recording_a_review_again_never_brings_its_actions_back() {
    let (_dir, mut store, rec, sample) = sampled_store(60, 7, "again", ("2026-01-01", "2026-09-30"), 5);
    let panel = default_panel();
    let first = sample.cases()[0];
    let review = review_with_an_action(rec.seq, first);
    let r = jdp::scrutiny::record_review(&mut store, &review, "chair", chrono::Utc::now()).unwrap();
    let status = jdp::domain::actions::ActionStatus {
        action: format!("{}.1", r.seq),
        status: jdp::domain::actions::Closed::Done,
        note: "issued".into(),
    };
    jdp::scrutiny::close_action(&mut store, &status, "chair", chrono::Utc::now()).unwrap();
    let mut app = App::scrutiny(store, panel, date(TODAY), rec.seq, sample);
    press(&mut app, KeyCode::Enter);
    for _ in 0..5 {
        press(&mut app, KeyCode::Down);
    }
    press(&mut app, KeyCode::Enter); // record again, unchanged
    let actions = jdp::scrutiny::actions(&*app.store.as_chain(), date(TODAY)).unwrap();
    assert_eq!(actions.len(), 1, "the action once, not again: {:?}", actions.iter().map(|a| &a.0).collect::<Vec<_>>());
    assert!(matches!(actions[0].3, jdp::domain::actions::Standing::Closed(..)), "and still closed");
}

/// A review of `decision` in `sample`, rated consistent by one lay member, with one action.
fn review_with_an_action(sample: i64, decision: i64) -> jdp::scrutiny::ReviewRecord {
    jdp::scrutiny::ReviewRecord {
        sample,
        decision,
        rating: "consistent".into(),
        observations: String::new(),
        learning_points: vec![],
        reviewers: vec!["Lay member A".into()],
        actions: vec![jdp::domain::actions::parse_line("Guidance; YJS; 2027-01-31").unwrap()],
    }
}

/// A demo store of `n` decisions (generator seed `demo`) with a capped sample drawn from it.
fn sampled_store(
    n: u64,
    demo: u64,
    seed: &str,
    (from, to): (&str, &str),
    size: usize,
) -> (tempfile::TempDir, Store, jdp::store::Recorded, jdp::scrutiny::SampleRecord) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = demo_store(&dir.path().join("s.sqlite3"), n, demo);
    let req = jdp::scrutiny::SampleRequest {
        seed: seed.into(),
        from: date(from),
        to: date(to),
        size,
        strata: jdp::domain::sampling::Strata::None,
        capped: Some(50),
        theme: None,
    };
    let ts = chrono::DateTime::parse_from_rfc3339("2026-11-23T10:00:00Z").unwrap().with_timezone(&chrono::Utc);
    let (rec, sample) = jdp::scrutiny::draw(&mut store, &default_panel(), &req, "tester", ts).unwrap();
    (dir, store, rec, sample)
}

/// The queue shows how long each referral has waited and flags a YJS assessment past its
/// timescale (YJB case management guidance, 2014: 10 working days of the referral), at 80×24.
#[test]
fn the_queue_shows_days_waiting_and_flags_an_overdue_assessment() {
    let mut app = App::new(Store::open_in_memory().unwrap(), default_panel(), date("2026-11-24"), false);
    app.load_examples();
    app.status = None;
    let screen = render(&app, 80, 24);
    let row = |reference: &str| screen.lines().find(|l| l.contains(reference)).unwrap().to_string();
    // 0141 was referred on 9 November: due on the 23rd, overdue on the 24th.
    assert!(row("JDP-2026-0141").contains("15 days !"), "{screen}");
    assert!(row("JDP-2026-0142").contains("12 days") && !row("JDP-2026-0142").contains('!'), "{screen}");
    assert!(screen.contains("! 1 YJS assessment overdue: due within 10 working days of the referral"), "{screen}");
    snap("queue_overdue", &mut app);
    // The selected referral's line says what it still needs before the panel can decide.
    select(&mut app, "JDP-2026-0141");
    let screen = render(&app, 80, 24);
    assert!(screen.contains("Missing: research, victim's views, assessment, child's views, carer's views"), "{screen}");
    // Once the draft records the assessment, the flag goes.
    let id = app.store.referral_id("JDP-2026-0141").unwrap().unwrap();
    let mut case = jdp::domain::Case::new(app.store.referral(id).unwrap().unwrap().referral);
    case.needs.assessed_on = Some(date("2026-11-20"));
    app.store.save_draft_as(id, "needs", &case, "", chrono::Utc::now()).unwrap();
    app.refresh_queue();
    select(&mut app, "JDP-2026-0141");
    let screen = render(&app, 80, 24);
    assert!(!screen.contains('!') && !screen.contains("overdue"), "{screen}");
    assert!(screen.contains("Missing: research, victim's views, assessment, child's views, carer's views"));
    // A draft with the views and the whole assessment: only what is left is named.
    case.needs.child_views = "Sorry".into();
    case.needs.carer_views = "Supportive".into();
    case.victim = jdp::domain::referral::VictimViews::NoDirectVictim;
    case.needs.needs = default_panel()
        .needs
        .domains
        .iter()
        .map(|d| jdp::domain::referral::Need {
            domain: d.id.clone(),
            level: jdp::domain::referral::NeedLevel::None,
            note: String::new(),
        })
        .collect();
    app.store.save_draft_as(id, "needs", &case, "", chrono::Utc::now()).unwrap();
    app.refresh_queue();
    select(&mut app, "JDP-2026-0141");
    let screen = render(&app, 80, 24);
    // Short enough now to name the reference, even at 80 columns.
    assert!(screen.contains("│JDP-2026-0141 still needs: research  "), "{screen}");
}

/// Issue 14: the task board from the queue: every task of the recorded decision with its owner,
/// due date (with weekday) and status; d closes one as done (a record in the chain), x as not
/// needed with a reason; the queue's header counts the overdue ones; privacy mode shows no
/// free text.
#[test]
fn the_task_board_lists_closes_and_counts_overdue_tasks() {
    let mut app = app_walking(Step::Record);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    assert!(app.walk().unwrap().recorded.is_some(), "{:?}", app.status);
    press(&mut app, KeyCode::Esc);
    assert!(!render(&app, 120, 40).contains("overdue (t)"), "nothing is overdue on the day of the decision");
    assert!(render(&app, 120, 40).contains("t tasks"), "the queue's footer offers the board");
    press(&mut app, KeyCode::Char('t'));
    assert!(matches!(app.screen, Screen::Tasks(_)));
    snap("tasks_board", &mut app);
    let screen = render(&app, 120, 40);
    // Decided Mon 23 Nov 2026: the YJS is told within a working day, the victim within five.
    assert!(screen.contains("Tue 24 Nov 2026") && screen.contains("Mon 30 Nov 2026"), "{screen}");
    let Screen::Tasks(t) = &app.screen else { panic!() };
    assert!(t.tasks.iter().all(|x| x.status == jdp::domain::task_board::Status::Due), "{screen}");

    // A week later: the YJS notification is overdue, and the queue says so.
    app.today = date("2026-12-01");
    press(&mut app, KeyCode::Esc);
    let queue = render(&app, 80, 24);
    assert!(queue.contains("overdue — t opens the task board"), "{queue}");
    // With the quorum not met its long warning keeps the top line; the overdue count still shows
    // in full on its own line (tester report 6: it was cut off at 100 and 80 columns).
    let members = std::mem::take(&mut app.session.members);
    for (w, h) in [(100, 30), (80, 24)] {
        let queue = render(&app, w, h);
        assert!(queue.contains("NOT MET"), "{queue}");
        assert!(queue.contains("follow-up task") && queue.contains("overdue — t opens the task board"), "{queue}");
    }
    app.session.members = members;
    press(&mut app, KeyCode::Char('t'));
    let screen = render(&app, 120, 40);
    assert!(screen.contains("overdue    Police"), "{screen}");
    let Screen::Tasks(t) = &app.screen else { panic!() };
    let first = t.tasks[0].clone();
    assert_eq!(first.status, jdp::domain::task_board::Status::Overdue);

    // d, a name, Enter: done by that person, recorded in the chain.
    let before = app.store.verify().unwrap().unwrap().checked;
    press(&mut app, KeyCode::Char('d'));
    assert!(matches!(app.overlay, Some(Overlay::Edit(_))));
    for _ in 0..20 {
        press(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, "Jo Bell");
    press(&mut app, KeyCode::Enter);
    let Screen::Tasks(t) = &app.screen else { panic!() };
    let now = t.tasks.iter().find(|x| x.id == first.id).unwrap();
    assert_eq!(now.status, jdp::domain::task_board::Status::Done { by: "Jo Bell".into(), on: date("2026-12-01") });
    assert_eq!(app.store.verify().unwrap().unwrap().checked, before + 1, "one record in the chain");
    // Closing it again is refused on the screen; nothing is written.
    press(&mut app, KeyCode::Char('d'));
    assert!(app.overlay.is_none());
    assert!(app.status.as_deref().unwrap_or_default().contains("already closed"), "{:?}", app.status);

    // x with a reason naming the child: shown normally, never with privacy on.
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Char('x'));
    typed(&mut app, "Jordan Reid told in person at the panel");
    press(&mut app, KeyCode::Enter);
    assert!(render(&app, 120, 40).contains("not needed: Jordan Reid told"), "{}", render(&app, 120, 40));
    app.status = None;
    snap("tasks_board_closed", &mut app);
    app.privacy = true;
    for (w, h) in SIZES {
        let text = render(&app, w, h);
        assert!(!text.contains("Jordan") && !text.contains("Reid"), "{text}");
    }
}

/// Issue 14: l on the recorded decision writes a letter (owner-only, never over a file), logs
/// the disclosure, and y to "has it been sent?" records its task done.
#[test]
fn a_letter_from_the_recorded_decision_is_written_privately_and_its_task_closed_when_sent() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_walking(Step::Record);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Enter);
    assert!(matches!(app.screen, Screen::Recorded(_)));
    assert!(render(&app, 80, 24).contains("l letter"), "{}", render(&app, 80, 24));
    press(&mut app, KeyCode::Char('l'));
    assert!(matches!(app.overlay, Some(Overlay::Pick(_))));
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter); // the victim
    assert!(matches!(app.overlay, Some(Overlay::Edit(_))));
    for _ in 0..60 {
        press(&mut app, KeyCode::Backspace);
    }
    let path = dir.path().join("victim.html");
    typed(&mut app, path.to_str().unwrap());
    press(&mut app, KeyCode::Enter);
    let html = std::fs::read_to_string(&path).unwrap();
    assert!(html.contains("Community resolution") && html.contains("restorative justice"), "{html}");
    assert!(!html.contains("Jordan") && !html.contains("Reid"), "the victim's letter names no child: {html}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o077, 0);
    }
    assert!(render(&app, 80, 24).contains("Has it been sent?"), "{}", render(&app, 80, 24));
    // Enter, pressed on through the picker and the file name, is "not yet": a letter just written
    // has not been sent, and a closed task is never reopened.
    press(&mut app, KeyCode::Enter);
    let board = app.store.task_board(date(TODAY)).unwrap();
    assert!(board.iter().find(|t| t.kind == "inform_victim").unwrap().status.is_open(), "{board:?}");
    assert!(app.overlay.is_none(), "the question is answered: not yet");
    // Written again to another file, and this time sent.
    press(&mut app, KeyCode::Char('l'));
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter); // the victim
    for _ in 0..60 {
        press(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, dir.path().join("victim-2.html").to_str().unwrap());
    press(&mut app, KeyCode::Enter);
    assert!(render(&app, 80, 24).contains("Has it been sent?"), "{}", render(&app, 80, 24));
    press(&mut app, KeyCode::Char('y'));
    let board = app.store.task_board(date(TODAY)).unwrap();
    let t = board.iter().find(|t| t.kind == "inform_victim").unwrap();
    assert!(matches!(t.status, jdp::domain::task_board::Status::Done { .. }), "{t:?}");
    let log = app.store.access_log(50).unwrap();
    assert!(log.iter().any(|e| e.action == "letter" && e.target.contains("victim")), "{log:?}");
    // The same file again is refused: a letter never replaces a file.
    press(&mut app, KeyCode::Char('l'));
    press(&mut app, KeyCode::Enter); // the child
    for _ in 0..60 {
        press(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, path.to_str().unwrap());
    press(&mut app, KeyCode::Enter);
    assert!(app.status.as_deref().unwrap_or_default().contains("exists already"), "{:?}", app.status);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), html);
}

/// Tester report 5, F18: y after the child's letter records the child's letter sent and leaves
/// "tell the child and parent/carer" open (the status line says the carer's is still to send);
/// y after the carer's letter closes it.
#[test]
fn the_childs_letter_alone_leaves_the_child_and_carer_task_open() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_walking(Step::Record);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Enter);
    assert!(matches!(app.screen, Screen::Recorded(_)));
    let send = |app: &mut App, downs: usize, file: &str| {
        press(app, KeyCode::Char('l'));
        for _ in 0..downs {
            press(app, KeyCode::Down);
        }
        press(app, KeyCode::Enter);
        for _ in 0..60 {
            press(app, KeyCode::Backspace);
        }
        typed(app, dir.path().join(file).to_str().unwrap());
        press(app, KeyCode::Enter);
        let text = render(app, 100, 30);
        assert!(text.contains("Has it been sent?"), "{text}");
        press(app, KeyCode::Char('y'));
    };
    let task = |app: &mut App| {
        app.store.task_board(date(TODAY)).unwrap().into_iter().find(|t| t.kind == "inform_child_and_carer").unwrap()
    };
    send(&mut app, 0, "child.html");
    let t = task(&mut app);
    assert!(t.status.is_open(), "{t:?}");
    let status = app.status.clone().unwrap_or_default();
    assert!(
        status.contains("the child's letter recorded sent") && status.contains("the parent's or carer's still to send"),
        "{status}"
    );
    send(&mut app, 1, "carer.html");
    let t = task(&mut app);
    assert!(matches!(t.status, jdp::domain::task_board::Status::Done { .. }), "{t:?}");
}

/// Tester report 5, F2: straight after recording (step 9, "Recorded"), l writes a letter about
/// the decision just recorded, as on the recorded-decision screen; the footer offers it.
#[test]
fn the_walks_recorded_step_offers_a_letter() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_walking(Step::Record);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    assert!(matches!(app.screen, Screen::Walk(_)), "still on the walk's recorded step");
    let text = render(&app, 100, 30);
    assert!(text.contains("RECORDED") && text.contains("l letter"), "{text}");
    press(&mut app, KeyCode::Char('l'));
    assert!(matches!(app.overlay, Some(Overlay::Pick(_))), "the recipient picker");
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter); // the parent or carer
    for _ in 0..60 {
        press(&mut app, KeyCode::Backspace);
    }
    let path = dir.path().join("carer.html");
    typed(&mut app, path.to_str().unwrap());
    press(&mut app, KeyCode::Enter);
    let html = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}: {:?}", app.status));
    assert!(html.contains("Community resolution") && html.contains("Dear parent or carer"), "{html}");
    assert!(render(&app, 100, 30).contains("Has it been sent?"));
}

/// Issue 15: a force-wide sample's part says so on the scrutiny screen (its figures are the
/// force's, its cases this panel's), naming the panels as visible text only; a panel's own
/// sample says nothing of it. The cases still show at 80×24.
#[test]
fn the_scrutiny_queue_says_when_its_sample_is_a_part_of_a_force_wide_sample() {
    let (_dir, store, rec, sample) = sampled_store(120, 7, "queue", ("2025-01-01", "2026-09-30"), 12);
    let own = App::scrutiny(store, default_panel(), date(TODAY), rec.seq, sample.clone());
    assert!(!render(&own, 80, 24).contains("force-wide"));
    let (_dir, store, rec, mut sample) = sampled_store(120, 7, "queue", ("2025-01-01", "2026-09-30"), 12);
    sample.panels = vec!["youth_north".into(), "youth\u{1b}[2Jsouth".into()];
    let app = App::scrutiny(store, default_panel(), date(TODAY), rec.seq, sample);
    let screen = render(&app, 80, 24);
    let flat: String = screen.lines().map(|l| l.trim_matches(|c| c == '│' || c == ' ')).collect::<Vec<_>>().join(" ");
    assert!(flat.contains("part of a force-wide sample across 2 panels"), "{screen}");
    assert!(flat.contains("youth_north") && !screen.contains('\u{1b}'), "{screen}");
    let first = app.scrutiny_state().unwrap().rows[0].id.to_string();
    assert!(screen.contains(&first), "the cases still show at 80×24: {screen}");
}

/// Session 7's finding: the last findings of a long case could not be scrolled to on the
/// scrutiny case view (the scroll stopped short of the end at 80×24). Scrolled as far as it
/// goes, the case's last line is on screen, at either size.
#[test]
fn the_scrutiny_case_scrolls_to_its_last_line() {
    let (_dir, store, rec, sample) = sampled_store(60, 7, "scroll", ("2026-01-01", "2026-09-30"), 5);
    let mut app = App::scrutiny(store, default_panel(), date(TODAY), rec.seq, sample);
    press(&mut app, KeyCode::Enter);
    let last = {
        let s = app.scrutiny_state().unwrap();
        let lines = jdp::tui::scrutiny::anonymised_lines(&s.case.as_ref().unwrap().case);
        let text: String = lines.last().unwrap().spans.iter().map(|s| s.content.as_ref()).collect();
        text.trim().split(' ').last().unwrap().to_string()
    };
    for (w, h) in [(80, 24), (100, 30), (120, 40)] {
        let _ = render(&app, w, h);
        for _ in 0..40 {
            press(&mut app, KeyCode::PageDown);
            let _ = render(&app, w, h);
        }
        let screen = render(&app, w, h);
        // The case's box only: the left 58% of the screen.
        let left = usize::from(w) * 58 / 100;
        let case: String =
            screen.lines().map(|l| l.chars().take(left).collect::<String>()).collect::<Vec<_>>().join("\n");
        assert!(case.contains("Findings at the time"), "{w}×{h}: the findings are not reached:\n{screen}");
        assert!(case.contains(&last), "{w}×{h}: the last line ({last}) is not reached:\n{screen}");
        for _ in 0..40 {
            press(&mut app, KeyCode::PageUp);
        }
    }
}

/// Session 7's finding: typing on after Tab left the review's editor went to the screen's keys,
/// and a "v" there revealed the members' hidden own ratings. Tab moves to the next field as on
/// the walk; revealing is asked first, so no stray letter shows them; and a typed review not yet
/// recorded is never dropped by Esc or q without asking.
#[test]
fn typing_on_after_tab_in_a_review_never_reveals_own_ratings_or_drops_the_review() {
    let (_dir, mut store, rec, sample) = sampled_store(60, 7, "tab", ("2026-01-01", "2026-09-30"), 5);
    let first = sample.cases()[0];
    jdp::scrutiny::record_blind_ratings(
        &mut store,
        &[blind_rating(rec.seq, first, ("Lay member A", "lay", "inconsistent"))],
        "chair",
        chrono::Utc::now(),
    )
    .unwrap();
    let mut app = App::scrutiny(store, default_panel(), date(TODAY), rec.seq, sample);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Down); // Observations
    press(&mut app, KeyCode::Enter);
    typed(&mut app, "Proportionate");
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.scrutiny_state().unwrap().focus, 2, "Tab moves on to the next field, as on the walk");
    typed(&mut app, "v");
    assert!(!render(&app, 120, 40).contains("Lay member A"), "a stray v reveals nothing:\n{}", render(&app, 120, 40));
    assert!(!app.scrutiny_state().unwrap().case.as_ref().unwrap().revealed);
    press(&mut app, KeyCode::Esc); // no, keep them hidden
    assert!(app.overlay.is_none());
    assert!(!render(&app, 120, 40).contains("Lay member A"));
    // Leaving with the review typed but not recorded is asked, and staying keeps it.
    press(&mut app, KeyCode::Esc);
    assert!(matches!(app.overlay, Some(Overlay::Confirm(_))), "Esc with a review typed asks first");
    assert!(render(&app, 120, 40).contains("not recorded"), "{}", render(&app, 120, 40));
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.scrutiny_state().unwrap().view, ScrutinyView::Case);
    assert_eq!(app.scrutiny_state().unwrap().form.observations, "Proportionate");
    press(&mut app, KeyCode::Char('q'));
    assert!(!app.quit, "q with a review typed asks first");
    press(&mut app, KeyCode::Esc);
    assert!(!app.quit);
    // Asked, v shows them; asked, Esc leaves the review.
    press(&mut app, KeyCode::Char('v'));
    press(&mut app, KeyCode::Char('y'));
    assert!(render(&app, 120, 40).contains("Lay member A (Lay member): Inconsistent"), "{}", render(&app, 120, 40));
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('y'));
    assert_eq!(app.scrutiny_state().unwrap().view, ScrutinyView::Queue);
    // Nothing typed: leaving is not asked.
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Esc);
    assert!(app.overlay.is_none());
    assert_eq!(app.scrutiny_state().unwrap().view, ScrutinyView::Queue);
}

/// Session 7's findings at 80×24 on the scrutiny screens: the case box's title was cut, a long
/// status line lost its end, and the footer dropped "b" (own rating) and "r" (board report).
#[test]
fn the_scrutiny_screens_keep_their_title_status_and_keys_at_80_by_24() {
    let (_dir, mut store, rec, sample) = sampled_store(60, 7, "narrow", ("2026-01-01", "2026-09-30"), 5);
    let first = sample.cases()[0];
    let review = review_with_an_action(rec.seq, first);
    jdp::scrutiny::record_review(&mut store, &review, "chair", chrono::Utc::now()).unwrap();
    let mut app = App::scrutiny(store, default_panel(), date(TODAY), rec.seq, sample);
    let queue = render(&app, 80, 24);
    assert!(queue.lines().last().unwrap().contains("r report"), "{queue}");
    press(&mut app, KeyCode::Enter);
    let case = render(&app, 80, 24);
    let rows: Vec<&str> = case.lines().collect();
    assert!(rows[2].contains(&format!("Record {first} ")) && rows[2].contains("anonymised ─"), "{case}");
    assert!(rows.last().unwrap().contains("b own rating"), "{case}");
    let status = app.status.clone().expect("reviewed before, said so");
    let flat: String = case.lines().map(|l| l.trim_matches('"').trim_end()).collect::<Vec<_>>().join(" ");
    let tail: String =
        status.split(' ').rev().take(4).collect::<Vec<_>>().into_iter().rev().collect::<Vec<_>>().join(" ");
    assert!(flat.contains(&tail), "the status's end ({tail}) is cut:\n{case}");
}

/// Del on a search entry's field takes the entry out (a search added by mistake), and the
/// draft is saved without it; elsewhere it says where it works.
#[test]
fn del_removes_the_search_entry_the_cursor_is_on() {
    use jdp::walk::fields::SearchPart;
    let mut app = app_walking(Step::Research);
    let panel = default_panel();
    let before = app.walk().unwrap().case.research.searches.len();
    for who in ["PC Added By Mistake", "PC Kept"] {
        let w = app.walk_mut().unwrap();
        w.handle(Msg::Press(Key::AddSearch), &panel);
        let i = w.case.research.searches.len() - 1;
        w.handle(Msg::SetText(Key::Search(i, SearchPart::RequestedBy), who.into()), &panel);
    }
    app.walk_mut().unwrap().focus = 0;
    assert_eq!(app.walk().unwrap().focused(&panel).unwrap().key, Key::History);
    press(&mut app, KeyCode::Delete);
    assert!(app.status.as_deref().unwrap_or_default().contains("move to one of its fields"), "{:?}", app.status);
    assert_eq!(app.walk().unwrap().case.research.searches.len(), before + 2, "nothing removed from the history field");
    let w = app.walk_mut().unwrap();
    w.focus = w.fields(&panel).iter().position(|f| f.key == Key::Search(before, SearchPart::Request)).unwrap();
    press(&mut app, KeyCode::Delete);
    let w = app.walk().unwrap();
    let left: Vec<_> = w.case.research.searches[before..].iter().map(|s| s.requested_by.as_str()).collect();
    assert_eq!(left, ["PC Kept"]);
    assert!(app.status.as_deref().unwrap_or_default().starts_with(&format!("Removed search entry {}", before + 1)));
    let id = app.walk_referral().unwrap();
    assert_eq!(app.store.draft(id).unwrap().unwrap().case.research.searches.len(), before + 1, "saved");
}

/// At 80×24 the queue cuts nothing mid-word: the quorum, the count of referrals (on a line of
/// its own when the two do not fit), and every letter key in the footer, the task board's too.
#[test]
fn the_queue_keeps_its_quorum_count_and_keys_at_80_by_24() {
    let mut app = app_with_examples();
    app.session.members.clear();
    let screen = render(&app, 80, 24);
    let lines: Vec<&str> = screen.lines().collect();
    assert!(lines[2].contains("Quorum: NOT MET ✗ — no one from Police, Youth Justice Service (press s)"), "{screen}");
    assert!(lines[3].contains("3 referral(s)"), "{screen}");
    let footer = lines.last().unwrap();
    for key in ["Enter open", "n new", "i import", "s session", "t tasks", "q quit"] {
        assert!(footer.contains(key), "{key}: {footer}");
    }
    let wide = render(&app, 120, 40);
    assert!(wide.lines().nth(2).unwrap().contains("(press s) · 3 referral(s)"), "one line where it fits:\n{wide}");
}
