//! Who reported what: statements grouped into utterances across documents, and whole articles
//! that are copies of each other.
//!
//! One utterance travels: a ministry's release quotes it, a news site rewords its translation
//! and quotes a fragment, a wire story is reprinted. Grouping needs every row of a run, so it
//! runs after extraction; the rules for matching words are data in `rules/grouping.toml`.
//!
//! - [`group`]: statements of one speaker whose content terms match become one group, with an
//!   id derived from the group's content ([`Group::id`]);
//! - [`copies`]: articles compared on word runs, near-duplicates reported;
//! - [`report`]: one record per group, the group × outlet matrix, the table of copies.

mod cluster;
pub mod copies;
pub mod report;
mod terms;

use serde::Deserialize;
use toml::Spanned;

use crate::rules::{RuleError, SourceFile};
use crate::table::{Kind, Row};
pub use copies::{Copies, CopyPair, Sketch};
pub use terms::Terms;

/// FNV-1a (64 bits) over `parts`, each followed by a zero byte. Stable across platforms and
/// Rust versions (unlike the standard hasher), so ids and tie-breaks never change between runs.
pub(crate) fn fnv(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &b in part.iter().chain(&[0]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct GroupingFile {
    #[serde(rename = "match")]
    matching: MatchToml,
    copies: CopiesToml,
    stop: Vec<Spanned<String>>,
    clitics: Vec<Spanned<String>>,
    negation: Vec<Spanned<String>>,
    #[serde(default)]
    step: Vec<terms::StepToml>,
    #[serde(default)]
    alias: Vec<terms::AliasToml>,
    #[serde(default)]
    normalize: Vec<NormalizeToml>,
    #[serde(default)]
    pair: Vec<PairToml>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MatchToml {
    min_shared: Spanned<usize>,
    containment: Spanned<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CopiesToml {
    shingle_words: Spanned<usize>,
    containment: Spanned<f64>,
    min_shingles: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NormalizeToml {
    text: Spanned<String>,
    terms: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PairToml {
    a: Spanned<String>,
    b: String,
    same: bool,
    /// Why the pair is (or is not) one utterance, for the reader of the file.
    #[allow(dead_code)]
    why: String,
}

/// `text` must have exactly `terms` (negated ones written `not:term`).
#[derive(Debug, Clone)]
pub struct NormalizeExample {
    pub file: usize,
    pub at: usize,
    pub text: String,
    pub terms: Vec<String>,
}

/// Contents `a` and `b` of one speaker are one utterance exactly when `same`.
#[derive(Debug, Clone)]
pub struct PairExample {
    pub file: usize,
    pub at: usize,
    pub a: String,
    pub b: String,
    pub same: bool,
}

/// How articles are compared to find copies.
#[derive(Debug, Clone, Copy)]
pub struct CopyParams {
    pub shingle_words: usize,
    /// Share of the shorter article's word runs that the longer must hold.
    pub containment: f64,
    pub min_shingles: usize,
}

/// The compiled `rules/grouping.toml`.
#[derive(Debug)]
pub struct GroupRules {
    pub terms: Terms,
    /// Content terms two statements must share.
    pub min_shared: usize,
    /// Share of the shorter statement's terms the longer must hold.
    pub containment: f64,
    pub copies: CopyParams,
    pub normalize_examples: Vec<NormalizeExample>,
    pub pair_examples: Vec<PairExample>,
}

impl GroupRules {
    pub(crate) fn from_file(file: &SourceFile, file_idx: usize, errors: &mut Vec<RuleError>) -> Option<GroupRules> {
        let f: GroupingFile = match file.parse() {
            Ok(f) => f,
            Err(e) => {
                errors.push(e);
                return None;
            }
        };
        let share = |v: &Spanned<f64>, what: &str, errors: &mut Vec<RuleError>| {
            if !(*v.get_ref() > 0.0 && *v.get_ref() <= 1.0) {
                errors.push(file.error(v.span().start, Some(what), "must be a share above 0 and at most 1"));
            }
            *v.get_ref()
        };
        let containment = share(&f.matching.containment, "containment", errors);
        let copy_containment = share(&f.copies.containment, "containment", errors);
        for (v, what) in [(&f.matching.min_shared, "min_shared"), (&f.copies.shingle_words, "shingle_words")] {
            if *v.get_ref() == 0 {
                errors.push(file.error(v.span().start, Some(what), "must be at least 1"));
            }
        }
        let lists = terms::TermsToml { stop: f.stop, clitics: f.clitics, negation: f.negation, step: f.step, alias: f.alias };
        Some(GroupRules {
            terms: Terms::from_toml(file, lists, errors),
            min_shared: *f.matching.min_shared.get_ref(),
            containment,
            copies: CopyParams { shingle_words: *f.copies.shingle_words.get_ref(), containment: copy_containment, min_shingles: f.copies.min_shingles },
            normalize_examples: f
                .normalize
                .into_iter()
                .map(|e| NormalizeExample { file: file_idx, at: e.text.span().start, text: e.text.into_inner(), terms: e.terms })
                .collect(),
            pair_examples: f
                .pair
                .into_iter()
                .map(|e| PairExample { file: file_idx, at: e.a.span().start, a: e.a.into_inner(), b: e.b, same: e.same })
                .collect(),
        })
    }

    /// Whether contents `a` and `b`, said by one speaker, come out as one group. A content
    /// with quotation marks counts as a mixed statement (its quoted words are matched).
    pub fn same_utterance(&self, a: &str, b: &str) -> bool {
        let statement = |content, doc| Statement {
            speaker: Some("speaker"),
            kind: if content_has_quotes(content) { Kind::Mixed } else { Kind::Direct },
            content,
            doc,
            start: 0,
            published: None,
            outlet: None,
        };
        let groups = group(self, &[statement(a, "a"), statement(b, "b")], 1);
        groups.of[0] == groups.of[1]
    }
}

fn content_has_quotes(s: &str) -> bool {
    s.contains(['“', '”', '"', '«', '»', '„'])
}

/// What grouping reads of a row.
#[derive(Debug, Clone, Copy)]
pub struct Statement<'a> {
    pub speaker: Option<&'a str>,
    pub kind: Kind,
    pub content: &'a str,
    pub doc: &'a str,
    /// Where the content starts (breaks ties between statements of one document).
    pub start: usize,
    /// The publication date, `YYYY-MM-DD`.
    pub published: Option<&'a str>,
    pub outlet: Option<&'a str>,
}

impl<'a> Statement<'a> {
    pub fn of(row: &'a Row) -> Self {
        Statement {
            speaker: row.speaker.as_deref(),
            kind: row.kind,
            content: &row.content,
            doc: &row.doc,
            start: row.content_start,
            published: row.published.as_deref(),
            outlet: row.outlet.as_deref(),
        }
    }
}

/// Statements that report one utterance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// A hash of the speaker, document and content of the group's earliest statement (by
    /// publication date, then document id): the same for the same group in any run, whatever
    /// the input order or thread count, and unchanged when later articles join the group.
    pub id: String,
    /// Indices of the statements, in input order.
    pub members: Vec<usize>,
    /// The statement whose wording stands for the group: the fullest direct quote, failing
    /// that the fullest mixed, reported or position statement.
    pub representative: usize,
}

/// Every statement's group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Groups {
    /// For each statement, its index in `groups`.
    pub of: Vec<usize>,
    /// In order of their first statement.
    pub groups: Vec<Group>,
}

fn kind_rank(k: Kind) -> u8 {
    match k {
        Kind::Direct => 3,
        Kind::Mixed => 2,
        Kind::Indirect => 1,
        Kind::Position => 0,
    }
}

/// Groups `statements` into utterances, matching on `jobs` threads (the result is the same
/// for any number).
pub fn group(rules: &GroupRules, statements: &[Statement], jobs: usize) -> Groups {
    let c = cluster::components(rules, statements, jobs);
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); c.count];
    for (i, &g) in c.of.iter().enumerate() {
        members[g].push(i);
    }
    let groups = members
        .into_iter()
        .map(|members| {
            let earliest = *members
                .iter()
                .min_by_key(|&&i| {
                    let s = &statements[i];
                    (s.published.is_none(), s.published, s.doc, s.content, s.start)
                })
                .expect("a group has members");
            let representative = *members
                .iter()
                .max_by_key(|&&i| {
                    let s = &statements[i];
                    (kind_rank(s.kind), c.n_terms[i], std::cmp::Reverse((s.doc, s.start)))
                })
                .expect("a group has members");
            let s = &statements[earliest];
            let speaker = match &c.speakers[earliest] {
                Some(key) => [&[1u8][..], key.as_bytes()].concat(),
                None => vec![0],
            };
            let id = format!("{:016x}", fnv(&[&speaker, s.doc.as_bytes(), s.content.as_bytes()]));
            Group { id, members, representative }
        })
        .collect();
    Groups { of: c.of, groups }
}

/// Groups `rows` and writes each row's group id into [`Row::group`].
pub fn assign(rules: &GroupRules, rows: &mut [Row], jobs: usize) -> Groups {
    let groups = group(rules, &rows.iter().map(Statement::of).collect::<Vec<_>>(), jobs);
    for (row, &g) in rows.iter_mut().zip(&groups.of) {
        row.group = Some(groups.groups[g].id.clone());
    }
    groups
}
