//! The panel screen's runner on both backends: the behaviour tests of tests/tui.rs that go
//! through the store (drafts and resuming, where a walk was left, privacy kept, a new referral
//! kept aside, recording, corrections in progress, the task board), each run on a SQLite file
//! and on a private PostgreSQL (tests/common/pg.rs). The screen reaches either only through
//! `store::Backend`.

mod common;
#[path = "common/pg.rs"]
mod pg;

use common::*;
use jdp::store::pg::PgStore;
use jdp::store::{Backend, Store};
use jdp::tui::App;
use jdp::tui::app::{Overlay, Screen};
use jdp::walk::{Key, Msg, Step};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

const TODAY: &str = "2026-11-23";

/// Opens the same store again (a restart, or another workstation).
type Open<'a> = &'a dyn Fn() -> Box<dyn Backend>;

/// Defines `NAME::sqlite` and `NAME::postgres`, each running `$body` with a way to open one new
/// store as often as it likes.
macro_rules! on_both {
    ($name:ident, |$open:ident| $body:block) => {
        mod $name {
            use super::*;
            fn run($open: Open) $body

            #[test]
            fn sqlite() {
                let dir = tempfile::tempdir().unwrap();
                let path = dir.path().join("jdp.sqlite3");
                run(&|| Box::new(Store::open(&path).unwrap()));
            }

            #[test]
            fn postgres() {
                let Some(cluster) = pg::cluster() else { return };
                let url = cluster.fresh_db();
                run(&|| Box::new(PgStore::open(&url).unwrap()));
            }
        }
    };
}

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

/// The signing keys of this test binary's chair (never the account's own).
static KEYS: std::sync::LazyLock<tempfile::TempDir> = std::sync::LazyLock::new(|| tempfile::tempdir().unwrap());

fn app_on(open: Open, actor: &str) -> App {
    let mut app = App::new(open(), default_panel(), date(TODAY), false);
    app.actor = actor.into();
    app.key_dir = KEYS.path().to_path_buf();
    app
}

fn select(app: &mut App, reference: &str) {
    let q = app.queue_state_mut().expect("the queue is on show");
    q.selected = q.rows.iter().position(|r| r.referral.reference == reference).unwrap();
}

fn seat_panel(app: &mut App) {
    app.session.members = vec![
        jdp::domain::referral::Member {
            name: "PC Dana Price".into(),
            agency: "police".into(),
            role: "YJS police officer".into(),
        },
        jdp::domain::referral::Member { name: "Sam Okafor".into(), agency: "yjs".into(), role: "Case manager".into() },
    ];
    app.session.chair = "Sam Okafor".into();
}

/// Jordan's referral (JDP-2026-0141) walked to the record step with everything it needs.
fn walk_jordan_to_record(app: &mut App) {
    select(app, "JDP-2026-0141");
    press(app, KeyCode::Enter);
    let panel = default_panel();
    for msg in [
        Msg::Choose(Key::VictimStatus, Some("no-direct-victim".into())),
        Msg::Choose(Key::Outcome, Some("CR".into())),
        Msg::Choose(Key::PoliceView, Some("CR".into())),
        Msg::Choose(Key::YjsView, Some("CR".into())),
        Msg::SetText(Key::Rationale, "First offence, admitted.".into()),
    ] {
        let members = app.session.members.clone();
        let cx = jdp::walk::Ctx { panel: &panel, present: Some(&members), chair: "", cannot_record_as: None };
        app.walk_mut().unwrap().handle(msg, cx);
    }
    press(app, KeyCode::Char('9'));
}

on_both!(an_empty_store_opens_on_the_start_screen_and_the_examples_fill_the_queue, |open| {
    let mut app = app_on(open, "chair");
    assert!(matches!(app.screen, Screen::Start), "{}", render(&app, 100, 30));
    app.load_examples();
    let q = app.queue_state().expect("the queue");
    assert_eq!((q.total, q.rows.len()), (3, 3));
    assert!(render(&app, 120, 40).contains("JDP-2026-0141"));
});

on_both!(a_draft_is_offered_for_resume_on_start, |open| {
    {
        let mut app = app_on(open, "chair");
        app.load_examples();
        select(&mut app, "JDP-2026-0142");
        press(&mut app, KeyCode::Enter);
        press(&mut app, KeyCode::Char('3'));
        // The process dies here: no quit, no close.
    }
    let mut app = app_on(open, "chair");
    let screen = render(&app, 100, 30);
    assert!(screen.contains("JDP-2026-0142, at Victim's views"), "{screen}");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.walk().unwrap().step, Step::Victim);
});

on_both!(a_resumed_walk_comes_back_on_the_field_and_with_the_step_bar_it_was_left_with, |open| {
    let bar = |app: &App| render(app, 120, 40).lines().nth(1).unwrap_or_default().to_string();
    let before;
    {
        let mut app = app_on(open, "chair");
        app.load_examples();
        select(&mut app, "JDP-2026-0142");
        press(&mut app, KeyCode::Enter);
        press(&mut app, KeyCode::Char('3'));
        let panel = default_panel();
        app.walk_mut().unwrap().handle(Msg::Choose(Key::VictimStatus, Some("contacted".into())), &panel);
        press(&mut app, KeyCode::Char('1'));
        press(&mut app, KeyCode::Down);
        press(&mut app, KeyCode::Down);
        before = bar(&app);
        app.stop();
    }
    let mut app = app_on(open, "chair");
    press(&mut app, KeyCode::Enter);
    let w = app.walk().unwrap();
    assert_eq!((w.step, w.focus), (Step::Facts, 2), "back on the third field of step 1");
    assert_eq!(bar(&app), before, "the step bar reads the same after a restart");
});

on_both!(privacy_mode_stays_on_across_a_restart, |open| {
    let mut app = app_on(open, "chair");
    app.load_examples();
    press(&mut app, KeyCode::Char('p'));
    assert!(app.privacy);
    drop(app);
    let app = app_on(open, "chair");
    assert!(app.privacy, "privacy mode is on again");
    let screen = render(&app, 80, 24);
    for name in ["Jordan", "Reid", "Kayla", "Samir"] {
        assert!(!screen.contains(name), "{name} shown at start with privacy on:\n{screen}");
    }
});

on_both!(a_new_referral_not_yet_complete_enough_to_store_is_kept_and_offered_again, |open| {
    {
        let mut app = app_on(open, "chair");
        app.load_examples();
        press(&mut app, KeyCode::Char('n'));
        press(&mut app, KeyCode::Enter);
        typed(&mut app, "REF-NEW-2");
        press(&mut app, KeyCode::Enter);
        press(&mut app, KeyCode::Char('q'));
        press(&mut app, KeyCode::Char('y'));
        assert!(app.quit);
    }
    let mut app = app_on(open, "chair");
    assert!(app.status.as_deref().unwrap_or_default().contains("press n"), "{:?}", app.status);
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(app.walk().unwrap().case.referral.reference, "REF-NEW-2", "n carries on with it");
    let panel = default_panel();
    let w = app.walk_mut().unwrap();
    w.handle(Msg::SetText(Key::ChildName, "Riley Test".into()), &panel);
    w.handle(Msg::Choose(Key::Offence, Some("Common assault".into())), &panel);
    press(&mut app, KeyCode::Char(']'));
    assert!(app.store.referral_id("REF-NEW-2").unwrap().is_some(), "{:?}", app.status);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(app.walk().unwrap().case.referral.reference, "", "a fresh referral after that");
});

