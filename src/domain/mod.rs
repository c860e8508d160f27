//! The panel's rules, pure: gravity scoring, outcome checks, follow-up tasks, calendar rules.
//! Never names a terminal, a database, the file system, the clock or a random source: a `today`
//! or an RNG is always passed in, so every rule is a table test.

pub mod actions;
pub mod case_view;
pub mod checks;
pub mod dates;
pub mod disclosure;
pub mod erasure;
pub mod gravity;
pub mod letters;
pub mod panel;
pub mod ratings;
pub mod readiness;
pub mod record;
pub mod referral;
pub mod sampling;
pub mod scrub;
pub mod steps;
pub mod task_board;
pub mod tasks;
pub mod text;

pub use checks::{Finding, Severity};
pub use gravity::GravityScore;
pub use panel::PanelDefinition;
pub use referral::Case;
pub use steps::Step;
