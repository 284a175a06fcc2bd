//! Paragraphs and sentences, as byte spans of the matching copy.
//!
//! Sentences start from Unicode sentence bounds (UAX 29), which break after every "Mr." and
//! "U.S."; a repair pass driven by `rules/segmentation.toml` joins them back: titles always
//! join, abbreviations like "U.S." join unless a sentence starter follows, initials join, and a
//! sentence never ends inside a quote (the quote layer knows where quotes are).

use std::collections::HashSet;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;
use unicode_segmentation::UnicodeSegmentation;

use crate::quotes::Quote;
use crate::rules::{RuleError, SourceFile};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SegmentationFile {
    /// Tokens after which a sentence never ends ("Mr.", "Gen.", "Sept.").
    #[serde(default)]
    always_join: Vec<String>,
    /// Tokens after which a sentence ends only if a sentence starter follows ("U.S.", "a.m.").
    #[serde(default)]
    join_unless_starter: Vec<String>,
    /// Words that start sentences ("The", "He", "But").
    #[serde(default)]
    sentence_starters: Vec<String>,
    /// Join after a single capital letter and a period ("George W. Bush").
    #[serde(default = "yes")]
    join_initials: bool,
    #[serde(default)]
    example: Vec<ExampleToml>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExampleToml {
    text: Spanned<String>,
    sentences: Vec<String>,
}

/// A segmentation example: `text` must split into exactly `sentences`.
#[derive(Debug, Clone)]
pub struct SegmentationExample {
    pub file: usize,
    pub at: usize,
    pub text: String,
    pub sentences: Vec<String>,
}

/// The sentence splitter with its repair lists.
#[derive(Debug, Default)]
pub struct Segmenter {
    always: HashSet<String>,
    unless_starter: HashSet<String>,
    starters: HashSet<String>,
    initials: bool,
    pub examples: Vec<SegmentationExample>,
}

impl Segmenter {
    pub(crate) fn from_file(file: &SourceFile, file_idx: usize, errors: &mut Vec<RuleError>) -> Self {
        let parsed: SegmentationFile = match file.parse() {
            Ok(p) => p,
            Err(e) => {
                errors.push(e);
                return Segmenter::default();
            }
        };
        Segmenter {
            always: parsed.always_join.into_iter().collect(),
            unless_starter: parsed.join_unless_starter.into_iter().collect(),
            starters: parsed.sentence_starters.into_iter().collect(),
            initials: parsed.join_initials,
            examples: parsed
                .example
                .into_iter()
                .map(|e| SegmentationExample { file: file_idx, at: e.text.span().start, text: e.text.into_inner(), sentences: e.sentences })
                .collect(),
        }
    }

    /// Tokens that end in a period which is not a sentence end (they keep it when tokenised).
    pub fn abbreviations(&self) -> impl Iterator<Item = String> + '_ {
        self.always.iter().chain(&self.unless_starter).cloned()
    }

    /// Appends the sentences of paragraph `para` to `out`. `quotes` are the document's quotes.
    pub fn sentences(&self, text: &str, para: Range<usize>, quotes: &[Quote], out: &mut Vec<Range<usize>>) {
        let body = &text[para.clone()];
        let mut start: Option<usize> = None;
        let mut pieces = body.split_sentence_bound_indices().peekable();
        while let Some((i, piece)) = pieces.next() {
            let begin = para.start + i;
            let s = *start.get_or_insert(begin);
            let Some(&(j, next)) = pieces.peek() else {
                push_trimmed(text, s..para.end, out);
                break;
            };
            let boundary = para.start + j;
            if !self.joins(piece, next) && !inside_quote(quotes, boundary) {
                push_trimmed(text, s..boundary, out);
                start = None;
            }
        }
    }

    /// Whether the bound between `piece` and `next` is not a sentence end after all.
    fn joins(&self, piece: &str, next: &str) -> bool {
        let last = piece.trim_end().rsplit(char::is_whitespace).next().unwrap_or("");
        let last = last.trim_start_matches(|c: char| !c.is_alphanumeric()).trim_end_matches(['"', '”', '\'', '’']);
        let first = next.split(|c: char| c.is_whitespace()).next().unwrap_or("");
        let first = first.trim_start_matches(|c: char| !c.is_alphanumeric());
        let first_word = first.trim_end_matches(|c: char| !c.is_alphanumeric());
        // After a question or an exclamation, a lowercase word goes on with the same sentence:
        // “No!” the crowd cried.
        if !last.ends_with('.') {
            return last.ends_with(['?', '!']) && first.chars().next().is_some_and(char::is_lowercase);
        }
        if self.always.contains(last) {
            return true;
        }
        if self.unless_starter.contains(last) {
            return !self.starters.contains(first_word);
        }
        if self.initials {
            let mut chars = last.chars();
            let initial = matches!((chars.next(), chars.next(), chars.next()), (Some(c), Some('.'), None) if c.is_uppercase());
            if initial && first.chars().next().is_some_and(char::is_uppercase) && !self.starters.contains(first_word) {
                return true;
            }
        }
        first.chars().next().is_some_and(char::is_lowercase)
    }
}

/// Whether byte `at` falls strictly inside a quote (quotes are sorted and disjoint).
fn inside_quote(quotes: &[Quote], at: usize) -> bool {
    let k = quotes.partition_point(|q| q.open.start < at);
    k > 0 && at < quotes[k - 1].outer().end
}

fn push_trimmed(text: &str, span: Range<usize>, out: &mut Vec<Range<usize>>) {
    let s = &text[span.clone()];
    let lead = s.len() - s.trim_start().len();
    let trimmed = s.trim();
    if !trimmed.is_empty() {
        out.push(span.start + lead..span.start + lead + trimmed.len());
    }
}

/// Whether a line break between `prev` and `next` is a hard wrap inside one paragraph.
fn soft_wrap(prev: &str, next: &str) -> bool {
    let ends_open = prev.chars().last().is_some_and(|c| !".!?:;\"”’')]…".contains(c));
    ends_open && next.chars().next().is_some_and(char::is_lowercase)
}

/// Paragraphs: blocks of text separated by line breaks, trimmed. A line that continues a
/// sentence (hard-wrapped text) joins the paragraph before it.
pub fn paragraphs(text: &str) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut pos = 0;
    let mut prev_blank = true;
    for line in text.split_inclusive('\n') {
        let start = pos;
        pos += line.len();
        let lead = line.len() - line.trim_start().len();
        let trimmed = line.trim();
        if trimmed.is_empty() {
            prev_blank = true;
            continue;
        }
        let span = start + lead..start + lead + trimmed.len();
        match out.last_mut() {
            Some(last) if !prev_blank && soft_wrap(&text[last.clone()], trimmed) => last.end = span.end,
            _ => out.push(span),
        }
        prev_blank = false;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_split_lines_and_join_wraps() {
        let text = "Title\n\n  First para line one\ncontinues here.\nSecond para.\r\n\nThird.";
        let p: Vec<&str> = paragraphs(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(p, ["Title", "First para line one\ncontinues here.", "Second para.", "Third."]);
    }
}
