//! Reading documents: files, directories (recursive, sorted) and standard input.
//!
//! Plain text (`.txt`, and any file named explicitly), HTML pages (`.html`, `.htm`: the article
//! text is extracted, see [`html`]) and JSON Lines (`.jsonl`, `.ndjson`: one document per
//! record, see [`jsonl`]). Documents are produced lazily, one at a time, so a run over an
//! archive holds only the documents in flight. An input that cannot become a document
//! (unreadable, not UTF-8, binary, empty, too large, a bad record) yields an [`InputError`]
//! naming it (and the record's line), and the run goes on with the rest.

pub mod html;
pub mod jsonl;

use std::fs::{self, File};
use std::io::{self, BufReader, Read};
use std::path::{Path, PathBuf};

pub use jsonl::RecordError;

use crate::metadata::Metadata;

/// One article to extract from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// The id rows carry as `doc`: the file stem.
    pub id: String,
    /// Where it came from, as the user named it (`-` for standard input).
    pub source: String,
    /// The text all offsets refer to.
    pub text: String,
    /// What the input states about the document (JSON Lines fields, HTML `<meta>`); it
    /// overrides what is read from the text.
    pub meta: Metadata,
}

impl Document {
    pub fn new(id: impl Into<String>, source: impl Into<String>, text: impl Into<String>) -> Self {
        Document { id: id.into(), source: source.into(), text: text.into(), meta: Metadata::default() }
    }
}

/// Why an input did not become a document.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("{path}: cannot read: {source}")]
    Read { path: String, source: io::Error },
    #[error("{path}: not valid UTF-8 (invalid byte at offset {offset})")]
    Utf8 { path: String, offset: usize },
    #[error("{path}: looks like a binary file (NUL byte at offset {offset})")]
    Binary { path: String, offset: usize },
    #[error("{path}: empty file")]
    Empty { path: String },
    #[error("{path}: too large ({size} bytes; the limit is {limit} bytes, see --max-bytes)")]
    TooLarge { path: String, size: u64, limit: u64 },
    #[error("{path}: no article text in the page")]
    NoText { path: String },
    #[error("{path}:{line}: {reason}")]
    Record { path: String, line: u64, reason: RecordError },
}

impl InputError {
    /// The input the error is about.
    pub fn path(&self) -> &str {
        match self {
            InputError::Read { path, .. }
            | InputError::Utf8 { path, .. }
            | InputError::Binary { path, .. }
            | InputError::Empty { path }
            | InputError::TooLarge { path, .. }
            | InputError::NoText { path }
            | InputError::Record { path, .. } => path,
        }
    }
}

/// How inputs are read.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// Files (and JSON Lines records) larger than this are refused: a document is held in
    /// memory whole.
    pub max_bytes: u64,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions { max_bytes: 256 * 1024 * 1024 }
    }
}

/// How a file is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Text,
    Html,
    JsonLines,
}

/// File extensions read when walking a directory, and how.
const EXTENSIONS: &[(&str, Format)] =
    &[("txt", Format::Text), ("html", Format::Html), ("htm", Format::Html), ("jsonl", Format::JsonLines), ("ndjson", Format::JsonLines)];

/// The format of a file by its extension; `None` for an extension not read from directories.
fn format_of(path: &Path) -> Option<Format> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    EXTENSIONS.iter().find(|(x, _)| *x == ext).map(|(_, f)| *f)
}

/// The documents named by `paths` (files, directories, or `-` for standard input), in order.
pub fn documents(paths: Vec<PathBuf>, options: IngestOptions) -> impl Iterator<Item = Result<Document, InputError>> {
    Documents { pending: paths.into_iter().rev().collect(), records: None, options }
}

struct Documents {
    /// Paths still to read, the next last.
    pending: Vec<PathBuf>,
    /// The JSON Lines file being read, if any.
    records: Option<jsonl::Records<BufReader<File>>>,
    options: IngestOptions,
}

impl Iterator for Documents {
    type Item = Result<Document, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(records) = &mut self.records {
                match records.next() {
                    Some(doc) => return Some(doc),
                    None => self.records = None,
                }
            }
            let path = self.pending.pop()?;
            if path.as_os_str() == "-" {
                return Some(read_stdin(&self.options));
            }
            let name = path.display().to_string();
            let meta = match fs::metadata(&path) {
                Ok(m) => m,
                Err(source) => return Some(Err(InputError::Read { path: name, source })),
            };
            if meta.is_dir() {
                match sorted_entries(&path) {
                    Ok(entries) => self.pending.extend(entries.into_iter().rev()),
                    Err(source) => return Some(Err(InputError::Read { path: name, source })),
                }
                continue;
            }
            match format_of(&path).unwrap_or(Format::Text) {
                Format::JsonLines => match File::open(&path) {
                    Ok(f) => self.records = Some(jsonl::Records::new(BufReader::new(f), name, self.options.max_bytes)),
                    Err(source) => return Some(Err(InputError::Read { path: name, source })),
                },
                Format::Html => return Some(read_file(&path, meta.len(), &self.options).and_then(html_document)),
                Format::Text => return Some(read_file(&path, meta.len(), &self.options)),
            }
        }
    }
}

