//! Writing rows: CSV, JSON Lines, JSON and a plain-text table, streamed; XLSX, built in memory
//! (a spreadsheet is bounded by its row limit anyway). The writers serve any [`Record`]: the
//! statement table's [`Row`]s, and the positions view's rows.

use std::io::{self, Write};
use std::marker::PhantomData;

use serde::Serialize;

use crate::table::Row;

/// What the writers write: a record with named fields, one per line or row of the output.
pub trait Record: Serialize {
    /// The columns of CSV and XLSX, in order: the record's fields in its flat form.
    const COLUMNS: &'static [&'static str];
    /// The name of the XLSX sheet.
    const SHEET: &'static str;
    /// The columns of the text table, with their widths in characters.
    const TABLE: &'static [(&'static str, usize)];
    /// The cells of the text table, one per column of [`Record::TABLE`].
    fn table_cells(&self) -> Vec<String>;
    /// The record for CSV and XLSX, where each field becomes one cell; by default its JSON.
    fn flat(&self) -> serde_json::Value {
        serde_json::to_value(self).expect("records serialise")
    }
}

impl Record for Row {
    const COLUMNS: &'static [&'static str] = CSV_COLUMNS;
    const SHEET: &'static str = "statements";
    const TABLE: &'static [(&'static str, usize)] = &[("doc", 20), ("kind", 8), ("speaker", 26), ("cue", 18), ("content", 90)];

    fn table_cells(&self) -> Vec<String> {
        let speaker = self.speaker.as_deref().or(self.speaker_mention.as_deref()).unwrap_or("-");
        vec![self.doc.clone(), self.kind.as_str().into(), speaker.into(), self.cue.clone(), self.content.clone()]
    }
}

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

/// The CSV columns, in order: the JSON fields of a [`Row`], with lists and spans flattened.
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

/// The cells of a record under its [`Record::COLUMNS`].
pub fn csv_cells<R: Record>(r: &R) -> Vec<String> {
    let value = r.flat();
    R::COLUMNS.iter().map(|c| value.get(*c).map(cell).unwrap_or_default()).collect()
}

/// Excel's last row (the first holds the header).
const XLSX_MAX_ROWS: u32 = 1_048_575;

/// A workbook being filled, row by row.
struct Xlsx<R> {
    book: rust_xlsxwriter::Workbook,
    next_row: u32,
    record: PhantomData<R>,
}

fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> io::Error {
    io::Error::other(format!("XLSX: {e}"))
}

impl<R: Record> Xlsx<R> {
    fn new() -> io::Result<Self> {
        let mut book = rust_xlsxwriter::Workbook::new();
        let bold = rust_xlsxwriter::Format::new().set_bold();
        let sheet = book.add_worksheet();
        sheet.set_name(R::SHEET).map_err(xlsx_error)?;
        for (col, name) in R::COLUMNS.iter().enumerate() {
            sheet.write_string_with_format(0, col as u16, *name, &bold).map_err(xlsx_error)?;
            let width = match *name {
                "content" | "rows" => 80.0,
                "speaker" | "speaker_mention" | "cue" | "rule" | "topic" => 24.0,
                _ => 12.0,
            };
            sheet.set_column_width(col as u16, width).map_err(xlsx_error)?;
        }
        sheet.set_freeze_panes(1, 0).map_err(xlsx_error)?;
        Ok(Xlsx { book, next_row: 1, record: PhantomData })
    }

    fn write(&mut self, r: &R) -> io::Result<()> {
        if self.next_row > XLSX_MAX_ROWS {
            return Err(io::Error::other(format!("XLSX holds at most {XLSX_MAX_ROWS} rows; write CSV or JSON Lines instead")));
        }
        let value = r.flat();
        let sheet = self.book.worksheet_from_index(0).map_err(xlsx_error)?;
        for (col, name) in R::COLUMNS.iter().enumerate() {
            // Cells are typed: a string is never evaluated as a formula, numbers stay numbers.
            match value.get(*name) {
                Some(serde_json::Value::Number(n)) => sheet.write_number(self.next_row, col as u16, n.as_f64().unwrap_or_default()),
                Some(v) => sheet.write_string(self.next_row, col as u16, cell(v)),
                None => continue,
            }
            .map_err(xlsx_error)?;
        }
        self.next_row += 1;
        Ok(())
    }

    fn finish(mut self) -> io::Result<Vec<u8>> {
        let last = (self.next_row - 1).max(1);
        let sheet = self.book.worksheet_from_index(0).map_err(xlsx_error)?;
        sheet.autofilter(0, 0, last, (R::COLUMNS.len() - 1) as u16).map_err(xlsx_error)?;
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

/// Writes records in one format to `out`, streaming.
pub struct Writer<W: Write, R> {
    format: Format,
    csv: Option<csv::Writer<W>>,
    xlsx: Option<Xlsx<R>>,
    out: Option<W>,
    rows: usize,
}

/// The writer of the statement table.
pub type RowWriter<W> = Writer<W, Row>;

impl<W: Write, R: Record> Writer<W, R> {
    pub fn new(format: Format, out: W) -> io::Result<Self> {
        let mut w = Writer { format, csv: None, xlsx: None, out: None, rows: 0 };
        match format {
            Format::Csv => {
                let mut csv = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(out);
                csv.write_record(R::COLUMNS)?;
                w.csv = Some(csv);
            }
            Format::Json => {
                let mut out = out;
                out.write_all(b"[")?;
                w.out = Some(out);
            }
            Format::Table => {
                let mut out = out;
                writeln!(out, "{}", table_line(R::TABLE, R::TABLE.iter().map(|(name, _)| (*name).to_owned())))?;
                w.out = Some(out);
            }
            Format::Jsonl => w.out = Some(out),
            Format::Xlsx => {
                w.xlsx = Some(Xlsx::new()?);
                w.out = Some(out);
            }
        }
        Ok(w)
    }

    pub fn write(&mut self, rows: &[R]) -> io::Result<()> {
        for r in rows {
            match (self.format, &mut self.csv, &mut self.out) {
                (Format::Csv, Some(csv), _) => csv.write_record(csv_cells(r).iter().map(|c| neutralize(c).into_owned()))?,
                (Format::Jsonl, _, Some(out)) => {
                    serde_json::to_writer(&mut *out, r)?;
                    out.write_all(b"\n")?;
                }
                (Format::Json, _, Some(out)) => {
                    out.write_all(if self.rows == 0 { b"\n  " } else { b",\n  " })?;
                    serde_json::to_writer(&mut *out, r)?;
                }
                (Format::Xlsx, _, _) => self.xlsx.as_mut().expect("set up in new()").write(r)?,
                (Format::Table, _, Some(out)) => writeln!(out, "{}", table_line(R::TABLE, r.table_cells()))?,
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
            out.write_all(&xlsx.finish()?)?;
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

fn table_line(columns: &[(&str, usize)], cells: impl IntoIterator<Item = String>) -> String {
    let line = columns.iter().zip(cells).map(|((_, width), c)| fit(&c, *width)).collect::<Vec<_>>().join("  ");
    line.trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
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
        };
        let value = serde_json::to_value(&row).unwrap();
        let keys: Vec<&str> = value.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, CSV_COLUMNS);
        let cells = csv_cells(&row);
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
