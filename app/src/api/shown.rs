//! What the server prepares for the browser to show as it is: read-only tables and the VM
//! form's catalogue entries. Formatting them on the server keeps the cloud's model types, and
//! the code that decodes them, out of the WASM.

use serde::{Deserialize, Serialize};

/// A read-only table: its column headers, and each row's cells as text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// A table column: its header, and how to show an item's cell.
#[cfg(feature = "ssr")]
pub type Column<T> = (&'static str, fn(&T) -> String);

#[cfg(feature = "ssr")]
impl Table {
    /// `items` under `columns`.
    pub fn of<T>(items: &[T], columns: &[Column<T>]) -> Self {
        Self {
            headers: columns
                .iter()
                .map(|(header, _)| (*header).to_owned())
                .collect(),
            rows: items
                .iter()
                .map(|item| columns.iter().map(|(_, cell)| cell(item)).collect())
                .collect(),
        }
    }
}

/// One entry a searchable picker offers: the value the form sends, and what it is.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub value: String,
    /// E.g. "Ubuntu 22.04 · Linux/UNIX · x86_64"; shown beside the value while searching.
    pub detail: String,
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn a_table_has_one_cell_per_column() {
        let table = Table::of(
            &[(1, "a"), (2, "b")],
            &[
                ("Number", |row: &(i32, &str)| row.0.to_string()),
                ("Letter", |row| row.1.to_owned()),
            ],
        );
        assert_eq!(table.headers, ["Number", "Letter"]);
        assert_eq!(table.rows, [["1", "a"], ["2", "b"]]);
    }
}
