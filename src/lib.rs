//! jdp: youth justice joint decision panels at a shared screen.
//!
//! Layers, and the one rule between them:
//! - `domain`: the panel's rules, pure (no terminal, database, files, clock or RNG of its own).
//! - `config`: `panels/*.toml` and import files -> validated domain types, errors located.
//! - `cli`: the command line surface and what each command does.
//!
//! `domain` depends on nothing of ours; `config` depends on `domain`; `cli` on all.

pub mod cli;
pub mod config;
pub mod demo;
pub mod domain;
pub mod outfile;
pub mod platform;
pub mod redact;
pub mod report;
pub mod scrutiny;
pub mod signing;
pub mod store;
pub mod training;
pub mod tui;
pub mod walk;