on_both!(a_decision_recorded_on_the_screen_is_chained_and_a_correction_in_progress_survives_a_restart, |open| {
    let mut app = app_on(open, "chair");
    app.load_examples();
    seat_panel(&mut app);
    walk_jordan_to_record(&mut app);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    assert!(app.walk().unwrap().recorded.is_some(), "{:?}", app.status);
    let status = app.status.clone().unwrap_or_default();
    assert!(status.contains("Recorded as record 1.") && status.contains("Minute the head: 1:"), "{status}");
    assert_eq!(app.store.verify().unwrap().unwrap().checked, 1);
    // The head is signed with the chair's key, on a file and on a server alike.
    let known = jdp::signing::known_keys(KEYS.path()).unwrap();
    let signed = app.store.verify_signatures(&known).unwrap().unwrap();
    assert_eq!(signed.checked, 1, "{status}");
    assert_eq!(signed.latest.unwrap().head.minute(), status.rsplit("Minute the head: ").next().unwrap());
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Enter);
    assert!(matches!(app.screen, Screen::Recorded(_)), "the decided referral opens as recorded");
    press(&mut app, KeyCode::Char('c'));
    typed(&mut app, "The wrong response was recorded");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('7'));
    let panel = default_panel();
    let i = app.walk().unwrap().fields(&panel).iter().position(|f| f.key == Key::Rationale).unwrap();
    app.walk_mut().unwrap().focus = i;
    press(&mut app, KeyCode::Enter);
    typed(&mut app, " Corrected.");
    press(&mut app, KeyCode::Esc);
    drop(app); // the workstation dies
    let mut app = app_on(open, "chair");
    app.overlay = None;
    select(&mut app, "JDP-2026-0141");
    press(&mut app, KeyCode::Enter);
    let w = app.walk().expect("the correction is taken up again");
    assert_eq!(w.correction_of, Some(1));
    assert_eq!(w.correction_reason, "The wrong response was recorded");
    assert_eq!(w.case.decision.rationale, "First offence, admitted. Corrected.");
});

on_both!(the_task_board_lists_closes_and_counts_overdue_tasks, |open| {
    let mut app = app_on(open, "chair");
    app.load_examples();
    seat_panel(&mut app);
    walk_jordan_to_record(&mut app);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    assert!(app.walk().unwrap().recorded.is_some(), "{:?}", app.status);
    press(&mut app, KeyCode::Esc);
    assert!(!render(&app, 120, 40).contains("overdue (t)"), "nothing is overdue on the day of the decision");
    app.today = date("2026-12-01");
    press(&mut app, KeyCode::Char('t'));
    press(&mut app, KeyCode::Esc);
    assert!(render(&app, 80, 24).contains("overdue — t opens the task board"), "{}", render(&app, 80, 24));
    press(&mut app, KeyCode::Char('t'));
    let Screen::Tasks(t) = &app.screen else { panic!("the task board") };
    let first = t.tasks[0].clone();
    assert_eq!(first.status, jdp::domain::task_board::Status::Overdue);
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
    press(&mut app, KeyCode::Char('d'));
    assert!(app.status.as_deref().unwrap_or_default().contains("already closed"), "{:?}", app.status);
});

// ----- working together: several workstations, one store -----------------------------------

/// Opens the store as a person: on a file the screen names them; on a server they are a login
/// of their own (a member or the chair).
type OpenAs<'a> = &'a dyn Fn(&str) -> Box<dyn Backend>;

/// The people of the shared-store tests and their server roles.
const PEOPLE: [(&str, jdp::store::pg::Role); 4] = [
    ("dana", jdp::store::pg::Role::Member),
    ("vic", jdp::store::pg::Role::Member),
    ("sam", jdp::store::pg::Role::Chair),
    ("kim", jdp::store::pg::Role::Chair),
];

macro_rules! on_both_as_people {
    ($name:ident, |$open:ident| $body:block) => {
        mod $name {
            use super::*;
            fn run($open: OpenAs) $body

            #[test]
            fn sqlite() {
                let dir = tempfile::tempdir().unwrap();
                let path = dir.path().join("jdp.sqlite3");
                run(&|_who| Box::new(Store::open(&path).unwrap()));
            }

            #[test]
            fn postgres() {
                let Some(cluster) = pg::cluster() else { return };
                let owner = cluster.fresh_db();
                let db = owner.rsplit('/').next().unwrap().to_string();
                let mut store = PgStore::open(&owner).unwrap();
                store.init_server().unwrap();
                for (who, role) in PEOPLE {
                    cluster.admin(
                        "postgres",
                        &format!("DO $$ BEGIN CREATE ROLE {who} LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$"),
                    );
                    store.grant(who, role, Some(&db)).unwrap();
                }
                run(&|who| Box::new(PgStore::open(&cluster.url(who, &db)).unwrap()));
            }
        }
    };
}

/// A workstation: the person's own screen on the shared store, with a journal of its own.
fn desk(open: OpenAs, who: &str, journal: &std::path::Path) -> App {
    let store = open(who);
    // On a server the login is who saves; on a file the screen names the person.
    let actor = store.login().unwrap_or(who).to_string();
    assert_eq!(actor, who);
    let mut app =
        App::new(store, default_panel(), date(TODAY), false).with_journal(journal.join(format!("{who}.json")));
    app.actor = actor;
    app.overlay = None;
    app
}

/// The desk's queue, read afresh from the store.
fn to_queue(app: &mut App) {
    app.screen = Screen::Queue(Default::default());
    app.refresh_queue();
}

/// `reference` opened from the queue, at the walk's step `step`.
fn open_at(app: &mut App, reference: &str, step: char) {
    select(app, reference);
    press(app, KeyCode::Enter);
    press(app, KeyCode::Char(step));
}

fn victim_views(app: &App) -> String {
    app.walk().unwrap().case.needs.child_views.clone()
}

