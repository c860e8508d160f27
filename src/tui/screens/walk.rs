//! The panel walk: the step bar, the fields, the guidance, the review and the record step. Findings come from the walk (and so from the domain) every time they are drawn.

use std::time::Instant;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

use crate::domain::checks::Severity;
use crate::domain::gravity;
use crate::domain::panel::ILLUSTRATIVE_LABEL;
use crate::tui::app::*;
use crate::tui::keys::Action;
use crate::tui::runner::Command;
use crate::tui::strings as s;
use crate::tui::theme;
use crate::tui::view::{finding_line, trunc, who, wrap};
use crate::walk::{Key, Kind, Msg, Step, Value, Walk};

impl App {
    pub(crate) fn send(&mut self, msg: Msg) {
        // A new referral cannot leave the facts step until it can be saved.
        if self.walk_referral().is_none()
            && matches!(msg, Msg::Next | Msg::Back | Msg::Goto(_))
            && let Some(w) = self.walk()
        {
            if !w.case.referral.is_identifiable() {
                self.status = Some(
                    "Give the reference, the child's name and the offence first: the referral is saved then.".into(),
                );
                return;
            }
        }
        let Screen::Walk(s) = &mut self.screen else { return };
        let before = s.walk.step;
        let effects = s.walk.handle(msg, walk_cx(&self.panel, &self.session, &self.cannot_record_as));
        let moved = s.walk.step != before;
        if moved {
            s.review_scroll = 0;
        }
        self.cmd(Command::Walk(effects));
        if moved && self.trainer.is_some() {
            self.cmd(Command::Reveal);
        }
    }

    pub(crate) fn on_walk_key(&mut self, action: Action) {
        let Some(w) = self.walk() else { return };
        if w.recorded.is_some() {
            match action {
                Action::Back if self.trainer.is_some() => self.open_debrief(),
                Action::Back => self.close_walk(),
                Action::Debrief if self.trainer.is_some() => self.open_debrief(),
                // A mock panel's decision is held in memory only: no letter is written from it.
                Action::Letter if self.trainer.is_none() => self.open_letter_picker(),
                _ => {}
            }
            return;
        }
        if self.trainer.is_some() {
            match action {
                Action::Release => return self.cmd(Command::Release),
                Action::Notes => {
                    if let Some(t) = self.trainer.as_mut() {
                        t.notes_visible = !t.notes_visible;
                    }
                    return;
                }
                Action::Back => {
                    self.screen = Screen::Picker;
                    return;
                }
                _ => {}
            }
        }
        let step = w.step;
        match action {
            Action::Back => self.close_walk(),
            Action::NextStep => self.send(Msg::Next),
            Action::PrevStep => self.send(Msg::Back),
            Action::Step(n) => self.send(Msg::Goto(Step::ALL[usize::from(n.clamp(1, 9)) - 1])),
            Action::Down | Action::Up if matches!(step, Step::Review | Step::Record) => {
                if let Screen::Walk(s) = &mut self.screen {
                    super::scroll(&mut s.review_scroll, s.max_scroll.get(), action, 10);
                }
            }
            // The guidance pane of steps 1–7 scrolls on its own (at 80×24 it can be longer).
            Action::PageDown | Action::PageUp => {
                if let Screen::Walk(s) = &mut self.screen {
                    super::scroll(&mut s.review_scroll, s.max_scroll.get(), action, 5);
                }
            }
            Action::Down => self.send(Msg::FocusNext),
            Action::Up => self.send(Msg::FocusPrev),
            Action::Open if step == Step::Record => {
                let correcting = w.correction_of.is_some();
                // The same findings as the step bar and the review: a blocked decision is never
                // offered for recording.
                let blocking = w
                    .findings(walk_cx(&self.panel, &self.session, &self.cannot_record_as))
                    .iter()
                    .filter(|f| f.severity == crate::domain::Severity::Blocking)
                    .count();
                if self.walk_referral().is_none() && !correcting {
                    self.status = Some("Complete the referral facts first.".into());
                } else if blocking > 0 {
                    self.status = Some(format!(
                        "Not recorded: {blocking} blocking finding(s) are listed below; each names its step."
                    ));
                } else {
                    self.overlay = Some(Overlay::Confirm(Confirm::Record));
                }
            }
            Action::Remove => match w.focused(&self.panel).map(|f| f.key) {
                Some(key @ crate::walk::Key::Search(i, _)) => {
                    self.send(Msg::Remove(key));
                    self.status = Some(format!("Removed search entry {} from the audit.", i + 1));
                }
                _ => {
                    self.status = Some("Del removes a search audit entry: move to one of its fields first.".into());
                }
            },
            Action::Open => self.activate(false),
            Action::Tick => self.activate(true),
            _ => {}
        }
    }

