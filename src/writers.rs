//! Writing rows: CSV, JSON Lines, JSON and a plain-text table, streamed; XLSX, built in memory
//! (a spreadsheet is bounded by its row limit anyway).
//!
//! Statements are one kind of record; group summaries and the group × outlet matrix are
//! others. A [`Columns`] describes a kind, and every format is written from a record's JSON
//! under those columns, so all kinds get the same CSV quoting, formula guard and typed cells.

use std::io::{self, Write};

use serde::Serialize;

/// An output format for rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// RFC 4180 with a header; cells a spreadsheet would run as a formula are neutralised.
    Csv,
    /// One JSON object per line.
    Jsonl,
    /// One JSON array.
    Json,
    /// Aligned columns for reading in a terminal.
    Table,
    /// An Excel workbook with one sheet, typed cells, a frozen header and filters.
    Xlsx,
}

/// The CSV columns, in order: the JSON fields of a [`Row`](crate::Row), with lists and spans flattened.
pub const CSV_COLUMNS: &[&str] = &[
    "doc",
    "source",
    "title",
    "outlet",
    "published",
    "author",
    "url",
    "kind",
    "speaker",
    "speaker_type",
    "speaker_id",
    "speaker_role",
    "speaker_mention",
    "speaker_start",
    "speaker_end",
    "via",
    "addressee",
    "cue",
    "cue_start",
    "cue_end",
    "content",
    "content_start",
    "content_end",
    "content_spans",
    "rule",
    "topics",
    "stance",
    "group",
];

/// A JSON value as one CSV cell: lists joined with `;`, spans as `start-end`, objects as
/// `key:value` pairs, null as empty.
fn cell(v: &serde_json::Value) -> String {
    use serde_json::Value;
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Array(items) => items
            .iter()
            .map(|x| match x {
                Value::Array(pair) => pair.iter().map(cell).collect::<Vec<_>>().join("-"),
                other => cell(other),
            })
            .collect::<Vec<_>>()
            .join(";"),
        Value::Object(map) => map.iter().map(|(k, x)| format!("{k}:{}", cell(x))).collect::<Vec<_>>().join(";"),
    }
}

/// The cells of a record (as JSON) under `columns`; a missing field is an empty cell.
pub fn cells(record: &serde_json::Value, columns: &[String]) -> Vec<String> {
    columns.iter().map(|c| record.get(c).map(cell).unwrap_or_default()).collect()
}

/// One column of the text table: the first of `fields` that has a value, cut to `width`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableColumn {
    pub fields: Vec<String>,
    pub header: String,
    pub width: usize,
}

impl TableColumn {
    pub fn new(header: &str, fields: &[&str], width: usize) -> Self {
        TableColumn { header: header.to_owned(), fields: fields.iter().map(|f| (*f).to_owned()).collect(), width }
    }
}

/// A kind of record: its columns in CSV and XLSX order, the XLSX sheet name, the columns a
/// text table shows (a terminal is too narrow for all), and how a record's JSON becomes one
/// cell per field where nested data has no room (the positions view lists its statements by
/// reference there).
#[derive(Debug, Clone)]
pub struct Columns {
    pub names: Vec<String>,
    pub sheet: String,
    pub table: Vec<TableColumn>,
    pub flat: fn(&mut serde_json::Value),
}

impl Columns {
    /// A kind of record whose fields each fit a cell as they are.
    pub fn new<S: AsRef<str>>(names: &[S], sheet: &str, table: Vec<TableColumn>) -> Columns {
        Columns { names: names.iter().map(|n| n.as_ref().to_owned()).collect(), sheet: sheet.to_owned(), table, flat: |_| {} }
    }

    /// Statements: [`CSV_COLUMNS`].
    pub fn rows() -> Columns {
        Columns::new(
            CSV_COLUMNS,
            "statements",
            vec![
                TableColumn::new("doc", &["doc"], 20),
                TableColumn::new("kind", &["kind"], 8),
                TableColumn::new("speaker", &["speaker", "speaker_mention"], 26),
                TableColumn::new("cue", &["cue"], 18),
                TableColumn::new("content", &["content"], 90),
            ],
        )
    }
}

/// The XLSX width of a column, by what it holds.
fn sheet_width(name: &str) -> f64 {
    match name {
        "content" | "wording" | "rows" => 80.0,
        "speaker" | "speaker_mention" | "cue" | "rule" | "group" | "outlets" | "docs" | "first_outlets" | "topic" => 24.0,
        _ => 12.0,
    }
}

/// Excel's last row (the first holds the header).
const XLSX_MAX_ROWS: u32 = 1_048_575;

