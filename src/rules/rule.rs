//! Attribution and position rules: `[[rule]]` tables in `attribution/*.toml` and
//! `positions/*.toml`.
//!
//! A rule is a token pattern (see [`super::pattern`]) over a sentence (or paragraph) with named
//! captures `speaker`, `cue`, `content` and optionally `content2` (the second part of a split
//! quote) and `addressee`. Every rule carries examples that the test suite and `check-rules`
//! run through the whole pipeline, and texts it must not match.

use std::sync::atomic::{AtomicUsize, Ordering};

use indexmap::IndexMap;
use regex_automata::meta::{self, Regex};
use regex_automata::nfa::thompson::WhichCaptures;
use regex_automata::util::pool::{Pool, PoolGuard};
use regex_automata::{Anchored, Input, MatchKind, PatternSet};
use regex_syntax::hir::Hir;
use serde::Deserialize;
use toml::Spanned;

use super::lexicon::one_line;
use super::pattern::Vocabulary;
use super::search::{Alphabet, Cache, Caches, Forward, RuleRegex, sig_index, start_table};
use super::tokens::{SIG_BASE, SIG_LEN, bit_test};
use super::source::{RuleError, SourceFile};
use crate::topics::stance::Stance;

/// What a rule finds.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleKind {
    /// Speech or thought: the row is `direct`, `mixed` or `indirect` according to how much of
    /// its content is quoted.
    #[default]
    Speech,
    /// Always `direct`, quoted or not (a press release's `FM Ashkenazi: …`).
    Direct,
    /// A stated position (X opposes Y), not speech.
    Position,
}

/// The stretch of text a rule is matched against.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    #[default]
    Sentence,
    Paragraph,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RuleFile {
    #[serde(default)]
    rule: Vec<RuleToml>,
}

