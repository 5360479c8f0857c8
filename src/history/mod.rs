//! The history of nightly runs: what each run measured, kept in one SQLite file, and how a
//! run compares with the one before and with a pinned baseline.
//!
//! `store` knows SQL and nothing of reports; `compare` knows reports and nothing of SQL.

pub mod compare;
pub mod store;

pub use compare::{Snapshot, compare, snapshot};
pub use store::{HistoryError, RunInfo, Store};