on_both_as_people!(two_workstations_prepare_one_referral_without_overwriting_and_the_chair_records_it, |open| {
    let journals = tempfile::tempdir().unwrap();
    let mut dana = desk(open, "dana", journals.path());
    dana.load_examples();
    // Dana (the YJS police officer) starts Jordan's referral at her desk.
    open_at(&mut dana, "JDP-2026-0141", '2');

    // Vic (the victim liaison worker) sees who is preparing it, opens it and records the
    // victim's views.
    let mut vic = desk(open, "vic", journals.path());
    to_queue(&mut vic);
    select(&mut vic, "JDP-2026-0141");
    let queue = render(&vic, 120, 40);
    assert!(queue.contains("by dana"), "the queue shows who is preparing what:\n{queue}");
    assert!(queue.contains("prepared by dana ("), "and what it still needs:\n{queue}");
    press(&mut vic, KeyCode::Enter);
    let panel = default_panel();
    vic.walk_mut().unwrap().handle(Msg::SetText(Key::ChildViews, "Wants an apology letter.".into()), &panel);
    press(&mut vic, KeyCode::Char('4'));
    assert_eq!(vic.status, None, "saved");

    // Dana, still on her screen, types and moves on: refused, asked, nothing overwritten.
    dana.walk_mut().unwrap().handle(Msg::SetText(Key::History, "No previous police contact.".into()), &panel);
    press(&mut dana, KeyCode::Char('5'));
    let Some(Overlay::Confirm(jdp::tui::app::Confirm::Reload { by, .. })) = &dana.overlay else {
        panic!("Dana is asked: {:?} {}", dana.status, render(&dana, 100, 30))
    };
    assert_eq!(by, "vic");
    let screen = render(&dana, 100, 30);
    assert!(screen.contains("This case was changed by vic at "), "{screen}");
    assert!(screen.contains("— reload?"), "{screen}");
    let mut reader = open("sam");
    let id = reader.referral_id("JDP-2026-0141").unwrap().unwrap();
    let stored = reader.draft(id).unwrap().unwrap();
    assert_eq!((stored.case.needs.child_views.as_str(), stored.saved_by.as_str()), ("Wants an apology letter.", "vic"));
    assert!(stored.case.research.history.is_empty(), "Dana's typing did not overwrite Vic's");
    // Her typing is kept on her machine, owner-only.
    let kept = std::fs::read_to_string(journals.path().join("dana.json")).unwrap();
    assert!(kept.contains("No previous police contact."), "{kept}");

    // She reloads: Vic's version is on her screen; her next step saves over it in turn.
    press(&mut dana, KeyCode::Enter);
    assert_eq!(victim_views(&dana), "Wants an apology letter.");
    dana.walk_mut().unwrap().handle(Msg::SetText(Key::History, "No previous police contact.".into()), &panel);
    press(&mut dana, KeyCode::Char('6'));
    assert!(dana.overlay.is_none(), "{:?}", dana.status);
    let stored = reader.draft(id).unwrap().unwrap();
    assert_eq!(stored.case.needs.child_views, "Wants an apology letter.");
    assert_eq!(
        (stored.case.research.history.as_str(), stored.saved_by.as_str()),
        ("No previous police contact.", "dana")
    );
    drop(reader);

    // On a server a member's screen may prepare but not record (the server's grants refuse it):
    // the screen says so in words before anything is offered, on the step bar, the record step
    // and its key, from the one list of findings.
    if dana.store.login().is_some() {
        press(&mut dana, KeyCode::Esc);
        seat_panel(&mut dana);
        walk_jordan_to_record(&mut dana);
        let screen = render(&dana, 80, 24);
        assert!(screen.contains("Your login (dana) may prepare this decision but not"), "{screen}");
        assert!(!screen.contains("Press Enter to record"), "{screen}");
        assert_eq!(dana.key_context(), jdp::tui::keys::Context::WalkRecordBlocked, "the record key agrees");
        press(&mut dana, KeyCode::Enter);
        assert!(dana.overlay.is_none(), "nothing offered to confirm");
        assert!(dana.status.as_deref().unwrap_or_default().contains("blocking finding"), "{:?}", dana.status);
        let w = dana.walk().unwrap();
        assert!(w.recorded.is_none() && w.failure.is_none(), "{:?}", w.failure);
        dana.stop();
    }

    // The chair opens it at the panel and records the decision in their own name.
    let mut sam = desk(open, "sam", journals.path());
    sam.screen = Screen::Queue(Default::default());
    sam.refresh_queue();
    seat_panel(&mut sam);
    walk_jordan_to_record(&mut sam);
    assert_eq!(sam.walk().unwrap().case.research.history, "No previous police contact.", "both desks' work");
    press(&mut sam, KeyCode::Enter);
    press(&mut sam, KeyCode::Enter);
    assert!(sam.walk().unwrap().recorded.is_some(), "{:?}", sam.status);
    let row = sam.store.decisions_for(id).unwrap().remove(0);
    assert_eq!(row.recorded_by, "sam");
    assert_eq!(row.snapshot.case.needs.child_views, "Wants an apology letter.");
    assert!(sam.store.verify().unwrap().is_ok());
});

/// Dana (examples loaded) at step 2 of Kayla's referral, and Vic at `vic_step` of it, both
/// opened before Dana types "Dana's words." into the history (not yet saved).
fn dana_and_vic_on_kaylas_referral(open: OpenAs, journals: &std::path::Path, vic_step: char) -> (App, App) {
    let mut dana = desk(open, "dana", journals);
    dana.load_examples();
    open_at(&mut dana, "JDP-2026-0142", '2');
    let mut vic = desk(open, "vic", journals);
    to_queue(&mut vic);
    open_at(&mut vic, "JDP-2026-0142", vic_step);
    dana.walk_mut().unwrap().handle(Msg::SetText(Key::History, "Dana's words.".into()), &default_panel());
    (dana, vic)
}

on_both_as_people!(o_saves_your_version_over_theirs_only_when_asked, |open| {
    let journals = tempfile::tempdir().unwrap();
    let (mut dana, mut vic) = dana_and_vic_on_kaylas_referral(open, journals.path(), '3');
    press(&mut dana, KeyCode::Char('4'));
    // Esc: decide later — still nothing overwritten.
    press(&mut dana, KeyCode::Esc);
    let id = dana.walk_referral().unwrap();
    assert_eq!(vic.store.draft(id).unwrap().unwrap().saved_by, "vic");
    press(&mut dana, KeyCode::Char('5'));
    assert!(matches!(dana.overlay, Some(Overlay::Confirm(jdp::tui::app::Confirm::Reload { .. }))));
    press(&mut dana, KeyCode::Char('o'));
    let d = vic.store.draft(id).unwrap().unwrap();
    assert_eq!((d.case.research.history.as_str(), d.saved_by.as_str()), ("Dana's words.", "dana"));
    assert!(!journals.path().join("dana.json").exists(), "saved: nothing left kept on her machine");
});

/// The examples brought in by a member (on a server a chair may not), and Sam, the chair, at his
/// desk with Jordan's referral walked to the record step.
fn chair_at_jordans_record_step(open: OpenAs, journals: &std::path::Path) -> App {
    desk(open, "dana", journals).load_examples();
    let mut sam = desk(open, "sam", journals);
    sam.key_dir = KEYS.path().to_path_buf();
    to_queue(&mut sam);
    seat_panel(&mut sam);
    walk_jordan_to_record(&mut sam);
    sam
}

