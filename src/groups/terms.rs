//! Content terms: what is compared when deciding that two statements are one utterance.
//!
//! Reworded reports of one statement keep its content words but not their form ("preventing an
//! Iranian entrenchment" and "prevent Iran from entrenching itself"), so a text becomes terms:
//! stop words dropped, aliases merged, the rest stemmed by the suffix tables of
//! `rules/grouping.toml`. A term also remembers whether it was negated (a report that drops a
//! "not" is another claim) and whether it names something (an entity the other text must not
//! replace by another).

use std::collections::{HashMap, HashSet};

use serde::Deserialize;
use toml::Spanned;

use crate::rules::{RuleError, SourceFile};

/// The word lists of `rules/grouping.toml`, as read.
pub(crate) struct TermsToml {
    pub stop: Vec<Spanned<String>>,
    pub clitics: Vec<Spanned<String>>,
    pub negation: Vec<Spanned<String>>,
    pub step: Vec<StepToml>,
    pub alias: Vec<AliasToml>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StepToml {
    /// What the step undoes; names the step in errors.
    name: String,
    min_stem: usize,
    suffixes: Spanned<HashMap<String, String>>,
    #[serde(default)]
    undouble: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AliasToml {
    term: Spanned<String>,
    forms: Vec<Spanned<String>>,
}

/// One suffix table: the longest listed suffix is replaced if `min_stem` characters remain.
#[derive(Debug, Default)]
struct Step {
    min_stem: usize,
    /// Longest first.
    suffixes: Vec<(String, String)>,
    undouble: Vec<String>,
}

impl Step {
    fn apply(&self, word: &mut String) {
        let found = self.suffixes.iter().find(|(suffix, _)| {
            word.ends_with(suffix.as_str()) && word[..word.len() - suffix.len()].chars().count() >= self.min_stem
        });
        if let Some((suffix, replacement)) = found {
            word.truncate(word.len() - suffix.len());
            word.push_str(replacement);
        }
        if self.undouble.iter().any(|d| word.ends_with(d.as_str()) && word.chars().count() > self.min_stem) {
            word.pop();
        }
    }
}

/// What a single word is to the matcher.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lemma {
    /// A stop word, or a lone letter.
    Skip,
    /// Negates the next term.
    Negate,
    /// A term; `named` when it is an alias term or holds a digit.
    Term { id: u32, named: bool },
}

/// One term of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occurrence {
    pub term: u32,
    pub negated: bool,
    /// The term names something: an alias term, a number, or a capitalised word inside a
    /// sentence.
    pub named: bool,
}

/// The compiled word lists and suffix tables.
#[derive(Debug, Default)]
pub struct Terms {
    stop: HashSet<String>,
    negation: HashSet<String>,
    /// Longest first.
    clitics: Vec<String>,
    steps: Vec<Step>,
    /// Single-word alias forms, in lower case, to their term.
    alias_words: HashMap<String, String>,
    /// Single-word forms written in capitals ("US"), which match only words in capitals (so
    /// "US" is an alias and "us" a pronoun).
    alias_caps: HashMap<String, String>,
    /// Multi-word alias forms by their first word: the remaining words and the term.
    alias_phrases: HashMap<String, Vec<(Vec<String>, String)>>,
}

/// Lower-cased words of a text, with what the matcher needs to know about their case.
pub(crate) struct Word<'a> {
    pub text: &'a str,
    /// The first letter is a capital.
    pub capital: bool,
    /// Two letters or more, all capitals.
    pub all_caps: bool,
    pub sentence_start: bool,
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ')
}

/// Calls `f` with each word of `text`: letters and digits, with apostrophes inside a word kept
/// (as `'`). A word starts a sentence when it opens the text or follows sentence punctuation
/// or an opening quotation mark.
pub(crate) fn words(text: &str, mut f: impl FnMut(Word)) {
    let mut buf = String::new();
    let (mut capital, mut lower, mut letters) = (false, false, 0);
    let mut at_start = true;
    let mut word_at_start = true;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_alphanumeric() {
            if buf.is_empty() {
                capital = c.is_uppercase();
                (lower, letters) = (false, 0);
                word_at_start = at_start;
            }
            lower |= c.is_lowercase();
            letters += usize::from(c.is_alphabetic());
            buf.extend(c.to_lowercase());
            continue;
        }
        if is_apostrophe(c) && !buf.is_empty() && chars.peek().is_some_and(|n| n.is_alphanumeric()) {
            buf.push('\'');
            continue;
        }
        if !buf.is_empty() {
            f(Word { text: &buf, capital, all_caps: !lower && letters > 1, sentence_start: word_at_start });
            buf.clear();
            at_start = false;
        }
        let ends_sentence = matches!(c, '.' | '!' | '?') && chars.peek().is_none_or(|n| n.is_whitespace());
        if ends_sentence || matches!(c, ':' | ';' | '“' | '"' | '«' | '„' | '‘' | '\n') {
            at_start = true;
        }
    }
    if !buf.is_empty() {
        f(Word { text: &buf, capital, all_caps: !lower && letters > 1, sentence_start: word_at_start });
    }
}

