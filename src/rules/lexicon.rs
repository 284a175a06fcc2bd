//! Word lists and verb classes (`lexicon/*.toml`): the words patterns are written with.
//!
//! A list `[[list]] name = "title"` is named `{title}` in patterns. A verb class
//! `[[verb]] class = "speech"` gives `{speech}` (base, third person and past forms),
//! `{speech_pres}`, `{speech_past}`, `{speech_pp}`, `{speech_ing}`, `{speech_base}`,
//! `{speech_third}` and `{speech_any}`. Verb forms match as written (so "The Jerusalem Post"
//! holds no cue); list words match as written unless the list says `ignore_case = true`.
//! Entries of several words match as a sequence of tokens.

use serde::Deserialize;
use toml::Spanned;

use super::source::{RuleError, SourceFile};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LexiconFile {
    #[serde(default)]
    verb: Vec<VerbToml>,
    #[serde(default)]
    list: Vec<ListToml>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VerbToml {
    class: Spanned<String>,
    /// base, third person, past, past participle, gerund: `["say", "says", "said", "said", "saying"]`
    forms: Spanned<Vec<String>>,
    /// A text in which the full rule set must find a statement with this verb as (part of) its cue.
    example: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ListToml {
    name: Spanned<String>,
    #[allow(dead_code)]
    #[serde(default)]
    description: String,
    /// `true`: words match in any letter case.
    #[serde(default)]
    ignore_case: bool,
    words: Vec<String>,
}

/// A verb example: the full rule set must find a statement whose cue uses one of `forms`.
#[derive(Debug, Clone)]
pub struct VerbExample {
    pub file: usize,
    pub at: usize,
    pub class: String,
    pub forms: Vec<String>,
    pub text: String,
}

/// A named set of words, as a token predicate (one bit) plus multi-word entries.
#[derive(Debug, Clone)]
pub struct WordSet {
    /// One bit per single-word member set; a verb-derived name combines several.
    pub bits: Vec<usize>,
    /// Entries of several words, each a sequence of words (matched case-insensitively).
    pub phrases: Vec<Vec<String>>,
    pub file: usize,
    pub at: usize,
}

/// Where each single word goes: `(text, bit, ignore_case)`.
pub type Membership = (String, usize, bool);

/// All lists and verb classes, with a bit for each list and each verb form.
#[derive(Debug, Default)]
pub struct Lexicon {
    pub sets: std::collections::HashMap<String, WordSet>,
    pub members: Vec<Membership>,
    pub bits: usize,
    pub verb_examples: Vec<VerbExample>,
}

const VERB_FORMS: [&str; 5] = ["base", "third person", "past", "past participle", "gerund"];

impl Lexicon {
    fn define(&mut self, file: &SourceFile, file_idx: usize, at: usize, name: &str, set: WordSet) -> Result<(), RuleError> {
        if !is_name(name) {
            return Err(file.error(at, Some(name), "a name is lowercase letters, digits and '_', starting with a letter"));
        }
        if self.sets.contains_key(name) {
            return Err(file.error(at, Some(name), "defined twice"));
        }
        self.sets.insert(name.to_owned(), WordSet { file: file_idx, at, ..set });
        Ok(())
    }

    fn new_bit(&mut self) -> usize {
        self.bits += 1;
        self.bits - 1
    }

    /// Adds words to a new bit; returns the bit and the multi-word entries.
    fn words(&mut self, words: &[String], ignore_case: bool) -> (usize, Vec<Vec<String>>) {
        let bit = self.new_bit();
        let mut phrases = Vec::new();
        for w in words {
            let parts: Vec<String> = w.split_whitespace().map(str::to_owned).collect();
            match parts.len() {
                0 => {}
                1 => self.members.push((parts[0].clone(), bit, ignore_case)),
                _ => phrases.push(parts),
            }
        }
        phrases.sort_by_key(|p| std::cmp::Reverse(p.len()));
        (bit, phrases)
    }

    /// Defines the list `{name}` (another stage's words, or a `[[list]]` of a lexicon file)
    /// whose definition is at byte `at` of `file`.
    pub(crate) fn add_list(&mut self, file: &SourceFile, file_idx: usize, at: usize, name: &str, words: &[String], ignore_case: bool) -> Result<(), RuleError> {
        let (bit, phrases) = self.words(words, ignore_case);
        self.define(file, file_idx, at, name, WordSet { bits: vec![bit], phrases, file: 0, at: 0 })
    }

    pub(crate) fn add_file(&mut self, file: &SourceFile, file_idx: usize, lex: LexiconFile, errors: &mut Vec<RuleError>) {
        for list in lex.list {
            if let Err(e) = self.add_list(file, file_idx, list.name.span().start, list.name.get_ref(), &list.words, list.ignore_case) {
                errors.push(e);
            }
        }
        // A class may span several entries: gather its forms first.
        let mut classes: Vec<(String, usize, [Vec<String>; 5])> = Vec::new();
        for verb in lex.verb {
            let forms = verb.forms.get_ref();
            let class = verb.class.get_ref().clone();
            if forms.len() != 5 {
                errors.push(file.error(verb.forms.span().start, Some(&class), format!("a verb has 5 forms ({}), got {}", VERB_FORMS.join(", "), forms.len())));
                continue;
            }
            if let Some(ex) = &verb.example {
                self.verb_examples.push(VerbExample { file: file_idx, at: ex.span().start, class: class.clone(), forms: forms.clone(), text: ex.get_ref().clone() });
            }
            let slot = match classes.iter().position(|(c, _, _)| *c == class) {
                Some(i) => i,
                None => {
                    classes.push((class.clone(), verb.class.span().start, Default::default()));
                    classes.len() - 1
                }
            };
            // An empty form (`states`, mostly a noun) is no cue: `words` skips empty entries.
            for (i, w) in forms.iter().enumerate() {
                classes[slot].2[i].push(w.clone());
            }
        }
        for (class, at, forms) in classes {
            let parts: Vec<(usize, Vec<Vec<String>>)> = forms.iter().map(|f| self.words(f, false)).collect();
            let pick = |idx: &[usize]| WordSet {
                bits: idx.iter().map(|&i| parts[i].0).collect(),
                phrases: idx.iter().flat_map(|&i| parts[i].1.clone()).collect(),
                file: 0,
                at: 0,
            };
            let defs = [
                (class.clone(), pick(&[0, 1, 2])),
                (format!("{class}_pres"), pick(&[0, 1])),
                (format!("{class}_third"), pick(&[1])),
                (format!("{class}_past"), pick(&[2])),
                (format!("{class}_pp"), pick(&[3])),
                (format!("{class}_ing"), pick(&[4])),
                (format!("{class}_base"), pick(&[0])),
                (format!("{class}_any"), pick(&[0, 1, 2, 3, 4])),
            ];
            for (name, set) in defs {
                if let Err(e) = self.define(file, file_idx, at, &name, set) {
                    errors.push(e);
                }
            }
        }
    }
}

/// Names of lists, verb-derived sets and fragments.
pub fn is_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase()) && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Regex errors span several lines; rule errors are one line each.
pub fn one_line(msg: &str) -> String {
    msg.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" ")
}