// A correction in progress is versioned like a draft: two chairs correcting one decision from
// two desks never overwrite each other; the later is asked, and keeps its typing meanwhile.
on_both_as_people!(two_chairs_correcting_one_decision_never_overwrite_each_other, |open| {
    let journals = tempfile::tempdir().unwrap();
    let panel = default_panel();
    let mut sam = chair_at_jordans_record_step(open, journals.path());
    press(&mut sam, KeyCode::Enter);
    press(&mut sam, KeyCode::Enter);
    assert!(sam.walk().unwrap().recorded.is_some(), "{:?}", sam.walk().unwrap().failure);
    let id = sam.walk_referral().unwrap();
    press(&mut sam, KeyCode::Esc);

    // Both chairs open the recorded decision at their desks.
    let mut kim = desk(open, "kim", journals.path());
    to_queue(&mut kim);
    select(&mut kim, "JDP-2026-0141");
    press(&mut kim, KeyCode::Enter);
    assert!(matches!(kim.screen, Screen::Recorded(_)), "{}", render(&kim, 100, 30));
    to_queue(&mut sam);
    select(&mut sam, "JDP-2026-0141");
    press(&mut sam, KeyCode::Enter);
    assert!(matches!(sam.screen, Screen::Recorded(_)), "{}", render(&sam, 100, 30));

    // Sam starts the correction first: saved at once, in his name.
    press(&mut sam, KeyCode::Char('c'));
    typed(&mut sam, "Sam's reason");
    press(&mut sam, KeyCode::Esc);
    assert_eq!(sam.walk().map(|w| w.correction_of), Some(Some(1)), "{:?}", sam.status);
    let mut reader = open("sam");
    assert_eq!(reader.correction_draft(id).unwrap().unwrap().reason, "Sam's reason");

    // Kim starts hers without having seen his: refused, asked, nothing overwritten.
    press(&mut kim, KeyCode::Char('c'));
    typed(&mut kim, "Kim's reason");
    press(&mut kim, KeyCode::Esc);
    let Some(Overlay::Confirm(jdp::tui::app::Confirm::Reload { by, .. })) = &kim.overlay else {
        panic!("Kim is asked: {:?} {}", kim.status, render(&kim, 100, 30))
    };
    assert_eq!(by, "sam");
    let stored = reader.correction_draft(id).unwrap().unwrap();
    assert_eq!((stored.reason.as_str(), stored.saved_by.as_str()), ("Sam's reason", "sam"));
    let kept = std::fs::read_to_string(journals.path().join("kim.json")).unwrap();
    assert!(kept.contains("Kim's reason"), "her typing is kept on her machine: {kept}");

    // She reloads: Sam's correction is on her screen, said to be his.
    press(&mut kim, KeyCode::Enter);
    let w = kim.walk().expect("the correction in progress");
    assert_eq!((w.correction_of, w.correction_reason.as_str()), (Some(1), "Sam's reason"));
    let said = kim.status.clone().unwrap_or_default();
    assert!(said.contains("sam"), "{said}");
    // Her change now saves over his version, in her name ...
    kim.walk_mut()
        .unwrap()
        .handle(Msg::SetText(Key::Rationale, "First offence, admitted; Kim's words.".into()), &panel);
    press(&mut kim, KeyCode::Char('8'));
    assert!(kim.overlay.is_none(), "{:?}", kim.status);
    let stored = reader.correction_draft(id).unwrap().unwrap();
    assert_eq!(
        (stored.case.decision.rationale.as_str(), stored.saved_by.as_str()),
        ("First offence, admitted; Kim's words.", "kim")
    );
    // ... and Sam's next save is asked in turn, never silently over hers.
    sam.walk_mut()
        .unwrap()
        .handle(Msg::SetText(Key::Rationale, "First offence, admitted; Sam's words.".into()), &panel);
    press(&mut sam, KeyCode::Char('8'));
    let Some(Overlay::Confirm(jdp::tui::app::Confirm::Reload { by, .. })) = &sam.overlay else {
        panic!("Sam is asked: {:?} {}", sam.status, render(&sam, 100, 30))
    };
    assert_eq!(by, "kim");
    let stored = reader.correction_draft(id).unwrap().unwrap();
    assert_eq!(stored.case.decision.rationale, "First offence, admitted; Kim's words.");
    // o saves his over hers, only when asked.
    press(&mut sam, KeyCode::Char('o'));
    assert!(sam.overlay.is_none(), "{:?}", sam.status);
    let stored = reader.correction_draft(id).unwrap().unwrap();
    assert_eq!(
        (stored.case.decision.rationale.as_str(), stored.saved_by.as_str()),
        ("First offence, admitted; Sam's words.", "sam")
    );
});

// Recording from a screen that has not seen another desk's latest version is refused and asked,
// as a save is: the decision would be recorded without their typing, and their draft dropped.
on_both_as_people!(recording_over_a_version_another_desk_saved_meanwhile_is_asked_first, |open| {
    let journals = tempfile::tempdir().unwrap();
    let panel = default_panel();
    let mut sam = chair_at_jordans_record_step(open, journals.path());
    let id = sam.walk_referral().unwrap();

    // Vic adds the victim's views at her desk while Sam's screen waits at the record step.
    let mut vic = desk(open, "vic", journals.path());
    to_queue(&mut vic);
    open_at(&mut vic, "JDP-2026-0141", '3');
    vic.walk_mut().unwrap().handle(Msg::SetText(Key::ChildViews, "Wants an apology letter.".into()), &panel);
    press(&mut vic, KeyCode::Char('4'));
    assert_eq!(vic.status, None, "saved");

    press(&mut sam, KeyCode::Enter);
    press(&mut sam, KeyCode::Enter);
    assert!(sam.walk().unwrap().recorded.is_none(), "not recorded over Vic's version");
    let Some(Overlay::Confirm(jdp::tui::app::Confirm::Reload { by, at, .. })) = &sam.overlay else {
        panic!("Sam is asked: {:?} {}", sam.status, render(&sam, 100, 30))
    };
    assert_eq!(by, "vic");
    // The refusal names the time as the question does, never the stored timestamp.
    let why = sam.walk().unwrap().failure.clone().unwrap_or_default();
    assert!(why.contains(&format!("vic saved it at {at})")), "{why} (asked: at {at})");
    assert!(sam.store.decisions_for(id).unwrap().is_empty());
    let stored = sam.store.draft(id).unwrap().unwrap();
    assert_eq!((stored.case.needs.child_views.as_str(), stored.saved_by.as_str()), ("Wants an apology letter.", "vic"));

    // He reloads: her views are on his screen, and what he records holds them.
    press(&mut sam, KeyCode::Enter);
    assert_eq!(victim_views(&sam), "Wants an apology letter.");
    press(&mut sam, KeyCode::Char('9'));
    press(&mut sam, KeyCode::Enter);
    press(&mut sam, KeyCode::Enter);
    assert!(sam.walk().unwrap().recorded.is_some(), "{:?} {:?}", sam.status, sam.walk().unwrap().failure);
    let row = sam.store.decisions_for(id).unwrap().remove(0);
    assert_eq!(row.snapshot.case.needs.child_views, "Wants an apology letter.");
});