impl RuleFile {
    /// The pattern texts of the file's rules (their literals join the vocabulary).
    pub(crate) fn pattern_texts(&self) -> impl Iterator<Item = &str> {
        self.rule.iter().flat_map(|r| std::iter::once(&r.pattern).chain(&r.content_not).chain(&r.continuation).map(|p| p.get_ref().as_str()))
    }
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleToml {
    id: Spanned<String>,
    #[serde(default)]
    description: String,
    #[serde(default)]
    kind: RuleKind,
    #[serde(default)]
    scope: Scope,
    /// Where two rules claim the same cue or content, the higher priority wins.
    #[serde(default)]
    priority: i32,
    pattern: Spanned<String>,
    /// A pattern the content must not match whole (a pattern cannot say "not followed by").
    content_not: Option<Spanned<String>>,
    /// A pattern that the sentences after the statement must match whole to join its content:
    /// `“A,” he said. “B.”` is one statement when `“B.”` matches.
    continuation: Option<Spanned<String>>,
    /// Whether the rule also runs inside the content of another statement (X said Y
    /// reiterated that …). Rules with a loose subject say `false`: inside a content they
    /// take a piece of it for a speaker.
    #[serde(default = "yes")]
    nested: bool,
    /// Whether the statement sits inside a noun phrase (what X called “…”), and so may stand
    /// anywhere inside another statement's content, not only at its start.
    #[serde(default)]
    embedded: bool,
    /// Whether a statement that stands in this one's content is relayed through it (“…,”
    /// Lavrov said, according to Fars): that statement is kept, with this speaker as its
    /// `via`, in place of this one.
    #[serde(default)]
    relays: bool,
    #[serde(default)]
    example: Vec<ExampleToml>,
    /// Texts in which this rule must find nothing.
    #[serde(default)]
    nomatch: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExampleToml {
    text: Spanned<String>,
    speaker: Option<String>,
    cue: Option<String>,
    content: Option<String>,
    content2: Option<String>,
    addressee: Option<String>,
    /// The row kind expected (direct, indirect, mixed, position).
    kind: Option<String>,
    /// The canonical speaker expected after resolution.
    resolved: Option<String>,
    /// The topics expected, in order.
    topics: Option<Vec<String>>,
    /// The whole stance map expected (`{}` for none).
    stance: Option<IndexMap<String, Stance>>,
}

/// A positive rule example: the pipeline must produce a row by this rule with these fields.
#[derive(Debug, Clone)]
pub struct RuleExample {
    pub at: usize,
    pub text: String,
    pub speaker: Option<String>,
    pub cue: Option<String>,
    pub content: Option<String>,
    pub content2: Option<String>,
    pub addressee: Option<String>,
    pub kind: Option<String>,
    pub resolved: Option<String>,
    pub topics: Option<Vec<String>>,
    pub stance: Option<IndexMap<String, Stance>>,
}

/// Capture group indices of a compiled rule.
#[derive(Debug, Clone, Copy)]
pub struct Groups {
    pub speaker: Option<usize>,
    pub cue: usize,
    pub content: usize,
    pub content2: Option<usize>,
    pub addressee: Option<usize>,
    /// Where this group takes part in a match, the row is a stated position (a speech rule
    /// whose cue is a position verb: X endorsed …, X believes …).
    pub position: Option<usize>,
}

const CAPTURES: [&str; 6] = ["speaker", "cue", "content", "content2", "addressee", "position"];

/// One compiled rule.
#[derive(Debug)]
pub struct Rule {
    pub id: String,
    pub description: String,
    pub kind: RuleKind,
    pub scope: Scope,
    pub priority: i32,
    pub regex: RuleRegex,
    pub groups: Groups,
    pub content_not: Option<Regex>,
    /// Sentences after the statement that match this whole join its content.
    pub continuation: Option<Regex>,
    /// Whether the rule runs inside another statement's content.
    pub nested: bool,
    /// Whether its statements may stand anywhere inside another's content.
    pub embedded: bool,
    /// Whether a statement in its content takes its speaker as `via` instead of both standing.
    pub relays: bool,
    /// The rule file (index into the rule set's sources) and byte offset of the id.
    pub file: usize,
    pub at: usize,
    pub examples: Vec<RuleExample>,
    pub nomatch: Vec<(usize, String)>,
}

/// All rules, and which of them match sentences and which paragraphs.
///
/// Each rule runs its own regex: one regex set over all rules would let a text be tested once,
/// but rules with large speaker and verb grammars blow its lazy DFA up past its cache, and the
/// set then falls back to a slow automaton (slower than running the rules one by one).
///
/// Every statement has a cue, so a unit in which a rule's cue group matches nowhere cannot
/// match the rule. The distinct cue groups (a few dozen, shared by many rules) form one small
/// regex set that is run first; most sentences of an article hold no cue at all, and then no
/// rule runs. Cheaper still, and first: a rule needs at least one of its required tokens (see
/// [`RuleRegex`]) in the unit, which one pass over its signatures with a bit set per signature
/// tells for all rules at once; the regex set runs only where some rule is left.
#[derive(Debug)]
pub struct Patterns {
    pub rules: Vec<Rule>,
    by_scope: [Vec<usize>; 2],
    /// The distinct cue patterns of all rules, as one regex over the letters of
    /// `cue_alphabet` reporting every pattern that matches (see [`Patterns::cue_starts_in`]).
    cues: Forward,
    cue_alphabet: Alphabet,
    /// Signatures (by index) at which some cue can start, other than a unit's first token;
    /// `None`: anywhere.
    cue_starts: Option<Box<[bool]>>,
    /// For each rule, its cue pattern in `cues`; `None` when the cue group could not be taken
    /// out of the pattern (the rule then always runs).
    cue_of: Vec<Option<usize>>,
    /// For each signature (by index), a bit set of the rules whose required tokens (see
    /// [`RuleRegex`]) it is among: `words` u64 per signature. Rules without required tokens
    /// have their bit set for every signature.
    required_by: Vec<u64>,
    words: usize,
    /// For each signature (by index), whether it is a relative pronoun (`{relative}`): a
    /// statement whose speaker is one (“A,” said X, who thinks …) does not continue the
    /// quotation after it.
    relative: Box<[bool]>,
    /// The search caches of the threads that match (the rules numbered by index, the cues
    /// after them).
    caches: Pool<Caches, fn() -> Caches>,
}

/// How many bytes of search caches a thread keeps from one document to the next. The caches
/// pass 40 MB within a few hundred articles and then grow slowly with the corpus (new states
/// that hardly ever repeat); a budget below some 60 MB keeps dropping states that are in use,
/// and building them again costs a quarter more time at 48 MB, half at 40.
const CACHE_BUDGET: usize = 64 << 20;

impl Patterns {
    /// Compiles the rules of `files` (pairs of file index and parsed file), their patterns on
    /// up to `threads` threads.
    pub(crate) fn compile(sources: &[SourceFile], files: Vec<(usize, RuleFile)>, vocab: &Vocabulary, threads: usize, errors: &mut Vec<RuleError>) -> Patterns {
        let universe = vocab.sigs.universe.len();
        // Every pattern translated and compiled up front, in parallel; errors are reported in
        // rule order below, where each is taken.
        let translated: Vec<Result<String, String>> = files.iter().flat_map(|(_, f)| &f.rule).map(|r| vocab.translate(r.pattern.get_ref())).collect();
        let compiled = par_map(&translated, threads, |t| t.as_ref().ok().map(|x| vocab.hir(x).and_then(|hir| RuleRegex::new(hir, universe, SIZE_LIMIT))));
        let mut prepared = translated.into_iter().zip(compiled);
        let mut rules: Vec<Rule> = Vec::new();
        // The distinct cue patterns (translated) and their syntax trees.
        let mut cue_patterns: IndexMap<String, Hir> = IndexMap::new();
        let mut cue_of: Vec<Option<usize>> = Vec::new();
        for (file_idx, file) in files {
            let src = &sources[file_idx];
            for (r, (translated, compiled)) in file.rule.into_iter().zip(&mut prepared) {
                let id = r.id.get_ref().clone();
                let at = r.id.span().start;
                if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)) {
                    errors.push(src.error(at, Some(&id), "a rule id is letters, digits, '-', '_' and '.'"));
                    continue;
                }
                if let Some(prev) = rules.iter().find(|p| p.id == id) {
                    let (line, _) = sources[prev.file].line_col(prev.at);
                    errors.push(src.error(at, Some(&id), format!("duplicate rule id (also {}:{line})", sources[prev.file].path)));
                    continue;
                }
                let pat_at = r.pattern.span().start;
                let regex = match (translated, compiled) {
                    (Ok(_), Some(Ok(re))) => re,
                    (Err(msg), _) => {
                        errors.push(src.error(pat_at, Some(&id), msg));
                        continue;
                    }
                    (Ok(_), Some(Err(e))) => {
                        errors.push(src.error(pat_at, Some(&id), format!("invalid regex: {}", regex_error(&e))));
                        continue;
                    }
                    // A pattern that translated was compiled.
                    (Ok(_), None) => continue,
                };
                let Some(groups) = groups_of(&regex, src, pat_at, &id, errors) else { continue };
                let cue = cue_group(r.pattern.get_ref()).and_then(|c| vocab.translate(c).ok());
                let whole = |field: &str, p: &Option<Spanned<String>>, errors: &mut Vec<RuleError>| -> Result<Option<Regex>, ()> {
                    let Some(p) = p else { return Ok(None) };
                    let compiled = vocab.translate(p.get_ref()).and_then(|x| compile(vocab, &format!("^(?:{x})$")).map_err(|e| format!("invalid {field} regex: {}", regex_error(&e))));
                    compiled.map(Some).map_err(|msg| errors.push(src.error(p.span().start, Some(&id), msg)))
                };
                let (Ok(content_not), Ok(continuation)) = (whole("content_not", &r.content_not, errors), whole("continuation", &r.continuation, errors)) else {
                    continue;
                };
                if r.example.is_empty() {
                    errors.push(src.error(at, Some(&id), "a rule needs at least one [[rule.example]]"));
                }
                let examples = r
                    .example
                    .into_iter()
                    .map(|e| RuleExample {
                        at: e.text.span().start,
                        text: e.text.into_inner(),
                        speaker: e.speaker,
                        cue: e.cue,
                        content: e.content,
                        content2: e.content2,
                        addressee: e.addressee,
                        kind: e.kind,
                        resolved: e.resolved,
                        topics: e.topics,
                        stance: e.stance,
                    })
                    .collect();
                // A cue that parses compiles: it is part of the rule's pattern, which compiled.
                cue_of.push(cue.and_then(|c| match cue_patterns.get_index_of(&c) {
                    Some(i) => Some(i),
                    None => vocab.hir(&c).ok().map(|hir| cue_patterns.insert_full(c, hir).0),
                }));
                rules.push(Rule {
                    id,
                    description: r.description,
                    kind: r.kind,
                    scope: r.scope,
                    priority: r.priority,
                    regex,
                    groups,
                    content_not,
                    continuation,
                    nested: r.nested,
                    embedded: r.embedded,
                    relays: r.relays,
                    file: file_idx,
                    at,
                    examples,
                    nomatch: r.nomatch.into_iter().map(|t| (t.span().start, t.into_inner())).collect(),
                });
            }
        }
        let of_scope = |scope: Scope| (0..rules.len()).filter(|&i| rules[i].scope == scope).collect();
        let by_scope = [of_scope(Scope::Sentence), of_scope(Scope::Paragraph)];
        let cue_hirs: Vec<Hir> = cue_patterns.into_values().collect();
        let mut cue_starts = Some(vec![false; universe].into_boxed_slice());
        for h in &cue_hirs {
            cue_starts = cue_starts.zip(start_table(h, universe)).map(|(a, b)| a.iter().zip(&b).map(|(x, y)| x | y).collect());
        }
        let cue_alphabet = Alphabet::of(&cue_hirs, universe).expect("each cue pattern compiled on its own");
        // Which cues match is all the set tells: no captures.
        let cues = cue_alphabet.compile_forward(&cue_hirs, MatchKind::All, WhichCaptures::None, SIZE_LIMIT).expect("each cue pattern compiled on its own");
        let words = rules.len().div_ceil(64);
        let mut required_by = vec![0u64; vocab.sigs.universe.len() * words];
        for (r, rule) in rules.iter().enumerate() {
            for sig in 0..vocab.sigs.universe.len() {
                if rule.regex.required.as_ref().is_none_or(|req| req[sig]) {
                    required_by[sig * words + r / 64] |= 1 << (r % 64);
                }
            }
        }
        let relative = match vocab.lexicon.sets.get("relative").and_then(|s| s.bits.first()) {
            Some(&bit) => (0..universe).map(|i| bit_test(vocab.sigs.bits_of(char::from_u32(SIG_BASE + i as u32).expect("private use area")), bit)).collect(),
            None => {
                if let Some(r) = rules.iter().find(|r| r.continuation.is_some()) {
                    errors.push(sources[r.file].error(r.at, Some(&r.id), "continuations read the word list {relative}; define it in lexicon/*.toml"));
                }
                vec![false; universe].into_boxed_slice()
            }
        };
        Patterns { rules, by_scope, cues, cue_alphabet, cue_starts, cue_of, required_by, words, relative, caches: Pool::new(Caches::default) }
    }

