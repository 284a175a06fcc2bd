//! A document as the pipeline sees it: its metadata and its paragraphs, each marked as article
//! text or as furniture with the reason. `whosaid text` prints this, so a user can see why a
//! line was skipped.

use crate::furniture::Why;
use crate::layout::Layout;
use crate::metadata::Metadata;
use crate::rules::RuleSet;
use crate::table::OffsetUnit;
use crate::text::CharOffsets;

/// One paragraph: its offsets in the document's text (in the extractor's unit), its text as
/// given, and why it is furniture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub furniture: Option<Furniture>,
}

/// Why a paragraph is skipped: a short label (a `boilerplate.toml` entry id, or a structural
/// rule), an explanation, and for a repeat or a list item the start of the paragraph it
/// repeats or of the list's heading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Furniture {
    pub label: String,
    pub why: String,
    pub refers_to: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub meta: Metadata,
    pub paragraphs: Vec<Paragraph>,
}

impl Page {
    pub(crate) fn new(meta: Metadata, layout: &Layout, rules: &RuleSet, unit: OffsetUnit) -> Page {
        let original = layout.text.original();
        let chars = CharOffsets::new(original);
        let offset = |b: usize| match unit {
            OffsetUnit::Bytes => b,
            OffsetUnit::Chars => chars.char_offset(b),
        };
        let starts: Vec<usize> = layout.paragraphs.iter().map(|p| offset(layout.text.to_original(p.clone()).start)).collect();
        let paragraphs = layout
            .paragraphs
            .iter()
            .zip(&layout.furniture)
            .map(|(p, why)| {
                let o = layout.text.to_original(p.clone());
                let furniture = why.map(|w| Furniture {
                    label: w.label(&rules.boilerplate).to_owned(),
                    why: explain(w, rules),
                    refers_to: match w {
                        Why::Repeat(p) | Why::List(p) => Some(starts[p]),
                        _ => None,
                    },
                });
                Paragraph { start: offset(o.start), end: offset(o.end), text: original[o].to_owned(), furniture }
            })
            .collect();
        Page { meta, paragraphs }
    }
}

fn explain(why: Why, rules: &RuleSet) -> String {
    match why {
        Why::Entry(e) => rules.boilerplate.entries[e].why.clone(),
        Why::Repeat(_) => "repeats an earlier paragraph word for word (the first copy counts)".into(),
        Why::Byline => "byline".into(),
        Why::Dateline(_) => "dateline".into(),
        Why::Masthead(o) => format!("masthead of {}", rules.metadata.outlets.outlets[o].name),
        Why::Menu => "section menu (a long line of capitalised words)".into(),
        Why::ShortRun => "one of a run of short lines without sentence punctuation".into(),
        Why::List(_) => "in a list of other stories, below its heading".into(),
        Why::Caption => "repeats the start of the caption beside it".into(),
        Why::Between => "no sentence, between furniture".into(),
    }
}