// ----- a lost server: nothing typed is lost, nothing is recorded ------------------------------

#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// A private server of the test's own, which it may stop as a crash would, with a database on
/// it and where a workstation's journal goes (in a folder kept while the test runs).
fn stoppable() -> Option<(pg::Private, String, tempfile::TempDir, std::path::PathBuf)> {
    let server = pg::Cluster::private()?;
    let url = server.fresh_db();
    let journals = tempfile::tempdir().unwrap();
    let journal = journals.path().join("journal").join("desk.json");
    Some((server, url, journals, journal))
}

/// A workstation on the server at `url`, as its superuser, with its journal at `journal`.
fn server_desk(url: &str, journal: &std::path::Path) -> App {
    let mut app =
        App::new(PgStore::open(url).unwrap(), default_panel(), date(TODAY), false).with_journal(journal.to_path_buf());
    app.actor = "jdp_test_super".into();
    app
}

#[test]
fn with_the_server_stopped_mid_walk_typing_is_kept_here_recording_is_refused_and_both_come_back() {
    let Some((server, url, _journals, journal)) = stoppable() else { return };
    let panel = default_panel();
    let open_app = || server_desk(&url, &journal);
    let mut app = open_app();
    app.load_examples();
    seat_panel(&mut app);
    walk_jordan_to_record(&mut app);
    press(&mut app, KeyCode::Char('7'));
    let id = app.walk_referral().unwrap();

    // The server goes away (as a crash would) while the chair types.
    server.crash();
    app.walk_mut().unwrap().handle(Msg::SetText(Key::ChildViews, "Jordan is sorry.".into()), &panel);
    press(&mut app, KeyCode::Char('8'));
    let status = app.status.clone().unwrap_or_default();
    assert!(
        status.starts_with("Not saved: the server cannot be reached — your draft is kept on this machine"),
        "{status}"
    );
    let kept = std::fs::read_to_string(&journal).expect("kept on this machine");
    assert!(kept.contains("Jordan is sorry."), "{kept}");
    #[cfg(unix)]
    assert_eq!(mode(&journal), 0o600, "owner-only");

    // Recording is refused, plainly; the walk stays open with its typing.
    press(&mut app, KeyCode::Char('9'));
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    let w = app.walk().unwrap();
    assert!(w.recorded.is_none());
    assert_eq!(
        w.failure.as_deref().unwrap_or_default(),
        "Not recorded: the server cannot be reached — your draft is kept on this machine. It is saved when the server is back."
    );
    let screen = render(&app, 120, 40);
    assert!(screen.contains("Not recorded: the server cannot be reached"), "{screen}");

    // The server is back: the next save connects again, saves, and settles the journal.
    server.launch();
    press(&mut app, KeyCode::Char('8'));
    assert!(app.status.is_none(), "{:?}", app.status);
    assert!(!journal.exists(), "nothing left kept once saved");
    let mut other = PgStore::open(&url).unwrap();
    assert_eq!(other.draft(id).unwrap().unwrap().case.needs.child_views, "Jordan is sorry.");

    // Lost again, and the workstation closed before the server came back: offered on opening.
    server.crash();
    app.walk_mut().unwrap().handle(Msg::SetText(Key::CarerViews, "Mother will attend.".into()), &panel);
    press(&mut app, KeyCode::Char('7'));
    assert!(journal.exists());
    drop(app);
    drop(other);
    server.launch();
    let mut app = open_app();
    let Some(Overlay::Confirm(jdp::tui::app::Confirm::Kept { reference, why, .. })) = &app.overlay else {
        panic!("the kept typing is offered: {}", render(&app, 100, 30))
    };
    assert_eq!((reference.as_str(), why.as_str()), ("JDP-2026-0141", "the server could not be reached"));
    let screen = render(&app, 100, 30);
    assert!(screen.contains("Work typed on this machine was not saved to the store:"), "{screen}");
    assert!(screen.contains("JDP-2026-0141, at Joint decision") && screen.contains("d discards it"), "{screen}");
    let question: String = screen.lines().skip_while(|l| !l.contains("Please confirm")).take(8).collect();
    assert!(!question.contains("Jordan") && !question.contains("Reid"), "the reference only:\n{question}");
    press(&mut app, KeyCode::Enter);
    let w = app.walk().expect("the walk, with the kept typing");
    assert_eq!((w.case.needs.carer_views.as_str(), w.step), ("Mother will attend.", Step::Decision));
    assert!(!journal.exists(), "saved to the store at once");
    let mut other = PgStore::open(&url).unwrap();
    assert_eq!(other.draft(id).unwrap().unwrap().case.needs.carer_views, "Mother will attend.");
    // And now it records.
    seat_panel(&mut app);
    press(&mut app, KeyCode::Char('9'));
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    assert!(app.walk().unwrap().recorded.is_some(), "{:?}", app.walk().unwrap().failure);
    assert!(other.verify().unwrap().is_ok());
}

/// A new referral typed while the server is away is kept on this machine too, whether or not it
/// is yet complete enough to store, and offered (by what was typed as its reference, never the
/// child's name) when the workstation opens again.
#[test]
fn a_new_referral_typed_with_the_server_stopped_is_kept_here_and_stored_when_it_is_back() {
    let Some((server, url, _journals, journal)) = stoppable() else { return };
    let panel = default_panel();
    let open_app = || server_desk(&url, &journal);
    let mut app = open_app();
    app.load_examples();
    press(&mut app, KeyCode::Char('n'));
    server.crash();

    // Not yet complete enough to store (no name, no offence): kept here all the same.
    press(&mut app, KeyCode::Enter);
    typed(&mut app, "JDP-2026-0300");
    press(&mut app, KeyCode::Enter);
    let status = app.status.clone().unwrap_or_default();
    assert!(
        status.starts_with("Not saved: the server cannot be reached — your draft is kept on this machine"),
        "{status}"
    );
    let kept = std::fs::read_to_string(&journal).expect("kept on this machine");
    assert!(kept.contains("JDP-2026-0300"), "{kept}");
    #[cfg(unix)]
    assert_eq!(mode(&journal), 0o600, "owner-only");

    // Complete enough to store, and the chair moves on: still kept, with all of it.
    let w = app.walk_mut().unwrap();
    w.handle(Msg::SetText(Key::ChildName, "Riley Test".into()), &panel);
    w.handle(Msg::Choose(Key::Offence, Some("Common assault".into())), &panel);
    press(&mut app, KeyCode::Char(']'));
    let status = app.status.clone().unwrap_or_default();
    assert!(status.starts_with("Not saved: the server cannot be reached"), "{status}");
    let kept = std::fs::read_to_string(&journal).expect("kept on this machine");
    assert!(kept.contains("Riley Test") && kept.contains("Common assault"), "{kept}");

    // The workstation is closed before the server comes back; on opening it is offered.
    drop(app);
    server.launch();
    let mut app = open_app();
    let Some(Overlay::Confirm(jdp::tui::app::Confirm::Kept { reference, why, .. })) = &app.overlay else {
        panic!("the kept typing is offered: {}", render(&app, 100, 30))
    };
    assert_eq!((reference.as_str(), why.as_str()), ("JDP-2026-0300", "the server could not be reached"));
    let screen = render(&app, 100, 30);
    assert!(screen.contains("JDP-2026-0300, at Police research"), "{screen}");
    assert!(!screen.contains("Riley"), "the reference only:\n{screen}");
    press(&mut app, KeyCode::Enter);
    let w = app.walk().expect("the new referral, with the kept typing");
    assert_eq!((w.case.referral.child.name.as_str(), w.step), ("Riley Test", Step::Research));
    assert!(!journal.exists(), "saved to the store at once");
    let mut other = PgStore::open(&url).unwrap();
    let id = other.referral_id("JDP-2026-0300").unwrap().expect("the referral is in the store");
    assert_eq!(other.draft(id).unwrap().unwrap().case.referral.child.name, "Riley Test");
}

