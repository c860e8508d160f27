//! Reports and exports built from stored records. Streams rows; never loads a whole table.

pub mod export;