/// A directory's readable entries: subdirectories and files with a known extension, sorted.
fn sorted_entries(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() || format_of(&path).is_some() {
            out.push(path);
        }
    }
    out.sort();
    Ok(out)
}

/// An HTML page's document: its article text, and the metadata the page declares.
fn html_document(page: Document) -> Result<Document, InputError> {
    let (text, meta) = html::extract(&page.text);
    if text.trim().is_empty() {
        return Err(InputError::NoText { path: page.source });
    }
    Ok(Document { text, meta, ..page })
}

fn read_file(path: &Path, size: u64, options: &IngestOptions) -> Result<Document, InputError> {
    let name = path.display().to_string();
    if size > options.max_bytes {
        return Err(InputError::TooLarge { path: name, size, limit: options.max_bytes });
    }
    let bytes = fs::read(path).map_err(|source| InputError::Read { path: name.clone(), source })?;
    let id = path.file_stem().map_or_else(|| name.clone(), |s| s.to_string_lossy().into_owned());
    decode(bytes, id, name, options)
}

fn read_stdin(options: &IngestOptions) -> Result<Document, InputError> {
    let name = "-".to_string();
    let mut bytes = Vec::new();
    io::stdin()
        .lock()
        .take(options.max_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(|source| InputError::Read { path: name.clone(), source })?;
    if bytes.len() as u64 > options.max_bytes {
        return Err(InputError::TooLarge { path: name, size: bytes.len() as u64, limit: options.max_bytes });
    }
    decode(bytes, "stdin".into(), name, options)
}

/// Checks and decodes the bytes of one text document.
pub fn decode(bytes: Vec<u8>, id: String, source: String, options: &IngestOptions) -> Result<Document, InputError> {
    if bytes.len() as u64 > options.max_bytes {
        return Err(InputError::TooLarge { path: source, size: bytes.len() as u64, limit: options.max_bytes });
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(InputError::Empty { path: source });
    }
    if let Some(offset) = memchr::memchr(0, &bytes) {
        return Err(InputError::Binary { path: source, offset });
    }
    // A byte-order mark is not text; dropping it would shift every offset, so it stays.
    let text = String::from_utf8(bytes).map_err(|e| InputError::Utf8 { path: source.clone(), offset: e.utf8_error().valid_up_to() })?;
    Ok(Document { id, source, text, meta: Metadata::default() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_directories_sorted_and_reports_bad_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir(root.join("sub")).unwrap();
        fs::write(root.join("b.txt"), "B said so.").unwrap();
        fs::write(root.join("a.txt"), "A said so.").unwrap();
        fs::write(root.join("sub/c.txt"), "C said so.").unwrap();
        fs::write(root.join("skip.pdf"), "%PDF").unwrap();
        fs::write(root.join("bad.txt"), b"caf\xe9").unwrap();
        fs::write(root.join("empty.txt"), " \n").unwrap();
        fs::write(root.join("nul.txt"), b"ab\0cd").unwrap();
        let got: Vec<String> = documents(vec![root.to_path_buf()], IngestOptions::default())
            .map(|d| match d {
                Ok(d) => d.id,
                Err(e) => format!("error {}", e.to_string().rsplit('/').next().unwrap()),
            })
            .collect();
        assert_eq!(
            got,
            [
                "a",
                "b",
                "error bad.txt: not valid UTF-8 (invalid byte at offset 3)",
                "error empty.txt: empty file",
                "error nul.txt: looks like a binary file (NUL byte at offset 2)",
                "c"
            ]
        );
    }

    #[test]
    fn refuses_huge_files_and_missing_paths() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big.txt");
        fs::write(&big, "x".repeat(100)).unwrap();
        let mut docs = documents(vec![big, dir.path().join("nope.txt")], IngestOptions { max_bytes: 10 });
        assert!(matches!(docs.next(), Some(Err(InputError::TooLarge { size: 100, limit: 10, .. }))));
        assert!(matches!(docs.next(), Some(Err(InputError::Read { .. }))));
        assert!(docs.next().is_none());
    }
}