/// Issue 15: the scrutiny screen on either store. On a server it is a scrutiny login's, which may
/// read no decision's body, no referral and no reference: the queue, every anonymised case and
/// the review form work all the same, no name or reference is ever drawn, and the review is
/// recorded in the chain in the login's name.
mod the_scrutiny_screen_reviews_a_sampled_case {
    use super::*;

    /// A demo store with a sample of its autumn; the sample's record and body, and the path.
    fn sampled(dir: &std::path::Path) -> (std::path::PathBuf, jdp::store::Recorded, jdp::scrutiny::SampleRecord) {
        let path = dir.join("jdp.sqlite3");
        let mut store = demo_store(&path, 160, 23);
        let req = jdp::scrutiny::SampleRequest {
            seed: "screen".into(),
            from: date("2026-04-01"),
            to: date("2026-09-30"),
            size: 6,
            strata: jdp::domain::sampling::Strata::None,
            capped: Some(50),
            theme: None,
        };
        let (rec, sample) =
            jdp::scrutiny::draw(&mut store, &default_panel(), &req, "tester", chrono::Utc::now()).unwrap();
        (path, rec, sample)
    }

    /// Every name and reference the sampled decisions hold, read from the file itself.
    fn identifiers(path: &std::path::Path, sample: &jdp::scrutiny::SampleRecord) -> Vec<String> {
        let file = Store::open(path).unwrap();
        let mut out = Vec::new();
        for id in sample.cases() {
            let row = file.decision(id).unwrap().unwrap();
            let r = &row.snapshot.case.referral;
            out.push(r.reference.clone());
            out.extend(r.child.name.split_whitespace().filter(|w| w.len() > 2).map(str::to_string));
        }
        out
    }

    fn run(
        open: Box<dyn Backend>,
        login: &str,
        rec: &jdp::store::Recorded,
        sample: jdp::scrutiny::SampleRecord,
        hidden: &[String],
    ) -> i64 {
        let first = sample.cases()[0];
        let mut app = App::scrutiny(open, default_panel(), date(TODAY), rec.seq, sample);
        app.actor = login.into();
        // Opening says nothing of the panel's queue, which a scrutiny login may not read.
        assert_eq!(app.status, None);
        // Privacy mode is this login's own setting, kept like any other desk's.
        press(&mut app, KeyCode::Char('p'));
        assert!(app.privacy && app.status.is_none(), "{:?}", app.status);
        let queue = render(&app, 100, 30);
        assert!(queue.contains(&format!("{first}")), "the sampled cases are listed: {queue}");
        press(&mut app, KeyCode::Enter);
        assert_eq!(
            app.scrutiny_state().map(|s| s.view),
            Some(jdp::tui::screens::scrutiny::ScrutinyView::Case),
            "{:?}",
            app.status
        );
        for (w, h) in [(100, 30), (80, 24)] {
            let case = render(&app, w, h);
            assert!(case.contains("Decided "), "the anonymised case: {case}");
            for name in hidden {
                assert!(!case.contains(name.as_str()), "{name} is on the scrutiny screen:\n{case}");
            }
        }
        let s = app.scrutiny_state_mut().unwrap();
        s.form.rating = "consistent".into();
        s.form.reviewers = vec!["Lay member A".into()];
        for _ in 0..5 {
            press(&mut app, KeyCode::Down);
        }
        press(&mut app, KeyCode::Enter);
        let said = app.status.clone().unwrap_or_default();
        assert!(said.starts_with("Review recorded as record "), "{said}");
        // The board report needs the dates a scrutiny login may not read: it says who makes it.
        press(&mut app, KeyCode::Char('r'));
        let view = app.scrutiny_state().map(|s| s.view);
        if login == "lena" {
            let said = app.status.clone().unwrap_or_default();
            assert!(said.contains("a chair, member or admin makes it"), "{said}");
        } else {
            assert_eq!(view, Some(jdp::tui::screens::scrutiny::ScrutinyView::Report), "{:?}", app.status);
        }
        first
    }

    #[test]
    fn sqlite() {
        let dir = tempfile::tempdir().unwrap();
        let (path, rec, sample) = sampled(dir.path());
        let hidden = identifiers(&path, &sample);
        let first = run(Box::new(Store::open(&path).unwrap()), "chair", &rec, sample, &hidden);
        let store = Store::open(&path).unwrap();
        let reviews = jdp::scrutiny::reviews(&store).unwrap();
        assert_eq!(reviews.iter().map(|(_, r)| r.decision).collect::<Vec<_>>(), vec![first]);
    }

