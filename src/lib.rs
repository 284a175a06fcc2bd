//! whosaid: who said what, where.
//!
//! Reads news articles and produces a speaker-to-statement table: one [`Row`] per quoted or
//! reported statement or stated position, with speaker, cue, content and exact offsets into the
//! source text. The stages, in the order data flows through them:
//!
//! 1. [`ingest`]: files, directories and standard input (text, HTML, JSON Lines) become
//!    [`Document`]s;
//! 2. `text`: a normalised matching copy, and the way back to original offsets;
//! 3. `segment`: paragraphs and sentences; [`furniture`]: what is not article text;
//!    [`metadata`]: title, outlet, date and author ([`page`] shows all of it);
//! 4. `quotes`: quotation marks paired over the whole document;
//! 5. [`rules`]: the rule files, compiled, and their patterns run over each sentence;
//! 6. [`resolve`]: each speaker mention to a canonical speaker, with the gazetteer of
//!    `speakers.toml`;
//! 7. [`topics`]: the topics each statement names and its stance on them;
//! 8. [`table`]: rows with offsets into the original text;
//! 9. [`groups`]: rows of one utterance across documents, and articles that copy each other;
//! 10. [`writers`]: CSV, JSON Lines, JSON, a text table, XLSX.
//!
//! ```
//! use whosaid::{Document, Extractor, RuleSet};
//! let extractor = Extractor::new(RuleSet::builtin().unwrap());
//! let doc = Document::new("d", "d.txt", "“We will not allow it,” Netanyahu said.");
//! let rows = extractor.extract(&doc);
//! assert_eq!(rows[0].speaker_mention.as_deref(), Some("Netanyahu"));
//! assert_eq!(rows[0].content, "We will not allow it,");
//! ```

pub mod check;
pub mod eval;
mod fast_map;
pub mod furniture;
pub mod groups;
pub mod ingest;
mod layout;
pub mod metadata;
pub mod page;
mod pipeline;
pub mod positions;
mod quotes;
pub mod resolve;
pub mod rules;
mod segment;
mod sorted;
pub mod table;
mod text;
pub mod topics;
pub mod writers;

pub use ingest::{Document, InputError};
pub use layout::Layout;
pub use metadata::Metadata;
pub use page::Page;
pub use pipeline::{Explanation, Extractor, ordered_map};
pub use rules::{RuleError, RuleErrors, RuleSet};
pub use table::{Kind, OffsetUnit, Row, SpeakerType};
