//! Styles. Nothing is said by colour alone: marks and words carry the meaning, colour only
//! helps. Default foreground and background keep it readable on light and dark terminals.

use ratatui::style::{Color, Modifier, Style};

pub fn title() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}
pub fn focus() -> Style {
    Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
}
pub fn label() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}
pub fn muted() -> Style {
    Style::new().add_modifier(Modifier::DIM)
}
pub fn blocking() -> Style {
    Style::new().fg(Color::Red).add_modifier(Modifier::BOLD)
}
pub fn warning() -> Style {
    Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD)
}
pub fn ok() -> Style {
    Style::new().fg(Color::Green).add_modifier(Modifier::BOLD)
}
pub fn banner() -> Style {
    Style::new().fg(Color::Black).bg(Color::Yellow).add_modifier(Modifier::BOLD)
}
