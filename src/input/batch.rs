//! Builds the polars batches every reader hands to the audit: one string column per header
//! column, in header order, nulls for cells a row does not have.

use std::borrow::Cow;

use polars::prelude::{Column, DataFrame, IntoSeries, PlSmallStr, StringChunkedBuilder};

use super::Header;

/// Column names as polars wants them, made once per file.
pub fn column_names(header: &Header) -> Vec<PlSmallStr> {
    header
        .names
        .iter()
        .map(|n| PlSmallStr::from(n.as_str()))
        .collect()
}

pub struct BatchBuilder {
    columns: Vec<StringChunkedBuilder>,
    rows: usize,
}

impl BatchBuilder {
    pub fn new(names: &[PlSmallStr], capacity: usize) -> Self {
        let columns = names
            .iter()
            .map(|name| StringChunkedBuilder::new(name.clone(), capacity))
            .collect();
        BatchBuilder { columns, rows: 0 }
    }

    /// Adds a row from its cells, in column order: `None` (or a missing cell at the end) is
    /// null, cells beyond the header's width are dropped (the caller counts them).
    pub fn push_row<'a>(&mut self, cells: impl IntoIterator<Item = Option<Cow<'a, str>>>) {
        let mut cells = cells.into_iter();
        for column in &mut self.columns {
            match cells.next().flatten() {
                Some(text) => column.append_value(&*text),
                None => column.append_null(),
            }
        }
        self.rows += 1;
    }

    /// Rows pushed so far.
    pub fn rows(&self) -> usize {
        self.rows
    }

    pub fn finish(self) -> DataFrame {
        let columns: Vec<Column> = self
            .columns
            .into_iter()
            .map(|b| Column::from(b.finish().into_series()))
            .collect();
        DataFrame::new(self.rows, columns)
            .expect("every column has one value per row and a unique name")
    }
}