    /// This thread's search caches, for the matching of one document.
    pub fn caches(&self) -> PoolGuard<'_, Caches, fn() -> Caches> {
        self.caches.get()
    }

    /// Gives back the caches of a document's matching, bounded (see [`Caches::trim`]).
    pub fn put_back(&self, mut caches: PoolGuard<'_, Caches, fn() -> Caches>) {
        caches.trim(CACHE_BUDGET);
    }

    /// Whether the token with signature `sig` is a relative pronoun.
    pub fn is_relative(&self, sig: char) -> bool {
        self.relative[(sig as u32 - SIG_BASE) as usize]
    }

    /// The rules of `scope` that can match `tags` (a unit's signatures), into `out`: those
    /// whose cue occurs in it, each with the last token at which a match of the rule can start
    /// (a match holds its cue, so it starts at the last start of the cue or before).
    pub fn candidates(&self, scope: Scope, tags: &str, caches: &mut Caches, out: &mut Vec<(usize, usize)>) {
        out.clear();
        let mut present = vec![0u64; self.words];
        for at in (0..tags.len()).step_by(SIG_LEN) {
            let sig = sig_index(&tags.as_bytes()[at..]);
            for (p, m) in present.iter_mut().zip(&self.required_by[sig * self.words..]) {
                *p |= m;
            }
        }
        let has = |r: usize| present[r / 64] & (1 << (r % 64)) != 0;
        if !self.by_scope[scope as usize].iter().any(|&r| has(r)) {
            return;
        }
        let last = self.cue_starts_in(tags, caches);
        if last.iter().all(Option::is_none) && self.cue_of.iter().all(Option::is_some) {
            return;
        }
        let anywhere = tags.len() / SIG_LEN;
        out.extend(self.by_scope[scope as usize].iter().filter(|&&r| has(r)).filter_map(|&r| match self.cue_of[r] {
            Some(c) => last[c].map(|t| (r, t)),
            None => Some((r, anywhere)),
        }));
    }

    /// For each cue pattern, the last token of `tags` at which one of its matches starts (the
    /// token count where that is not known), or `None` when it matches nowhere. Like the rules
    /// (see [`RuleRegex`]), found by anchored searches at the tokens where a cue can start,
    /// from the last: an unanchored search for all of them at once keeps building new lazy DFA
    /// states.
    fn cue_starts_in(&self, tags: &str, caches: &mut Caches) -> Vec<Option<usize>> {
        let mut last = vec![None; self.cues.pattern_len()];
        let mut found = PatternSet::new(self.cues.pattern_len());
        let (entry, spelled) = caches.get(self.rules.len(), || Cache::Forward(Box::new(self.cues.create_cache())));
        let Cache::Forward(cache) = &mut entry.cache else { return last };
        self.cue_alphabet.spell(tags, spelled);
        let Some(starts) = &self.cue_starts else {
            self.cues.which_match(cache, &Input::new(&spelled.text), &mut found);
            for p in found.iter() {
                last[p.as_usize()] = Some(tags.len() / SIG_LEN);
            }
            return last;
        };
        let mut missing = last.len();
        for (t, sig) in tags.as_bytes().chunks_exact(SIG_LEN).enumerate().rev() {
            if t == 0 || starts[sig_index(sig)] {
                self.cues.which_match(cache, &Input::new(&spelled.text).range(spelled.at[t]..).anchored(Anchored::Yes), &mut found);
                // Most starts match no cue; iterating or clearing a set visits every pattern.
                if found.is_empty() {
                    continue;
                }
                for p in found.iter() {
                    if last[p.as_usize()].is_none() {
                        last[p.as_usize()] = Some(t);
                        missing -= 1;
                    }
                }
                found.clear();
                if missing == 0 {
                    break;
                }
            }
        }
        last
    }
}

