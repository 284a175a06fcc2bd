//! JSON Lines: one article per line, `{"id", "text", "url"?, "outlet"?, "published"?,
//! "title"?, "author"?}`.
//!
//! Read line by line with a bounded buffer, so a file of any size streams in flat memory and a
//! huge line is measured and skipped, never held. A record that cannot become a document is
//! reported with its line number and the reading goes on.

use std::io::{self, BufRead};

use serde_json::{Map, Value};

use super::{Document, InputError};
use crate::metadata::Metadata;
use crate::metadata::dates::iso_date;

/// Why a JSON Lines record was skipped.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    #[error("not valid JSON: {0}")]
    Json(#[source] serde_json::Error),
    #[error("not a JSON object")]
    NotObject,
    #[error("no `{0}` field")]
    Missing(&'static str),
    #[error("`{field}` must be {expected}")]
    Type { field: &'static str, expected: &'static str },
    #[error("`text` is empty")]
    EmptyText,
    #[error("`published` is not a date like 2021-03-16: {0:?}")]
    Date(String),
    #[error("record too large ({size} bytes; the limit is {limit} bytes, see --max-bytes)")]
    TooLarge { size: u64, limit: u64 },
}

/// The records of one JSON Lines input, as documents.
pub struct Records<R> {
    reader: R,
    path: String,
    limit: u64,
    line: u64,
    buf: Vec<u8>,
    done: bool,
}

impl<R: BufRead> Records<R> {
    /// Records of `reader` (named `path` in errors); lines longer than `limit` bytes are skipped.
    pub fn new(reader: R, path: String, limit: u64) -> Self {
        Records { reader, path, limit, line: 0, buf: Vec::new(), done: false }
    }
}

impl<R: BufRead> Iterator for Records<R> {
    type Item = Result<Document, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            self.buf.clear();
            let size = match read_line(&mut self.reader, &mut self.buf, self.limit) {
                Ok(0) => return None,
                Ok(n) => n,
                Err(source) => {
                    self.done = true;
                    return Some(Err(InputError::Read { path: format!("{}:{}", self.path, self.line + 1), source }));
                }
            };
            self.line += 1;
            let fail = |reason| Some(Err(InputError::Record { path: self.path.clone(), line: self.line, reason }));
            if size > self.limit {
                return fail(RecordError::TooLarge { size, limit: self.limit });
            }
            // Blank lines (a trailing newline, a separator) hold no record.
            if self.buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            return Some(record(&self.buf, &self.path).map_err(|reason| InputError::Record { path: self.path.clone(), line: self.line, reason }));
        }
        None
    }
}

/// Reads one line into `buf` (without its line end), keeping at most `limit + 1` bytes; returns
/// the line's full length including what was not kept (0 at the end of the input).
fn read_line(reader: &mut impl BufRead, buf: &mut Vec<u8>, limit: u64) -> io::Result<u64> {
    let mut size = 0u64;
    loop {
        let chunk = match reader.fill_buf() {
            Ok(c) => c,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            break;
        }
        let (part, used, end) = match memchr::memchr(b'\n', chunk) {
            Some(i) => (&chunk[..i], i + 1, true),
            None => (chunk, chunk.len(), false),
        };
        let room = (limit + 1).saturating_sub(buf.len() as u64) as usize;
        buf.extend_from_slice(&part[..part.len().min(room)]);
        size += part.len() as u64;
        reader.consume(used);
        if end {
            // Counting the line end keeps an empty line apart from the end of the input.
            return Ok(size.max(1));
        }
    }
    Ok(size)
}

