//! One file per screen. Each draws itself (never changing state) and turns keys into state
//! changes and runner commands; none touches the store or a file.

pub mod debrief;
pub mod queue;
pub mod recorded;
pub mod scenarios;
pub mod scrutiny;
pub mod session;
pub mod start;
pub mod walk;
