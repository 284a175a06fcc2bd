//! What is not article text: the paragraphs of a page that extraction skips.
//!
//! Skipped paragraphs stay in the text, so offsets never move; they are only marked, each with
//! the reason, which `whosaid text` shows. Marks come from the entries of
//! `rules/boilerplate.toml` and from the page's structure: repeated paragraphs, bylines and
//! datelines, mastheads, section menus, runs of short lines, lists of other stories, caption
//! repeats, and short lines between furniture.

mod boilerplate;

use std::collections::HashMap;
use std::ops::Range;

pub(crate) use boilerplate::BoilerplateFile;
pub use boilerplate::{Boilerplate, Entry, PageExample, Structure};

use crate::metadata::{Date, MetadataRules};

/// Why a paragraph is furniture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// Entry `n` of `rules/boilerplate.toml`.
    Entry(usize),
    /// It repeats paragraph `n` word for word (a body the scraper printed twice).
    Repeat(usize),
    /// A byline ("By LAHAV HARKOV").
    Byline,
    /// A dateline ("MARCH 16, 2021 15:33").
    Dateline(Date),
    /// The masthead of outlet `n` of `rules/outlets.toml`.
    Masthead(usize),
    /// A long line of capitalised words opening the page or beside other furniture: a menu.
    Menu,
    /// One of a run of short lines without sentence punctuation.
    ShortRun,
    /// In the list of other stories headed by paragraph `n`.
    List(usize),
    /// It repeats the start of an adjacent caption.
    Caption,
    /// A line that is no sentence, between furniture.
    Between,
}

impl Why {
    /// A short name for the mark.
    pub fn label<'a>(&self, boilerplate: &'a Boilerplate) -> &'a str {
        match self {
            Why::Entry(e) => &boilerplate.entries[*e].id,
            Why::Repeat(_) => "repeat",
            Why::Byline => "byline",
            Why::Dateline(_) => "dateline",
            Why::Masthead(_) => "masthead",
            Why::Menu => "menu",
            Why::ShortRun => "short-lines",
            Why::List(_) => "list",
            Why::Caption => "caption",
            Why::Between => "between",
        }
    }
}

/// What a paragraph looks like, measured once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    pub words: usize,
    /// It ends like a sentence (., !, ?, …, perhaps followed by closing quotes or brackets).
    pub ends_sentence: bool,
    /// Every word with a letter starts with a capital.
    pub capitalised: bool,
}

impl Shape {
    /// Closing quotes and brackets that may follow a sentence's final punctuation.
    pub const CLOSERS: &[char] = &['"', '”', '’', '\'', ')', ']', '»', '*'];

    pub fn of(para: &str) -> Shape {
        let mut words = 0;
        let mut capitalised = true;
        for w in para.split_ascii_whitespace() {
            words += 1;
            capitalised &= Shape::capitalised_word(w);
        }
        let last = para.trim_end().trim_end_matches(Shape::CLOSERS).chars().next_back();
        Shape { words, ends_sentence: matches!(last, Some('.' | '!' | '?' | '…')), capitalised }
    }

    /// A word whose first letter is a capital, or that has no letter ("&", "2021").
    pub fn capitalised_word(w: &str) -> bool {
        w.chars().find(|c| c.is_alphabetic()).is_none_or(char::is_uppercase)
    }

    /// Whether the paragraph reads as article prose: a sentence of some length.
    pub fn prose(&self, structure: &Structure) -> bool {
        self.ends_sentence && self.words >= structure.prose_words
    }

    fn short(&self, structure: &Structure) -> bool {
        !self.ends_sentence && self.words <= structure.short_words
    }
}

/// Paragraphs shorter than this are never treated as repeats (a repeated "Read more" is
/// furniture for other reasons, not a repeated body).
const MIN_REPEAT_BYTES: usize = 40;

fn words(s: &str) -> impl Iterator<Item = &str> {
    s.split_ascii_whitespace()
}

