//! jdp: youth justice joint decision panels at a shared screen.
//!
//! The map, lowest layer first. Dependencies point down only; `tests/architecture.rs` keeps the
//! pure layers pure and the screen off the command line.
//! - `domain`: the panel's rules, pure (no terminal, database, files, clock or RNG of its own):
//!   referral and case, the steps of the walk, guidance findings (each naming its step), gravity,
//!   tasks, sampling, the record of a decision.
//! - `walk`: the panel walk as a pure state machine over a case: messages in, effects out.
//! - `training`: scenarios' staged reveal, releases and the debrief, pure.
//! - `redact`: removing a child's identifiers from text (exports, privacy mode, scrutiny).
//! - `words`: numbers written for a person.
//! - `config`: `panels/*.toml`, scenarios and import files -> validated domain types, located errors.
//! - `store`: SQLite — opening, migrations, referrals, drafts, the record chain, access log, verify.
//! - `demo`, `scrutiny`, `report`: synthetic data, samples and reviews, board reports and exports.
//! - `tui`: the panel screen — `app` (state and routing), `keys` (the one key map), `runner`
//!   (the only I/O), `screens/`, `overlays/`, `case_view`, `files`.
//! - `cli`: the command line: parses, then calls the layers above.

pub mod cli;
pub mod config;
pub mod demo;
pub mod domain;
pub mod outfile;
pub mod platform;
pub mod redact;
pub mod report;
pub mod safe_out;
pub mod scrutiny;
pub mod signing;
pub mod store;
pub mod training;
pub mod tui;
pub mod walk;
pub mod words;
