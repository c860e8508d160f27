//! The task board: every follow-up task of every recorded decision, with its owner, due date and
//! status; the chair marks one done (saying by whom) or not needed (saying why). Reached from the
//! queue with `t`. The board is read by the runner (`Command::RefreshTasks`) and a closing is
//! written by it (`Command::CloseTask`): this file only draws and turns keys into commands.
//! With privacy on, a task shows its kind in general words and no reason text.

use std::time::Instant;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::domain::task_board::{BoardTask, Status, day};
use crate::domain::tasks::TaskKind;
use crate::tui::app::*;
use crate::tui::keys::Action;
use crate::tui::runner::Command;
use crate::tui::theme;
use crate::tui::view::{boxed, trunc};

#[derive(Debug, Default)]
pub struct TasksScreen {
    pub tasks: Vec<BoardTask>,
    pub selected: usize,
    /// The referral selected in the queue, selected again on the way back.
    pub back_to: Option<i64>,
}

impl App {
    pub(crate) fn open_tasks(&mut self, back_to: Option<i64>) {
        self.screen = Screen::Tasks(TasksScreen { back_to, ..Default::default() });
        self.cmd(Command::RefreshTasks);
    }

    pub(crate) fn on_tasks_key(&mut self, action: Action) {
        let Screen::Tasks(t) = &mut self.screen else { return };
        let selected = t.tasks.get(t.selected).cloned();
        match action {
            Action::Up => t.selected = t.selected.saturating_sub(1),
            Action::Down => t.selected = (t.selected + 1).min(t.tasks.len().saturating_sub(1)),
            Action::PageUp => t.selected = t.selected.saturating_sub(10),
            Action::PageDown => t.selected = (t.selected + 10).min(t.tasks.len().saturating_sub(1)),
            Action::Back => {
                let back = t.back_to;
                self.back_to_queue(back);
            }
            Action::TaskDone | Action::TaskNotNeeded => {
                let Some(task) = selected else { return };
                if !task.status.is_open() {
                    self.status = Some(format!("That task is already closed: {}.", self.task_status(&task)));
                    return;
                }
                let (target, label, text) = if action == Action::TaskDone {
                    let by = if self.session.chair.trim().is_empty() {
                        self.actor.clone()
                    } else {
                        self.session.chair.clone()
                    };
                    (Target::TaskDoneBy(task.id.clone()), "Done by (name)".to_string(), by)
                } else {
                    (Target::TaskNotNeeded(task.id.clone()), "Why is this task not needed?".to_string(), String::new())
                };
                self.overlay = Some(Overlay::Edit(Editor {
                    target,
                    label,
                    area: text_area(&text),
                    multiline: false,
                    changed: false,
                    last_save: Instant::now(),
                }));
            }
            _ => {}
        }
    }

    /// A task in words as it may be shown: in general words with privacy on (a description can
    /// name the social worker or quote local text).
    fn task_text(&self, t: &BoardTask) -> String {
        match (self.privacy, TaskKind::from_id(&t.kind)) {
            (true, Some(k)) => k.label().to_string(),
            (true, None) => t.kind.clone(),
            (false, _) => t.description.clone(),
        }
    }

    /// The status as it may be shown: a reason is free text, so privacy mode leaves it out.
    fn task_status(&self, t: &BoardTask) -> String {
        match &t.status {
            Status::NotNeeded { .. } if self.privacy => "not needed".into(),
            _ => t.status_label(),
        }
    }

    pub(crate) fn tasks_screen(&self, area: Rect, buf: &mut Buffer) {
        let Screen::Tasks(t) = &self.screen else { return };
        let block = boxed("Follow-up tasks");
        let inner = block.inner(area);
        block.render(area, buf);
        let [summary, head, rows, detail] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Fill(1),
            Constraint::Length(2),
        ])
        .areas(inner);
        let open = t.tasks.iter().filter(|x| x.status.is_open()).count();
        let overdue = crate::domain::task_board::overdue_count(&t.tasks);
        let line = format!(
            "{} task(s): {open} open, {overdue} overdue, {} closed · d done · x not needed",
            t.tasks.len(),
            t.tasks.len() - open
        );
        let style = if overdue > 0 { theme::warning() } else { Style::new() };
        Line::from(trunc(&line, summary.width as usize)).style(style).render(summary, buf);
        let wide = area.width >= 100;
        let (owner_w, ref_w) = if wide { (22, 16) } else { (12, 13) };
        Line::from(format!("  {:<15} {:<10} {:<owner_w$} {:<ref_w$} Task", "Due", "Status", "Owner", "Reference"))
            .style(theme::label())
            .render(head, buf);
        if t.tasks.is_empty() {
            Paragraph::new("No tasks yet: each recorded decision adds its follow-up tasks here.").render(rows, buf);
            return;
        }
        let visible = rows.height as usize;
        let start = t.selected.saturating_sub(visible.saturating_sub(1));
        for (i, task) in t.tasks.iter().enumerate().skip(start).take(visible) {
            let owner = self.panel.agency(task.owner).map_or(task.owner, |a| a.name.as_str());
            let mark = if i == t.selected { "▶ " } else { "  " };
            let text = format!(
                "{mark}{:<15} {:<10} {:<owner_w$} {:<ref_w$} {}",
                day(task.due),
                task.status.short(),
                trunc(owner, owner_w),
                trunc(&task.reference, ref_w),
                self.task_text(task)
            );
            let style = match (i == t.selected, &task.status) {
                (true, _) => theme::focus(),
                (false, Status::Overdue) => theme::warning(),
                (false, Status::Done { .. } | Status::NotNeeded { .. }) => theme::muted(),
                (false, Status::Due) => Style::new(),
            };
            let y = rows.y + (i - start) as u16;
            Line::from(trunc(&text, rows.width as usize)).style(style).render(Rect { y, height: 1, ..rows }, buf);
        }
        if let Some(task) = t.tasks.get(t.selected) {
            let text =
                format!("{}: {} · {} ({})", task.reference, self.task_text(task), self.task_status(task), task.id);
            Paragraph::new(text).wrap(Wrap { trim: true }).render(detail, buf);
        }
    }
}