/// The words of `text`, lower-cased, in one string each.
fn word_list(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    words(text, |w| out.push(w.text.to_owned()));
    out
}

impl Terms {
    pub(crate) fn from_toml(file: &SourceFile, t: TermsToml, errors: &mut Vec<RuleError>) -> Terms {
        let mut terms = Terms::default();
        let lower = |list: Vec<Spanned<String>>, what: &str, errors: &mut Vec<RuleError>| -> Vec<String> {
            let mut out = Vec::new();
            for w in list {
                let at = w.span().start;
                let w = w.into_inner();
                if w.is_empty() || w != w.to_lowercase() {
                    errors.push(file.error(at, Some(what), format!("{w:?}: write {what} entries in lower case, not empty")));
                } else {
                    out.push(w.replace('’', "'"));
                }
            }
            out
        };
        terms.stop = lower(t.stop, "stop", errors).into_iter().collect();
        terms.negation = lower(t.negation, "negation", errors).into_iter().collect();
        terms.clitics = lower(t.clitics, "clitics", errors);
        terms.clitics.sort_by_key(|c| std::cmp::Reverse(c.len()));
        for w in terms.stop.intersection(&terms.negation) {
            errors.push(file.error(0, Some("negation"), format!("{w:?} is both a stop word and a negation")));
        }
        for step in t.step {
            let at = step.suffixes.span().start;
            let mut suffixes: Vec<(String, String)> = step.suffixes.into_inner().into_iter().collect();
            if suffixes.iter().any(|(s, _)| s.is_empty()) {
                errors.push(file.error(at, Some(&step.name), "a suffix must not be empty"));
            }
            // Longest first; equal lengths in a fixed order so stemming never depends on hashing.
            suffixes.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
            terms.steps.push(Step { min_stem: step.min_stem, suffixes, undouble: step.undouble });
        }
        for alias in t.alias {
            let term = alias.term.get_ref().clone();
            if term.is_empty() || term.chars().any(|c| !c.is_alphanumeric() || c.is_uppercase()) {
                errors.push(file.error(alias.term.span().start, Some(&term), "an alias term is one lower-case word"));
                continue;
            }
            for form in std::iter::once(&alias.term).chain(&alias.forms) {
                let mut ws = word_list(form.get_ref()).into_iter();
                let Some(first) = ws.next() else {
                    errors.push(file.error(form.span().start, Some(&term), "a form needs a word"));
                    continue;
                };
                let rest: Vec<String> = ws.collect();
                let caps = form.get_ref().chars().filter(|c| c.is_alphabetic()).count() > 1 && !form.get_ref().chars().any(char::is_lowercase);
                let taken = if rest.is_empty() && caps {
                    terms.alias_caps.insert(first, term.clone())
                } else if rest.is_empty() {
                    terms.alias_words.insert(first, term.clone())
                } else {
                    let list = terms.alias_phrases.entry(first).or_default();
                    let old = list.iter().position(|(r, _)| *r == rest).map(|i| list.remove(i).1);
                    list.push((rest, term.clone()));
                    old
                };
                if let Some(other) = taken.filter(|o| *o != term) {
                    errors.push(file.error(form.span().start, Some(&term), format!("{:?} is already a form of {other:?}", form.get_ref())));
                }
            }
        }
        for list in terms.alias_phrases.values_mut() {
            // Longest phrase first, so "Saudi Arabia" wins over "Saudi".
            list.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        }
        terms
    }

    /// The stem of a lower-case word, through every suffix table in order.
    fn stem(&self, word: &str) -> String {
        let mut s = word.to_owned();
        if s.chars().any(|c| c.is_numeric()) {
            return s;
        }
        for step in &self.steps {
            step.apply(&mut s);
        }
        s
    }

    /// What one lower-case word is, before caching.
    fn lemma(&self, word: &str, table: &mut TermTable) -> Lemma {
        if self.negation.contains(word) {
            return Lemma::Negate;
        }
        if let Some(term) = self.alias_words.get(word) {
            return Lemma::Term { id: table.intern(term), named: true };
        }
        for clitic in &self.clitics {
            if let Some(base) = word.strip_suffix(clitic.as_str()).filter(|b| !b.is_empty()) {
                // A clitic is dropped; the base is looked up as a word of its own.
                return match self.lemma(base.trim_end_matches('\''), table) {
                    Lemma::Term { .. } | Lemma::Skip if self.negation.contains(clitic) => Lemma::Negate,
                    other => other,
                };
            }
        }
        if self.stop.contains(word) || (word.chars().count() == 1 && !word.chars().all(|c| c.is_numeric())) {
            return Lemma::Skip;
        }
        let named = word.chars().any(|c| c.is_numeric());
        Lemma::Term { id: table.intern(&self.stem(word)), named }
    }