    #[test]
    fn postgres_as_a_scrutiny_login() {
        let Some(cluster) = pg::cluster() else { return };
        let dir = tempfile::tempdir().unwrap();
        let (path, rec, sample) = sampled(dir.path());
        let hidden = identifiers(&path, &sample);
        let owner = cluster.fresh_db();
        let db = owner.rsplit('/').next().unwrap().to_string();
        let mut server = PgStore::open(&owner).unwrap();
        server.copy_from(&Store::open(&path).unwrap()).unwrap();
        server.init_server().unwrap();
        // What a reviewer reads is what the file shows, for every decision and correction: as
        // copied, and as `jdp server init` prepares it where an older jdp's copy left none.
        let decisions = Store::open(&path).unwrap().seqs_of("decision").unwrap();
        let same_as_the_file = |server: &mut PgStore| {
            let mut corrections = 0;
            for &seq in &decisions {
                let kept = server.anonymised_case(seq).unwrap().unwrap();
                let read = Backend::anonymised_case(&mut Store::open(&path).unwrap(), seq, &default_panel()).unwrap();
                assert_eq!(Some(&kept), read.as_ref(), "record {seq}");
                corrections += usize::from(kept.correction.is_some());
            }
            assert!(corrections > 0, "the demo store's corrections are among them");
        };
        same_as_the_file(&mut server);
        cluster.admin(
            &db,
            "ALTER TABLE scrutiny_cases DISABLE TRIGGER USER; DELETE FROM scrutiny_cases;
             ALTER TABLE scrutiny_cases ENABLE TRIGGER USER",
        );
        assert!(server.anonymised_case(decisions[0]).is_err(), "none kept: refused, not made up");
        assert_eq!(server.prepare_scrutiny_cases().unwrap(), decisions.len());
        same_as_the_file(&mut server);
        assert_eq!(server.prepare_scrutiny_cases().unwrap(), 0, "once");
        cluster
            .admin("postgres", "DO $$ BEGIN CREATE ROLE lena LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
        server.grant("lena", jdp::store::pg::Role::Scrutiny, Some(&db)).unwrap();
        let lena = cluster.url("lena", &db);
        // The login may read no body, name or reference by any route.
        let mut c = postgres::Client::connect(&lena, postgres::NoTls).unwrap();
        for sql in ["SELECT body FROM records LIMIT 1", "SELECT reference FROM referrals LIMIT 1"] {
            assert!(c.query(sql, &[]).is_err(), "{sql} is refused to a scrutiny login");
        }
        let first = run(Box::new(PgStore::open(&lena).unwrap()), "lena", &rec, sample, &hidden);
        let reviews = jdp::scrutiny::reviews(&server.chain()).unwrap();
        assert_eq!(reviews.iter().map(|(_, r)| r.decision).collect::<Vec<_>>(), vec![first]);
        let seq = reviews[0].0;
        let by: String = c.query_one("SELECT recorded_by FROM records WHERE seq = $1", &[&seq]).map_or_else(
            |_| {
                postgres::Client::connect(&owner, postgres::NoTls)
                    .unwrap()
                    .query_one("SELECT recorded_by FROM records WHERE seq = $1", &[&seq])
                    .unwrap()
                    .get(0)
            },
            |r| r.get(0),
        );
        assert_eq!(by, "lena");
        assert!(server.verify().unwrap().is_ok());
        // What the login reads of a case cannot be altered, not even by the owner.
        let mut o = postgres::Client::connect(&owner, postgres::NoTls).unwrap();
        assert!(o.execute("UPDATE scrutiny_cases SET anonymised = anonymised", &[]).is_err());
        assert!(o.execute("DELETE FROM scrutiny_cases", &[]).is_err());
    }
}

/// Recording refused while the server was lost keeps the typing here; recorded once the server
/// is back (with no save in between), the case is in the store and nothing is left kept on this
/// machine to be offered again at the next opening.
#[test]
fn recorded_after_the_server_came_back_nothing_is_left_kept_here() {
    let Some(server) = pg::Cluster::private() else { return };
    let url = server.fresh_db();
    let journals = tempfile::tempdir().unwrap();
    let journal = journals.path().join("journal").join("desk.json");
    let mut app =
        App::new(PgStore::open(&url).unwrap(), default_panel(), date(TODAY), false).with_journal(journal.clone());
    app.actor = "jdp_test_super".into();
    app.load_examples();
    seat_panel(&mut app);
    walk_jordan_to_record(&mut app);
    server.crash();
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    assert!(app.walk().unwrap().recorded.is_none());
    assert!(journal.exists(), "kept on this machine");
    server.launch();
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    assert!(app.walk().unwrap().recorded.is_some(), "{:?}", app.walk().unwrap().failure);
    assert!(!journal.exists(), "recorded: nothing left kept here");
}

// A chair who records a correction and then starts another of the same decision at the same
// desk is not asked about a version of the first (recording settles what the screen had seen).
on_both_as_people!(a_second_correction_after_one_recorded_saves_without_a_question, |open| {
    let journals = tempfile::tempdir().unwrap();
    let mut sam = chair_at_jordans_record_step(open, journals.path());
    press(&mut sam, KeyCode::Enter);
    press(&mut sam, KeyCode::Enter);
    let id = sam.walk_referral().unwrap();
    press(&mut sam, KeyCode::Esc);
    let mut reader = open("sam");
    for (n, reason) in ["The first correction", "The second correction"].into_iter().enumerate() {
        to_queue(&mut sam);
        select(&mut sam, "JDP-2026-0141");
        press(&mut sam, KeyCode::Enter);
        assert!(matches!(sam.screen, Screen::Recorded(_)), "{}", render(&sam, 100, 30));
        press(&mut sam, KeyCode::Char('c'));
        typed(&mut sam, reason);
        press(&mut sam, KeyCode::Esc);
        assert!(sam.overlay.is_none(), "correction {}: {:?} {}", n + 1, sam.status, render(&sam, 100, 30));
        assert_eq!(reader.correction_draft(id).unwrap().unwrap().reason, reason);
        let words = format!("First offence, admitted; {reason}.");
        sam.walk_mut().unwrap().handle(Msg::SetText(Key::Rationale, words), &default_panel());
        press(&mut sam, KeyCode::Char('9'));
        press(&mut sam, KeyCode::Enter);
        press(&mut sam, KeyCode::Enter);
        assert!(sam.walk().unwrap().recorded.is_some(), "{:?} {}", sam.walk().unwrap().failure, render(&sam, 100, 30));
        assert!(reader.correction_draft(id).unwrap().is_none(), "recorded: nothing left in progress");
        press(&mut sam, KeyCode::Esc);
    }
});

// A newcomer's finding: q in a walk on a server said "This mock panel is held in memory only:
// leaving ends it." A live store, file or server, keeps the walk as a draft, and says so.
on_both_as_people!(leaving_a_walk_on_a_live_store_says_the_draft_is_kept, |open| {
    let journals = tempfile::tempdir().unwrap();
    let mut dana = desk(open, "dana", journals.path());
    dana.load_examples();
    open_at(&mut dana, "JDP-2026-0142", '2');
    press(&mut dana, KeyCode::Char('q'));
    let screen = render(&dana, 100, 30);
    assert!(screen.contains("saved as a draft"), "{screen}");
    assert!(!screen.contains("mock panel"), "{screen}");
});

// A newcomer's finding: the "changed by … — reload?" question opened over the field being typed
// in, and the next letters answered it ("o": save mine over theirs) or fired shortcuts. While a
// field is being typed in, the question waits until the field is left; the letters stay text.
on_both_as_people!(a_colleagues_save_never_turns_typing_into_answers, |open| {
    let journals = tempfile::tempdir().unwrap();
    let (mut dana, mut vic) = dana_and_vic_on_kaylas_referral(open, journals.path(), '2');
    press(&mut dana, KeyCode::Char('3'));
    let id = dana.walk_referral().unwrap();
    assert_eq!(dana.store.draft(id).unwrap().unwrap().saved_by, "dana");
    // Vic types in a field; the autosave is refused meanwhile.
    while !matches!(vic.overlay, Some(Overlay::Edit(_))) {
        press(&mut vic, KeyCode::Down);
        press(&mut vic, KeyCode::Enter);
        if !matches!(vic.overlay, Some(Overlay::Edit(_))) {
            vic.overlay = None;
        }
    }
    typed(&mut vic, "None identified");
    vic.tick(std::time::Instant::now() + std::time::Duration::from_secs(5));
    assert!(matches!(vic.overlay, Some(Overlay::Edit(_))), "the field stays open: {}", render(&vic, 100, 30));
    typed(&mut vic, " or known");
    let Some(Overlay::Edit(e)) = &vic.overlay else { panic!("{}", render(&vic, 100, 30)) };
    assert!(e.area.lines().join("\n").ends_with("None identified or known"), "{:?}", e.area.lines());
    let d = dana.store.draft(id).unwrap().unwrap();
    assert_eq!(
        (d.saved_by.as_str(), d.case.research.history.as_str()),
        ("dana", "Dana's words."),
        "o answered nothing"
    );
    // Leaving the field asks.
    press(&mut vic, KeyCode::Tab);
    assert!(
        matches!(vic.overlay, Some(Overlay::Confirm(jdp::tui::app::Confirm::Reload { .. }))),
        "{:?} {}",
        vic.status,
        render(&vic, 100, 30)
    );
    assert!(render(&vic, 100, 30).contains("o save yours over theirs"), "{}", render(&vic, 100, 30));
});

on_both_as_people!(an_open_queue_shows_another_desks_work_without_being_reopened, |open| {
    let journals = tempfile::tempdir().unwrap();
    let mut dana = desk(open, "dana", journals.path());
    dana.load_examples();
    to_queue(&mut dana);
    select(&mut dana, "JDP-2026-0143");
    let t0 = std::time::Instant::now();
    dana.tick(t0);
    assert!(!render(&dana, 120, 40).contains("by vic"));

    // Vic starts preparing Kayla's referral at her desk.
    let mut vic = desk(open, "vic", journals.path());
    to_queue(&mut vic);
    open_at(&mut vic, "JDP-2026-0142", '2');
    vic.walk_mut().unwrap().handle(Msg::SetText(Key::History, "Vic's words.".into()), &default_panel());
    press(&mut vic, KeyCode::Char('3'));
    assert_eq!(vic.status, None, "saved");

    // Dana's queue, left open, shows it within seconds, her own place in it kept.
    dana.tick(t0 + std::time::Duration::from_secs(1));
    dana.tick(t0 + jdp::tui::app::QUEUE_REREAD);
    let queue = render(&dana, 120, 40);
    assert!(queue.contains("by vic"), "{queue}");
    let q = dana.queue_state_mut().unwrap();
    assert_eq!(q.rows[q.selected].referral.reference, "JDP-2026-0143", "still on the row she chose");
});

on_both_as_people!(reloading_a_colleagues_version_keeps_this_desk_on_its_own_step, |open| {
    let journals = tempfile::tempdir().unwrap();
    let (mut dana, _vic) = dana_and_vic_on_kaylas_referral(open, journals.path(), '3');
    // Dana moves on to step 4: refused (Vic saved meanwhile, at step 3) and asked.
    press(&mut dana, KeyCode::Char('4'));
    assert!(matches!(dana.overlay, Some(Overlay::Confirm(jdp::tui::app::Confirm::Reload { .. }))));
    press(&mut dana, KeyCode::Enter);
    let w = dana.walk().unwrap();
    assert_eq!(w.step, Step::Needs, "she stays where she went, not on the step Vic saved from");
    assert!(w.case.research.history.is_empty(), "their version is on screen");
});

// A newcomer's finding: after "reload theirs", the typing kept here was offered back at the next
// start, which nothing had said. Enter says so now; d reloads theirs and lets yours go at once.
on_both_as_people!(reloading_says_yours_is_offered_at_the_next_start_and_d_discards_it_at_once, |open| {
    let journals = tempfile::tempdir().unwrap();
    let (mut dana, _vic) = dana_and_vic_on_kaylas_referral(open, journals.path(), '3');
    press(&mut dana, KeyCode::Char('4'));
    let question = render(&dana, 80, 24);
    assert!(question.contains("d reloads theirs and discards yours"), "{question}");
    assert!(
        question.lines().last().unwrap().contains("d reload, discard yours  o save yours over theirs"),
        "{question}"
    );
    press(&mut dana, KeyCode::Enter);
    let said = dana.status.clone().unwrap_or_default();
    assert!(said.contains("offered back when jdp next opens"), "{said}");
    dana.stop();
    let mut again =
        App::new(open("dana"), default_panel(), date(TODAY), false).with_journal(journals.path().join("dana.json"));
    let offer = render(&again, 100, 30);
    assert!(matches!(again.overlay, Some(Overlay::Confirm(jdp::tui::app::Confirm::Kept { .. }))), "{offer}");
    again.stop();

    let journals = tempfile::tempdir().unwrap();
    let (mut dana, _vic) = dana_and_vic_on_kaylas_referral(open, journals.path(), '3');
    press(&mut dana, KeyCode::Char('4'));
    let kept = std::fs::read_to_string(journals.path().join("dana.json")).unwrap();
    assert!(kept.contains("Dana's words."), "kept while asked: {kept}");
    press(&mut dana, KeyCode::Char('d'));
    assert!(dana.walk().unwrap().case.research.history.is_empty(), "their version is on screen");
    assert_eq!(dana.walk().unwrap().step, Step::Needs);
    let said = dana.status.clone().unwrap_or_default();
    assert!(said.contains("Yours is discarded"), "{said}");
    let kept = std::fs::read_to_string(journals.path().join("dana.json")).unwrap_or_default();
    assert!(!kept.contains("Dana's words."), "nothing kept: {kept}");
    dana.stop();
    let mut again =
        App::new(open("dana"), default_panel(), date(TODAY), false).with_journal(journals.path().join("dana.json"));
    assert!(
        !matches!(again.overlay, Some(Overlay::Confirm(jdp::tui::app::Confirm::Kept { .. }))),
        "nothing offered at the next start: {}",
        render(&again, 100, 30)
    );
    again.stop();
});

on_both_as_people!(the_header_names_the_login_and_the_panels_database_on_a_server, |open| {
    let journals = tempfile::tempdir().unwrap();
    let dana = desk(open, "dana", journals.path());
    let screen = render(&dana, 120, 40);
    let top = screen.lines().next().unwrap();
    match dana.store.login() {
        Some(_) => assert!(top.contains(" dana · t"), "the login and the database: {top}"),
        None => assert!(!top.contains("dana"), "a file names no login: {top}"),
    }
});
