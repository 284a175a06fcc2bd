//! `rules/boilerplate.toml`: phrases and line shapes of page furniture, compiled once into one
//! phrase automaton and one regex set.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::{RegexSet, RegexSetBuilder};
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
        Structure { short_words: 5, short_run: 3, menu_words: 12, prose_words: 6 }
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

/// How a phrase must sit in a paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Line,
    Start,
    Anywhere,
}

/// The compiled furniture entries.
#[derive(Debug, Default)]
pub struct Boilerplate {
    pub entries: Vec<Entry>,
    pub structure: Structure,
    phrases: Option<AhoCorasick>,
    phrase_of: Vec<(usize, Place)>,
    shapes: Option<RegexSet>,
    shape_of: Vec<usize>,
    /// No entry applies to a paragraph of more words than this.
    max_words: usize,
    pub pages: Vec<PageExample>,
}

/// Characters that frame a line without being part of it ("• Most Read:").
const FRAME: &[char] = &[':', ',', '•', '·', '|', '-', '–', '—', '*', '#', '>', '»', '›', '■', '▪', '►'];

impl Boilerplate {
    pub(crate) fn compile(file: usize, src: &SourceFile, parsed: BoilerplateFile, errors: &mut Vec<RuleError>) -> Boilerplate {
        let mut out = Boilerplate { structure: parsed.structure, ..Boilerplate::default() };
        let mut phrases = Vec::new();
        let mut shapes = Vec::new();
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
            for (words, place) in [(e.lines, Place::Line), (e.starts, Place::Start), (e.contains, Place::Anywhere)] {
                for w in words {
                    if w.trim().is_empty() {
                        errors.push(err("an empty phrase".into()));
                    } else {
                        phrases.push(w.trim().to_owned());
                        out.phrase_of.push((i, place));
                    }
                }
            }
            for s in e.shapes {
                match regex::Regex::new(s.get_ref()) {
                    Ok(_) => {
                        shapes.push(s.into_inner());
                        out.shape_of.push(i);
                    }
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
        if !phrases.is_empty() {
            out.phrases = Some(
                AhoCorasickBuilder::new()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::Standard)
                    .build(&phrases)
                    .expect("furniture phrases are plain strings"),
            );
        }
        if !shapes.is_empty() {
            match RegexSetBuilder::new(&shapes).size_limit(1 << 24).build() {
                Ok(set) => out.shapes = Some(set),
                Err(e) => errors.push(src.error(0, None, format!("the furniture shapes do not compile together: {}", one_line(&e.to_string())))),
            }
        }
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
        if let Some(ac) = &self.phrases {
            for m in ac.find_overlapping_iter(para) {
                let (entry, place) = self.phrase_of[m.pattern().as_usize()];
                let placed = match place {
                    Place::Line => m.start() == core_start && m.end() == core_end,
                    Place::Start => m.start() == core_start,
                    Place::Anywhere => true,
                };
                if placed && at_word_boundaries(para, m.start(), m.end()) {
                    consider(entry);
                }
            }
        }
        if let Some(set) = &self.shapes {
            for k in set.matches(para.trim()).iter() {
                consider(self.shape_of[k]);
            }
        }
        best
    }
}