    /// The terms of the text pieces `parts`, in order, into `out` (cleared first).
    pub fn analyse(&self, parts: &[&str], table: &mut TermTable, out: &mut Vec<Occurrence>) {
        out.clear();
        let mut ws = std::mem::take(&mut table.scratch);
        ws.clear();
        for part in parts {
            words(part, |w| {
                let start = table.scratch_text.len();
                table.scratch_text.push_str(w.text);
                ws.push(Scratch { span: start..table.scratch_text.len(), capital: w.capital, all_caps: w.all_caps, sentence_start: w.sentence_start });
            });
        }
        let text = std::mem::take(&mut table.scratch_text);
        // Title case or capitals throughout say nothing about names.
        let capitals = ws.iter().filter(|w| w.capital).count();
        let case_tells = capitals * 2 <= ws.len();
        let mut negate = false;
        let mut i = 0;
        while i < ws.len() {
            let Scratch { span, capital, all_caps, sentence_start } = ws[i].clone();
            let word = &text[span];
            let mut lemma = all_caps.then(|| self.alias_caps.get(word)).flatten().map(|term| Lemma::Term { id: table.intern(term), named: true });
            if let Some(phrases) = self.alias_phrases.get(word).filter(|_| lemma.is_none()) {
                for (rest, term) in phrases {
                    let fits = rest.len() < ws.len() - i && rest.iter().zip(&ws[i + 1..]).all(|(r, w)| *r == text[w.span.clone()]);
                    if fits {
                        lemma = Some(Lemma::Term { id: table.intern(term), named: true });
                        i += rest.len();
                        break;
                    }
                }
            }
            let lemma = match lemma {
                Some(l) => l,
                None => match table.cache.get(word) {
                    Some(l) => *l,
                    None => {
                        let l = self.lemma(word, table);
                        table.cache.insert(word.to_owned(), l);
                        l
                    }
                },
            };
            match lemma {
                Lemma::Skip => {}
                Lemma::Negate => negate = true,
                Lemma::Term { id, named } => {
                    out.push(Occurrence { term: id, negated: negate, named: named || (case_tells && capital && !sentence_start) });
                    negate = false;
                }
            }
            i += 1;
        }
        table.scratch = ws;
        table.scratch_text = text;
        table.scratch_text.clear();
    }

    /// The terms of `text` as strings, negated ones as `not:term` (for examples and reports).
    pub fn describe(&self, text: &str) -> Vec<String> {
        let mut table = TermTable::default();
        let mut out = Vec::new();
        self.analyse(&[text], &mut table, &mut out);
        out.iter().map(|o| format!("{}{}", if o.negated { "not:" } else { "" }, table.name(o.term))).collect()
    }
}

/// Term ids for one grouping run, and the lemma of every word met so far (a corpus has far
/// fewer distinct words than words, so each word is stemmed once).
#[derive(Debug, Default)]
pub struct TermTable {
    ids: HashMap<String, u32>,
    names: Vec<String>,
    cache: HashMap<String, Lemma>,
    scratch: Vec<Scratch>,
    scratch_text: String,
}

/// A word of the text being analysed: its span in the table's scratch text, and its case.
#[derive(Debug, Clone)]
struct Scratch {
    span: std::ops::Range<usize>,
    capital: bool,
    all_caps: bool,
    sentence_start: bool,
}

impl TermTable {
    fn intern(&mut self, term: &str) -> u32 {
        if let Some(&id) = self.ids.get(term) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(term.to_owned());
        self.ids.insert(term.to_owned(), id);
        id
    }

    /// The text of term `id`.
    pub fn name(&self, id: u32) -> &str {
        &self.names[id as usize]
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_keep_inner_apostrophes_and_know_sentence_starts() {
        let mut got = Vec::new();
        words("Iran’s “Plan” isn't new. U.S. officials met Lavrov", |w| got.push((w.text.to_owned(), w.capital, w.sentence_start)));
        let names: Vec<&str> = got.iter().map(|w| w.0.as_str()).collect();
        assert_eq!(names, ["iran's", "plan", "isn't", "new", "u", "s", "officials", "met", "lavrov"]);
        assert!(got[0].2 && got[1].2 && !got[2].2, "{got:?}");
        assert!(got[4].2 && !got[5].2, "a period inside U.S. ends no sentence: {got:?}");
        assert!(got[8].1 && !got[8].2);
    }
}
