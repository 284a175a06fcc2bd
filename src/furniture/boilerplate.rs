//! `rules/boilerplate.toml`: phrases and line shapes of page furniture, compiled once into one
//! phrase automaton and a regex per shape.
//!
//! The shapes stay separate regexes, tried in entry order until one matches: each keeps the
//! regex engine's own strategy (an anchored start fails at once, a `$`-anchored shape is
//! searched backwards, literals are prefiltered), where one regex set of them all would
//! outgrow its lazy DFA and fall back to the slow engine on every paragraph.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Input, MatchKind};
use regex::Regex;
use serde::Deserialize;
use toml::Spanned;

use super::Shape;
use crate::metadata::at_word_boundaries;
use crate::rules::lexicon::one_line;
use crate::rules::{RuleError, SourceFile};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct BoilerplateFile {
    structure: Structure,
    #[serde(default)]
    furniture: Vec<EntryToml>,
    #[serde(default)]
    page: Vec<PageToml>,
}

/// The thresholds of the structural rules (see `rules/boilerplate.toml`).
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Structure {
    pub short_words: usize,
    pub short_run: usize,
    pub menu_words: usize,
    pub prose_words: usize,
}

impl Default for Structure {
    fn default() -> Self {
        Structure { short_words: 5, short_run: 3, menu_words: 14, prose_words: 6 }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryToml {
    id: Spanned<String>,
    why: String,
    #[serde(default)]
    lines: Vec<String>,
    #[serde(default)]
    starts: Vec<String>,
    #[serde(default)]
    contains: Vec<String>,
    #[serde(default)]
    shapes: Vec<Spanned<String>>,
    max_words: Option<usize>,
    #[serde(default)]
    list: bool,
    #[serde(default)]
    next: bool,
    #[serde(default)]
    furniture: Vec<Spanned<String>>,
    #[serde(default)]
    article: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PageToml {
    text: Spanned<String>,
    furniture: Vec<String>,
}

/// One furniture entry.
#[derive(Debug, Clone)]
pub struct Entry {
    pub id: String,
    /// What the entry recognises, as `whosaid text` shows it.
    pub why: String,
    max_words: Option<usize>,
    /// A whole-line match heads a list of other stories.
    pub list: bool,
    /// A whole-line match also marks the paragraph after it.
    pub next: bool,
    pub file: usize,
    /// Where the entry starts in its file.
    pub at: usize,
    /// Texts every paragraph of which is furniture, this entry marking at least one.
    pub furniture: Vec<(usize, String)>,
    /// Texts with no furniture at all.
    pub article: Vec<(usize, String)>,
}

/// A page whose furniture paragraphs must be exactly `furniture`, in order.
#[derive(Debug, Clone)]
pub struct PageExample {
    pub file: usize,
    pub at: usize,
    pub text: String,
    pub furniture: Vec<String>,
}

/// How a phrase anchored at the start of a paragraph must sit in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// The whole paragraph.
    Line,
    /// Its start.
    Start,
}

/// The compiled furniture entries.
#[derive(Debug, Default)]
pub struct Boilerplate {
    pub entries: Vec<Entry>,
    pub structure: Structure,
    /// `lines` and `starts` phrases, matched only at the start of a paragraph (searched in a
    /// window as long as the longest of them).
    leading: Option<AhoCorasick>,
    leading_of: Vec<(usize, Place)>,
    leading_len: usize,
    /// `contains` phrases, searched through the paragraph.
    inside: Option<AhoCorasick>,
    inside_of: Vec<usize>,
    /// Each shape with its entry, in entry order.
    shapes: Vec<(usize, Regex)>,
    /// No entry applies to a paragraph of more words than this.
    max_words: usize,
    pub pages: Vec<PageExample>,
}

/// Characters that frame a line without being part of it ("• Most Read:", "\"Related:\"").
const FRAME: &[char] = &[':', ',', '"', '“', '”', '•', '·', '|', '-', '–', '—', '*', '#', '>', '»', '›', '■', '▪', '►'];

/// Whether a pattern uses `\b` or `\B` (an escaped backslash before a `b` is no boundary).
fn has_word_boundary(pattern: &str) -> bool {
    let mut escaped = false;
    for c in pattern.chars() {
        if escaped && (c == 'b' || c == 'B') {
            return true;
        }
        escaped = !escaped && c == '\\';
    }
    false
}

impl Boilerplate {
    pub(crate) fn compile(file: usize, src: &SourceFile, parsed: BoilerplateFile, errors: &mut Vec<RuleError>) -> Boilerplate {
        let mut out = Boilerplate { structure: parsed.structure, ..Boilerplate::default() };
        let (mut leading, mut inside) = (Vec::new(), Vec::new());
        for (i, e) in parsed.furniture.into_iter().enumerate() {
            let at = e.id.span().start;
            let id = e.id.into_inner();
            let err = |msg: String| src.error(at, Some(&id), msg);
            if e.lines.is_empty() && e.starts.is_empty() && e.contains.is_empty() && e.shapes.is_empty() {
                errors.push(err("an entry needs `lines`, `starts`, `contains` or `shapes`".into()));
            }
            if (e.list || e.next) && !(e.starts.is_empty() && e.contains.is_empty() && e.shapes.is_empty()) {
                errors.push(err("a `list` or `next` entry matches whole `lines` only".into()));
            }
            if e.furniture.is_empty() {
                errors.push(err("an entry needs a `furniture` example".into()));
            }
            let mut phrase = |w: &String| {
                let w = w.trim();
                if w.is_empty() {
                    errors.push(err("an empty phrase".into()));
                }
                (!w.is_empty()).then(|| w.to_owned())
            };
            for (words, place) in [(&e.lines, Place::Line), (&e.starts, Place::Start)] {
                for w in words.iter().filter_map(&mut phrase) {
                    leading.push(w);
                    out.leading_of.push((i, place));
                }
            }
            for w in e.contains.iter().filter_map(&mut phrase) {
                inside.push(w);
                out.inside_of.push(i);
            }
            for s in e.shapes {
                if has_word_boundary(s.get_ref()) {
                    errors.push(src.error(
                        s.span().start,
                        Some(&id),
                        "write (?:^|\\W) or (?:\\W|$) instead of \\b or \\B: a Unicode word boundary makes every paragraph with a non-ASCII character take the slow regex engine",
                    ));
                    continue;
                }
                match Regex::new(s.get_ref()) {
                    Ok(re) => out.shapes.push((i, re)),
                    Err(re) => errors.push(src.error(s.span().start, Some(&id), format!("invalid regex: {}", one_line(&re.to_string())))),
                }
            }
            out.max_words = out.max_words.max(e.max_words.unwrap_or(usize::MAX));
            out.entries.push(Entry {
                id,
                why: e.why,
                max_words: e.max_words,
                list: e.list,
                next: e.next,
                file,
                at,
                furniture: e.furniture.into_iter().map(|t| (t.span().start, t.into_inner())).collect(),
                article: e.article.into_iter().map(|t| (t.span().start, t.into_inner())).collect(),
            });
        }
        let automaton = |phrases: &[String]| {
            (!phrases.is_empty()).then(|| {
                AhoCorasickBuilder::new()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::Standard)
                    .build(phrases)
                    .expect("furniture phrases are plain strings")
            })
        };
        out.leading = automaton(&leading);
        out.leading_len = leading.iter().map(String::len).max().unwrap_or(0);
        out.inside = automaton(&inside);
        out.pages = parsed.page.into_iter().map(|p| PageExample { file, at: p.text.span().start, text: p.text.into_inner(), furniture: p.furniture }).collect();
        out
    }

    /// The first entry (in file order) that marks paragraph `para`.
    pub fn entry(&self, para: &str, shape: &Shape) -> Option<usize> {
        if shape.words > self.max_words {
            return None;
        }
        let fits = |i: usize| self.entries[i].max_words.is_none_or(|m| shape.words <= m);
        let core_start = para.len() - para.trim_start_matches(|c: char| c.is_whitespace() || FRAME.contains(&c)).len();
        let core_end = para.trim_end_matches(|c: char| c.is_whitespace() || FRAME.contains(&c)).len();
        let mut best: Option<usize> = None;
        let mut consider = |i: usize| {
            if fits(i) && best.is_none_or(|b| i < b) {
                best = Some(i);
            }
        };
        if let Some(ac) = &self.leading {
            let window = core_start..para.len().min(core_start + self.leading_len);
            for m in ac.find_overlapping_iter(Input::new(para).range(window)) {
                let (entry, place) = self.leading_of[m.pattern().as_usize()];
                if m.start() == core_start && (place == Place::Start || m.end() == core_end) && at_word_boundaries(para, m.start(), m.end()) {
                    consider(entry);
                }
            }
        }
        if let Some(ac) = &self.inside {
            for m in ac.find_iter(para) {
                if at_word_boundaries(para, m.start(), m.end()) {
                    consider(self.inside_of[m.pattern().as_usize()]);
                }
            }
        }
        let para = para.trim();
        self.shapes
            .iter()
            .take_while(|(e, _)| best.is_none_or(|b| *e < b))
            .find(|(e, re)| fits(*e) && re.is_match(para))
            .map(|(e, _)| *e)
            .or(best)
    }
}
