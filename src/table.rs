//! The speaker-to-statement table: one [`Row`] per statement, every span an exact slice of the
//! document as given.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::layout::Layout;
use crate::metadata::Metadata;
use crate::resolve::Resolved;
use crate::rules::RuleSet;
use crate::rules::apply::Candidate;
use crate::text::CharOffsets;
use crate::topics::Tags;
use crate::topics::stance::Stance;

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

/// What a speaker is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SpeakerType {
    Person,
    /// A state, ministry, office, party, outlet, company: a body that speaks.
    Organization,
    /// An unnamed source: "an Israeli diplomatic source", "analysts".
    Anonymous,
    /// Nothing in the document or the gazetteer says who this is.
    Unresolved,
}

impl SpeakerType {
    pub fn as_str(self) -> &'static str {
        match self {
            SpeakerType::Person => "person",
            SpeakerType::Organization => "organization",
            SpeakerType::Anonymous => "anonymous",
            SpeakerType::Unresolved => "unresolved",
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
    pub speaker_type: Option<SpeakerType>,
    /// The speaker's Wikidata id, when the gazetteer has it.
    pub speaker_id: Option<String>,
    /// "Foreign Minister, Israel": from the gazetteer, or the title the document gives.
    pub speaker_role: Option<String>,
    /// The speaker as written in the attribution itself (the "he" of "he said").
    pub speaker_mention: Option<String>,
    pub speaker_start: Option<usize>,
    pub speaker_end: Option<usize>,
    /// The canonical speaker of the statement this one is reported in ("X's office said Y
    /// reiterated that …": Y's statement comes via X's office).
    pub via: Option<String>,
    /// Whom the statement was made to, when the text says ("told the Resalat daily").
    pub addressee: Option<String>,
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
    /// The topics the content names (`rules/topics/`), in the order it first names them.
    /// (Rows read back from an extraction without topics have none.)
    #[serde(default)]
    pub topics: Vec<String>,
    /// The side the statement takes on each topic it takes one on.
    #[serde(default)]
    pub stance: IndexMap<String, Stance>,
    /// The statement group: rows of one speaker reporting the same utterance, across
    /// documents, share it. `null` unless the run grouped its rows (see [`crate::groups`]).
    pub group: Option<String>,
}

/// Maps byte spans of the matching copy to the original text and its offsets in one unit.
pub struct SpanMap<'a> {
    layout: &'a Layout<'a>,
    chars: CharOffsets<'a>,
    unit: OffsetUnit,
}

impl<'a> SpanMap<'a> {
    pub fn new(layout: &'a Layout<'a>, unit: OffsetUnit) -> Self {
        SpanMap { layout, chars: CharOffsets::new(layout.text.original()), unit }
    }

    /// The original text of a span, and its start and end offsets.
    pub fn span(&self, r: &std::ops::Range<usize>) -> (String, usize, usize) {
        let o = self.layout.text.to_original(r.clone());
        let text = self.layout.text.original()[o.clone()].to_owned();
        let (s, e) = match self.unit {
            OffsetUnit::Bytes => (o.start, o.end),
            OffsetUnit::Chars => (self.chars.char_offset(o.start), self.chars.char_offset(o.end)),
        };
        (text, s, e)
    }
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
    pub fn rows(&self, candidates: &[Candidate], resolved: &[Resolved], tags: Vec<Tags>) -> Vec<Row> {
        let map = SpanMap::new(self.layout, self.unit);
        let span = |r: &std::ops::Range<usize>| map.span(r);
        candidates
            .iter()
            .zip(resolved)
            .zip(tags)
            .map(|((c, res), tags)| {
                let speaker = c.speaker.as_ref().map(&span);
                let (cue, cue_start, cue_end) = span(&c.cue);
                let (content, content_start, content_end) = span(&c.content_extent());
                let content_spans = c.content.iter().map(|r| {
                    let (_, s, e) = span(r);
                    [s, e]
                });
                let who = res.speaker.as_ref();
                Row {
                    doc: self.doc.to_owned(),
                    source: self.source.to_owned(),
                    title: self.meta.title.clone(),
                    outlet: self.meta.outlet.clone(),
                    published: self.meta.published.clone(),
                    author: self.meta.author.clone(),
                    url: self.meta.url.clone(),
                    kind: c.kind,
                    speaker: who.map(|s| s.name.clone()),
                    speaker_type: who.map(|s| s.kind),
                    speaker_id: who.and_then(|s| s.id.clone()),
                    speaker_role: who.and_then(|s| s.role.clone()),
                    speaker_start: speaker.as_ref().map(|s| s.1),
                    speaker_end: speaker.as_ref().map(|s| s.2),
                    speaker_mention: speaker.map(|s| s.0),
                    via: res.via.clone(),
                    addressee: res.addressee.clone(),
                    cue,
                    cue_start,
                    cue_end,
                    content,
                    content_start,
                    content_end,
                    content_spans: content_spans.collect(),
                    rule: self.rules.patterns.rules[c.rule].id.clone(),
                    topics: tags.topics,
                    stance: tags.stance,
                    group: None,
                }
            })
            .collect()
    }
}