/// `f` of each of `items`, in order, computed on up to `threads` threads (each takes the next
/// item not yet taken: the costs of items differ widely).
fn par_map<T: Sync, R: Send>(items: &[T], threads: usize, f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    if threads <= 1 || items.len() <= 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else { return done };
            done.push((i, f(item)));
        }
    };
    let mut done: Vec<(usize, R)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads.min(items.len())).map(|_| s.spawn(work)).collect();
        handles.into_iter().flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
    });
    done.sort_unstable_by_key(|&(i, _)| i);
    done.into_iter().map(|(_, r)| r).collect()
}

/// The text of the `(?P<cue>…)` group of a rule pattern (see [`Patterns`]).
fn cue_group(pattern: &str) -> Option<&str> {
    let start = pattern.find("(?P<cue>")? + "(?P<cue>".len();
    let mut depth = 1;
    let mut quote = None;
    for (i, c) in pattern[start..].char_indices() {
        match (quote, c) {
            (Some(q), _) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') => {
                depth -= 1;
                if depth == 0 {
                    return Some(&pattern[start..start + i]);
                }
            }
            _ => {}
        }
    }
    None
}

/// Patterns over signature characters are small; this leaves room for large rule sets.
const SIZE_LIMIT: usize = 64 << 20;

/// A regex error without the translated pattern it quotes: a rule writer never wrote that
/// pattern (it is signature characters), only the problem helps them.
pub(crate) fn regex_error(msg: &str) -> String {
    match msg.rfind("error: ") {
        Some(i) => msg[i + "error: ".len()..].trim().to_owned(),
        None => one_line(msg),
    }
}

