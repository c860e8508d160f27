//! The panel session: the chair, who is present, apologies and observers. The walk reads attendance from here whenever it needs it.

use std::time::Instant;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::domain::referral::Member;
use crate::tui::app::*;
use crate::tui::keys::Action;
use crate::tui::runner::Command;
use crate::tui::strings as s;
use crate::tui::theme;
use crate::tui::view::boxed;
use crate::walk::Value;

/// The session form's state: which field has the focus.
#[derive(Debug, Default)]
pub struct SessionScreen {
    pub focus: usize,
    /// The referral selected in the queue when the session was opened: selected again on return.
    pub back_to: Option<i64>,
}

impl App {
    pub fn session_fields(&self) -> Vec<(SessionKey, String, String)> {
        let mut v = vec![(SessionKey::Chair, "Chair".to_string(), self.session.chair.clone())];
        for (i, m) in self.session.members.iter().enumerate() {
            let agency = self.panel.agency(&m.agency).map_or(m.agency.clone(), |a| a.name.clone());
            v.push((SessionKey::MemberName(i), format!("Member {}: name", i + 1), m.name.clone()));
            v.push((SessionKey::MemberAgency(i), format!("Member {}: agency", i + 1), agency));
            v.push((SessionKey::MemberRole(i), format!("Member {}: role", i + 1), m.role.clone()));
        }
        v.push((SessionKey::AddMember, "+ Add a member present".into(), String::new()));
        v.push((SessionKey::Apologies, "Apologies (one a line)".into(), self.session.apologies.join("\n")));
        v.push((SessionKey::Observers, "Observers (one a line)".into(), self.session.observers.join("\n")));
        v
    }

    pub(crate) fn on_session_key(&mut self, action: Action) {
        let fields = self.session_fields();
        let Screen::Session(SessionScreen { focus, .. }) = &mut self.screen else { return };
        match action {
            Action::Back => {
                let back = match &self.screen {
                    Screen::Session(s) => s.back_to,
                    _ => None,
                };
                self.back_to_queue(back);
            }
            Action::Remove => {
                let member = match fields.get(*focus).map(|f| &f.0) {
                    Some(SessionKey::MemberName(i) | SessionKey::MemberAgency(i) | SessionKey::MemberRole(i)) => *i,
                    _ => {
                        self.status = Some("Del removes a member: move to their name first.".into());
                        return;
                    }
                };
                let gone = self.session.members.remove(member);
                let who = if gone.name.trim().is_empty() { "the unnamed member".to_string() } else { gone.name };
                self.status = Some(format!("Removed {who} from those present."));
                let n = self.session_fields().len();
                if let Screen::Session(s) = &mut self.screen {
                    s.focus = s.focus.min(n.saturating_sub(1));
                }
                self.cmd(Command::SaveSession);
            }
            Action::Up => *focus = (*focus + fields.len() - 1) % fields.len(),
            Action::Down => *focus = (*focus + 1) % fields.len(),
            Action::Open => {
                let (k, label, value) = fields[(*focus).min(fields.len() - 1)].clone();
                match k {
                    SessionKey::AddMember => {
                        self.session.members.push(Member {
                            name: String::new(),
                            agency: String::new(),
                            role: String::new(),
                        });
                        let i = self.session.members.len() - 1;
                        let at = self.session_fields().iter().position(|f| f.0 == SessionKey::MemberName(i));
                        if let Screen::Session(s) = &mut self.screen {
                            s.focus = at.unwrap_or(0);
                        }
                        // The name is what comes next: its editor opens at once, so every letter
                        // typed is the name's, never a shortcut.
                        self.overlay = Some(Overlay::Edit(Editor {
                            target: Target::Session(SessionKey::MemberName(i)),
                            label: format!("Member {}: name", i + 1),
                            area: text_area(""),
                            multiline: false,
                            changed: false,
                            last_save: Instant::now(),
                        }));
                        self.cmd(Command::SaveSession);
                    }
                    SessionKey::MemberAgency(i) => {
                        let options = self.panel.agencies.iter().map(|a| (a.id.clone(), a.name.clone())).collect();
                        let current = self.session.members[i].agency.clone();
                        self.overlay = Some(picker(
                            Target::Session(k),
                            label,
                            options,
                            &Value::Choice(Some(current)),
                            false,
                            false,
                        ));
                    }
                    SessionKey::MemberRole(i) => {
                        let agency = self.panel.agency(&self.session.members[i].agency);
                        let options: Vec<(String, String)> = agency
                            .map(|a| a.roles.iter().map(|r| (r.clone(), r.clone())).collect())
                            .unwrap_or_default();
                        if options.is_empty() {
                            self.status = Some("Choose the member's agency first.".into());
                        } else {
                            let current = Value::Choice(Some(self.session.members[i].role.clone()));
                            self.overlay = Some(picker(Target::Session(k), label, options, &current, false, false));
                        }
                    }
                    _ => {
                        let multiline = matches!(k, SessionKey::Apologies | SessionKey::Observers);
                        self.overlay = Some(Overlay::Edit(Editor {
                            target: Target::Session(k),
                            label,
                            area: text_area(&value),
                            multiline,
                            changed: false,
                            last_save: Instant::now(),
                        }));
                    }
                }
            }
            _ => {}
        }
    }

    pub(crate) fn session(&self, form: &SessionScreen, area: Rect, buf: &mut Buffer) {
        let block = boxed("Panel session");
        let inner = block.inner(area);
        block.render(area, buf);
        let mut lines = vec![
            Line::from(format!("Date: {}", self.today.format("%A %-d %B %Y"))).style(theme::label()),
            Line::from(self.quorum_line()),
            Line::from(""),
        ];
        for (i, (_, label, value)) in self.session_fields().iter().enumerate() {
            let focused = i == form.focus;
            let value = value.lines().collect::<Vec<_>>().join("; ");
            let text = format!("{}{:<28} {}", if focused { "▶ " } else { "  " }, label, value);
            lines.push(Line::from(text).style(if focused { theme::focus() } else { Style::new() }));
        }
        lines.push(Line::from(""));
        lines.push(Line::from(s::CONFIDENTIAL).style(theme::muted()));
        Paragraph::new(lines).wrap(Wrap { trim: false }).render(inner, buf);
    }
}