/// A workbook being filled, row by row.
struct Xlsx {
    book: rust_xlsxwriter::Workbook,
    next_row: u32,
}

fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> io::Error {
    io::Error::other(format!("XLSX: {e}"))
}

impl Xlsx {
    fn new(columns: &Columns) -> io::Result<Self> {
        let mut book = rust_xlsxwriter::Workbook::new();
        let bold = rust_xlsxwriter::Format::new().set_bold();
        let sheet = book.add_worksheet();
        sheet.set_name(&columns.sheet).map_err(xlsx_error)?;
        for (col, name) in columns.names.iter().enumerate() {
            sheet.write_string_with_format(0, col as u16, name, &bold).map_err(xlsx_error)?;
            sheet.set_column_width(col as u16, sheet_width(name)).map_err(xlsx_error)?;
        }
        sheet.set_freeze_panes(1, 0).map_err(xlsx_error)?;
        Ok(Xlsx { book, next_row: 1 })
    }

    fn write(&mut self, value: &serde_json::Value, columns: &[String]) -> io::Result<()> {
        if self.next_row > XLSX_MAX_ROWS {
            return Err(io::Error::other(format!("XLSX holds at most {XLSX_MAX_ROWS} rows; write CSV or JSON Lines instead")));
        }
        let sheet = self.book.worksheet_from_index(0).map_err(xlsx_error)?;
        for (col, name) in columns.iter().enumerate() {
            // Cells are typed: a string is never evaluated as a formula, numbers stay numbers.
            match value.get(name) {
                Some(serde_json::Value::Number(n)) => sheet.write_number(self.next_row, col as u16, n.as_f64().unwrap_or_default()),
                Some(v) => sheet.write_string(self.next_row, col as u16, cell(v)),
                None => continue,
            }
            .map_err(xlsx_error)?;
        }
        self.next_row += 1;
        Ok(())
    }

    fn finish(mut self, n_columns: usize) -> io::Result<Vec<u8>> {
        let last = (self.next_row - 1).max(1);
        let sheet = self.book.worksheet_from_index(0).map_err(xlsx_error)?;
        sheet.autofilter(0, 0, last, (n_columns.max(1) - 1) as u16).map_err(xlsx_error)?;
        self.book.save_to_buffer().map_err(xlsx_error)
    }
}

