//! A document laid out for matching: matching copy, paragraphs, quotes, sentences, skeleton.
//!
//! Built once per document; every later stage reads it. All spans here are byte spans of the
//! matching copy (`text.norm()`); [`DocText::to_original`] maps them back.

use std::ops::Range;

use crate::furniture::{self, Why};
use crate::quotes::{self, Quote};
use crate::rules::RuleSet;
use crate::rules::tokens::{TokenString, tokenize};
use crate::segment;
use crate::text::DocText;

/// A sentence and the paragraph it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    pub span: Range<usize>,
    pub paragraph: usize,
}

#[derive(Debug)]
pub struct Layout<'a> {
    pub text: DocText<'a>,
    pub paragraphs: Vec<Range<usize>>,
    pub quotes: Vec<Quote>,
    pub sentences: Vec<Sentence>,
    /// The matching copy with quotation marks and quoted text masked (see [`quotes`]).
    pub skeleton: String,
    /// For each paragraph, why it is not article text (page furniture, a repeat), or `None`.
    pub furniture: Vec<Option<Why>>,
    /// The skeleton's tokens and their signatures, which rule patterns match.
    pub tokens: TokenString,
    /// For each quote group id, from the first to the last quoted byte of its pieces.
    groups: Vec<Range<usize>>,
}

impl<'a> Layout<'a> {
    pub fn new(original: &'a str, rules: &RuleSet) -> Self {
        let text = rules.normalizer.apply(original);
        let norm = text.norm();
        let paragraphs = segment::paragraphs(norm);
        let quotes = quotes::find(norm, &paragraphs);
        let mut sentences = Vec::new();
        let mut spans = Vec::new();
        for (p, para) in paragraphs.iter().enumerate() {
            spans.clear();
            rules.segmenter.sentences(norm, para.clone(), &quotes, &mut spans);
            sentences.extend(spans.drain(..).map(|span| Sentence { span, paragraph: p }));
        }
        let skeleton = quotes::skeleton(norm, &quotes);
        let furniture = furniture::detect(norm, &paragraphs, &rules.boilerplate, &rules.metadata);
        let vocab = &rules.vocab;
        let mut tokens = TokenString::default();
        tokenize(&skeleton, |w| vocab.keeps_period.contains(w), &mut tokens.tokens);
        tokens.tags.reserve(tokens.tokens.len() * crate::rules::tokens::SIG_LEN);
        for t in &tokens.tokens {
            tokens.tags.push(vocab.sigs.signature(&norm[t.span()], t.shape));
        }
        let mut groups: Vec<Option<Range<usize>>> = Vec::new();
        for q in &quotes {
            if q.group >= groups.len() {
                // Ids are not met in order (single quotes are numbered after the doubles).
                groups.resize(q.group + 1, None);
            }
            let g = groups[q.group].get_or_insert(q.inner.clone());
            g.start = g.start.min(q.inner.start);
            g.end = g.end.max(q.inner.end);
        }
        let groups = groups.into_iter().map(|g| g.expect("every group id belongs to a quote")).collect();
        Layout { text, paragraphs, quotes, sentences, skeleton, furniture, tokens, groups }
    }

    /// The matching copy.
    pub fn norm(&self) -> &str {
        self.text.norm()
    }

    /// Whether `span` touches a paragraph that is not article text.
    pub fn is_excluded(&self, span: &Range<usize>) -> bool {
        let k = self.paragraphs.partition_point(|p| p.end <= span.start);
        self.paragraphs[k..].iter().zip(&self.furniture[k..]).take_while(|(p, _)| p.start < span.end).any(|(_, why)| why.is_some())
    }

    /// The quote whose opening mark starts at `at`, if any.
    pub fn quote_opening_at(&self, at: usize) -> Option<&Quote> {
        let k = self.quotes.partition_point(|q| q.open.start < at);
        self.quotes.get(k).filter(|q| q.open.start == at)
    }

    /// From the first to the last quoted byte of all pieces of quote group `group`.
    pub fn group_inner(&self, group: usize) -> Range<usize> {
        self.groups[group].clone()
    }
}
