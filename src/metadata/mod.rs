//! A page's metadata: title, outlet, publication date, author, address.
//!
//! Read from the text (the headline, a masthead or signature, a dateline, a byline), using the
//! page's furniture marks, and overridden field by field by what the input itself states (JSON
//! Lines fields, HTML `<meta>`). What the page does not say stays empty: nothing is guessed.

mod byline;
pub mod dates;
mod outlets;

use serde::Deserialize;
use toml::Spanned;

pub use byline::Bylines;
pub use dates::{Date, DateReader};
pub use outlets::{Outlet, Outlets, at_word_boundaries};

use crate::furniture::{Shape, Why};
use crate::layout::Layout;
use crate::rules::{RuleError, SourceFile};

/// What is known about a document besides its text. Every row of the document carries it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Metadata {
    /// The article's headline.
    pub title: Option<String>,
    /// Who published it.
    pub outlet: Option<String>,
    /// When, as YYYY-MM-DD.
    pub published: Option<String>,
    /// Who wrote it; several authors are joined with ", ".
    pub author: Option<String>,
    /// Where it was published.
    pub url: Option<String>,
}

impl Metadata {
    /// Each field from `self`, or from `fallback` where `self` does not have it.
    pub fn or(self, fallback: Metadata) -> Metadata {
        Metadata {
            title: self.title.or(fallback.title),
            outlet: self.outlet.or(fallback.outlet),
            published: self.published.or(fallback.published),
            author: self.author.or(fallback.author),
            url: self.url.or(fallback.url),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MetadataFile {
    dates: DatesToml,
    bylines: BylinesToml,
    #[serde(default)]
    example: Vec<ExampleToml>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DatesToml {
    months: Spanned<Vec<Vec<String>>>,
    #[serde(default)]
    weekdays: Vec<String>,
    #[serde(default)]
    labels: Vec<String>,
    opening: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BylinesToml {
    prefixes: Vec<String>,
    #[serde(default)]
    particles: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExampleToml {
    text: Spanned<String>,
    title: Option<String>,
    outlet: Option<String>,
    published: Option<String>,
    author: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct OutletsFile {
    outlet: Vec<OutletToml>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OutletToml {
    name: Spanned<String>,
    #[serde(default)]
    mastheads: Vec<String>,
    #[serde(default)]
    signatures: Vec<String>,
    #[serde(default)]
    domains: Vec<String>,
    #[serde(default)]
    example: Vec<Spanned<String>>,
}

/// A page whose metadata must read as given; a field left out is not checked, an empty one
/// must stay unknown.
#[derive(Debug, Clone)]
pub struct MetadataExample {
    pub file: usize,
    pub at: usize,
    pub text: String,
    pub expected: [(&'static str, Option<String>); 4],
}

/// How metadata is read from a page: compiled `metadata.toml` and `outlets.toml`.
#[derive(Debug)]
pub struct MetadataRules {
    pub dates: DateReader,
    pub bylines: Bylines,
    pub outlets: Outlets,
    /// How many paragraphs at the top of a page may give the date when no dateline does.
    opening: usize,
    pub examples: Vec<MetadataExample>,
}

impl Default for MetadataRules {
    /// Reads ISO dates only, and no bylines or outlets (a rule set without the files).
    fn default() -> Self {
        MetadataRules { dates: DateReader::new(&[], &[], &[]), bylines: Bylines::default(), outlets: Outlets::default(), opening: 0, examples: Vec::new() }
    }
}

impl MetadataRules {
    /// Compiles the two files (either may be missing: `(index, file, parsed)`).
    pub(crate) fn compile(
        meta: Option<(usize, &SourceFile, MetadataFile)>,
        outlets: Option<(usize, &SourceFile, OutletsFile)>,
        errors: &mut Vec<RuleError>,
    ) -> MetadataRules {
        let mut rules = MetadataRules::default();
        if let Some((file, src, m)) = meta {
            if m.dates.months.get_ref().len() != 12 || m.dates.months.get_ref().iter().any(Vec::is_empty) {
                errors.push(src.error(m.dates.months.span().start, Some("dates"), "`months` lists the twelve months, January first, each with at least one name"));
            }
            let months = m.dates.months.into_inner();
            let not_names = months.iter().flatten().chain(&m.dates.weekdays).cloned().collect::<Vec<_>>();
            rules.dates = DateReader::new(&months, &m.dates.weekdays, &m.dates.labels);
            rules.bylines = Bylines::new(m.bylines.prefixes, m.bylines.particles, not_names);
            rules.opening = m.dates.opening;
            rules.examples = m
                .example
                .into_iter()
                .map(|e| MetadataExample {
                    file,
                    at: e.text.span().start,
                    text: e.text.into_inner(),
                    expected: [("title", e.title), ("outlet", e.outlet), ("published", e.published), ("author", e.author)],
                })
                .collect();
        }
        if let Some((file, src, o)) = outlets {
            let (mut list, mut mastheads, mut signatures) = (Vec::new(), Vec::new(), Vec::new());
            for (i, t) in o.outlet.into_iter().enumerate() {
                if t.name.get_ref().trim().is_empty() {
                    errors.push(src.error(t.name.span().start, None, "an outlet needs a name"));
                }
                if t.example.is_empty() {
                    errors.push(src.error(t.name.span().start, Some(t.name.get_ref()), "an outlet needs an `example` text that names it"));
                }
                mastheads.extend(t.mastheads.into_iter().map(|m| (m, i)));
                signatures.extend(t.signatures.into_iter().map(|s| (s, i)));
                list.push(Outlet {
                    name: t.name.into_inner(),
                    domains: t.domains.into_iter().map(|d| d.to_ascii_lowercase()).collect(),
                    examples: t.example.into_iter().map(|e| (e.span().start, e.into_inner())).collect(),
                    file,
                });
            }
            rules.outlets = Outlets::new(list, mastheads, signatures);
        }
        rules
    }

    /// The metadata a laid-out page states about itself.
    pub fn detect(&self, layout: &Layout) -> Metadata {
        let norm = layout.norm();
        let marks = &layout.furniture;
        let text = |p: usize| &norm[layout.paragraphs[p].clone()];
        let first = |want: fn(&Why) -> bool| marks.iter().position(|m| m.as_ref().is_some_and(want));
        let title = marks.iter().position(Option::is_none).filter(|&p| marks[p + 1..].iter().any(Option::is_none) && headline(text(p))).map(|p| text(p).to_owned());
        let outlet = marks
            .iter()
            .find_map(|m| match m {
                Some(Why::Masthead(o)) => Some(*o),
                _ => None,
            })
            .or_else(|| self.outlets.signature(norm))
            .map(|o| self.outlets.outlets[o].name.clone());
        let dateline = marks.iter().find_map(|m| match m {
            Some(Why::Dateline(d)) => Some(*d),
            _ => None,
        });
        let published = dateline
            .or_else(|| {
                let opening = (0..marks.len()).filter(|&p| !matches!(marks[p], Some(Why::List(_)))).take(self.opening);
                opening.into_iter().find_map(|p| self.dates.first(text(p)))
            })
            .map(|d| d.to_string());
        // A byline, or a dateline that names the author ("Posted on March 3, 2021 by Jane Doe").
        let author = first(|w| matches!(w, Why::Byline)).and_then(|p| self.bylines.names(text(p), false)).or_else(|| {
            let p = text(first(|w| matches!(w, Why::Dateline(_)))?);
            p.match_indices(char::is_whitespace).find_map(|(i, _)| self.bylines.names(&p[i..], false))
        });
        Metadata { title, outlet, published, author, url: None }
    }
}

/// Whether a paragraph is shaped like a headline: one line, a few words, not a sentence with
/// a full stop (a question or exclamation may be a headline).
fn headline(p: &str) -> bool {
    let shape = Shape::of(p);
    let last = p.trim_end_matches(Shape::CLOSERS).chars().next_back();
    !p.contains('\n') && (2..=30).contains(&shape.words) && !matches!(last, Some('.' | ',' | ';' | ':' | '…'))
}
