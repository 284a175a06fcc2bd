//! Measuring the extractor on annotated articles: `whosaid eval GOLD_DIR`.
//!
//! A gold directory holds `<stem>.txt` and its brat standoff annotations `<stem>.ann` (the
//! PolNeAR format; files named per annotator, `<stem>_XXXX.ann`, are found too, and so is the
//! raw PolNeAR layout with `text/` and `attributions/` folders). Each article is extracted
//! with the rule set at hand and its rows are matched against the annotations with the rules
//! of PolNeAR's own scorer ([`score`]), so a user can measure a rule change on their own
//! annotations and compare the figures with published ones.

mod brat;
mod report;
mod score;

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

pub use brat::{Annotations, Fragments, GoldAttribution, parse as parse_ann};
pub use report::{Metrics, Prf, Report};
pub use score::{Counts, GoldDoc, PARTIAL_THRESHOLD};

use crate::ingest::Document;
use crate::pipeline::{Extractor, ordered_map};
use crate::table::OffsetUnit;

/// Why a gold directory or one of its files could not be read.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error("{path}: cannot read: {source}")]
    Read { path: String, source: io::Error },
    #[error("{path}: not valid UTF-8 (invalid byte at offset {offset})")]
    Utf8 { path: String, offset: usize },
    #[error("{dir}: no .txt files (a gold directory holds <stem>.txt and <stem>.ann)")]
    NoDocuments { dir: String },
}

fn read(path: &Path) -> Result<String, EvalError> {
    let name = || path.display().to_string();
    let bytes = fs::read(path).map_err(|source| EvalError::Read { path: name(), source })?;
    String::from_utf8(bytes).map_err(|e| EvalError::Utf8 { path: name(), offset: e.utf8_error().valid_up_to() })
}

/// One article of a gold directory: where its text and annotations are.
#[derive(Debug, Clone)]
struct Entry {
    stem: String,
    text: PathBuf,
    ann: Option<PathBuf>,
}

/// A gold directory, listed; documents are read one at a time as they are scored.
#[derive(Debug, Clone)]
pub struct GoldCorpus {
    entries: Vec<Entry>,
}

impl GoldCorpus {
    /// Lists the articles of `dir` (sorted by name).
    pub fn open(dir: &Path) -> Result<GoldCorpus, EvalError> {
        let (text_dir, ann_dir) = if dir.join("text").is_dir() && dir.join("attributions").is_dir() {
            (dir.join("text"), dir.join("attributions"))
        } else {
            (dir.to_path_buf(), dir.to_path_buf())
        };
        let names = |d: &Path| -> Result<Vec<String>, EvalError> {
            let mut out = Vec::new();
            for e in fs::read_dir(d).map_err(|source| EvalError::Read { path: d.display().to_string(), source })? {
                let e = e.map_err(|source| EvalError::Read { path: d.display().to_string(), source })?;
                out.push(e.file_name().to_string_lossy().into_owned());
            }
            out.sort();
            Ok(out)
        };
        let texts = names(&text_dir)?;
        let anns = if ann_dir == text_dir { texts.clone() } else { names(&ann_dir)? };
        let entries: Vec<Entry> = texts
            .iter()
            .filter_map(|n| n.strip_suffix(".txt"))
            .map(|stem| Entry { stem: stem.to_owned(), text: text_dir.join(format!("{stem}.txt")), ann: find_ann(&anns, stem).map(|a| ann_dir.join(a)) })
            .collect();
        if entries.is_empty() {
            return Err(EvalError::NoDocuments { dir: dir.display().to_string() });
        }
        Ok(GoldCorpus { entries })
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// `<stem>.ann`, else the first `<stem>_XXXX.ann` (one file per annotator).
fn find_ann<'a>(names: &'a [String], stem: &str) -> Option<&'a str> {
    let exact = format!("{stem}.ann");
    if let Some(n) = names.iter().find(|n| **n == exact) {
        return Some(n);
    }
    names.iter().map(String::as_str).find(|n| {
        n.strip_prefix(stem)
            .and_then(|r| r.strip_prefix('_'))
            .and_then(|r| r.strip_suffix(".ann"))
            .is_some_and(|id| id.len() == 4 && id.bytes().all(|b| b.is_ascii_alphanumeric()))
    })
}

impl Entry {
    /// Reads the text and annotations; problems worth a warning go to `warnings`.
    fn load(&self, warnings: &mut Vec<String>) -> Result<GoldDoc, EvalError> {
        let text = read(&self.text)?;
        let ann = match &self.ann {
            Some(path) => {
                let a = brat::parse(&self.stem, &read(path)?);
                warnings.extend(a.warnings.iter().cloned());
                a
            }
            None => {
                warnings.push(format!("{}: no .ann file, treated as having no attributions", self.stem));
                Annotations::default()
            }
        };
        Ok(GoldDoc::new(&self.stem, text, &ann.attributions, ann.without_content))
    }
}

/// The outcome of an evaluation: the figures, gold warnings, and the files that failed.
#[derive(Debug)]
pub struct Evaluation {
    pub report: Report,
    pub warnings: Vec<String>,
    pub errors: Vec<EvalError>,
}

/// Extracts every article of `corpus` with `extractor` on `jobs` threads and scores the rows.
/// The figures do not depend on `jobs`.
pub fn evaluate(extractor: &Extractor, corpus: &GoldCorpus, jobs: usize, by_publisher: bool) -> Evaluation {
    let extractor = extractor.clone().with_offsets(OffsetUnit::Chars);
    let mut total = Counts::default();
    let mut publishers: BTreeMap<String, Counts> = BTreeMap::new();
    let mut warnings = Vec::new();
    let mut errors = Vec::new();
    let scored = ordered_map(
        corpus.entries.iter(),
        jobs,
        |entry| {
            let mut w = Vec::new();
            let doc = entry.load(&mut w).map(|gold| {
                let rows = extractor.extract(&Document::new(&gold.stem, entry.text.display().to_string(), gold.text.as_str()));
                (gold.publisher().to_owned(), gold.score(&rows))
            });
            (doc, w)
        },
        |(doc, w)| {
            warnings.extend(w);
            match doc {
                Ok((publisher, counts)) => {
                    total += counts;
                    if by_publisher {
                        *publishers.entry(publisher).or_default() += counts;
                    }
                }
                Err(e) => errors.push(e),
            }
            Ok::<(), std::convert::Infallible>(())
        },
    );
    let Ok(()) = scored;
    let report = Report {
        overall: Metrics::new(&total),
        by_publisher: by_publisher.then(|| publishers.iter().map(|(k, c)| (k.clone(), Metrics::new(c))).collect()),
    };
    Evaluation { report, warnings, errors }
}
