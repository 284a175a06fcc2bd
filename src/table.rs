//! The speaker-to-statement table: one [`Row`] per statement, every span an exact slice of the
//! document as given.

use serde::{Deserialize, Serialize};

use crate::layout::Layout;
use crate::metadata::Metadata;
use crate::resolve::Resolved;
use crate::rules::RuleSet;
use crate::rules::apply::Candidate;
use crate::text::CharOffsets;

/// What kind of statement a row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Quoted word for word.
    Direct,
    /// Reported speech or thought, not quoted.
    Indirect,
    /// Reported speech containing a partial quote.
    Mixed,
    /// A stated position (X opposes Y), not speech.
    Position,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Direct => "direct",
            Kind::Indirect => "indirect",
            Kind::Mixed => "mixed",
            Kind::Position => "position",
        }
    }
}

/// The unit of output offsets.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum OffsetUnit {
    /// Unicode code points (what Python's `str` slicing uses).
    #[default]
    Chars,
    /// UTF-8 bytes.
    Bytes,
}

/// One statement. Offsets are into the document's text as given, end exclusive, in the unit
/// the extractor was asked for; `text[start..end]` is the field next to them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    /// The document id: the file stem, or the `id` of a JSON Lines record.
    pub doc: String,
    /// Where the document came from: its path, or `-` for standard input.
    pub source: String,
    /// The article's headline; `null` when unknown (as are the other metadata fields).
    pub title: Option<String>,
    /// Who published the article.
    pub outlet: Option<String>,
    /// When, as YYYY-MM-DD.
    pub published: Option<String>,
    /// Who wrote it; several authors joined with ", ".
    pub author: Option<String>,
    /// Where it was published, when the input says.
    pub url: Option<String>,
    pub kind: Kind,
    /// The canonical speaker; `null` when the statement has no source.
    pub speaker: Option<String>,
    /// The speaker as written in the attribution itself (the "he" of "he said").
    pub speaker_mention: Option<String>,
    pub speaker_start: Option<usize>,
    pub speaker_end: Option<usize>,
    pub cue: String,
    pub cue_start: usize,
    pub cue_end: usize,
    /// From the start of the first content span to the end of the last.
    pub content: String,
    pub content_start: usize,
    pub content_end: usize,
    /// The content's parts: one span, or several when the attribution interrupts a quote.
    pub content_spans: Vec<[usize; 2]>,
    /// The id of the rule that found the statement.
    pub rule: String,
    /// The statement group: rows of one speaker reporting the same utterance, across
    /// documents, share it. `null` unless the run grouped its rows (see [`crate::groups`]).
    pub group: Option<String>,
}

/// Turns a document's candidates into rows.
pub struct RowBuilder<'a> {
    pub doc: &'a str,
    pub source: &'a str,
    pub meta: &'a Metadata,
    pub layout: &'a Layout<'a>,
    pub rules: &'a RuleSet,
    pub unit: OffsetUnit,
}

impl RowBuilder<'_> {
    pub fn rows(&self, candidates: &[Candidate], resolved: &[Resolved]) -> Vec<Row> {
        let original = self.layout.text.original();
        let chars = CharOffsets::new(original);
        let span = |r: &std::ops::Range<usize>| {
            let o = self.layout.text.to_original(r.clone());
            let text = original[o.clone()].to_owned();
            let (s, e) = match self.unit {
                OffsetUnit::Bytes => (o.start, o.end),
                OffsetUnit::Chars => (chars.char_offset(o.start), chars.char_offset(o.end)),
            };
            (text, s, e)
        };
        candidates
            .iter()
            .zip(resolved)
            .map(|(c, res)| {
                let speaker = c.speaker.as_ref().map(&span);
                let (cue, cue_start, cue_end) = span(&c.cue);
                let (content, content_start, content_end) = span(&c.content_extent());
                let content_spans = c.content.iter().map(|r| {
                    let (_, s, e) = span(r);
                    [s, e]
                });
                Row {
                    doc: self.doc.to_owned(),
                    source: self.source.to_owned(),
                    title: self.meta.title.clone(),
                    outlet: self.meta.outlet.clone(),
                    published: self.meta.published.clone(),
                    author: self.meta.author.clone(),
                    url: self.meta.url.clone(),
                    kind: c.kind,
                    speaker: res.speaker.clone(),
                    speaker_start: speaker.as_ref().map(|s| s.1),
                    speaker_end: speaker.as_ref().map(|s| s.2),
                    speaker_mention: speaker.map(|s| s.0),
                    cue,
                    cue_start,
                    cue_end,
                    content,
                    content_start,
                    content_end,
                    content_spans: content_spans.collect(),
                    rule: self.rules.patterns.rules[c.rule].id.clone(),
                    group: None,
                }
            })
            .collect()
    }
}
