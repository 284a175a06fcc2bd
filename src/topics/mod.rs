//! Topics and stance: what each statement is about, and which side it takes.
//!
//! The sentences that hold statements are scanned once for topic terms ([`lexicon`]). A
//! statement's topics are those named in its content, and those its pronouns stand for: "it"
//! in "Iran is Israel's arch-enemy and Netanyahu has pledged to prevent it from …" is Iran,
//! the nearest topic before it in the sentence that can be called "it" (a possessor,
//! "Israel's", is passed over). Its stance on each is read by [`stance`]. Topics that a file
//! marks `report = "stance"` are kept only where the statement takes a stance on them.

pub mod lexicon;
pub mod stance;

use std::ops::Range;

use indexmap::IndexMap;

use crate::layout::Layout;
use crate::rules::RuleSet;
use crate::rules::apply::Candidate;
use crate::rules::tokens::{Token, tokenize};
use lexicon::{Mention, Report};
use stance::{Marks, Stance};

/// The topics of one statement, in the order its content first names them, and its stance on
/// those it takes a side on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tags {
    pub topics: Vec<String>,
    pub stance: IndexMap<String, Stance>,
}

/// Tags every candidate of a document.
pub fn tag(layout: &Layout, candidates: &[Candidate], rules: &RuleSet) -> Vec<Tags> {
    if candidates.is_empty() {
        return Vec::new();
    }
    let mut mentions = Vec::new();
    for span in statement_sentences(layout, candidates) {
        rules.topics.mentions(&layout.norm()[span.clone()], span.start, &mut mentions);
    }
    let mut words = Words::default();
    candidates.iter().map(|c| tag_one(layout, c, &mentions, rules, &mut words)).collect()
}

/// The stretches of whole sentences that hold the statements' contents, in text order and
/// without overlaps: topics are looked for there only (a pronoun's antecedent is in its own
/// sentence), not in the rest of the document.
fn statement_sentences(layout: &Layout, candidates: &[Candidate]) -> Vec<Range<usize>> {
    let mut spans: Vec<Range<usize>> = candidates
        .iter()
        .map(|c| {
            let content = c.content_extent();
            let start = sentence_at(layout, content.start).map_or(content.start, |s| s.start);
            let end = sentence_at(layout, content.end.saturating_sub(1)).map_or(content.end, |s| s.end.max(content.end));
            start..end
        })
        .collect();
    spans.sort_by_key(|s| s.start);
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(spans.len());
    for s in spans {
        match merged.last_mut() {
            Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
            _ => merged.push(s),
        }
    }
    merged
}

/// The span of the sentence holding byte `at`, if any.
fn sentence_at(layout: &Layout, at: usize) -> Option<Range<usize>> {
    let k = layout.sentences.partition_point(|s| s.span.end <= at);
    layout.sentences.get(k).filter(|s| s.span.start <= at).map(|s| s.span.clone())
}

/// A statement's words: its cue, then its content parts, as tokens of the matching copy.
#[derive(Default)]
struct Words {
    tokens: Vec<Token>,
    scratch: Vec<Token>,
    /// Index of the first content token.
    content_from: usize,
}

impl Words {
    fn fill(&mut self, norm: &str, cue: &Range<usize>, content: &[Range<usize>], keeps_period: impl Fn(&str) -> bool + Copy) {
        self.tokens.clear();
        for (i, span) in std::iter::once(cue).chain(content).enumerate() {
            if i == 1 {
                self.content_from = self.tokens.len();
            }
            self.scratch.clear();
            tokenize(&norm[span.clone()], keeps_period, &mut self.scratch);
            let base = span.start as u32;
            self.tokens.extend(self.scratch.iter().map(|t| Token { start: t.start + base, end: t.end + base, shape: t.shape }));
        }
    }

    /// The token containing byte `at`, among the content tokens.
    fn at(&self, at: usize) -> Option<usize> {
        let content = &self.tokens[self.content_from..];
        let k = content.partition_point(|t| (t.end as usize) <= at);
        content.get(k).filter(|t| t.start as usize <= at).map(|_| self.content_from + k)
    }
}

/// A topic named in the statement: by a term or a pronoun, over tokens `first..=last`.
struct Named {
    topic: usize,
    first: usize,
    last: usize,
    possessive: bool,
}

fn tag_one(layout: &Layout, c: &Candidate, mentions: &[Mention], rules: &RuleSet, words: &mut Words) -> Tags {
    let norm = layout.norm();
    let lexicon = &rules.topics;
    words.fill(norm, &c.cue, &c.content, |w| rules.vocab.keeps_period.contains(w));
    let original: Vec<&str> = words.tokens.iter().map(|t| &norm[t.span()]).collect();
    let keys: Vec<String> = original.iter().map(|w| stance::key(w)).collect();

    let mut named: Vec<Named> = Vec::new();
    for part in &c.content {
        let from = mentions.partition_point(|m| m.span.start < part.start);
        for m in mentions[from..].iter().take_while(|m| m.span.end <= part.end) {
            if let (Some(first), Some(last)) = (words.at(m.span.start), words.at(m.span.end - 1)) {
                named.push(Named { topic: m.topic, first, last, possessive: m.possessive });
            }
        }
    }
    for i in words.content_from..words.tokens.len() {
        if !lexicon.topics.iter().any(|t| t.pronouns.contains(&keys[i])) || rules.stance.dummy_at(&keys, i) {
            continue;
        }
        let refers = |m: &&Mention| !m.possessive && lexicon.topics[m.topic].pronouns.contains(&keys[i]);
        let at = words.tokens[i].start as usize;
        let Some(sentence) = sentence_at(layout, at) else { continue };
        let from = mentions.partition_point(|m| m.span.start < sentence.start);
        let to = mentions.partition_point(|m| m.span.start < at);
        if let Some(m) = mentions[from..to].iter().rev().find(refers) {
            named.push(Named { topic: m.topic, first: i, last: i, possessive: false });
        }
    }
    named.sort_by_key(|n| n.first);

    let mut marks = Marks { start: vec![false; keys.len()], inside: vec![false; keys.len()] };
    for n in &named {
        marks.start[n.first] = true;
        marks.inside[n.first..=n.last].fill(true);
    }
    let reading = rules.stance.read(&keys);
    let mut sides: IndexMap<usize, Option<Stance>> = IndexMap::new();
    for n in &named {
        let side = sides.entry(n.topic).or_insert(None);
        if side.is_none() {
            *side = reading.stance(n.first, n.last, n.possessive, &original, &marks);
        }
    }
    let mut tags = Tags::default();
    for (topic, side) in sides {
        let t = &lexicon.topics[topic];
        if t.report == Report::Mention || side.is_some() {
            tags.topics.push(t.label.clone());
            if let Some(s) = side {
                tags.stance.insert(t.label.clone(), s);
            }
        }
    }
    tags
}
