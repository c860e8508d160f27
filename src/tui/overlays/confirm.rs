//! "Please confirm": each question carries what it is about, so nothing waits in `App` for an
//! answer.

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::widgets::{Clear, Paragraph, Widget, Wrap};

use super::{Editor, Overlay};
use crate::tui::app::App;
use crate::tui::runner::Command;
use crate::tui::view::{boxed, centre};
use crate::walk::{Msg, Value};

pub enum Confirm {
    /// A walk was left in progress: resume it? (Shown by reference only, never by name.)
    Resume {
        referral: i64,
        reference: String,
        step: String,
        saved: String,
    },
    /// The debrief file exists already: replace it?
    Overwrite {
        path: std::path::PathBuf,
        markdown: String,
    },
    /// q during a walk: the walk is a draft already, but leaving is asked, never assumed.
    Quit,
    Record,
    /// A letter is written: has it been sent? Yes records it sent toward its task (done once
    /// every letter the task needs is sent).
    LetterSent {
        task: String,
        to: crate::domain::letters::Recipient,
        path: std::path::PathBuf,
    },
    /// Quitting from an editor with typing not yet kept; the editor waits here.
    QuitWithTyping(Box<Editor>),
    /// Another workstation (or screen) saved this case since this one read it: the typing on
    /// screen is kept on this machine, and nothing is overwritten unless the person says so.
    Reload {
        referral: i64,
        by: String,
        at: String,
    },
    /// v on a case: the members' own ratings, given blind, shown for discussion (not undone).
    Reveal {
        decision: i64,
        given: usize,
    },
    /// Esc or q on a case whose review has typing not yet recorded: leave it (and lose it)?
    LeaveReview {
        quit: bool,
    },
    /// Typing kept on this machine (the store could not take it) is offered back on opening.
    Kept {
        /// None: a new referral the store does not yet have.
        referral: Option<i64>,
        reference: String,
        step: String,
        kept_at: String,
        why: String,
    },
}

impl App {
    pub(crate) fn on_confirm_key(&mut self, c: Confirm, key: KeyEvent) -> Option<Overlay> {
        let yes = matches!(key.code, KeyCode::Enter | KeyCode::Char('y'));
        let no = matches!(key.code, KeyCode::Esc | KeyCode::Char('n'));
        match c {
            Confirm::Resume { referral, .. } if yes => {
                self.cmd(Command::OpenReferral(referral));
                None
            }
            Confirm::Overwrite { path, markdown } if yes => {
                self.cmd(Command::SaveDebrief { path, markdown, overwrite: true });
                None
            }
            Confirm::Overwrite { .. } if no => {
                self.status = Some("Not saved: the existing file is left as it was.".into());
                None
            }
            // Only y: Enter, pressed on through the picker and the file name, is "not yet" (a
            // letter just written has not been sent, and a closed task is never reopened).
            Confirm::LetterSent { task, to, .. } if key.code == KeyCode::Char('y') => {
                let by =
                    if self.session.chair.trim().is_empty() { self.actor.clone() } else { self.session.chair.clone() };
                self.cmd(Command::CloseTask {
                    id: task,
                    closed: crate::domain::task_board::Closed::LetterSent { to },
                    by,
                });
                None
            }
            Confirm::LetterSent { .. } if no || key.code == KeyCode::Enter => {
                self.status = Some("The letter is written; its task stays open until it is sent.".into());
                None
            }
            Confirm::Reload { referral, .. } if yes => {
                self.cmd(Command::Reload { referral, keep_yours: true });
                None
            }
            Confirm::Reload { referral, .. } if key.code == KeyCode::Char('d') => {
                self.cmd(Command::Reload { referral, keep_yours: false });
                None
            }
            Confirm::Reload { .. } if key.code == KeyCode::Char('o') => {
                if let Some(step) = self.walk().map(|w| w.step) {
                    self.cmd(Command::SaveOver(step));
                }
                None
            }
            Confirm::Reload { .. } if no => {
                self.status = Some(
                    "Your version is kept on this machine, not saved to the store: o at the next question saves it \
                     over theirs."
                        .into(),
                );
                None
            }
            Confirm::Kept { referral, .. } if yes => {
                self.cmd(Command::RestoreKept(referral));
                None
            }
            Confirm::Kept { referral, .. } if key.code == KeyCode::Char('d') => {
                self.cmd(Command::ForgetKept(referral));
                None
            }
            Confirm::Reveal { .. } if yes => {
                self.reveal_own_ratings();
                None
            }
            Confirm::LeaveReview { quit } if yes => {
                self.leave_review(quit);
                None
            }
            Confirm::Quit if yes => {
                self.stop();
                None
            }
            Confirm::Record if yes => {
                self.send(Msg::Record);
                None
            }
            Confirm::QuitWithTyping(e) => match key.code {
                KeyCode::Char('y') | KeyCode::Enter => {
                    self.commit(e.target.clone(), Value::Text(e.area.lines().join("\n")));
                    if let Some(step) = self.walk().map(|w| w.step) {
                        self.cmd(Command::SaveDraft(step));
                    }
                    self.quit = true;
                    None
                }
                // d, not n: "n" reads as "no, don't quit", so it goes back to the typing.
                KeyCode::Char('d') => {
                    self.quit = true;
                    None
                }
                KeyCode::Esc | KeyCode::Char('n') => Some(Overlay::Edit(*e)),
                _ => Some(Overlay::Confirm(Confirm::QuitWithTyping(e))),
            },
            _ if no => None,
            c => Some(Overlay::Confirm(c)),
        }
    }