/// Compiles a translated pattern.
pub fn compile(vocab: &Vocabulary, translated: &str) -> Result<Regex, String> {
    let config = meta::Config::new().nfa_size_limit(Some(SIZE_LIMIT)).hybrid_cache_capacity(SIZE_LIMIT);
    Regex::builder().configure(config).build_from_hir(&vocab.hir(translated)?).map_err(|e| e.to_string())
}

fn groups_of(regex: &RuleRegex, src: &SourceFile, at: usize, id: &str, errors: &mut Vec<RuleError>) -> Option<Groups> {
    let mut index = [None; CAPTURES.len()];
    for (i, name) in regex.capture_names().enumerate() {
        let Some(name) = name else { continue };
        match CAPTURES.iter().position(|c| *c == name) {
            Some(k) => index[k] = Some(i),
            None => {
                errors.push(src.error(at, Some(id), format!("unknown capture (?P<{name}>); captures are {}", CAPTURES.join(", "))));
                return None;
            }
        }
    }
    let (Some(cue), Some(content)) = (index[1], index[2]) else {
        errors.push(src.error(at, Some(id), "a rule pattern needs (?P<cue>…) and (?P<content>…) captures"));
        return None;
    };
    Some(Groups { speaker: index[0], cue, content, content2: index[3], addressee: index[4], position: index[5] })
}