    pub(crate) fn close_walk(&mut self) {
        if let Some(w) = self.walk()
            && w.recorded.is_none()
        {
            let step = w.step;
            self.cmd(Command::SaveDraft(step));
            // The draft is saved before the walk leaves the screen.
            self.run_commands();
        }
        let referral = self.walk_referral();
        if referral.is_none() && self.walk().is_some_and(|w| w.recorded.is_none()) {
            self.status = Some("The new referral is kept as typed: press n to carry on with it.".into());
        }
        self.back_to_queue(referral);
    }

    /// Enter or Space on the focused field.
    pub(crate) fn activate(&mut self, space: bool) {
        let Some(w) = self.walk() else { return };
        let Some(field) = w.focused(&self.panel) else { return };
        let value = w.value(&field.key);
        // With privacy on nothing is edited: a text field opens its editor read only (drawn
        // scrubbed; p there switches privacy off and the same editor takes the typing), and a
        // tick box, list or action does nothing but say why.
        if self.privacy && !matches!(field.kind, Kind::Line | Kind::Text | Kind::Date) {
            self.status = Some(s::PRIVACY_READ_ONLY.into());
            return;
        }
        match &field.kind {
            Kind::Toggle => self.send(Msg::Toggle(field.key)),
            Kind::Action => self.send(Msg::Press(field.key)),
            _ if space => {}
            Kind::Choice { options, optional } => {
                self.overlay = Some(picker(
                    Target::Walk(field.key.clone()),
                    field.label.clone(),
                    options.clone(),
                    &value,
                    false,
                    *optional,
                ))
            }
            Kind::Multi(options) => {
                self.overlay = Some(picker(
                    Target::Walk(field.key.clone()),
                    field.label.clone(),
                    options.clone(),
                    &value,
                    true,
                    true,
                ))
            }
            Kind::Line | Kind::Text | Kind::Date => {
                // A rejected value is offered again for correction rather than lost.
                let shown = value.display(&field.kind);
                self.overlay = Some(Overlay::Edit(Editor {
                    target: Target::Walk(field.key.clone()),
                    label: field.label.clone(),
                    area: text_area(&shown),
                    multiline: field.kind == Kind::Text,
                    changed: false,
                    last_save: Instant::now(),
                }));
            }
        }
    }

    pub(crate) fn start_walk(&mut self, w: Walk, referral: Option<i64>) {
        self.screen =
            Screen::Walk(Box::new(WalkScreen { walk: w, referral, review_scroll: 0, max_scroll: Default::default() }));
    }