/// FNV-1a over a paragraph's words, so that spacing does not matter (a cheap key for finding
/// repeats; equal keys are confirmed word by word).
fn words_hash(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for w in words(s) {
        for &b in w.as_bytes().iter().chain(b" ") {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// For each paragraph that repeats an earlier paragraph word for word, as when a scraper printed
/// the body twice, `(paragraph, first copy)`: the first copy is the article.
fn repeated_paragraphs(text: &str, paragraphs: &[Range<usize>]) -> Vec<(usize, usize)> {
    let mut first: HashMap<u64, usize> = HashMap::new();
    let mut out = Vec::new();
    for (i, p) in paragraphs.iter().enumerate() {
        let body = &text[p.clone()];
        if body.len() < MIN_REPEAT_BYTES {
            continue;
        }
        let key = words_hash(body);
        match first.get(&key) {
            Some(&j) if words(&text[paragraphs[j].clone()]).eq(words(body)) => out.push((i, j)),
            Some(_) => {}
            None => {
                first.insert(key, i);
            }
        }
    }
    out
}

/// Whether `short` is the start of `long`, word for word, and shorter.
fn starts_with_words(long: &str, short: &str) -> bool {
    let mut l = words(long);
    words(short).all(|w| l.next() == Some(w)) && l.next().is_some()
}

/// The furniture mark of each paragraph of `text` (`None`: article text).
pub fn detect(text: &str, paragraphs: &[Range<usize>], boilerplate: &Boilerplate, meta: &MetadataRules) -> Vec<Option<Why>> {
    let st = &boilerplate.structure;
    let para = |i: usize| &text[paragraphs[i].clone()];
    let shapes: Vec<Shape> = (0..paragraphs.len()).map(|i| Shape::of(para(i))).collect();
    let mut marks: Vec<Option<Why>> = (0..paragraphs.len())
        .map(|i| {
            let (p, shape) = (para(i), &shapes[i]);
            let prose = shape.prose(st);
            if meta.bylines.names(p, prose).is_some() {
                return Some(Why::Byline);
            }
            if let Some(d) = meta.dates.dateline(p, prose) {
                return Some(Why::Dateline(d));
            }
            if let Some(o) = meta.outlets.masthead(p, shape) {
                return Some(Why::Masthead(o));
            }
            boilerplate.entry(p, shape).map(Why::Entry)
        })
        .collect();
    // A long line of capitalised words opening the page, or beside other furniture or another
    // such line: a section menu. (Alone in the article, it may be a headline in title case.)
    let menu_like = |i: usize| shapes[i].words >= st.menu_words && shapes[i].capitalised && !shapes[i].ends_sentence;
    let beside = |i: usize| [i.checked_sub(1), Some(i + 1)].into_iter().flatten().filter(|&k| k < paragraphs.len()).any(|k| marks[k].is_some() || menu_like(k));
    let menus: Vec<usize> = (0..paragraphs.len()).filter(|&i| marks[i].is_none() && menu_like(i) && (i == 0 || beside(i))).collect();
    for i in menus {
        marks[i] = Some(Why::Menu);
    }
    for (i, first) in repeated_paragraphs(text, paragraphs) {
        marks[i].get_or_insert(Why::Repeat(first));
    }
    // A label whose paragraph follows it ("Image caption," and the caption).
    let labels: Vec<(usize, Why)> = marks.iter().enumerate().filter_map(|(i, m)| m.filter(|w| matches!(w, Why::Entry(e) if boilerplate.entries[*e].next)).map(|w| (i, w))).collect();
    for (i, label) in labels {
        if let Some(m @ None) = marks.get_mut(i + 1) {
            *m = Some(label);
        }
    }
    // Runs of short lines: menus, link lists, footers.
    let mut run = 0;
    for i in 0..=paragraphs.len() {
        if i < paragraphs.len() && shapes[i].short(st) {
            run += 1;
            continue;
        }
        if run >= st.short_run {
            marks[i - run..i].iter_mut().for_each(|m| _ = m.get_or_insert(Why::ShortRun));
        }
        run = 0;
    }
    // Lists of other stories run from their heading until article prose resumes: a prose
    // paragraph followed by another or by the end of the page (an item's caption is followed
    // by the next item).
    let heading = |m: &Option<Why>| matches!(m, Some(Why::Entry(e)) if boilerplate.entries[*e].list);
    let resumes = |i: usize| shapes[i].prose(st) && shapes.get(i + 1).is_none_or(|s| s.prose(st));
    let mut i = 0;
    while i < paragraphs.len() {
        if !heading(&marks[i]) {
            i += 1;
            continue;
        }
        let head = i;
        i += 1;
        while i < paragraphs.len() && !resumes(i) {
            if heading(&marks[i]) {
                break;
            }
            marks[i] = Some(Why::List(head));
            i += 1;
        }
    }
    // A caption printed again without its credit, next to the captioned copy.
    for i in 0..paragraphs.len() {
        if marks[i].is_none() && shapes[i].words >= 2 {
            let neighbours = [i.checked_sub(1), Some(i + 1)];
            if neighbours.into_iter().flatten().any(|k| marks.get(k).is_some_and(Option::is_some) && starts_with_words(para(k), para(i))) {
                marks[i] = Some(Why::Caption);
            }
        }
    }
    // A line that is no sentence, with furniture on both sides, once the article has begun
    // (before it, such a line is the headline between masthead and byline).
    let body = (0..paragraphs.len()).find(|&i| marks[i].is_none() && shapes[i].prose(st)).unwrap_or(paragraphs.len());
    for i in body + 1..paragraphs.len().saturating_sub(1) {
        if marks[i].is_none() && !shapes[i].ends_sentence && marks[i - 1].is_some() && marks[i + 1].is_some() {
            marks[i] = Some(Why::Between);
        }
    }
    marks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_copies_of_a_paragraph_are_repeats() {
        let text = "Netanyahu said the meeting went well today.\nOther text here.\nNetanyahu  said the meeting went well today.\nShort.\nShort.";
        let paras = crate::segment::paragraphs(text);
        assert_eq!(repeated_paragraphs(text, &paras), [(2, 0)]);
    }

    #[test]
    fn shapes() {
        let s = Shape::of("“We will go on,” he said.”");
        assert_eq!((s.words, s.ends_sentence, s.capitalised), (6, true, false));
        let s = Shape::of("Israel News & World News 2021");
        assert_eq!((s.words, s.ends_sentence, s.capitalised), (6, false, true));
        assert!(starts_with_words("Smoke over  Tehran (photo credit: X)", "Smoke over Tehran"));
        assert!(!starts_with_words("Smoke over Tehran", "Smoke over Tehran"));
    }
}
