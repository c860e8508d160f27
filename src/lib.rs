//! jdp: youth justice joint decision panels at a shared screen.
//!
//! The map, lowest layer first. Dependencies point down only; `tests/architecture.rs` keeps the
//! pure layers pure, the screen off the command line, I/O in the runner, and this map complete.
//! - `domain`: the panel's rules, pure (no terminal, database, files, clock or RNG of its own):
//!   referral and case, the steps of the walk, guidance findings (each naming its step), gravity,
//!   tasks, sampling, the record of a decision, scrubbing identifiers, text that may be stored,
//!   disclosure control for reports, scrutiny actions, what erasure after retention removes.
//! - `walk`: the panel walk as a pure state machine over a case: messages in, effects out.
//! - `training`: scenarios' staged reveal, releases and the debrief, pure.
//! - `redact`: the domain's scrubber applied for exports, privacy mode and scrutiny.
//! - `words`: numbers written for a person.
//! - `platform`: the one place for operating-system calls (file identity, owner-only files, the
//!   account name), with a Unix and a Windows implementation.
//! - `outfile`: the one way to write a file a person named: never the database, never through a
//!   link, owner-only, removed again if writing fails.
//! - `safe_out`: a writer that escapes control characters, for everything printed to a terminal.
//! - `config`: `panels/*.toml`, scenarios and import files -> validated domain types, located errors.
//! - `store`: SQLite, the only place with SQL: opening, migrations, referrals, drafts, the record
//!   chain, the access log, settings, signatures, verify, retention and erasure.
//! - `signing`: Ed25519 signatures of the chain head, with a key kept outside the database.
//! - `demo`, `scrutiny`, `report`: synthetic data; samples, reviews, blind ratings and actions;
//!   board reports, exports, the whole case in labelled rows (`domain::case_view`, pure, read
//!   by the screen, the papers and a server's kept scrutiny cases alike; also
//!   `report::case_view`) and the scrutiny papers (`report::papers`: pack, minutes).
//! - `tui`: the panel screen — `app` (state and routing), `keys` (the one key map), `runner`
//!   (the only I/O), `screens/` (one file per screen, each holding its own state),
//!   `overlays/` (one file per overlay), `case_view`, `view`, `files`.
//! - `cli`: the command line: parses, then calls the layers above; `CliError` gives exit codes.

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