/// Prefixes a cell that a spreadsheet would evaluate (`= + - @` first, or a leading tab or
/// carriage return) with an apostrophe, so opening the file never runs a formula.
pub fn neutralize(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

/// Writes records (statements unless told other [`Columns`]) in one format to `out`, streaming.
pub struct RowWriter<W: Write> {
    format: Format,
    columns: Columns,
    csv: Option<csv::Writer<W>>,
    xlsx: Option<Xlsx>,
    out: Option<W>,
    rows: usize,
}

impl<W: Write> RowWriter<W> {
    /// A writer of statements ([`Row`](crate::Row)s).
    pub fn new(format: Format, out: W) -> io::Result<Self> {
        RowWriter::with_columns(format, Columns::rows(), out)
    }

    /// A writer of another kind of record.
    pub fn with_columns(format: Format, columns: Columns, out: W) -> io::Result<Self> {
        let mut w = RowWriter { format, columns, csv: None, xlsx: None, out: None, rows: 0 };
        match format {
            Format::Csv => {
                let mut csv = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(out);
                csv.write_record(&w.columns.names)?;
                w.csv = Some(csv);
            }
            Format::Json => {
                let mut out = out;
                out.write_all(b"[")?;
                w.out = Some(out);
            }
            Format::Table => {
                let mut out = out;
                let headers = w.columns.table.iter().map(|c| (c.header.as_str(), c.width));
                writeln!(out, "{}", table_line(headers))?;
                w.out = Some(out);
            }
            Format::Jsonl => w.out = Some(out),
            Format::Xlsx => {
                w.xlsx = Some(Xlsx::new(&w.columns)?);
                w.out = Some(out);
            }
        }
        Ok(w)
    }

    pub fn write<T: Serialize>(&mut self, records: &[T]) -> io::Result<()> {
        let flat = self.columns.flat;
        let value = |r: &T| {
            let mut v = serde_json::to_value(r).map_err(io::Error::other)?;
            flat(&mut v);
            Ok::<_, io::Error>(v)
        };
        for r in records {
            match (self.format, &mut self.csv, &mut self.out) {
                (Format::Csv, Some(csv), _) => csv.write_record(cells(&value(r)?, &self.columns.names).iter().map(|c| neutralize(c).into_owned()))?,
                (Format::Jsonl, _, Some(out)) => {
                    serde_json::to_writer(&mut *out, r)?;
                    out.write_all(b"\n")?;
                }
                (Format::Json, _, Some(out)) => {
                    out.write_all(if self.rows == 0 { b"\n  " } else { b",\n  " })?;
                    serde_json::to_writer(&mut *out, r)?;
                }
                (Format::Xlsx, _, _) => self.xlsx.as_mut().expect("set up in new()").write(&value(r)?, &self.columns.names)?,
                (Format::Table, _, Some(out)) => {
                    let record = value(r)?;
                    let shown: Vec<(String, usize)> = self
                        .columns
                        .table
                        .iter()
                        .map(|c| {
                            let text = c.fields.iter().filter_map(|f| record.get(f)).map(cell).find(|s| !s.is_empty());
                            (text.unwrap_or_else(|| "-".into()), c.width)
                        })
                        .collect();
                    writeln!(out, "{}", table_line(shown.iter().map(|(t, w)| (t.as_str(), *w))))?;
                }
                _ => unreachable!("the writer for a format is set up in new()"),
            }
            self.rows += 1;
        }
        Ok(())
    }

    /// Ends the output (closing the JSON array) and returns the writer, flushed.
    pub fn finish(self) -> io::Result<W> {
        if let Some(csv) = self.csv {
            return csv.into_inner().map_err(|e| e.into_error());
        }
        let mut out = self.out.expect("a writer for every format");
        if let Some(xlsx) = self.xlsx {
            out.write_all(&xlsx.finish(self.columns.names.len())?)?;
        }
        if self.format == Format::Json {
            out.write_all(if self.rows == 0 { b"]\n" } else { b"\n]\n" })?;
        }
        out.flush()?;
        Ok(out)
    }
}

/// Cuts `s` to `width` characters (with an ellipsis) and pads it to `width`.
fn fit(s: &str, width: usize) -> String {
    let flat: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let n = flat.chars().count();
    if n > width {
        let cut: String = flat.chars().take(width - 1).collect();
        format!("{cut}…")
    } else {
        format!("{flat}{}", " ".repeat(width - n))
    }
}

fn table_line<'a>(cells: impl Iterator<Item = (&'a str, usize)>) -> String {
    let line = cells.map(|(text, width)| fit(text, width)).collect::<Vec<_>>().join("  ");
    line.trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::Row;
    use crate::topics::stance::Stance;

    #[test]
    fn neutralizes_formula_cells() {
        for bad in ["=1+1", "+SUM(A1)", "-2", "@cmd", "\tx", "\rx"] {
            assert!(neutralize(bad).starts_with('\''), "{bad:?}");
        }
        assert_eq!(neutralize("Netanyahu said"), "Netanyahu said");
        assert_eq!(neutralize(""), "");
    }

    #[test]
    fn csv_columns_are_the_row_fields() {
        let row = Row {
            doc: "d".into(),
            source: "d.txt".into(),
            title: Some("T".into()),
            outlet: None,
            published: Some("2021-03-16".into()),
            author: None,
            url: None,
            kind: crate::Kind::Direct,
            speaker: None,
            speaker_type: None,
            speaker_id: None,
            speaker_role: None,
            speaker_mention: None,
            speaker_start: None,
            speaker_end: None,
            via: None,
            addressee: None,
            cue: "said".into(),
            cue_start: 1,
            cue_end: 5,
            content: "=x".into(),
            content_start: 7,
            content_end: 9,
            content_spans: vec![[7, 8], [8, 9]],
            rule: "r".into(),
            topics: vec!["Iran".into(), "Hezbollah".into()],
            stance: [("Iran".into(), Stance::Against), ("Hezbollah".into(), Stance::For)].into_iter().collect(),
            group: None,
        };
        let value = serde_json::to_value(&row).unwrap();
        let keys: Vec<&str> = value.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, CSV_COLUMNS);
        let cells = cells(&value, &Columns::rows().names);
        assert_eq!(cells[CSV_COLUMNS.iter().position(|c| *c == "content_spans").unwrap()], "7-8;8-9");
        assert_eq!(cells[CSV_COLUMNS.iter().position(|c| *c == "speaker").unwrap()], "");
        assert_eq!(cells[CSV_COLUMNS.iter().position(|c| *c == "topics").unwrap()], "Iran;Hezbollah");
        assert_eq!(cells[CSV_COLUMNS.iter().position(|c| *c == "stance").unwrap()], "Iran:against;Hezbollah:for");
    }

    #[test]
    fn fit_cuts_and_pads() {
        assert_eq!(fit("ab", 4), "ab  ");
        assert_eq!(fit("abcdef", 4), "abc…");
    }
}