    pub(super) fn draw_confirm(&self, c: &Confirm, area: Rect, buf: &mut Buffer) {
        let text = match c {
            // The reference only, never the name: this can appear on a projector.
            Confirm::Resume { reference, step, saved, .. } => format!(
                "A panel walk was in progress: {reference}, at {step} (saved {saved}).\n\nResume it now? Enter resumes; Esc goes to the queue (the draft is kept)."
            ),
            Confirm::Overwrite { path, .. } => {
                format!("{} exists already.\n\nReplace it? Enter or y replaces · Esc or n keeps it", path.display())
            }
            Confirm::Reveal { decision, given } => format!(
                "Show the members' own ratings of record {decision} ({given} given)?\n\nThey were given blind; once shown they stay on screen for this case.\n\nEnter or y shows them · Esc keeps them hidden"
            ),
            Confirm::LeaveReview { quit } => format!(
                "The review of this case is not recorded.\n\n{} loses what was typed into it (Enter on \"Record this review\" records it).\n\nEnter or y {} · Esc stays",
                if *quit { "Leaving jdp" } else { "Going back to the queue" },
                if *quit { "leaves" } else { "goes back" },
            ),
            Confirm::Quit if self.held_in_memory() => "Leave jdp?\n\nThis mock panel is held in memory only: leaving ends it.\n\nEnter or y leaves · Esc stays".into(),
            Confirm::Quit if self.walk_referral().is_none() => "Leave jdp?\n\nThis new referral is kept as typed; press n when jdp opens to carry on with it.\n\nEnter or y leaves · Esc stays".into(),
            Confirm::Quit => "Leave jdp?\n\nThis walk is saved as a draft; it is offered again when jdp opens.\n\nEnter or y leaves · Esc stays".into(),
            Confirm::Record => "Record this joint decision now?\n\nOnce recorded it cannot be edited; a correction would be a new, linked record.\n\nEnter records · Esc goes back".into(),
            Confirm::LetterSent { task, to, path } => {
                let records = if crate::domain::task_board::letters_needed(to.task()).len() > 1 {
                    format!(
                        "y records {} letter sent (task {task} is done when every letter it needs is sent)",
                        crate::domain::task_board::whose(*to)
                    )
                } else {
                    format!("y records task {task} done")
                };
                format!(
                    "The letter is written to {} (readable by you only).\n\nHas it been sent? {records} · Enter, n or Esc: not yet (it stays open)",
                    path.display()
                )
            }
            Confirm::QuitWithTyping(_) => "You have typing that is not yet kept.\n\ny keep it and quit · d discard it and quit · Esc back to typing".into(),
            Confirm::Reload { by, at, .. } => format!(
                "This case was changed by {by} at {at} — reload?\n\nEnter or y reloads their version (yours is kept on this machine, offered when jdp next opens) · d reloads theirs and discards yours · o saves your whole version over theirs (their changes since are lost) · Esc decides later"
            ),
            // The reference only, never the name: this can appear on a projector.
            Confirm::Kept { reference, step, kept_at, why, .. } => format!(
                "Work typed on this machine was not saved to the store: {reference}, at {step} (kept {kept_at}: {why}).\n\nEnter carries on with it · d discards it · Esc keeps it for later"
            ),
        };
        let r = centre(area, 70, 9);
        Clear.render(r, buf);
        Paragraph::new(text).wrap(Wrap { trim: false }).block(boxed("Please confirm")).render(r, buf);
    }
}