    pub(crate) fn walk_screen(&self, area: Rect, buf: &mut Buffer) {
        let Screen::Walk(ws) = &self.screen else { return };
        let w = &ws.walk;
        let [bar, title, body] =
            Layout::vertical([Constraint::Length(1), Constraint::Length(1), Constraint::Fill(1)]).areas(area);
        // One reading of the findings a frame: the step bar, the guidance and the review share it.
        let findings = w.findings(self.cx());
        self.step_bar(w, &findings, bar, buf);
        let mut t = format!(" {}  {} — {}", w.step.index() + 1, s::step_title(w.step), who(&w.case, self.privacy));
        if let Some(seq) = w.correction_of {
            t.push_str(&format!(" — CORRECTING record {seq}"));
        }
        Line::from(trunc(&t, title.width as usize)).style(theme::title()).render(title, buf);
        let wide = area.width >= 100;
        // Steps with a few fields and a lot of guidance read better with the guidance full width.
        let few = matches!(w.step, Step::Gravity | Step::Outcome | Step::Decision);
        let n = w.fields(&self.panel).len() as u16;
        let [fields, context] = if few {
            Layout::vertical([Constraint::Length(n + 1), Constraint::Fill(1)]).areas(body)
        } else if wide {
            Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)]).spacing(1).areas(body)
        } else {
            Layout::vertical([Constraint::Fill(3), Constraint::Fill(2)]).areas(body)
        };
        match w.step {
            Step::Review | Step::Record => self.review(w, &findings, body, buf),
            _ => {
                self.fields(w, fields, buf);
                self.guidance(w, &findings, context, ws.review_scroll, &ws.max_scroll, buf);
            }
        }
    }

    pub(crate) fn step_bar(&self, w: &Walk, findings: &[crate::domain::Finding], area: Rect, buf: &mut Buffer) {
        use crate::walk::StepStatus;
        let wide = area.width >= 130;
        // One reading of the findings for every step: the same list the review and record read.
        let mut spans = vec![Span::raw(" ")];
        for step in Step::ALL {
            let status = crate::walk::status_of(findings, step, w.visited.contains(&step));
            let (mark, style) = match status {
                StepStatus::NotVisited => (" ", Style::new()),
                StepStatus::Blocked => (s::MARK_MISSING, theme::blocking()),
                StepStatus::Incomplete => (s::MARK_INCOMPLETE, theme::warning()),
                StepStatus::Complete => (s::MARK_DONE, theme::ok()),
            };
            let name = if wide { s::step_title(step) } else { s::step_short(step) };
            let here = step == w.step;
            let style = if here { theme::focus() } else { style };
            let arrow = if here { s::MARK_HERE } else { "" };
            spans.push(Span::styled(format!("{arrow}{}{mark}{name}", step.index() + 1), style));
            spans.push(Span::raw(" "));
        }
        Line::from(spans).render(area, buf);
    }

    pub(crate) fn fields(&self, w: &Walk, area: Rect, buf: &mut Buffer) {
        let block = Block::new().borders(Borders::TOP).title(" Fields ");
        let inner = block.inner(area);
        block.render(area, buf);
        let fields = w.fields(&self.panel);
        let label_w = (inner.width as usize / 2).clamp(16, 34);
        let mut lines: Vec<(Line, bool)> = Vec::new();
        let show = self.shower(&w.case);
        for (i, f) in fields.iter().enumerate() {
            let focused = i == w.focus;
            let value = w.value(&f.key);
            let private = matches!(
                f.key,
                crate::walk::Key::ChildName | crate::walk::Key::KnownAs | crate::walk::Key::DateOfBirth
            );
            let mut shown = if private && self.privacy {
                "(hidden: privacy mode)".to_string()
            } else {
                show(value.display(&f.kind))
            };
            if shown.is_empty() && matches!(value, Value::Text(_) | Value::Choice(None) | Value::Date(None)) {
                shown = if f.hint.is_empty() { "—".into() } else { format!("— {}", f.hint) };
            }
            // A view given for an earlier proposal says so where it is shown, not only below.
            let agency = match f.key {
                Key::PoliceView => Some("police"),
                Key::YjsView => Some("yjs"),
                _ => None,
            };
            let d = &w.case.decision;
            if agency.and_then(|a| d.view_of(a)).is_some_and(|v| d.is_stale(v)) {
                shown.push_str(" ! given for an earlier proposal: give it again");
            }
            let mark = if focused { "▶ " } else { "  " };
            let style = if focused { theme::focus() } else { Style::new() };
            let value_w = (inner.width as usize).saturating_sub(label_w + 3).max(10);
            if focused {
                // The focused field is read in full: a label too long for its column gets a line
                // of its own, and the text wraps under the value column.
                let mut label_line = f.label.chars().count() > label_w;
                if label_line {
                    for part in wrap(&f.label, (inner.width as usize).saturating_sub(2).max(10)) {
                        let m = if label_line { mark } else { "  " };
                        lines.push((Line::from(format!("{m}{part}")).style(style), true));
                        label_line = false;
                    }
                }
                let long = f.label.chars().count() > label_w;
                let wrapped = wrap(&shown, value_w);
                for (j, part) in wrapped.iter().enumerate() {
                    let label = if j == 0 && !long { trunc(&f.label, label_w) } else { String::new() };
                    let m = if j == 0 && !long { mark } else { "  " };
                    lines.push((Line::from(format!("{m}{label:<label_w$} {part}")).style(style), true));
                }
            } else {
                let extra = shown.lines().count().saturating_sub(1);
                shown = shown.lines().next().unwrap_or_default().to_string();
                if extra > 0 {
                    shown.push_str(&format!(" (+{extra} lines)"));
                }
                let text = format!("{mark}{:<label_w$} {shown}", trunc(&f.label, label_w));
                lines.push((Line::from(trunc(&text, inner.width as usize)).style(style), false));
            }
            if let Some(err) = w.errors.get(&f.key) {
                lines.push((Line::from(format!("    ✗ {err}")).style(theme::blocking()), focused));
            }
        }
        let visible = inner.height as usize;
        // Keep the whole focused field (all its wrapped lines) in view, with a line of context.
        let first = lines.iter().position(|(_, f)| *f).unwrap_or(0);
        let last = lines.iter().rposition(|(_, f)| *f).unwrap_or(first);
        let start = if last + 2 > visible { (last + 2 - visible).min(first) } else { 0 };
        for (row, (line, _)) in lines.into_iter().skip(start).take(visible).enumerate() {
            line.render(Rect { y: inner.y + row as u16, height: 1, ..inner }, buf);
        }
    }

    pub(crate) fn guidance(
        &self,
        w: &Walk,
        findings: &[crate::domain::Finding],
        area: Rect,
        scroll: u16,
        max: &std::cell::Cell<u16>,
        buf: &mut Buffer,
    ) {
        let mut lines: Vec<Line> = Vec::new();
        // What blocks or is missing comes first: below the guidance it fell off the bottom edge
        // at 80×24. (The outcome and decision steps show their findings beside their choices.)
        let here: Vec<_> = crate::walk::step_findings(findings, w.step).collect();
        if !here.is_empty() && !matches!(w.step, Step::Outcome | Step::Decision) {
            lines.push(Line::from("Still missing or to look at on this step:").style(theme::label()));
            for f in here {
                // Each with the guidance it comes from, as on the review.
                lines.push(finding_line(f.severity, &format!("{} — {}", f.reason, f.guidance)));
            }
            lines.push(Line::from(""));
        } else if matches!(w.step, Step::Facts | Step::Research | Step::Victim | Step::Needs) {
            lines.push(Line::from(format!("{} This step is complete.", s::MARK_DONE)).style(theme::ok()));
            lines.push(Line::from(""));
        }
        if let Some(t) = self.trainer.as_ref().filter(|t| t.notes_visible)
            && let Some(sc) = &t.current
        {
            let note = sc.notes.get(w.step.id()).map_or("No notes for this step.", String::as_str);
            lines.push(Line::from("TRAINER NOTES — hidden from the room (t hides them)").style(theme::focus()));
            lines.push(Line::from(self.shown(&w.case, note.to_string())));
            let left =
                sc.releases.iter().enumerate().filter(|(i, r)| *i >= t.released && r.step == w.step.id()).count();
            if left > 0 {
                lines.push(Line::from(format!("{left} release(s) waiting on this step: press r")));
            }
            lines.push(Line::from(""));
        }
        if let Some(t) = &self.trainer {
            for (_, title, text) in t.notices.iter().filter(|(s, _, _)| *s == w.step) {
                lines.push(Line::from(format!("NEW INFORMATION — {title}")).style(theme::warning()));
                lines.push(Line::from(self.shown(&w.case, text.clone())));
                lines.push(Line::from(""));
            }
        }
        match w.step {
            Step::Gravity => lines.extend(self.gravity_lines(w)),
            Step::Outcome => {
                // Every outcome's reasons in full: the pane scrolls (PgUp PgDn) when they do not fit.
                lines.extend(self.outcome_lines(w));
            }
            Step::Decision => {
                let present: Vec<String> = self
                    .session
                    .members
                    .iter()
                    .map(|m| {
                        format!(
                            "{} ({})",
                            m.name,
                            self.panel.agency(&m.agency).map_or(m.agency.as_str(), |a| a.name.as_str())
                        )
                    })
                    .collect();
                lines.push(Line::from(format!(
                    "Present: {}",
                    if present.is_empty() { "— (press Esc, then s)".into() } else { present.join(", ") }
                )));
                if w.case.decision.disagreement() {
                    lines.push(Line::from("Police and YJS disagree: the final outcome is the police view (NPCC 2025); the disagreement is recorded.").style(theme::warning()));
                }
                // This step's findings first, then anything elsewhere that blocks the decision.
                let (here, elsewhere): (Vec<_>, Vec<_>) = findings.iter().partition(|f| f.step == Step::Decision);
                for f in here.iter().chain(elsewhere.iter().filter(|f| f.severity == Severity::Blocking)) {
                    let at = if f.step == Step::Decision {
                        String::new()
                    } else {
                        format!(" (step {})", f.step.index() + 1)
                    };
                    lines.push(finding_line(f.severity, &format!("{}{at} — {}", f.reason, f.guidance)));
                }
            }
            Step::Facts => {
                if let Some(age) = w.case.referral.age_at_offence() {
                    lines.push(Line::from(format!("Age at offence: {age}")));
                }
            }
            _ => {}
        }
        let block = Block::new().borders(Borders::TOP).title(" Guidance ");
        let inner = block.inner(area);
        block.render(area, buf);
        // Guidance that does not fit scrolls (PgUp PgDn), and says so while there is more below.
        let guidance = crate::tui::view::wrapped(lines);
        let rows = crate::tui::view::rows_of(&guidance, inner.width);
        let limit = rows.saturating_sub(inner.height.saturating_sub(1));
        max.set(limit);
        let scroll = scroll.min(limit);
        if rows > inner.height && inner.height > 1 && scroll < limit {
            let [text, more] = Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(inner);
            guidance.scroll((scroll, 0)).render(text, buf);
            Line::from(s::GUIDANCE_CUT).style(theme::muted()).render(more, buf);
        } else {
            guidance.scroll((scroll, 0)).render(inner, buf);
        }
    }

    pub(crate) fn gravity_lines(&self, w: &Walk) -> Vec<Line<'static>> {
        let mut lines = Vec::new();
        let g = &self.panel.gravity;
        match gravity::score(g, &w.case.gravity) {
            Err(e) => lines.push(Line::from(e.to_string()).style(theme::blocking())),
            Ok(sc) => {
                lines.push(Line::from(format!("Base score ({}): {}", sc.offence, sc.base)));
                for st in &sc.steps {
                    lines.push(Line::from(format!("  {:+} {} → {}", st.effect, st.label, st.running)));
                }
                let clamp = if sc.clamped {
                    format!(" (held within the scale {}–{})", g.scale_min, g.scale_max)
                } else {
                    String::new()
                };
                lines.push(Line::from(format!("Final score: {}{clamp}", sc.final_score)).style(theme::title()));
                if let Some(ind) = &sc.indication {
                    lines.push(Line::from(format!("Matrix indicates: {} ({})", ind.meaning, ind.outcomes.join(", "))));
                }
                let moved = format!(
                    "Moved {:+} from the base (allowed without an inspector: {})",
                    sc.movement, g.max_move_without_inspector
                );
                lines.push(Line::from(moved));
                if sc.needs_inspector {
                    lines.push(
                        Line::from("! This move needs an inspector's authority: name and rank in the fields above.")
                            .style(theme::warning()),
                    );
                }
                if let Some(note) = self.panel.offence(&sc.offence).and_then(|o| o.note.clone()) {
                    lines.push(Line::from(format!("Note: {note}")));
                }
            }
        }
        if g.illustrative {
            lines.push(Line::from(format!("{ILLUSTRATIVE_LABEL} ({})", g.version)).style(theme::muted()));
        }
        lines
    }

    pub(crate) fn outcome_lines(&self, w: &Walk) -> Vec<Line<'static>> {
        let score = gravity::score(&self.panel.gravity, &w.case.gravity).ok();
        let indicated = score.as_ref().and_then(|s| s.indicated_outcome().map(str::to_string));
        let mut lines = vec![Line::from("Every outcome, checked against guidance:").style(theme::label())];
        for o in &self.panel.outcomes {
            let found = crate::domain::checks::outcome_findings(&w.case, o, score.as_ref(), &self.panel);
            let worst = found.iter().map(|f| f.severity).max();
            let (mark, style) = match worst {
                Some(Severity::Blocking) => ("[BLOCKED]", theme::blocking()),
                Some(Severity::Warning) => ("[WARNING]", theme::warning()),
                None => ("[OK]     ", theme::ok()),
            };
            let proposed = w.case.decision.proposed.as_deref().or(w.case.decision.outcome.as_deref());
            let is_chosen = proposed == Some(o.code.as_str());
            let ind = if indicated.as_deref() == Some(&o.code) { " ◆ indicated by the matrix" } else { "" };
            let head = vec![
                Span::raw(if is_chosen { "▶" } else { " " }),
                Span::styled(mark, style),
                Span::raw(format!(" {}{ind}", o.label)),
            ];
            lines.push(Line::from(head));
            for f in found {
                // The proposal with the guidance behind each finding; every other outcome's
                // reasons in full too (the pane scrolls).
                let text = if is_chosen {
                    format!("    {} — {}", f.reason, f.guidance)
                } else {
                    format!("    {}", f.reason)
                };
                lines.push(Line::from(text).style(theme::muted()));
            }
        }
        lines
    }

    /// The whole case in labelled, wrapped lines under section headings.
    pub(crate) fn case_lines(&self, rows: &[crate::tui::case_view::Row]) -> Vec<Line<'static>> {
        crate::tui::case_view::lines(rows)
    }

    /// A task names people (the social worker): drawn as privacy mode shows the case's text.
    pub(crate) fn task_lines(
        &self,
        case: &crate::domain::referral::Case,
        tasks: impl Iterator<Item = (chrono::NaiveDate, String)>,
    ) -> Vec<Line<'static>> {
        let shown = self.shower(case);
        tasks.map(|(due, d)| Line::from(format!("  • due {}: {}", due.format("%a %-d %b %Y"), shown(d)))).collect()
    }

    /// Steps 8 and 9: everything that will be recorded, the findings and the tasks. On step 9
    /// the record action (or why it is refused) and any failure come first, so they are on
    /// screen at 80×24 whatever the length of the case.
    pub(crate) fn review(&self, w: &Walk, findings: &[crate::domain::Finding], area: Rect, buf: &mut Buffer) {
        let c = &w.case;
        let mut lines = Vec::new();
        if let Some(rec) = &w.recorded {
            lines.push(
                Line::from(format!(
                    "{} RECORDED as record {} — it cannot be changed; a correction would be a new record.",
                    s::MARK_DONE,
                    rec.seq
                ))
                .style(theme::ok()),
            );
            lines.push(Line::from(format!("Hash: {}", rec.hash)));
            lines.push(Line::from("Tasks created:").style(theme::label()));
            lines.extend(
                self.task_lines(&rec.snapshot.case, rec.snapshot.tasks.iter().map(|t| (t.due, t.description.clone()))),
            );
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .block(Block::new().borders(Borders::TOP))
                .render(area, buf);
            return;
        }
        let blocking: Vec<_> = findings.iter().filter(|f| f.severity == Severity::Blocking).collect();
        if w.step == Step::Record {
            if blocking.is_empty() {
                lines.push(
                    Line::from("Press Enter to record this joint decision. Once recorded it cannot be edited.")
                        .style(theme::title()),
                );
            } else {
                lines.push(
                    Line::from(format!("✗ Cannot be recorded yet: {} blocking finding(s).", blocking.len()))
                        .style(theme::blocking()),
                );
            }
            if let Some(msg) = &w.failure {
                lines.push(Line::from(msg.clone()).style(theme::blocking()));
            }
            if let Some(seq) = w.correction_of {
                lines.push(
                    Line::from(format!(
                        "Correcting record {seq} because: {}",
                        self.shown(c, w.correction_reason.clone())
                    ))
                    .style(theme::warning()),
                );
            }
        }
        lines.push(Line::from(format!("Findings ({}):", findings.len())).style(theme::label()));
        // What blocks the decision first, then the warnings.
        let mut ordered: Vec<_> = findings.iter().collect();
        ordered.sort_by_key(|f| f.severity != Severity::Blocking);
        for f in ordered {
            let step = format!("step {}", f.step.index() + 1);
            lines.push(finding_line(f.severity, &format!("{} — {} ({step})", f.reason, f.guidance)));
        }
        if findings.is_empty() {
            lines.push(Line::from(format!("  {} nothing conflicts with guidance", s::MARK_DONE)).style(theme::ok()));
        }
        lines.push(Line::from("Tasks this decision will create:").style(theme::label()));
        lines.extend(self.task_lines(c, w.tasks(&self.panel).into_iter().map(|t| (t.due, t.description))));
        lines.push(Line::from(""));
        let rows = crate::tui::case_view::rows(c, &self.panel, &self.session.members, &self.session.chair, self.show());
        lines.extend(self.case_lines(&rows));
        let Screen::Walk(s) = &self.screen else { return };
        let block = Block::new().borders(Borders::TOP).title(" ↑↓ scroll ");
        super::render_scrolled(lines, block, s.review_scroll, &s.max_scroll, area, buf);
    }
}
