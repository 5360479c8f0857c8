//! One file per check. Each measures values into a mergeable counter; `audit::measure`
//! runs them all in the single pass over each batch.

pub mod boolean;
pub mod combined;
pub mod consistency;
pub mod count;
pub mod country;
pub mod date;
pub mod duplicates;
pub mod email;
pub mod fill;
pub mod freshness;
pub mod number;
pub mod phone;
pub mod reach;
pub mod url;
pub mod validity;
