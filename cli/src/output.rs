//! Showing answers: tables for people, JSON or YAML for programs.

use std::io::{IsTerminal, Write};

use clap::ValueEnum;
use comfy_table::{ContentArrangement, Table, presets};
use serde_json::Value;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
    Yaml,
}

impl Format {
    /// The chosen format, or a table on a terminal and JSON in a pipe.
    pub fn or_default(chosen: Option<Self>) -> Self {
        chosen.unwrap_or(if std::io::stdout().is_terminal() {
            Self::Table
        } else {
            Self::Json
        })
    }
}

/// How a table shows an answer. JSON and YAML always show the answer as the server gave it.
pub enum Shape<'a> {
    /// A list, a row per item.
    List(&'a Listing),
    /// One object, a row per field.
    Object,
    /// A sentence instead, e.g. for a delete's `{"Result":"true"}`.
    Sentence(String),
}

/// A list answer as a table: the list's key in the answer, e.g. `{"vpc":[...]}`, and columns.
pub struct Listing {
    pub key: &'static str,
    pub columns: &'static [Column],
}

/// A list table's column: its header and the cell of each item.
pub struct Column {
    pub header: &'static str,
    pub cell: Cell,
}

pub enum Cell {
    /// The value at this JSON pointer.
    At(&'static str),
    /// At each item of the array at the first pointer, the value at the second; comma-joined.
    Each(&'static str, &'static str),
    /// `Key=Value` of each pair in the KeyValue list at this pointer.
    Pairs(&'static str),
    /// Each security rule in the array at this pointer, in the rule syntax.
    Rules(&'static str),
}

pub const fn column(header: &'static str, cell: Cell) -> Column {
    Column { header, cell }
}

/// Renders the answer, ending in a newline.
pub fn render(format: Format, answer: &Value, shape: &Shape) -> String {
    match format {
        Format::Json => {
            let mut json = serde_json::to_string_pretty(answer).expect("JSON values serialise");
            json.push('\n');
            json
        }
        Format::Yaml => serde_norway::to_string(answer).expect("JSON values are valid YAML"),
        Format::Table => match shape {
            Shape::List(listing) => list_table(items(answer, listing.key), listing.columns),
            Shape::Object => object_table(answer),
            Shape::Sentence(sentence) => format!("{sentence}\n"),
        },
    }
}

/// Writes to stdout; a reader that went away (`| head`) is no error of ours.
pub fn print(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
}

fn table() -> Table {
    let mut table = Table::new();
    table
        .load_style(presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Dynamic);
    table
}

fn finish(table: &Table) -> String {
    let mut text = table.trim_fmt();
    text.push('\n');
    text
}

fn list_table(items: &[Value], columns: &[Column]) -> String {
    let mut table = table();
    table.set_header(columns.iter().map(|column| column.header));
    for item in items {
        table.add_row(columns.iter().map(|column| cell(item, &column.cell)));
    }
    finish(&table)
}

fn cell(item: &Value, cell: &Cell) -> String {
    let joined = |array: &str, show: &dyn Fn(&Value) -> String| {
        items(item, array)
            .iter()
            .map(show)
            .collect::<Vec<_>>()
            .join(", ")
    };
    match cell {
        Cell::At(pointer) => item.pointer(pointer).map(scalar).unwrap_or_default(),
        Cell::Each(array, pointer) => joined(array, &|entry| {
            entry.pointer(pointer).map(scalar).unwrap_or_default()
        }),
        Cell::Pairs(array) => joined(array, &|pair| {
            format!("{}={}", scalar(&pair["Key"]), scalar(&pair["Value"]))
        }),
        Cell::Rules(array) => joined(array, &crate::rule::describe),
    }
}

/// The array at a JSON pointer or key (empty when there is none).
fn items<'a>(value: &'a Value, at: &str) -> &'a [Value] {
    let found = if at.starts_with('/') {
        value.pointer(at)
    } else {
        value.get(at)
    };
    found
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
}

/// A row per field, nested fields named by their path, e.g. `IId.NameId`,
/// `SubnetInfoList[0].IPv4_CIDR`.
fn object_table(answer: &Value) -> String {
    let mut rows = Vec::new();
    flatten(String::new(), answer, &mut rows);
    let mut table = table();
    table.add_rows(rows.into_iter().map(|(key, value)| [key, value]));
    finish(&table)
}

fn flatten(path: String, value: &Value, rows: &mut Vec<(String, String)>) {
    match value {
        Value::Object(fields) if !fields.is_empty() => {
            for (key, field) in fields {
                let path = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                flatten(path, field, rows);
            }
        }
        Value::Array(items) if items.iter().any(|item| item.is_object() || item.is_array()) => {
            for (index, item) in items.iter().enumerate() {
                flatten(format!("{path}[{index}]"), item, rows);
            }
        }
        Value::Array(items) => rows.push((
            path,
            items.iter().map(scalar).collect::<Vec<_>>().join(", "),
        )),
        _ => rows.push((path, scalar(value))),
    }
}

/// A value as a cell shows it: strings without quotes, null and `{}` as nothing.
fn scalar(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Null => String::new(),
        Value::Object(fields) if fields.is_empty() => String::new(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const VPCS: Listing = Listing {
        key: "vpc",
        columns: &[
            column("NAME", Cell::At("/IId/NameId")),
            column("CIDR", Cell::At("/IPv4_CIDR")),
            column("SUBNETS", Cell::Each("/SubnetInfoList", "/IId/NameId")),
        ],
    };

    fn vpcs() -> Value {
        json!({"vpc": [
            {"IId": {"NameId": "net-1", "SystemId": "vpc-1"}, "IPv4_CIDR": "10.0.0.0/16",
             "SubnetInfoList": [{"IId": {"NameId": "sub-1"}}, {"IId": {"NameId": "sub-2"}}]},
            {"IId": {"NameId": "net-2"}, "IPv4_CIDR": "10.1.0.0/16", "SubnetInfoList": []},
        ]})
    }

    #[test]
    fn a_list_is_a_row_per_item() {
        let text = render(Format::Table, &vpcs(), &Shape::List(&VPCS));
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert!(
            lines[0].split_whitespace().eq(["NAME", "CIDR", "SUBNETS"]),
            "{text}"
        );
        assert!(
            lines[1]
                .split_whitespace()
                .eq(["net-1", "10.0.0.0/16", "sub-1,", "sub-2"]),
            "{text}"
        );
        assert!(
            lines[2].split_whitespace().eq(["net-2", "10.1.0.0/16"]),
            "{text}"
        );
        assert!(lines.iter().all(|line| line == &line.trim_end()), "{text}");
    }

    #[test]
    fn an_empty_list_is_just_the_header() {
        let text = render(Format::Table, &json!({"vpc": []}), &Shape::List(&VPCS));
        assert_eq!(text.lines().count(), 1);
    }

    #[test]
    fn an_object_is_a_row_per_field_path() {
        let vpc = &vpcs()["vpc"][0];
        let text = render(Format::Table, vpc, &Shape::Object);
        let rows: Vec<Vec<&str>> = text
            .lines()
            .map(|line| line.split_whitespace().collect())
            .collect();
        assert!(rows.contains(&vec!["IId.NameId", "net-1"]), "{text}");
        assert!(rows.contains(&vec!["IPv4_CIDR", "10.0.0.0/16"]), "{text}");
        assert!(
            rows.contains(&vec!["SubnetInfoList[1].IId.NameId", "sub-2"]),
            "{text}"
        );
    }

    #[test]
    fn cells_for_pairs_lists_and_rules() {
        let region = json!({"KeyValueInfoList": [{"Key": "Region", "Value": "us-east-1"}, {"Key": "Zone", "Value": "a"}],
            "AvailableZoneList": ["a", "b"], "Count": 3, "None": null});
        assert_eq!(
            cell(&region, &Cell::Pairs("/KeyValueInfoList")),
            "Region=us-east-1, Zone=a"
        );
        assert_eq!(
            cell(&region, &Cell::At("/AvailableZoneList")),
            r#"["a","b"]"#
        );
        assert_eq!(cell(&region, &Cell::Each("/AvailableZoneList", "")), "a, b");
        assert_eq!(cell(&region, &Cell::At("/Count")), "3");
        assert_eq!(cell(&region, &Cell::At("/None")), "");
        assert_eq!(cell(&region, &Cell::At("/Missing")), "");
        let sg = json!({"SecurityRules": [{"Direction": "inbound", "IPProtocol": "TCP", "FromPort": "22", "ToPort": "22", "CIDR": "0.0.0.0/0"}]});
        assert_eq!(
            cell(&sg, &Cell::Rules("/SecurityRules")),
            "tcp/22/0.0.0.0/0/inbound"
        );
    }

    #[test]
    fn json_and_yaml_show_the_answer_whole() {
        let answer = vpcs();
        let shape = Shape::Sentence("ignored".into());
        let json: Value = serde_json::from_str(&render(Format::Json, &answer, &shape)).unwrap();
        assert_eq!(json, answer);
        let yaml: Value = serde_norway::from_str(&render(Format::Yaml, &answer, &shape)).unwrap();
        assert_eq!(yaml, answer);
    }

    #[test]
    fn a_sentence_is_one_line() {
        let text = render(
            Format::Table,
            &json!({"Result": "true"}),
            &Shape::Sentence("deleted vpc 'net-1'".into()),
        );
        assert_eq!(text, "deleted vpc 'net-1'\n");
    }
}
