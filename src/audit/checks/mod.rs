//! One file per check. Each measures a column batch into its counter.

pub mod combined;
pub mod fill;