/// A record as a document: `id` becomes `doc`, the other fields override what the text says.
fn record(line: &[u8], path: &str) -> Result<Document, RecordError> {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    // A byte-order mark some tools write at the start of the file is not part of the record.
    let line = line.strip_prefix("\u{feff}".as_bytes()).unwrap_or(line);
    let Value::Object(mut map) = serde_json::from_slice(line).map_err(RecordError::Json)? else {
        return Err(RecordError::NotObject);
    };
    let id = match map.remove("id") {
        None | Some(Value::Null) => return Err(RecordError::Missing("id")),
        Some(Value::String(s)) if !s.trim().is_empty() => s,
        Some(Value::Number(n)) => n.to_string(),
        Some(_) => return Err(RecordError::Type { field: "id", expected: "a non-empty string or a number" }),
    };
    let text = match map.remove("text") {
        None | Some(Value::Null) => return Err(RecordError::Missing("text")),
        Some(Value::String(s)) => s,
        Some(_) => return Err(RecordError::Type { field: "text", expected: "a string" }),
    };
    if text.trim().is_empty() {
        return Err(RecordError::EmptyText);
    }
    let published = match field(&mut map, "published")? {
        Some(d) => Some(iso_date(&d).ok_or(RecordError::Date(d))?.to_string()),
        None => None,
    };
    let meta = Metadata {
        title: field(&mut map, "title")?,
        outlet: field(&mut map, "outlet")?,
        published,
        author: field(&mut map, "author")?,
        url: field(&mut map, "url")?,
    };
    Ok(Document { id, source: path.to_owned(), text, meta })
}

/// An optional string field; null or blank is absent.
fn field(map: &mut Map<String, Value>, name: &'static str) -> Result<Option<String>, RecordError> {
    match map.remove(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.trim().to_owned()).filter(|s| !s.is_empty())),
        Some(_) => Err(RecordError::Type { field: name, expected: "a string" }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(input: &[u8], limit: u64) -> Vec<Result<String, String>> {
        // A tiny buffer, so lines cross buffer boundaries.
        let reader = io::BufReader::with_capacity(7, input);
        Records::new(reader, "in.jsonl".into(), limit)
            .map(|r| r.map(|d| format!("{}|{}|{:?}", d.id, d.text, d.meta.published)).map_err(|e| e.to_string()))
            .collect()
    }

    #[test]
    fn records_become_documents_and_bad_ones_are_reported_by_line() {
        let input = concat!(
            "\u{feff}{\"id\": \"a\", \"text\": \"A said so.\", \"published\": \"2021-03-16T10:00:00Z\", \"extra\": 1}\n",
            "\n",
            "{\"id\": 7, \"text\": \"B said so.\"}\r\n",
            "{\"id\": \"c\"}\n",
            "{\"id\": \"d\", \"text\": \"  \"}\n",
            "[1, 2]\n",
            "{\"id\": \"e\", \"text\": \"x\", \"published\": \"16 March\"}\n",
            "{\"id\": \"f\", \"text\": 5}\n",
            "{\"id\": \"g\", \"text\": \"broken\n",
            "{\"id\": \"h\", \"text\": \"H said so.\"}",
        );
        let got = read(input.as_bytes(), 1000);
        assert_eq!(
            got,
            [
                Ok("a|A said so.|Some(\"2021-03-16\")".to_owned()),
                Ok("7|B said so.|None".to_owned()),
                Err("in.jsonl:4: no `text` field".to_owned()),
                Err("in.jsonl:5: `text` is empty".to_owned()),
                Err("in.jsonl:6: not a JSON object".to_owned()),
                Err("in.jsonl:7: `published` is not a date like 2021-03-16: \"16 March\"".to_owned()),
                Err("in.jsonl:8: `text` must be a string".to_owned()),
                Err("in.jsonl:9: not valid JSON: EOF while parsing a string at line 1 column 27".to_owned()),
                Ok("h|H said so.|None".to_owned()),
            ]
        );
    }

    #[test]
    fn a_huge_line_is_measured_and_skipped_not_held() {
        let huge = format!("{{\"id\": \"big\", \"text\": \"{}\"}}\n{{\"id\": \"ok\", \"text\": \"fine\"}}\n", "x".repeat(100_000));
        let mut records = Records::new(io::BufReader::with_capacity(64, huge.as_bytes()), "in.jsonl".into(), 1000);
        let first = records.next().unwrap().unwrap_err().to_string();
        assert_eq!(first, "in.jsonl:1: record too large (100025 bytes; the limit is 1000 bytes, see --max-bytes)");
        assert!(records.buf.capacity() < 4096, "the huge line was not kept: {}", records.buf.capacity());
        assert_eq!(records.next().unwrap().unwrap().id, "ok");
        assert!(records.next().is_none());
    }
}
