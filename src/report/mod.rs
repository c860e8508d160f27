//! Reports and exports built from stored records. Streams rows; never loads a whole table.

pub mod board;
pub use crate::domain::case_view;
pub mod export;
pub mod minutes;
pub mod papers;
pub mod write;
